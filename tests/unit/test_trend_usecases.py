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
    _history(store, 25)
    rise = D0 + timedelta(days=25)
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
    _history(store, 25)
    rise = D0 + timedelta(days=25)
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
    _history(store, 25)
    rise = D0 + timedelta(days=25)
    for src in (HN, REDDIT):
        count_trend_items(
            src, [item(f"{src.id}{k}", f"Lemon8 story {k}") for k in range(3)], rise, store
        )
    (signal,) = detect_trends(store, at(rise))
    content = alert_for(signal, store)
    assert content.chart[-1].count == 6
    assert len(content.links) == 5
    assert "ByteDance" in content.what


# --- issue 12 -------------------------------------------------------------------------------


def test_term_counts_edited_item_counts_only_the_terms_it_added() -> None:
    old = item("e1", "WhatsApp's new terms drive an exodus")
    new = item("e1", "WhatsApp's new terms drive an exodus to Telegram")
    counts = term_counts(HN, [new], D0, before={"e1": old})
    assert [c.term for c in counts] == ["telegram"]


def test_term_counts_record_the_hour_and_the_evidence() -> None:
    items = [item("1", "GitHub Copilot is out"), item("2", "Spillz app opens up")]
    counts = {c.term: c for c in term_counts(HN, items, D0, hour=7)}
    assert counts["github"].hour == 7
    assert [m.evidence for m in counts["github"].mentions] == [False]
    assert [m.evidence for m in counts["spillz"].mentions] == [True]


def test_term_counts_refuse_a_bad_hour() -> None:
    with pytest.raises(ValueError, match="hour"):
        term_counts(HN, [item("1", "x")], D0, hour=24)


def test_count_trend_items_bare_mentions_of_a_candidate_count(store: SqliteTrendStore) -> None:
    count_trend_items(HN, [item("1", "Teens flock to Noplace")], D0, store, hour=8)
    count_trend_items(HN, [item("2", "What is Noplace?")], D0, store, hour=9)
    (c,) = store.term_counts("noplace", D0, D0)
    assert (c.count, c.evidenced, c.hours) == (2, 1, (8, 9))


def _quiet_months(store: SqliteTrendStore, days: int = 40) -> date:
    for i in range(days):
        count_trend_items(HN, [item(f"q{i}", "Twitter is busy")], D0 + timedelta(days=i), store)
    return D0 + timedelta(days=days)


def test_detect_trends_new_name_fires_emerging_within_the_day(store: SqliteTrendStore) -> None:
    day = _quiet_months(store)
    stories = [(8, "Noplace, a new social app, tops the charts"), (12, "Teens flock to Noplace"),
               (19, "What is Noplace?")]  # fmt: skip
    fired = []
    for hour, title in stories:
        count_trend_items(HN, [item(f"n{hour}", title)], day, store, hour=hour)
        fired += detect_trends(store, at(day, hour))
    assert [(s.term, s.kind, s.display, s.fired_at.hour) for s in fired] == [
        ("noplace", "emerging", "Noplace", 19)
    ]


def test_detect_trends_logs_dropped_rises_with_reason(
    store: SqliteTrendStore, caplog: pytest.LogCaptureFixture
) -> None:
    day = _quiet_months(store)
    titles = [f"NeuralHash collision found, round {k}" for k in range(4)]
    count_trend_items(HN, [item(f"h{k}", t) for k, t in enumerate(titles)], day, store, hour=5)
    with caplog.at_level("INFO", logger="radar.trends.usecases"):
        assert detect_trends(store, at(day, 6)) == []
    (record,) = [r for r in caplog.records if r.getMessage() == "trend rise dropped"]
    assert record.term == "neuralhash"  # type: ignore[attr-defined]
    assert "no platform evidence" in record.reason  # type: ignore[attr-defined]


def test_detect_trends_familiar_platform_is_a_surge_not_a_new_name(
    store: SqliteTrendStore,
) -> None:
    day = _quiet_months(store)
    for d in (day - timedelta(days=1), day):
        busy = [item(f"{d}{k}", f"Twitter outage, part {k}") for k in range(12)]
        count_trend_items(HN, busy, d, store, hour=10)
    (signal,) = detect_trends(store, at(day))
    assert (signal.term, signal.kind) == ("twitter", "surge")
    assert alert_for(signal, store).subject.startswith("Surge: X (Twitter)")
