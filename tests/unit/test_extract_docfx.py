"""DocFX Markdown (learn.microsoft.com pages) and tables of dated rows: a row per entry,
directive lines and includes dropped, other tables read as before."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from radar.extract.blocks import Block
from radar.extract.datedrows import DatedTable
from radar.extract.markdown import PRESPLIT_CHARS, extract_changelog_markdown, markdown_blocks
from radar.extract.markdown_inline import inline_text
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/whats-new"

# The shape of a docs site's "What's new" page: DocFX layout directives, a bold month over
# dated bullets, then a table of dated rows inside <details>.
WHATS_NEW = """\
---
title: What's new
---

# What's new for developers

::: zone pivot="ga-feature"

## Generally available

:::row:::
:::column:::

:::image type="icon" source="~/assets/ga.png" alt-text="Generally available ":::

:::column-end:::
:::column span="2":::

Features available to every developer.

* ***September 29, 2022***: [Downloads on mobile.](concepts/download.md)

:::column-end:::
:::row-end:::

<details>
<summary><b>2022</b></summary>

| **Date** | **Update** | **Find here** |
| -------- | --------- | ----------------|
| 08/09/2022 | Introduced the toolkit for the editor | Tools > [Toolkit overview](toolkit/o.md) |
| 08/03/2022 | Share to the app from a personal tab | Integrate > [Share](share/tab.md) |
| 08/03/2022| Added retrieving meeting transcripts | Meetings > [Overview](meetings/t.md) |
| 5/24/2022|Bots in government clouds| • Plan > [Overview](plan.md) </br> • Bots > [Bots](b.md) |

</details>

