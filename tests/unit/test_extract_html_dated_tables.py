"""HTML tables whose rows each carry a date: an entry per row, by the rules `datedrows` applies
to the same page in Markdown; other tables read as before, reference tables as before."""

from __future__ import annotations

from datetime import UTC, datetime

from markdown_it import MarkdownIt

from radar.extract.blocks import Block
from radar.extract.datedrows import DatedTable
from radar.extract.htmlblocks import MAX_COLUMNS, html_blocks, table_rows
from radar.extract.htmlpage import extract_changelog_html
from radar.extract.markdown import extract_changelog_markdown
from radar.htmltext import parse_html
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/whats-new"

# A "What's new" page: a section of prose, then a table of dated rows (as Teams' is).
WHATS_NEW_MD = """\
# What's new for developers

## Generally available

Features available to every developer.

| **Date** | **Update** | **Find here** |
| -------- | --------- | ----------------|
| 08/09/2022 | Introduced the toolkit for the editor | Tools > [Toolkit overview](toolkit/o.md) |
| 08/03/2022 | Share to the app from a personal tab | Integrate > [Share](share/tab.md) |
| 08/03/2022| Added retrieving meeting transcripts | Meetings > [Overview](meetings/t.md) |
| 5/24/2022|Bots in government clouds| Plan > [Overview](plan.md) |
"""


def _html(md: str) -> str:
    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    return f"<html><body><main>{body}</main></body></html>"


def _extract(html: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_HTML, url=URL)
    return extract_changelog_html(source, FetchResult(URL, 200, html.encode(), "text/html"))


def _blocks(html: str, tables: list[DatedTable] | None) -> list[Block]:
    root = parse_html(html)
    assert root is not None
    return html_blocks(root, tables=tables)


def _page(table: str, heading: str = "Updates") -> str:
    return f"<html><body><main><h2>{heading}</h2><p>Intro.</p>{table}</main></body></html>"


def test_extract_html_dated_table_gives_the_entries_the_markdown_gives() -> None:
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_MARKDOWN, url=URL)
    markdown = extract_changelog_markdown(
        source, FetchResult(URL, 200, WHATS_NEW_MD.encode(), None)
    )
    html = _extract(_html(WHATS_NEW_MD))
    # The rows' keys, titles, text and links are test_extract_docfx's; here, the same ones.
    dated = [(i.key, i.title, i.published, i.text, i.url) for i in html if i.published]
    assert len(dated) == 4
    assert dated == [(i.key, i.title, i.published, i.text, i.url) for i in markdown if i.published]


def test_extract_html_dated_table_cells_leave_the_section_above() -> None:
    items = _extract(_html(WHATS_NEW_MD))
    section = next(i for i in items if i.published is None)
    assert section.text == "Generally available\nFeatures available to every developer."
    for word in ("Date", "Find here", "08/09/2022", "toolkit"):
        assert word not in section.text


def test_extract_html_dated_table_reads_a_first_row_of_th_as_its_header() -> None:
    table = (
        "<table><tr><th>When</th><th>What</th></tr>"
        "<tr><td>2025-03-04</td><td>Added search</td></tr>"
        "<tr><td>2025-02-20</td><td>Fixed login</td></tr></table>"
    )
    items = _extract(_page(table))
    assert [(i.key, i.text) for i in items if i.published] == [
        ("2025-03-04-added-search", "When: 2025-03-04\nWhat: Added search"),
        ("2025-02-20-fixed-login", "When: 2025-02-20\nWhat: Fixed login"),
    ]


def test_extract_html_dated_table_without_a_header_row_has_unlabelled_lines() -> None:
    table = (
        "<table><tr><td>2025-03-04</td><td>Added search</td></tr>"
        "<tr><td>2025-02-20</td><td>Fixed login</td></tr></table>"
    )
    items = _extract(_page(table))
    assert [(i.key, i.text) for i in items if i.published] == [
        ("2025-03-04-added-search", "2025-03-04\nAdded search"),
        ("2025-02-20-fixed-login", "2025-02-20\nFixed login"),
    ]


