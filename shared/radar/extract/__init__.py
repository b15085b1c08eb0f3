"""Bytes -> items: one extractor per source kind, chosen through the `EXTRACTORS` registry.

Pure: no clock, no network, no environment. An empty body, a body that does not parse or a
parse that yields no entries raises `ExtractError`; an extractor never returns an empty list
(an empty parse must never read as "every entry was removed").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime

from radar.errors import ExtractError
from radar.extract.common import FUTURE_SLACK, MAX_BODY_BYTES, check_body
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, Item, Source, SourceKind

Extractor = Callable[[Source, FetchResult], list[Item]]


def extract_auto(source: Source, result: FetchResult) -> list[Item]:
    """Entries of whatever kind of document the body turns out to be (see `sniff`)."""
    return EXTRACTORS[sniff_kind(result)](source, result)


class _Registry(Mapping[SourceKind, Extractor]):
    """Source kind -> extractor, each imported on its first lookup.

    A cycle where five pages changed reads two or three kinds; importing all sixteen parsers
    up front (feeds, API specs, MDX, RST, trend sources) cost ~25 ms of CPU per run (issue 15).
    """

    def __init__(self, paths: Mapping[SourceKind, str]) -> None:
        self._paths = dict(paths)
        self._loaded: dict[SourceKind, Extractor] = {}

    def __getitem__(self, kind: SourceKind) -> Extractor:
        extractor = self._loaded.get(kind)
        if extractor is None:
            module, _, name = self._paths[kind].partition(":")  # KeyError, as a dict's
            extractor = getattr(importlib.import_module(module), name)
            self._loaded[kind] = extractor  # threads racing here store the same function
        return extractor

    def __contains__(self, kind: object) -> bool:
        return kind in self._paths  # without importing the extractor

    def __iter__(self) -> Iterator[SourceKind]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


EXTRACTORS: Mapping[SourceKind, Extractor] = _Registry(
    {
        SourceKind.AUTO: "radar.extract:extract_auto",
        SourceKind.RSS: "radar.extract.feeds:extract_feed",
        SourceKind.ATOM: "radar.extract.feeds:extract_feed",  # feedparser reads both dialects
        SourceKind.JSON_FEED: "radar.extract.feeds:extract_json_feed",
        SourceKind.CHANGELOG_HTML: "radar.extract.htmlpage:extract_changelog_html",
        SourceKind.CHANGELOG_MARKDOWN: "radar.extract.markdown:extract_changelog_markdown",
        SourceKind.JSON: "radar.extract.jsondoc:extract_json",
        SourceKind.CSV: "radar.extract.table:extract_table",
        SourceKind.CHANGELOG_MDX: "radar.extract.mdx:extract_changelog_mdx",
        SourceKind.CHANGELOG_RST: "radar.extract.rst:extract_changelog_rst",
        SourceKind.OPENAPI: "radar.extract.apispec:extract_openapi",
        SourceKind.JSON_SPEC: "radar.extract.apispec:extract_json_spec",
        SourceKind.APP_CHART: "radar.trends.sources.appstore:extract_app_chart",
        SourceKind.PAGEVIEWS: "radar.trends.sources.wikimedia:extract_pageviews",
        SourceKind.TOP_ARTICLES: "radar.trends.sources.wikimedia:extract_top_articles",
        SourceKind.REDDIT_LISTING: "radar.trends.sources.reddit:extract_listing",
    }
)

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
    return _no_future_dates(items, result.fetched_at)


def _no_future_dates(items: list[Item], fetched_at: datetime | None) -> list[Item]:
    if fetched_at is None:
        return items
    latest = fetched_at + FUTURE_SLACK
    return [
        replace(i, published=None, month_only=False)
        if i.published is not None and i.published > latest
        else i
        for i in items
    ]
