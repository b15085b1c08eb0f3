"""Generic JSON documents (APIs such as Hacker News / Algolia), read through `source.selectors`.

Selector keys (all optional; values are dotted paths, list indices allowed: `data.children`,
`0.title`; an empty path means the document itself):

- `items`: the list of items. Default: the document if it is a list, else the first list among
  `items`, `hits`, `data`, `entries`, `results`, `stories`, `posts`.
- `key`: identity of an item. Default: `id`, `objectID`, `guid`, `uuid`, `link`, `url`.
- `title`: default `title`, `name`, `headline`.
- `url`: default `url`, `link`, `permalink`, `external_url`.
- `text` (HTML is made plain): default `text`, `story_text`, `content`, `summary`,
  `description`, `body`.
- `published` (ISO-like text, or epoch seconds/milliseconds): default `created_at`, `published`,
  `date_published`, `date`, `pubDate`, `time`.

For each field the default is the first of those paths present in the item.

Fields not named here (scores, ranks, comment counts) are ignored on purpose: they churn on every
fetch and are not news. Example for the Algolia HN API: `{"items": "hits", "key": "objectID"}`.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from radar.dates import as_datetime, find_date
from radar.errors import ExtractError
from radar.extract.common import check_body, hash_key, make_item, require_items, unique_keys
from radar.htmltext import html_to_text
from radar.model import FetchResult, Item, Source
from radar.text import normalize_text

DEFAULTS: dict[str, tuple[str, ...]] = {
    "items": ("items", "hits", "data", "entries", "results", "stories", "posts"),
    "key": ("id", "objectID", "guid", "uuid", "link", "url"),
    "title": ("title", "name", "headline"),
    "url": ("url", "link", "permalink", "external_url"),
    "text": ("text", "story_text", "content", "summary", "description", "body"),
    "published": ("created_at", "published", "date_published", "date", "pubDate", "time"),
}
_MISSING = object()


def extract_json(source: Source, result: FetchResult) -> list[Item]:
    """Items of a JSON document, located by `source.selectors` (see the module docstring)."""
    body = check_body(result)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ExtractError(f"the body is not valid JSON: {exc}") from None
    selectors = dict(source.selectors)
    rows = _items(data, selectors.get("items"))
    base = result.url or source.url
    items = [_item(row, selectors, base) for row in rows if isinstance(row, dict)]
    return require_items(
        unique_keys(i for i in items if i is not None),
        "no item of the JSON list has a key or a title (check the source's selectors)",
    )


def _items(data: Any, path: str | None) -> list[Any]:
    if path is not None:
        found = lookup(data, path)
        if not isinstance(found, list):
            raise ExtractError(f"the JSON has no list at {path!r} (selector 'items')")
        return found
    if isinstance(data, list):
        return data
    for candidate in DEFAULTS["items"]:
        found = lookup(data, candidate)
        if isinstance(found, list):
            return found
    raise ExtractError(
        "the JSON is not a list and has none of the usual item lists "
        f"({', '.join(DEFAULTS['items'])}); set the source's 'items' selector"
    )


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted path (`a.b.0.c`), or a sentinel when any step is missing."""
    value = data
    for step in path.split(".") if path else ():
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif (
            isinstance(value, list)
            and step.lstrip("-").isdigit()
            and -len(value) <= int(step) < len(value)
        ):
            value = value[int(step)]
        else:
            return _MISSING
    return value


def _field(row: dict[str, Any], selectors: dict[str, str], name: str) -> Any:
    paths = (selectors[name],) if name in selectors else DEFAULTS[name]
    for path in paths:
        value = lookup(row, path)
        if value is not _MISSING and value is not None and value != "":
            return value
    return None


def _item(row: dict[str, Any], selectors: dict[str, str], base: str) -> Item | None:
    title = _plain(_field(row, selectors, "title"))
    text = _plain(_field(row, selectors, "text"))
    url = _field(row, selectors, "url")
    published = _date(_field(row, selectors, "published"))
    raw_key = _field(row, selectors, "key")
    key = normalize_text(str(raw_key)) if isinstance(raw_key, (str, int, float)) else ""
    if not key:
        if not title:
            return None
        key = hash_key(title, str(as_datetime(published) or ""))
    return make_item(
        key, title or key, text, url if isinstance(url, str) else None, published, base=base
    )


def _plain(value: Any) -> str:
    if not isinstance(value, (str, int, float)):
        return ""
    text = str(value)
    return html_to_text(text) if "<" in text else normalize_text(text)


def _date(value: Any) -> date | datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds from JavaScript APIs
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        found = find_date(value)
        if found is not None:
            return found[0]  # make_item makes it aware (and a `Month` month-only)
    return None