def test_extract_html_dated_table_date_spanning_rows_dates_each_of_them() -> None:
    table = (
        "<table><thead><tr><th>Date</th><th>Change</th></tr></thead><tbody>"
        '<tr><td rowspan="2">2025-03-04</td><td>Added search</td></tr>'
        "<tr><td>Added filters</td></tr>"
        "<tr><td>2025-02-20</td><td>Fixed login</td></tr></tbody></table>"
    )
    items = _extract(_page(table))
    assert [i.key for i in items if i.published] == [
        "2025-03-04-added-search",
        "2025-03-04-added-filters",
        "2025-02-20-fixed-login",
    ]


def test_extract_html_table_rows_fill_spanned_columns_and_skip_nested_tables() -> None:
    root = parse_html(
        "<table><tr><th colspan='2'>Head</th><th>X</th></tr>"
        "<tr><td>a<table><tr><td>inner</td></tr></table></td><td>b</td></tr></table>"
    )
    assert root is not None
    assert table_rows(next(root.iter("table"))) == [["Head", "Head", "X"], ["a inner", "b", ""]]


def test_extract_html_table_rows_keep_a_hostile_span_small() -> None:
    root = parse_html('<table><tr><td colspan="1000000">x</td></tr><tr><td>y</td></tr></table>')
    assert root is not None
    rows = table_rows(next(root.iter("table")))
    assert len(rows) == 3 and all(len(row) == MAX_COLUMNS for row in rows)


def test_extract_html_table_without_a_date_column_is_read_as_before() -> None:
    # Half the rows or fewer dated: not a date column. The cells stay text, as they were.
    html = _page(
        "<table><tr><th>Goal</th><th>Default</th></tr><tr><td>Event</td><td>None</td></tr>"
        "<tr><td>Duration</td><td>2025-01-01</td></tr><tr><td>Store</td><td>Buy</td></tr></table>"
    )
    tables: list[DatedTable] = []
    blocks = _blocks(html, tables)
    assert tables == []
    assert blocks == _blocks(html, None)
    assert any("Duration" in b.text for b in blocks)


def test_extract_html_dated_table_under_a_dated_heading_stays_in_its_entry() -> None:
    html = (
        "<html><body><main><h1>Changelog</h1><h2>2025-05-01</h2><p>Endpoints are retired.</p>"
        "<h3>Schedule</h3><table><tr><th>Endpoint</th><th>Sunset</th></tr>"
        "<tr><td>/v1/users</td><td>2025-09-01</td></tr>"
        "<tr><td>/v1/posts</td><td>2025-10-01</td></tr></table>"
        "<h2>2025-04-01</h2><p>Added search.</p></main></body></html>"
    )
    tables: list[DatedTable] = []
    assert _blocks(html, tables) == _blocks(html, None)
    assert tables == []
    items = _extract(html)
    assert [i.key for i in items] == ["2025-05-01", "2025-04-01"]
    assert "/v1/users" in items[0].text and "2025-09-01" in items[0].text


def _named_rows(n: int, dated: bool) -> str:
    # Short unique names in the first cell: what the reference-table rule reads as named rows.
    return "".join(
        f"<tr><td>Scope {i}</td><td>Reads thing {i}.</td>"
        + (f"<td>2025-03-{i + 1:02d}</td>" if dated else "")
        + "</tr>"
        for i in range(n)
    )


def test_extract_html_dated_table_wins_over_the_reference_table_rule() -> None:
    # Ten short named rows, each dated: the reference rule alone would key them by name; as a
    # changelog (and as the same page in Markdown) they are keyed by date and title.
    items = _extract(_page(f"<table>{_named_rows(10, True)}</table>"))
    assert [i.key for i in items if i.published][:2] == [
        "2025-03-01-reads-thing-0",
        "2025-03-02-reads-thing-1",
    ]
    assert items[1].text == "Scope 0\nReads thing 0.\n2025-03-01"


def test_extract_html_reference_table_without_dates_keeps_its_rule() -> None:
    items = _extract(_page(f"<table>{_named_rows(10, False)}</table>"))
    assert [(i.key, i.text) for i in items][:2] == [
        ("Scope 0", "Reads thing 0."),
        ("Scope 1", "Reads thing 1."),
    ]


def test_extract_html_reference_rule_reads_a_table_under_a_dated_heading() -> None:
    # The dated rows are that entry's details (no dated table): the reference rule, as before.
    items = _extract(_page(f"<table>{_named_rows(10, True)}</table>", heading="2025-05-01"))
    assert [(i.key, i.published) for i in items][:1] == [
        ("Scope 0", datetime(2025, 3, 1, tzinfo=UTC))
    ]
