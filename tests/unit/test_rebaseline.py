"""After an upgrade that reads pages differently, each source's page is read again once, and
what differs only because of the new extractors is history, never news (radar/rebaseline.py).

facebook-android-sdk's CHANGELOG writes its sections at the release's own level: older Radar
read "## Changed" as an entry of its own and the release as empty. Reading it right must not
announce an edit of every such release, nor their section entries as removed three runs later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from radar.diff import diff_entries
from radar.model import (
    EXTRACTION_VERSION,
    ChangeKind,
    ChangeQuery,
    FetchResult,
    Item,
    Snapshot,
    Source,
    SourceKind,
)
from radar.store.codec import snapshot_head_from_meta, snapshot_meta
from radar.watch.cycle import content_hash, watch_source
from radar.watch.outcomes import Outcome
from tests.support.fakes import MemoryStore, ScriptedFetcher

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SOURCE = Source(
    id="fb", platform="meta", kind=SourceKind.AUTO, url="https://example.com/CHANGELOG.md"
)
PAGE = b"""# Changelog

## [9.1.1]

## Changed
- Supported refetching Gate Keeper values after switching app IDs.

## [9.1.0]

## Added
- Added a GamingPayload class.
"""
# The same page as an older Radar read it: empty releases, and sections as entries.
OLD_READING = [
    Item(key="9.1.1", title="[9.1.1]", text="", url=None, published=None),
    Item(
        key="changed",
        title="Changed",
        text="Supported refetching Gate Keeper values after switching app IDs.",
        url=None,
        published=None,
    ),
    Item(key="9.1.0", title="[9.1.0]", text="", url=None, published=None),
    Item(key="added", title="Added", text="Added a GamingPayload class.", url=None, published=None),
]


def _stored_by_older_radar(store: MemoryStore) -> None:
    first = diff_entries(SOURCE, None, OLD_READING, NOW - timedelta(days=30),
                         announce_since=NOW - timedelta(days=37))  # fmt: skip
    old = Snapshot(
        source_id=SOURCE.id,
        content_hash=content_hash(PAGE),
        etag='"v1"',
        entries=first.entries,
        extractor=0,  # stored before extraction was versioned
    )
    store.save(old)


def _watch(store: MemoryStore, fetcher: ScriptedFetcher, hours: int = 0) -> Outcome:
    now = NOW + timedelta(hours=hours)
    return watch_source(
        SOURCE, fetcher=fetcher, store=store, now=now, announce_since=now - timedelta(days=7)
    ).outcome


def _fetcher(body: bytes, etag: str = '"v1"') -> ScriptedFetcher:
    result = FetchResult(SOURCE.url, 200, body, "text/markdown", etag=etag)
    return ScriptedFetcher({SOURCE.url: result})


def test_the_same_page_read_again_is_history_not_news() -> None:
    store = MemoryStore()
    _stored_by_older_radar(store)
    fetcher = _fetcher(PAGE)
    _watch(store, fetcher)
    assert fetcher.calls == [(SOURCE.url, None)]  # the page itself, not a 304
    assert store.query_changes(ChangeQuery()) == []  # nothing announced
    history = store.query_changes(ChangeQuery(include_baseline=True))
    assert {c.kind for c in history} == {ChangeKind.COSMETIC}  # the releases, now with text
    snapshot = store.get_snapshot(SOURCE.id)
    assert snapshot is not None and snapshot.extractor == EXTRACTION_VERSION
    # The section entries older Radar made are forgotten, not counted missing (no removal).
    assert set(snapshot.entries) == {"9.1.1", "9.1.0"}
    for hours in (1, 2, 3, 4):
        _watch(store, _fetcher(PAGE), hours=hours)
    assert store.query_changes(ChangeQuery()) == []


def test_after_the_reread_the_page_is_fetched_conditionally_again() -> None:
    store = MemoryStore()
    _stored_by_older_radar(store)
    _watch(store, _fetcher(PAGE))
    fetcher = ScriptedFetcher({SOURCE.url: FetchResult(SOURCE.url, 304)})
    assert _watch(store, fetcher, hours=1) is Outcome.NOT_MODIFIED
    assert fetcher.calls == [(SOURCE.url, '"v1"')]


def test_a_page_that_changed_in_the_same_run_still_brings_its_news() -> None:
    store = MemoryStore()
    _stored_by_older_radar(store)
    newer = PAGE.replace(b"# Changelog\n", b"# Changelog\n\n## [9.2.0]\n\n### Added\n- Login v2\n")
    _watch(store, _fetcher(newer, etag='"v2"'))
    announced = store.query_changes(ChangeQuery())
    assert "9.2.0" in {c.entry_key for c in announced}
    snapshot = store.get_snapshot(SOURCE.id)
    assert snapshot is not None and snapshot.extractor == EXTRACTION_VERSION


def test_a_snapshot_remembers_the_extraction_that_read_it() -> None:
    head = replace(Snapshot(source_id="s", content_hash="h"), extractor=EXTRACTION_VERSION).head
    meta = snapshot_meta(head)
    assert snapshot_head_from_meta("s", 1, meta).extractor == EXTRACTION_VERSION
    del meta["extractor"]  # stored before the field existed
    assert snapshot_head_from_meta("s", 1, meta).extractor == 0
