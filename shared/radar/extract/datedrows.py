"""Markdown tables whose rows each carry a date -> one entry per row.

A docs site's "What's new" page (Microsoft Teams: `| Date | Update | Find here |`, one row per
update) is a changelog written as a table: a reader counts a dated entry per row, where the
heading splitter would see one section holding the whole table. Such a table is told by its
structure, not its words:

- a date column: the first column where more than half the rows, and at least two, hold only
  a date ("08/09/2022", "2024-05-01", "March 2025"; numeric day/month order as the column
  shows it, `numeric_dates`);
- each row is an entry dated by that cell (a row without one is an undated entry), titled by
  its main text cell (the first other column of distinct, sentence-length cells, else the
  longest one), keyed by date + title slug, so a row added with the same date leaves the
  others' keys alone; its text is the row's cells, a line each, labelled by their headers.

A table under a heading that has a date of its own (a schedule of sunset dates inside a
release's notes) stays part of that entry: its rows are the entry's details, not entries.
Tables without a date column are read as before (`markdown` keeps their cells as blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from radar.dates import date_key, numeric_dates
from radar.extract.blocks import Block
from radar.extract.common import make_item, words_slug
from radar.extract.headtitles import shorten
from radar.extract.pagetexts import PageTexts
from radar.model import Item

MIN_DATED_ROWS = 2
# A title cell reads as a sentence ("Introduced app manifest v1.14"), not a tag ("iOS") or a
# version ("1.2.3") standing beside it.
MIN_TITLE_CHARS = 12


class DatedTable(NamedTuple):
    """A table read as dated rows: its cells' text (header row apart), the date column, each
    row's date, and the nearest heading above it (the entries link to it)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    column: int
    dates: tuple[date | datetime | None, ...]
    heading: Block | None


def dated_table(
    rows: Sequence[Sequence[str]], before: Sequence[Sequence[Block]]
) -> DatedTable | None:
    """`rows` (the header row first, each a list of cell texts) as a dated table, or None when
    it has no date column or sits under a dated heading. `before`: the page's blocks above
    the table, in runs (the earlier run first)."""
    if len(rows) < 1 + MIN_DATED_ROWS:
        return None
    header, body = tuple(rows[0]), tuple(tuple(row) for row in rows[1:])
    page = PageTexts(None)  # its date reading tells most cells from their digits, in C
    found = _date_column(body, page)
    if found is None:
        return None
    headings = _enclosing_headings(before)
    if any(page.find_date(h.text) is not None for h in headings):
        return None
    column, dates = found
    return DatedTable(header, body, column, dates, headings[0] if headings else None)


def table_entries(tables: Sequence[DatedTable], page_url: str | None) -> list[Item]:
    """An entry per row of each table (see the module docstring); keys may repeat across
    tables and sections: the caller makes them unique."""
    page = PageTexts(page_url)
    items: list[Item] = []
    for table in tables:
        url = page.heading_url(table.heading) if table.heading else None
        title_column = _title_column(table)
        for row, published in zip(table.rows, table.dates, strict=True):
            title = row[title_column] or next(
                (cell for i, cell in enumerate(row) if cell and i != table.column), ""
            )
            if not title:
                continue  # a date alone says nothing
            slug = words_slug(title)
            key = f"{date_key(published)}-{slug}" if published is not None else slug
            lines = [
                f"{label}: {cell}" if label else cell
                for label, cell in zip(table.header, row, strict=True)
                if cell
            ]
            text = "\n".join(lines)
            items.append(
                make_item(key or "entry", shorten(title), text, url, published, url_is_clean=True)
            )
    return items


def _date_column(
    rows: tuple[tuple[str, ...], ...], page: PageTexts
) -> tuple[int, tuple[date | datetime | None, ...]] | None:
    for column in range(len(rows[0])):
        cells = [row[column] for row in rows]
        dates = [page.parse_date(cell) if cell else None for cell in cells]
        unread = {cell for cell, value in zip(cells, dates, strict=True) if cell and not value}
        if unread:
            # "08/09/2022": which number is the day, the column's other dates tell.
            numeric = numeric_dates(unread)
            dates = [value or numeric.get(cell) for cell, value in zip(cells, dates, strict=True)]
        dated = sum(value is not None for value in dates)
        if dated >= MIN_DATED_ROWS and 2 * dated > len(rows):
            return column, tuple(dates)
    return None


def _title_column(table: DatedTable) -> int:
    """The first column besides the date's whose cells are distinct sentences, else the one
    with the most text."""
    others = [c for c in range(len(table.header)) if c != table.column]
    if not others:
        return table.column
    for column in others:
        cells = [row[column] for row in table.rows]
        chars = sum(len(cell) for cell in cells)
        if chars >= MIN_TITLE_CHARS * len(cells) and 2 * len(set(cells)) > len(cells):
            return column
    return max(others, key=lambda c: sum(len(row[c]) for row in table.rows))


def _enclosing_headings(before: Sequence[Sequence[Block]]) -> list[Block]:
    """The headings the table sits under, nearest first: the last heading above it, the last
    one above that of a higher level, and so on up to the page's top level."""
    out: list[Block] = []
    level = 7
    for run in reversed(before):
        for block in reversed(run):
            if 0 < block.level < level:
                out.append(block)
                level = block.level
                if level == 1:
                    return out
    return out
