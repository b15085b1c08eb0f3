"""Bytes -> items: one extractor per source kind, chosen through the `EXTRACTORS` registry.

Pure: no clock, no network, no environment. An empty body, a body that does not parse or a
parse that yields no entries raises `ExtractError`; an extractor never returns an empty list
(an empty parse must never read as "every entry was removed").
"""

from __future__ import annotations

from collections.abc import Callable

from radar.errors import ExtractError
from radar.extract.common import MAX_BODY_BYTES, check_body
from radar.extract.feeds import extract_feed, extract_json_feed
from radar.extract.htmlpage import extract_changelog_html
from radar.extract.jsondoc import extract_json
from radar.extract.markdown import extract_changelog_markdown
from radar.extract.table import extract_table
from radar.model import FetchResult, Item, Source, SourceKind

Extractor = Callable[[Source, FetchResult], list[Item]]

EXTRACTORS: dict[SourceKind, Extractor] = {
    SourceKind.RSS: extract_feed,
    SourceKind.ATOM: extract_feed,  # feedparser reads both dialects
    SourceKind.JSON_FEED: extract_json_feed,
    SourceKind.CHANGELOG_HTML: extract_changelog_html,
    SourceKind.CHANGELOG_MARKDOWN: extract_changelog_markdown,
    SourceKind.JSON: extract_json,
    SourceKind.CSV: extract_table,
}

__all__ = ["EXTRACTORS", "MAX_BODY_BYTES", "Extractor", "extract"]


def extract(source: Source, result: FetchResult) -> list[Item]:
    """The items of `result`'s body, read as `source.kind` says. Never an empty list."""
    extractor = EXTRACTORS.get(source.kind)
    if extractor is None:
        raise ExtractError(f"no extractor for sources of kind {source.kind!r}")
    check_body(result)
    items = extractor(source, result)
    if not items:  # every extractor already refuses this; kept as the last line of defence
        raise ExtractError("no entries found")
    return items
