"""Real-world feeds and changelog histories: typed errors only, stable keys across versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.errors import ExtractError
from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind
from tests.support.corpus import CORPUS, corpus_dir, versions

pytestmark = pytest.mark.corpus

FEED_FOLDERS = ("feedparser_illformed_encoding", "feedrs_realworld_fixtures")
CHANGELOG_FOLDERS = (
    "discord_changelog_2024",
    "meta_business_sdk_changelog",
    "mastodon_statuses_api_doc",
)


def _feed_files() -> list[Path]:
    files: list[Path] = []
    for folder in FEED_FOLDERS:
        root = CORPUS / folder
        if root.is_dir():
            files.extend(p for p in sorted(root.iterdir()) if p.name != "manifest.json")
    return files


def _feed_kind(path: Path) -> SourceKind:
    return SourceKind.JSON_FEED if path.suffix == ".json" else SourceKind.RSS


def extract_file(path: Path, kind: SourceKind, content_type: str | None = None) -> list[Item]:
    source = Source(id=path.stem, platform="p", kind=kind, url="https://example.com/feed")
    return extract(source, FetchResult(source.url, 200, path.read_bytes(), content_type))


@pytest.mark.parametrize("path", _feed_files(), ids=lambda p: p.name)
def test_corpus_robustness_feed_yields_items_or_a_typed_error(path: Path) -> None:
    try:
        items = extract_file(path, _feed_kind(path))
    except ExtractError as exc:
        message = str(exc)
        items = []
    else:
        message = ""
    assert items or message  # items, or a message a user can read
    assert len({i.key for i in items}) == len(items)
    assert all(i.published is None or i.published.tzinfo is not None for i in items)


def test_corpus_robustness_feed_folders_are_present() -> None:
    for folder in FEED_FOLDERS:
        corpus_dir(folder)
    assert len(_feed_files()) > 100


@pytest.mark.parametrize("folder", CHANGELOG_FOLDERS)
def test_corpus_robustness_every_changelog_version_has_unique_keys(folder: str) -> None:
    for v in versions(folder):
        items = extract_file(v.path, SourceKind.CHANGELOG_MARKDOWN, "text/markdown")
        assert items, v.index
        keys = [i.key for i in items]
        assert len(set(keys)) == len(keys), (v.index, keys)


@pytest.mark.parametrize("folder", CHANGELOG_FOLDERS)
def test_corpus_robustness_entries_keep_their_keys_across_versions(folder: str) -> None:
    # An entry present in consecutive versions (same title, mostly the same text) must keep
    # its key; a changed key would read as one removal plus one addition.
    previous: dict[str, str] | None = None
    for v in versions(folder):
        items = extract_file(v.path, SourceKind.CHANGELOG_MARKDOWN, "text/markdown")
        current = {i.title: i.key for i in items}
        if previous is not None:
            for title, key in current.items():
                if title in previous and title != "Unreleased":
                    assert previous[title] == key, (v.index, title)
        previous = current
