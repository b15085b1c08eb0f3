"""radar.trends.usecases: counting trend items and detecting rises, on the SQLite trend store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from radar.model import Item, Source, SourceKind, SourceRole
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.score import TrendConfig
from radar.trends.usecases import (
    alert_for,
    count_trend_items,
    detect_trends,
    evaluate_terms,
    term_counts,
)

D0 = date(2026, 3, 1)
HN = Source("hn", "trends", SourceKind.JSON, "https://hn.example/", role=SourceRole.TREND)
REDDIT = Source("reddit", "trends", SourceKind.RSS, "https://r.example/", role=SourceRole.TREND)
TOPICS = Source(
    "tw", "trends", SourceKind.JSON, "https://t.example/", role=SourceRole.TREND,
    selectors={"terms": "topic"},
)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteTrendStore]:
    with SqliteTrendStore(tmp_path / "radar.sqlite3") as s:
        yield s


def item(key: str, title: str, url: str | None = None) -> Item:
    return Item(key=key, title=title, text="", url=url or f"https://example.com/{key}")


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_term_counts_one_mention_per_item_and_term() -> None:
    counts = term_counts(HN, [item("1", "Bluesky, Bluesky, #bluesky!")], D0)
    assert [(c.term, len(c.mentions)) for c in counts] == [("bluesky", 1)]


def test_term_counts_topic_mode_takes_the_title_as_topic() -> None:
    counts = term_counts(TOPICS, [item("in|lemon9", "Lemon9")], D0)
    assert [c.term for c in counts] == ["lemon9"]
    assert term_counts(HN, [item("1", "Lemon9")], D0) == []


def test_term_counts_keep_only_http_links() -> None:
    (count,) = term_counts(HN, [item("1", "Bluesky opens up", url="javascript:alert(1)")], D0)
    assert count.mentions[0].link is None


def test_count_trend_items_recount_and_churn_do_not_double(store: SqliteTrendStore) -> None:
    items = [item("a", "Bluesky waitlist gone"), item("b", "Spill app opens its waitlist")]
    count_trend_items(HN, items, D0, store)
    count_trend_items(HN, list(reversed(items)), D0, store)  # rank churn, same stories
    assert [c.count for c in store.term_counts("bluesky", D0, D0)] == [1]
    assert [c.count for c in store.term_counts("spill", D0, D0)] == [1]


def _history(store: SqliteTrendStore, days: int) -> None:
    """`days` quiet days of both sources (they mention only a familiar name)."""
    for i in range(days):
        d = D0 + timedelta(days=i)
        for src in (HN, REDDIT):
            count_trend_items(src, [item(f"{src.id}{i}", "Twitter is busy")], d, store)


def test_detect_trends_fires_once_per_rise(store: SqliteTrendStore) -> None:
    _history(store, 10)
    rise = D0 + timedelta(days=10)
    count_trend_items(
        HN, [item("h1", "Spill app waitlist"), item("h2", "Spill app beta")], rise, store
    )
    count_trend_items(
        REDDIT, [item("r1", "the Spill app"), item("r2", "Spill app invite")], rise, store
    )
    fired = detect_trends(store, at(rise))
    assert [(s.term, s.rise, s.count) for s in fired] == [("spill", 1, 4)]
    assert detect_trends(store, at(rise, 13)) == []  # the next hourly run: nothing new
    assert store.get_signal("spill") is not None


def test_detect_trends_names_known_platforms(store: SqliteTrendStore) -> None:
    _history(store, 10)
    rise = D0 + timedelta(days=10)
    for src in (HN, REDDIT):
        count_trend_items(
            src, [item(f"{src.id}{k}", f"Lemon8 story {k}") for k in range(3)], rise, store
        )
    (signal,) = detect_trends(store, at(rise))
    assert (signal.term, signal.display) == ("lemon8", "Lemon8")


def test_detect_trends_nothing_while_sources_warm_up(store: SqliteTrendStore) -> None:
    for src in (HN, REDDIT):
        count_trend_items(src, [item(f"{src.id}{k}", f"Twitter {k}") for k in range(9)], D0, store)
    assert detect_trends(store, at(D0)) == []


def test_evaluate_terms_reports_daily_totals(store: SqliteTrendStore) -> None:
    _history(store, 5)
    (report,) = evaluate_terms(store, D0 + timedelta(days=4), TrendConfig(), days=3)
    assert report.term == "twitter"
    assert [n for _, n in report.daily] == [2, 2, 2]


def test_alert_for_a_fired_signal_has_chart_and_links(store: SqliteTrendStore) -> None:
    _history(store, 10)
    rise = D0 + timedelta(days=10)
    for src in (HN, REDDIT):
        count_trend_items(
            src, [item(f"{src.id}{k}", f"Lemon8 story {k}") for k in range(3)], rise, store
        )
    (signal,) = detect_trends(store, at(rise))
    content = alert_for(signal, store)
    assert content.chart[-1].count == 6
    assert len(content.links) == 5
    assert "ByteDance" in content.what
