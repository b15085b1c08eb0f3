"""Issue 12's trend sources: fetched through an injected transport, extracted from fixtures in
their documented formats (tests/fixtures/trend_sources/README.md), and bad input refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from radar.catalog.loader import load_catalog
from radar.errors import ExtractError
from radar.extract import extract
from radar.fetch.fetcher import Fetcher
from radar.fetch.policy import FetchPolicy
from radar.model import FetchResult, Source, SourceKind, SourceRole
from radar.trends.usecases import source_kind, term_counts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "trend_sources"
CATALOG = {s.id: s for s in load_catalog()}
D0 = date(2021, 1, 8)


def fetch(source: Source, fixture: str) -> FetchResult:
    """Fetch `source.url` through the real fetcher, served from the fixture (no network)."""
    body = (FIXTURES / fixture).read_bytes()

    def handle(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == source.url
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    policy = FetchPolicy(per_host_delay=0, respect_robots=False)
    with Fetcher(
        policy,
        transport=httpx.MockTransport(handle),
        resolve=lambda host, port: ["93.184.216.34"],
        clock=lambda: datetime(2021, 1, 8, 12, tzinfo=UTC),
    ) as fetcher:
        return fetcher.fetch(source.url)


def source(kind: SourceKind, **selectors: str) -> Source:
    return Source("s", "trends", kind, "https://example.com/x", role=SourceRole.TREND,
                  selectors=selectors)  # fmt: skip


def test_trend_source_app_chart_items_are_apps_keyed_by_id() -> None:
    chart = CATALOG["trend-appstore-top-free-us"]
    items = extract(chart, fetch(chart, "apple-top-free-us.json"))
    assert [i.key for i in items][:2] == ["app:6474120001", "app:874139669"]
    assert items[1].title == "Signal - Private Messenger"
    assert items[1].url and items[1].url.startswith("https://apps.apple.com/")
    assert source_kind(chart) == "chart"


def test_trend_source_app_chart_names_are_platform_candidates() -> None:
    chart = CATALOG["trend-appstore-top-free-us"]
    items = extract(chart, fetch(chart, "apple-top-free-us.json"))
    counts = {c.term: c for c in term_counts(chart, items, D0)}
    assert counts["signal"].mentions[0].evidence  # an ambiguous name, but a list of apps
    assert counts["noplace"].mentions[0].evidence


def test_trend_source_pageviews_spike_days_are_items() -> None:
    watch = CATALOG["trend-wikipedia-pageviews-signal"]
    items = extract(watch, fetch(watch, "wikimedia-per-article-signal.json"))
    assert [i.key.rsplit(":", 1)[1] for i in items] == [
        "2021-01-07", "2021-01-08", "2021-01-09", "2021-01-10"
    ]  # fmt: skip
    assert {i.title for i in items} == {"Signal"}
    assert "x the median" in items[0].text


def test_trend_source_pageviews_calm_article_counts_nothing() -> None:
    calm = {"items": [{"article": "Signal_(software)", "timestamp": f"202101{d:02d}00",
                       "views": 1000} for d in range(1, 20)]}  # fmt: skip
    src = source(SourceKind.PAGEVIEWS, terms="name")
    items = extract(src, FetchResult(src.url, 200, json.dumps(calm).encode()))
    assert len(items) == 1
    assert term_counts(src, items, D0) == []


def test_trend_source_top_articles_skip_special_pages() -> None:
    src = source(SourceKind.TOP_ARTICLES, terms="topic", limit="4")
    body = (FIXTURES / "wikimedia-top-20210108.json").read_bytes()
    items = extract(src, FetchResult(src.url, 200, body))
    assert [i.title for i in items] == [
        "2021 storming of the United States Capitol", "Parler", "Signal app", "Ashli Babbitt"
    ]  # fmt: skip
    assert items[0].key.startswith("top:2021-01-08:")
    assert "parler" in {c.term for c in term_counts(src, items, D0)}


def test_trend_source_reddit_listing_posts_link_where_they_link() -> None:
    reddit = CATALOG["trend-reddit-all"]
    items = extract(reddit, fetch(reddit, "reddit-all.json"))
    assert "t3_k0abc" not in {i.key for i in items}  # the stickied announcement
    by_key = {i.key: i for i in items}
    assert by_key["t3_k1abc"].url == "https://signal.org/blog/signal-is-back/"
    assert by_key["t3_k4abc"].url == "https://www.reddit.com/r/privacy/comments/k4abc/slug_4/"
    counts = {c.term: c for c in term_counts(reddit, items, D0)}
    assert counts["signal"].mentions  # "Signal is back", linked to signal.org


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        (SourceKind.APP_CHART, b"<html>not json</html>", "not a App Store top chart JSON"),
        (SourceKind.APP_CHART, b'{"feed": {"title": "x"}}', "missing 'feed.results'"),
        (SourceKind.APP_CHART, b'{"feed": {"results": []}}', "no entries found"),
        (SourceKind.PAGEVIEWS, b'{"detail": "not found"}', "missing 'items'"),
        (SourceKind.TOP_ARTICLES, b'{"items": [{"articles": []}]}', "day"),
        (SourceKind.REDDIT_LISTING, b'{"kind": "Listing"}', "missing 'data.children'"),
        (SourceKind.REDDIT_LISTING, b'{"data": {"children": []}}', "no entries found"),
    ],
)
def test_trend_source_bad_input_is_a_clear_error(
    kind: SourceKind, body: bytes, message: str
) -> None:
    src = source(kind)
    with pytest.raises(ExtractError, match=message):
        extract(src, FetchResult(src.url, 200, body))


def test_trend_source_bad_selector_is_a_clear_error() -> None:
    src = source(SourceKind.PAGEVIEWS, spike="lots")
    body = (FIXTURES / "wikimedia-per-article-signal.json").read_bytes()
    with pytest.raises(ExtractError, match="selector 'spike' must be a number"):
        extract(src, FetchResult(src.url, 200, body))


def test_trend_source_top_articles_catalog_url_names_yesterday() -> None:
    from radar.trends.sources import source_url

    top = CATALOG["trend-wikipedia-top"]
    url = source_url(top, datetime(2021, 1, 9, 3, tzinfo=UTC))
    assert url.endswith("/top/en.wikipedia/all-access/2021/01/08")
    assert source_url(CATALOG["trend-reddit-all"], datetime(2021, 1, 9, tzinfo=UTC)).endswith(
        "/r/all/.json?limit=100"
    )  # no date in it: unchanged


def test_trend_source_dated_url_bad_lag_is_a_config_error() -> None:
    from radar.errors import ConfigError
    from radar.trends.sources import source_url

    src = Source("s", "trends", SourceKind.TOP_ARTICLES, "https://x.example/{date:%Y/%m/%d}",
                 selectors={"date_lag": "soon"})  # fmt: skip
    with pytest.raises(ConfigError, match="date_lag"):
        source_url(src, datetime(2021, 1, 9, tzinfo=UTC))


def test_trend_source_top_articles_app_disambiguation_reads_as_platform() -> None:
    top = CATALOG["trend-wikipedia-top"]
    body = json.dumps({"items": [{"year": "2024", "month": "06", "day": "04", "articles": [
        {"article": "Noplace_(app)", "views": 90000, "rank": 1},
        {"article": "Threads_(social_network)", "views": 80000, "rank": 2},
        {"article": "Mercury_(planet)", "views": 70000, "rank": 3},
    ]}]}).encode()  # fmt: skip
    items = extract(top, FetchResult(top.url, 200, body))
    assert [i.title for i in items] == ["Noplace app", "Threads app", "Mercury"]
    counts = {c.term: c for c in term_counts(top, items, D0)}
    assert counts["noplace"].mentions[0].evidence
    assert "threads" in counts and "mercury" not in counts
