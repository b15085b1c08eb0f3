"""Replays real recorded changelog and feed histories through the whole pipeline.

Each version is served in order from a local HTTP server on 127.0.0.1 and watched with the real
fetcher, extractor, differ and SQLite store, as `radar run --at <version date>` would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from radar.fetch import Fetcher, FetchPolicy
from radar.model import ChangeKind, ChangeQuery, Source, SourceKind
from radar.store.sqlite import SqliteStore
from radar.watch.cycle import watch_source
from radar.watch.outcomes import Outcome, SourceOutcome
from tests.support.corpus import versions

CONTENT_TYPES = {".md": "text/markdown; charset=utf-8", ".xml": "application/rss+xml"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "radar.sqlite3") as s:
        yield s


def replay(
    httpserver: HTTPServer, store: SqliteStore, folder: str, kind: SourceKind, platform: str
) -> list[tuple[str, SourceOutcome, list[tuple[ChangeKind, str]]]]:
    """Watch every version of a corpus folder in order; per version: subject, outcome, changes."""
    source = Source(id=folder, platform=platform, kind=kind, url=httpserver.url_for("/page"))
    policy = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)
    log = []
    with Fetcher(policy) as fetcher:
        for v in versions(folder):
            httpserver.clear()
            httpserver.expect_request("/page").respond_with_data(
                v.path.read_bytes(), content_type=CONTENT_TYPES[v.path.suffix]
            )
            outcome = watch_source(
                source,
                fetcher=fetcher,
                store=store,
                now=v.date,
                announce_since=v.date - timedelta(days=7),
            )
            found = [
                (c.kind, c.title)
                for c in store.query_changes(
                    ChangeQuery(since=v.date, until=v.date + timedelta(seconds=1))
                )
            ]
            log.append((v.subject, outcome, found))
    return log


@pytest.mark.corpus
def test_corpus_discord_changelog_reports_each_new_entry(
    httpserver: HTTPServer, store: SqliteStore
) -> None:
    log = replay(
        httpserver, store, "discord_changelog_2024", SourceKind.CHANGELOG_MARKDOWN, "discord"
    )
    assert log[0][1].outcome is Outcome.BASELINE
    assert log[0][1].baseline > 50
    added = {
        i: [t for k, t in found if k is ChangeKind.ADDED] for i, (_, _, found) in enumerate(log)
    }
    # New entries, by the version (0-based) whose commit added them.
    assert added[2] == ["Application Emoji"]
    assert added[6] == ["Voice State Endpoints"]
    assert added[7] == ["User App Install Count"]
    assert added[8] == ["Get Guild Role Endpoint"]
    assert added[10] == ["Voice Gateway Version 8 and Deprecation of Versions < 4"]
    assert added[13] == ["Voice Encryption Modes"]
    # Nothing is ever reported removed from an append-only changelog.
    assert all(k is not ChangeKind.REMOVED for _, _, found in log for k, _ in found)


@pytest.mark.corpus
def test_corpus_windsurf_feed_reports_new_items_not_rebuilds(
    httpserver: HTTPServer, store: SqliteStore
) -> None:
    log = replay(httpserver, store, "rss_windsurf_changelog", SourceKind.RSS, "windsurf")
    assert log[0][1].outcome is Outcome.BASELINE
    for _subject, outcome, found in log[1:]:
        assert outcome.outcome is not Outcome.FAILED
        assert all(k is not ChangeKind.REMOVED for k, _ in found)
    added_titles = [t for _, _, found in log[1:] for k, t in found if k is ChangeKind.ADDED]
    assert added_titles, "the feed gained releases over the recorded weeks"
    assert len(added_titles) == len(set(added_titles)), "no release is announced twice"