::: zone-end
"""


def _extract(text: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_MARKDOWN, url=URL)
    return extract_changelog_markdown(source, FetchResult(URL, 200, text.encode(), None))


def _by_key(items: list[Item]) -> dict[str, Item]:
    return {item.key: item for item in items}


def test_extract_docfx_dated_table_gives_an_entry_per_row() -> None:
    rows = [i for i in _extract(WHATS_NEW) if i.published is not None]
    assert [(i.key, i.title, i.published) for i in rows] == [
        (
            "2022-08-09-introduced-the-toolkit-for-the-editor",
            "Introduced the toolkit for the editor",
            datetime(2022, 8, 9, tzinfo=UTC),
        ),
        (
            "2022-08-03-share-to-the-app-from-a-personal-tab",
            "Share to the app from a personal tab",
            datetime(2022, 8, 3, tzinfo=UTC),
        ),
        (
            "2022-08-03-added-retrieving-meeting-transcripts",
            "Added retrieving meeting transcripts",
            datetime(2022, 8, 3, tzinfo=UTC),
        ),
        (
            "2022-05-24-bots-in-government-clouds",
            "Bots in government clouds",
            datetime(2022, 5, 24, tzinfo=UTC),
        ),
    ]
    assert rows[0].text == (
        "Date: 08/09/2022\nUpdate: Introduced the toolkit for the editor\n"
        "Find here: Tools > Toolkit overview"
    )
    assert rows[0].url == URL + "#generally-available"  # the heading above the table


def test_extract_docfx_table_cells_leave_the_section_above() -> None:
    items = _extract(WHATS_NEW)
    undated = [i for i in items if i.published is None]
    assert len(items) == 5 and len(undated) == 1
    # Neither the header cells nor a row is read into the section, nor taken for a heading
    # ("Find here" was the title of one entry holding the whole table).
    for word in ("Date", "Update", "Find here", "08/09/2022", "toolkit"):
        assert word not in undated[0].text.split("\n")
    assert "toolkit" not in undated[0].text


def test_extract_docfx_row_keys_stay_when_a_row_is_added() -> None:
    before = _by_key(_extract(WHATS_NEW))
    added = WHATS_NEW.replace(
        "| 08/09/2022 |", "| 08/09/2022 | Another change the same day | Tools |\n| 08/09/2022 |"
    )
    after = _by_key(_extract(added))
    assert set(after) - set(before) == {"2022-08-09-another-change-the-same-day"}
    assert all(after[key] == item for key, item in before.items())


def test_extract_docfx_day_first_dates_are_read_as_the_column_shows() -> None:
    text = (
        "# Log\n\n| Date | Change |\n|--|--|\n"
        "| 15/01/2025 | Added search |\n| 03/02/2025 | Fixed login |\n"
    )
    rows = _extract(text)
    assert [(i.key, i.published) for i in rows] == [
        ("2025-01-15-added-search", datetime(2025, 1, 15, tzinfo=UTC)),
        ("2025-02-03-fixed-login", datetime(2025, 2, 3, tzinfo=UTC)),
    ]


def test_extract_docfx_title_is_the_rows_sentence_not_a_tag_or_version() -> None:
    text = (
        "# Releases\n\n| Version | Platform | Released | Notes |\n|--|--|--|--|\n"
        "| 2.1.0 | iOS | 2025-03-04 | Rewrote the upload flow |\n"
        "| 2.0.9 | iOS | 2025-02-20 | Fixed a crash on launch |\n"
    )
    assert [i.title for i in _extract(text)] == [
        "Rewrote the upload flow",
        "Fixed a crash on launch",
    ]


def test_extract_docfx_undated_row_of_a_dated_table_is_an_undated_entry() -> None:
    text = (
        "# Log\n\n| Date | Change |\n|--|--|\n| Coming soon | Dark mode for the editor |\n"
        "| 2025-03-04 | Added search |\n| 2025-02-20 | Fixed login |\n"
    )
    items = _by_key(_extract(text))
    assert items["dark-mode-for-the-editor"].published is None
    assert items["2025-03-04-added-search"].published == datetime(2025, 3, 4, tzinfo=UTC)


def test_extract_docfx_table_without_a_date_column_is_read_as_before() -> None:
    # Half the rows or fewer dated: not a date column. The cells stay blocks, as they were.
    text = (
        "# Goals\n\n| Goal | Default |\n|--|--|\n| Event | None |\n| Duration | 2025-01-01 |\n"
        "| Store | Purchase |\n"
    )
    tables: list[DatedTable] = []
    blocks = markdown_blocks(text, tables=tables)
    assert tables == []
    assert blocks == markdown_blocks(text)
    assert Block("Event") in blocks and Block("2025-01-01") in blocks


def test_extract_docfx_table_under_a_dated_heading_stays_in_its_entry() -> None:
    # A schedule inside a release's notes: its dates are deadlines, the rows its details.
    text = (
        "# Changelog\n\n## 2025-05-01\n\nEndpoints are retired.\n\n### Schedule\n\n"
        "| Endpoint | Sunset |\n|--|--|\n| /v1/users | 2025-09-01 |\n| /v1/posts | 2025-10-01 |\n\n"
        "## 2025-04-01\n\nAdded search.\n"
    )
    tables: list[DatedTable] = []
    assert markdown_blocks(text, tables=tables) == markdown_blocks(text)
    assert tables == []
    items = _extract(text)
    assert [i.key for i in items] == ["2025-05-01", "2025-04-01"]
    assert "/v1/users\n2025-09-01" in items[0].text


def test_extract_docfx_table_in_a_list_is_read_as_before() -> None:
    text = (
        "# Log\n\n- Changes:\n\n  | Date | Change |\n  |--|--|\n"
        "  | 2025-03-04 | A |\n  | 2025-03-05 | B |\n"
    )
    tables: list[DatedTable] = []
    assert markdown_blocks(text, tables=tables) == markdown_blocks(text)
    assert tables == []


def test_extract_docfx_large_page_gives_the_same_tables_read_in_pieces() -> None:
    # A page past PRESPLIT_CHARS is read section by section: the dated heading that keeps a
    # table in its entry may sit in an earlier piece than the table.
    filler = "".join(f"## Note {n}\n\nPlain text about note {n}.\n\n" for n in range(300))
    text = (
        "# Page\n\n## 2025-05-01\n\nPlain text.\n\n### Schedule\n\n| A | When |\n|--|--|\n"
        "| x | 2025-09-01 |\n| y | 2025-10-01 |\n\n"
        + filler
        + "## Updates\n\n| When | What |\n|--|--|\n"
        + "| 2025-03-04 | Added a |\n| 2025-03-05 | Added b |\n"
    )
    assert len(text) > PRESPLIT_CHARS
    whole: list[DatedTable] = []
    pieces: list[DatedTable] = []
    assert markdown_blocks(text, presplit=True, tables=pieces) == markdown_blocks(
        text, presplit=False, tables=whole
    )
    assert pieces == whole
    assert [t.rows for t in whole] == [(("2025-03-04", "Added a"), ("2025-03-05", "Added b"))]
    assert whole[0].heading == Block("Updates", level=2)


def test_extract_docfx_directive_lines_are_dropped() -> None:
    items = _extract(WHATS_NEW)
    section = next(i for i in items if i.published is None)
    assert ":::" not in section.text and "zone" not in section.text
    assert "Features available to every developer." in section.text


def test_extract_docfx_directive_line_ends_a_paragraph() -> None:
    assert markdown_blocks("# T\n\nFirst.\n:::row:::\n**Bold**\n") == [
        Block("T", level=1),
        Block("First."),
        Block("Bold", bold=True),
    ]


def test_extract_docfx_docusaurus_admonition_is_left_as_it_was() -> None:
    # `:::note` opens an admonition (closed by a bare `:::`): not a DocFX directive line.
    blocks = markdown_blocks("# T\n\n:::note\nKeep this.\n:::\n")
    assert blocks == [Block("T", level=1), Block(":::note Keep this. :::")]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("[!INCLUDE[request-header](./includes/mfa-required.md)]", ""),
        ("[!include [title](../includes/x.md)]", ""),
        ("Use the [!INCLUDE[product](includes/p.md)] API.", "Use the API."),
        ('[!div class="nextstepaction"]', ""),
        ("[!code-csharp[Main](../samples/Program.cs?range=1-10)]", ""),
        ("[!VIDEO https://example.com/embed/1]", ""),
        ("[!NOTE] stays outside a quote", "[!NOTE] stays outside a quote"),
        ("`[!INCLUDE[x](y.md)]` is the syntax", "[!INCLUDE[x](y.md)] is the syntax"),
    ],
)
def test_extract_docfx_includes_and_layout_marks_are_dropped(raw: str, text: str) -> None:
    assert inline_text(raw) == text


def test_extract_docfx_include_line_and_alerts_leave_no_text() -> None:
    text = (
        "# Notes\n\n## Multi-factor authentication\n\n"
        "[!INCLUDE[request-header](./includes/mfa-required.md)]\n\n"
        "> [!IMPORTANT]\n> Sign in again.\n\n"
        '> [!div class="nextstepaction"]\n> [Next step](next.md)\n\n'
        "## Other\n\nText.\n"
    )
    items = _extract(text)
    assert items[0].text == "Sign in again.\nNext step"


@pytest.mark.parametrize(
    "line", ["[!include[" * 4_000, "[!include[a](" * 3_000, "[!div " * 5_000, "[!code-" * 5_000]
)
def test_extract_docfx_hostile_include_line_is_fast(line: str) -> None:
    start = time.perf_counter()
    inline_text(line)
    assert time.perf_counter() - start < 1.0  # milliseconds; generous for a busy machine
