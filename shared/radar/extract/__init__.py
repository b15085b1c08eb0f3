"""Bytes -> items: one extractor per source kind, chosen through the `EXTRACTORS` registry.

Pure: no clock, no network, no environment. An empty body, a body that does not parse or a
parse that yields no entries raises `ExtractError`; an extractor never returns an empty list
(an empty parse must never read as "every entry was removed").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from radar.errors import ExtractError
from radar.extract.apispec import extract_json_spec, extract_openapi
from radar.extract.common import FUTURE_SLACK, MAX_BODY_BYTES, check_body
from radar.extract.feeds import extract_feed, extract_json_feed
from radar.extract.htmlpage import extract_changelog_html
from radar.extract.jsondoc import extract_json
from radar.extract.markdown import extract_changelog_markdown
from radar.extract.mdx import extract_changelog_mdx
from radar.extract.rst import extract_changelog_rst
from radar.extract.sniff import sniff_kind
from radar.extract.table import extract_table
from radar.model import FetchResult, Item, Source, SourceKind
from radar.trends.sources.appstore import extract_app_chart
from radar.trends.sources.reddit import extract_listing
from radar.trends.sources.wikimedia import extract_pageviews, extract_top_articles

Extractor = Callable[[Source, FetchResult], list[Item]]


def extract_auto(source: Source, result: FetchResult) -> list[Item]:
    """Entries of whatever kind of document the body turns out to be (see `sniff`)."""
    return EXTRACTORS[sniff_kind(result)](source, result)


EXTRACTORS: dict[SourceKind, Extractor] = {
    SourceKind.AUTO: extract_auto,
    SourceKind.RSS: extract_feed,
    SourceKind.ATOM: extract_feed,  # feedparser reads both dialects
    SourceKind.JSON_FEED: extract_json_feed,
    SourceKind.CHANGELOG_HTML: extract_changelog_html,
    SourceKind.CHANGELOG_MARKDOWN: extract_changelog_markdown,
    SourceKind.JSON: extract_json,
    SourceKind.CSV: extract_table,
    SourceKind.CHANGELOG_MDX: extract_changelog_mdx,
    SourceKind.CHANGELOG_RST: extract_changelog_rst,
    SourceKind.OPENAPI: extract_openapi,
    SourceKind.JSON_SPEC: extract_json_spec,
    SourceKind.APP_CHART: extract_app_chart,
    SourceKind.PAGEVIEWS: extract_pageviews,
    SourceKind.TOP_ARTICLES: extract_top_articles,
    SourceKind.REDDIT_LISTING: extract_listing,
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
