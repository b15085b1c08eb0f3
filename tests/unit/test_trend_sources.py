"""The built-in catalog's trend sources: each has a fixture in its real shape, extracts items
and yields the terms its fixture mentions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.catalog.loader import load_catalog
from radar.extract import extract
from radar.model import FetchResult, SourceRole
from radar.trends.usecases import term_counts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "trends"
NEW = Path("..") / "trend_sources"  # issue 12's sources (their own fixture folder)
SOURCES = [s for s in load_catalog() if s.role is SourceRole.TREND]
# Source id prefix -> fixture file, content type, and terms the fixture must yield.
FIXTURE_OF = {
    "trend-wikipedia-top": (
        str(NEW / "wikimedia-top-20210108.json"),
        "application/json",
        {"parler", "signal", "telegram"},
    ),
    "trend-appstore-": (
        str(NEW / "apple-top-free-us.json"),
        "application/json",
        {"noplace", "signal", "instagram"},
    ),
    "trend-wikipedia-pageviews-": (
        str(NEW / "wikimedia-per-article-signal.json"),
        "application/json",
        {"signal"},
    ),
    "trend-reddit-all": (
        str(NEW / "reddit-all.json"),
        "application/json",
        {"signal", "noplace", "whatsapp", "telegram"},
    ),
    "trend-hn-": ("hn-algolia.json", "application/json", {"noplace", "bluesky", "mastodon"}),
    "trend-reddit-": ("reddit.atom", "application/atom+xml", {"noplace", "threads"}),
    "trend-google-trends-": ("google-trends.rss", "application/rss+xml", {"noplace", "parler"}),
    "trend-product-hunt": ("producthunt.atom", "application/atom+xml", {"noplace", "sheetbot"}),
    "trend-the-verge": ("reddit.atom", "application/atom+xml", {"noplace", "threads"}),
    # "the Myspace-style app" is a likeness, not a mention of Myspace (issue 12).
    "trend-": ("news.rss", "application/rss+xml", {"twitter", "noplace"}),
}


def fixture_for(source_id: str) -> tuple[str, str, set[str]]:
    return next(v for prefix, v in FIXTURE_OF.items() if source_id.startswith(prefix))


def test_trend_sources_cover_the_issue_minimum() -> None:
    ids = " ".join(s.id for s in SOURCES)
    for needed in ("hn", "reddit", "google-trends", "product-hunt", "social-media-today",
                   "techcrunch", "verge", "techmeme", "appstore", "wikipedia-pageviews",
                   "reddit-all"):  # fmt: skip
        assert needed in ids
    assert all(s.role is SourceRole.TREND for s in SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_trend_sources_fixture_extracts_and_counts(source) -> None:  # type: ignore[no-untyped-def]
    name, content_type, expected = fixture_for(source.id)
    result = FetchResult(source.url, 200, (FIXTURES / name).read_bytes(), content_type)
    items = extract(source, result)
    assert items
    terms = {c.term for c in term_counts(source, items, date(2026, 3, 10))}
    assert expected <= terms, terms
