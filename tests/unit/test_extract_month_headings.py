"""Entries under month headings ("## March 2025") are dated to their month (issue 17, Snap)."""

from __future__ import annotations

from datetime import UTC, datetime

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/changelog"
FETCHED = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)


def run(kind: SourceKind, body: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=kind, url=URL)
    return extract(source, FetchResult(URL, 200, body.encode(), None, fetched_at=FETCHED))


def dated(items: list[Item]) -> list[tuple[str, str, str | None, bool]]:
    return [
        (i.key, i.title, i.published.date().isoformat() if i.published else None, i.month_only)
        for i in items
    ]


MARKDOWN = """# Announcements

## March 2025

### Age targeting increase

Age targeting now reaches 55+.

### Reporting buckets

The 35+ bucket reports 0.

## February 2025

### Sponsored Snaps

Sponsored Snaps arrive in Chat.
"""


def test_extract_markdown_month_headings_date_their_entries_to_the_month() -> None:
    assert dated(run(SourceKind.CHANGELOG_MARKDOWN, MARKDOWN)) == [
        ("2025-03-age-targeting-increase", "Age targeting increase", "2025-03-01", True),
        ("2025-03-reporting-buckets", "Reporting buckets", "2025-03-01", True),
        ("2025-02", "Sponsored Snaps", "2025-02-01", True),
    ]


def test_extract_html_month_headings_date_their_entries_to_the_month() -> None:
    html = (
        "<article><h1>Announcements</h1><h2>2025-03</h2><h3>Age targeting</h3><p>Now 55+.</p>"
        "<h2>2025-02</h2><h3>Sponsored Snaps</h3><p>In Chat.</p></article>"
    )
    assert dated(run(SourceKind.CHANGELOG_HTML, html)) == [
        ("2025-03", "Age targeting", "2025-03-01", True),
        ("2025-02", "Sponsored Snaps", "2025-02-01", True),
    ]


def test_extract_year_headings_are_not_dates() -> None:
    items = run(SourceKind.CHANGELOG_MARKDOWN, "## 2025\n\nA.\n\n## 2024\n\nB.\n")
    assert [(i.key, i.published) for i in items] == [("2025", None), ("2024", None)]


def test_extract_day_headings_are_not_month_only() -> None:
    (item,) = run(SourceKind.CHANGELOG_MARKDOWN, "## March 3, 2025\n\nA.\n")
    assert item.published is not None and not item.month_only


def test_extract_mdx_month_label_is_month_only() -> None:
    mdx = '<Update label="March 2025">\n  ## MCP server generator\n  Text.\n</Update>\n'
    (item,) = run(SourceKind.CHANGELOG_MDX, mdx)
    assert (item.key, item.month_only) == ("2025-03", True)
    assert item.published == datetime(2025, 3, 1, tzinfo=UTC)


def test_extract_next_month_is_a_plan_not_a_date() -> None:
    (item,) = run(SourceKind.CHANGELOG_MARKDOWN, "## April 2025\n\nComing soon.\n\n")
    assert (item.published, item.month_only) == (None, False)
