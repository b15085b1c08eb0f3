"""CSV tables of trends (Twitter trends exports, app charts): one row -> one item.

Selector keys (all optional; values are column names):

- `title`: the trend's name. Default: the first of `name`, `title`, `term`, `query`, `keyword`.
- `group`: a column that splits one table into several lists (e.g. `location`); it becomes part
  of each item's key, so "Parler" trending in three places is three items.
- `key`: comma-separated columns that identify a row. Default: `group` (if any) and `title`.
- `url`: default `url`, `link`.
- `published`: default `published`, `date`, `as_of`.
- `weight`: a numeric column such as `tweet_volume`; items come out heaviest first, and
  `min_weight` (a number) drops lighter rows and rows without a weight.
- `delimiter`: one character; default `,`.

Pure: no clock, no network.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import datetime

from radar.errors import ExtractError
from radar.extract.common import decode_body, make_item, require_items, unique_keys
from radar.model import FetchResult, Item, Source

DEFAULTS: dict[str, tuple[str, ...]] = {
    "title": ("name", "title", "term", "query", "keyword"),
    "url": ("url", "link"),
    "published": ("published", "date", "as_of"),
}


def extract_table(source: Source, result: FetchResult) -> list[Item]:
    """Items of a CSV body, one per row with a title (see the module docstring)."""
    text = decode_body(result)
    selectors = dict(source.selectors)
    delimiter = selectors.get("delimiter", ",")
    if len(delimiter) != 1:
        raise ExtractError(f"the CSV delimiter must be one character, not {delimiter!r}")
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        columns = [c for c in reader.fieldnames or () if c]
        rows = list(reader)
    except csv.Error as exc:
        raise ExtractError(f"the body is not a readable CSV table: {exc}") from None
    title_col = _column(columns, selectors, "title")
    if title_col is None:
        raise ExtractError(
            f"the CSV table has no title column (columns: {', '.join(columns) or 'none'}); "
            "set the source's `title` selector"
        )
    url_col = _column(columns, selectors, "url")
    published_col = _column(columns, selectors, "published")
    group_col = selectors.get("group")
    key_cols = [c.strip() for c in selectors.get("key", "").split(",") if c.strip()]
    if not key_cols:
        key_cols = [c for c in (group_col, title_col) if c]
    weight_col = selectors.get("weight")
    min_weight = _number(selectors.get("min_weight"))
    for name in (*key_cols, *(c for c in (group_col, weight_col) if c)):
        if name not in columns:
            raise ExtractError(f"the CSV table has no column {name!r} (a selector names it)")

    weighted: list[tuple[float, int, Item]] = []
    for n, row in enumerate(rows):
        title = (row.get(title_col) or "").strip()
        if not title:
            continue
        weight = _number(row.get(weight_col)) if weight_col else None
        if min_weight is not None and (weight is None or weight < min_weight):
            continue
        key = "|".join((row.get(c) or "").strip() for c in key_cols)
        item = make_item(
            key,
            title,
            "",
            (row.get(url_col) or None) if url_col else None,
            _published(row, published_col),
            base=result.url or source.url,
        )
        weighted.append((-(weight or 0.0), n, item))
    weighted.sort(key=lambda t: (t[0], t[1]) if weight_col else (0.0, t[1]))
    return require_items(
        unique_keys(item for _, _, item in weighted),
        "no row of the CSV table has a title (check the source's `title` selector)",
    )


def _column(columns: list[str], selectors: Mapping[str, str], field: str) -> str | None:
    chosen = selectors.get(field)
    if chosen:
        if chosen not in columns:
            raise ExtractError(f"the CSV table has no column {chosen!r} (the `{field}` selector)")
        return chosen
    return next((c for c in DEFAULTS[field] if c in columns), None)


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _published(row: Mapping[str, str | None], column: str | None) -> datetime | None:
    raw = (row.get(column) or "").strip() if column else ""
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None  # an odd date is not a reason to drop the trend
