"""The `render` catalog field, and the four platforms that needed JavaScript (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.catalog.loader import load_catalog, parse_catalog
from radar.errors import CatalogError
from radar.extract import extract
from radar.model import FetchResult, RenderMode, SourceKind

PLATFORMS = Path(__file__).resolve().parents[1] / "fixtures" / "browser" / "platforms"
FOUR = (
    "x-api-changelog",
    "tiktok-developers-changelog",
    "pinterest-api-changelog",
    "snap-marketing-api-changelog",
)
FEEDS = {SourceKind.RSS, SourceKind.ATOM, SourceKind.JSON_FEED}
SPECS = {SourceKind.OPENAPI, SourceKind.JSON_SPEC}


def test_catalog_render_defaults_to_none() -> None:
    (source,) = parse_catalog("sources: [{id: a, platform: p, url: 'https://e.com'}]", "my.yaml")
    assert source.render is RenderMode.NONE


def test_catalog_render_browser_is_read() -> None:
    text = "sources: [{id: a, platform: p, url: 'https://e.com', render: browser}]"
    (source,) = parse_catalog(text, "my.yaml")
    assert source.render is RenderMode.BROWSER


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("render: chrome", "field 'render': Input should be 'none' or 'browser'"),
        ("render: browser, kind: rss", "kind must be auto or changelog-html (not rss)"),
        (
            "render: browser, needs_javascript: true, watch_instead: b",
            "remove needs_javascript",
        ),
    ],
)
def test_catalog_render_errors_name_the_field(entry: str, expected: str) -> None:
    text = f"sources: [{{id: a, platform: p, url: 'https://e.com', {entry}}}]"
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, "my.yaml")
    assert str(info.value).startswith("my.yaml: source 'a': ")
    assert expected in str(info.value)


def test_catalog_builtin_skips_no_platform_changelog() -> None:
    catalog = {s.id: s for s in load_catalog()}
    assert [i for i in FOUR if catalog[i].needs_javascript] == []


@pytest.mark.parametrize("source_id", FOUR)
def test_catalog_the_four_are_covered_by_a_feed_a_spec_a_page_or_a_browser(source_id: str) -> None:
    source = {s.id: s for s in load_catalog()}[source_id]
    assert (
        source.kind in FEEDS
        or source.kind in SPECS
        or source.render is RenderMode.BROWSER
        or source.kind is SourceKind.CHANGELOG_HTML  # a server-rendered page (Snap)
    )


def test_catalog_pinterest_api_surface_is_watched_through_its_spec_too() -> None:
    spec = {s.id: s for s in load_catalog()}["pinterest-openapi"]
    assert spec.kind is SourceKind.OPENAPI and spec.platform == "pinterest"


def _fixture_items(source_id: str) -> list:  # type: ignore[type-arg]
    source = {s.id: s for s in load_catalog()}[source_id]
    (path,) = PLATFORMS.glob(f"{source_id}.*")
    content_type = "application/rss+xml" if path.suffix == ".xml" else "text/html; charset=utf-8"
    result = FetchResult(
        url=source.url, status=200, body=path.read_bytes(), content_type=content_type
    )
    return extract(source, result)


@pytest.mark.parametrize(
    "source_id", ["x-api-changelog", "tiktok-developers-changelog", "pinterest-api-changelog"]
)
def test_catalog_platform_fixture_extracts_dated_entries(source_id: str) -> None:
    items = _fixture_items(source_id)
    assert len(items) >= 3
    assert all(i.published is not None for i in items)
    assert len({i.key for i in items}) == len(items)


def test_catalog_snap_fixture_extracts_its_announcements_by_month() -> None:
    items = _fixture_items("snap-marketing-api-changelog")
    dated = [(i.key, i.title, i.published.date().isoformat()) for i in items if i.published]
    assert dated == [
        ("2025-03", "Age targeting increase", "2025-03-01"),
        ("2025-02", 'Launch of "Sponsored Snaps"', "2025-02-01"),
        ("2024-09", "Campaign Objective V2 launch", "2024-09-01"),
    ]
    # Month headings name no day: the entries are dated to their month, not to its first day.
    assert all(i.month_only for i in items if i.published)
