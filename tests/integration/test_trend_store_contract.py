"""The trend storage contract (radar.store.trend_ports.TrendStore) on SQLite and DynamoDB.

`test_trend_store_*` tests run on both adapters; `test_trend_dynamodb_*` check what only the
DynamoDB adapter promises (no Scan, TTL attribute, keys from docs/trends.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from radar.store.sqlite import SqliteStore
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.store.trend_ports import TrendStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import Link, Mention, TermCount, TrendSignal

D0 = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def sqlite_trend_store(tmp_path: Path) -> Iterator[SqliteTrendStore]:
    with SqliteTrendStore(tmp_path / "data" / "radar.sqlite3") as store:
        yield store


@pytest.fixture
def dynamodb_trend_store(dynamodb_client: Any, table_name: str) -> DynamoDbTrendStore:
    return DynamoDbTrendStore(table_name, client=dynamodb_client)


@pytest.fixture(params=["sqlite", "dynamodb"])
def trends(request: pytest.FixtureRequest) -> TrendStore:
    found: TrendStore = request.getfixturevalue(f"{request.param}_trend_store")
    return found


def count(term: str, keys: list[str], day: date = D0, source: str = "hn") -> TermCount:
    return TermCount(
        term,
        day,
        source,
        tuple(Mention(k, Link(f"https://example.com/{k}", f"Story {k}")) for k in keys),
    )


def signal(term: str = "spill", rise: int = 1, at: datetime = T0) -> TrendSignal:
    return TrendSignal(term, term.title(), rise, at.date(), at, 5.0, 8, 0.5, ("hn", "r"), 2)


def totals(store: TrendStore, term: str, start: date = D0, end: date = D0) -> dict[Any, int]:
    return {(c.day, c.source): c.count for c in store.term_counts(term, start, end)}


def test_trend_store_counts_distinct_items(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [count("spill", ["a", "b"]), count("bluesky", ["a"])])
    assert totals(trends, "spill") == {(D0, "hn"): 2}
    assert totals(trends, "bluesky") == {(D0, "hn"): 1}


def test_trend_store_recounting_same_items_does_not_double(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [count("spill", ["a", "b"])])
    trends.add_counts("hn", D0, [count("spill", ["b", "a"])])
    trends.add_counts("hn", D0, [count("spill", ["b", "c"])])
    assert totals(trends, "spill") == {(D0, "hn"): 3}


def test_trend_store_keeps_days_and_sources_apart(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [count("spill", ["a"])])
    trends.add_counts("reddit", D0, [count("spill", ["a"], source="reddit")])
    d1 = D0 + timedelta(days=1)
    trends.add_counts("hn", d1, [count("spill", ["a", "b"], day=d1)])
    assert totals(trends, "spill", D0, d1) == {(D0, "hn"): 1, (D0, "reddit"): 1, (d1, "hn"): 2}
    assert totals(trends, "spill", d1, d1) == {(d1, "hn"): 2}


def test_trend_store_counts_carry_links(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [count("spill", ["a"])])
    (daily,) = trends.term_counts("spill", D0, D0)
    assert daily.links == (Link("https://example.com/a", "Story a"),)


def test_trend_store_refuses_count_of_another_day(trends: TrendStore) -> None:
    with pytest.raises(ValueError, match="not hn/"):
        trends.add_counts("hn", D0, [count("spill", ["a"], day=D0 + timedelta(days=1))])


def test_trend_store_active_terms_in_window(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [count("spill", ["a"])])
    d3 = D0 + timedelta(days=3)
    trends.add_counts("hn", d3, [count("noplace", ["b"], day=d3)])
    assert trends.active_terms(D0, d3) == {"spill", "noplace"}
    assert trends.active_terms(D0 + timedelta(days=1), d3) == {"noplace"}
    assert trends.active_terms(D0 + timedelta(days=4), D0 + timedelta(days=9)) == set()


def test_trend_store_remembers_first_day_per_source(trends: TrendStore) -> None:
    d1 = D0 + timedelta(days=1)
    trends.add_counts("hn", d1, [])
    trends.add_counts("hn", D0 + timedelta(days=2), [count("x", ["a"], day=D0 + timedelta(2))])
    trends.add_counts("reddit", D0 + timedelta(days=2), [])
    assert trends.source_first_days() == {"hn": d1, "reddit": D0 + timedelta(days=2)}


def test_trend_store_signal_absent_is_none(trends: TrendStore) -> None:
    assert trends.get_signal("spill") is None


def test_trend_store_signal_roundtrip(trends: TrendStore) -> None:
    assert trends.put_signal(signal())
    assert trends.get_signal("spill") == signal()


def test_trend_store_same_rise_is_recorded_once(trends: TrendStore) -> None:
    assert trends.put_signal(signal())
    assert not trends.put_signal(replace(signal(), score=9.0))
    assert trends.get_signal("spill") == signal()
    assert len(trends.signals_between(T0 - timedelta(days=1), T0 + timedelta(days=1))) == 1


def test_trend_store_next_rise_needs_the_previous_one(trends: TrendStore) -> None:
    assert not trends.put_signal(signal(rise=2))
    assert trends.put_signal(signal(rise=1))
    later = T0 + timedelta(days=20)
    assert trends.put_signal(signal(rise=2, at=later))
    assert not trends.put_signal(signal(rise=2, at=later))
    stored = trends.get_signal("spill")
    assert stored is not None and stored.rise == 2


def test_trend_store_concurrent_runs_record_a_rise_once(trends: TrendStore) -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: trends.put_signal(signal()), range(8)))
    assert results.count(True) == 1


def test_trend_store_signals_between_is_half_open_and_ordered(trends: TrendStore) -> None:
    trends.put_signal(signal("b", at=T0 + timedelta(hours=30)))
    trends.put_signal(signal("a", at=T0))
    trends.put_signal(signal("c", at=T0 + timedelta(days=5)))
    found = trends.signals_between(T0, T0 + timedelta(days=5))
    assert [s.term for s in found] == ["a", "b"]


def test_trend_sqlite_shares_the_file_with_the_main_store(tmp_path: Path) -> None:
    path = tmp_path / "radar.sqlite3"
    with SqliteStore(path) as main, SqliteTrendStore(path) as trends:
        trends.add_counts("hn", D0, [count("spill", ["a"])])
        assert main.get_snapshot("anything") is None
    with SqliteTrendStore(path) as reopened:
        assert totals(reopened, "spill") == {(D0, "hn"): 1}


def test_trend_dynamodb_never_scans(
    dynamodb_trend_store: DynamoDbTrendStore, dynamodb_calls: list[str]
) -> None:
    store = dynamodb_trend_store
    store.add_counts("hn", D0, [count("spill", ["a"])])
    store.term_counts("spill", D0, D0)
    store.active_terms(D0, D0 + timedelta(days=2))
    store.source_first_days()
    store.put_signal(signal())
    store.get_signal("spill")
    store.signals_between(T0, T0 + timedelta(days=1))
    assert "Scan" not in dynamodb_calls
    # term counts 1, active terms 1 per day (3), sources 1, signal log 1 per day (2)
    assert dynamodb_calls.count("Query") == 1 + 3 + 1 + 2


def test_trend_dynamodb_items_expire(
    dynamodb_trend_store: DynamoDbTrendStore, dynamodb_client: Any, table_name: str
) -> None:
    dynamodb_trend_store.add_counts("hn", D0, [count("spill", ["a"])])
    item = dynamodb_client.get_item(
        TableName=table_name, Key={"PK": {"S": "TERM#spill"}, "SK": {"S": f"DAY#{D0}#SRC#hn"}}
    )["Item"]
    expires = int(item["expires_at"]["N"])
    assert expires > datetime(2026, 11, 2, tzinfo=UTC).timestamp() + 100 * 86400
    assert expires > time.time()
    index = dynamodb_client.get_item(
        TableName=table_name, Key={"PK": {"S": f"TERMDAY#{D0}"}, "SK": {"S": "spill"}}
    )["Item"]
    assert "expires_at" in index


# --- issue 12: first-seen hours, platform evidence, long-run history, candidates ------------


def test_trend_store_keeps_first_seen_hour_per_item(trends: TrendStore) -> None:
    trends.add_counts("hn", D0, [replace(count("spill", ["a"]), hour=9)])
    trends.add_counts("hn", D0, [replace(count("spill", ["a", "b"]), hour=14)])
    (c,) = trends.term_counts("spill", D0, D0)
    assert c.hours == (9, 14)  # "a" keeps the hour it was first seen


def test_trend_store_counts_items_with_evidence(trends: TrendStore) -> None:
    plain = TermCount("github", D0, "hn", (Mention("a"), Mention("b", evidence=False)))
    trends.add_counts("hn", D0, [replace(plain, mentions=(Mention("a", evidence=False),))])
    trends.add_counts("hn", D0, [plain])
    (c,) = trends.term_counts("github", D0, D0)
    assert (c.count, c.evidenced, c.countered) == (2, 1, 0)


def test_trend_store_counts_items_that_say_game_or_device(trends: TrendStore) -> None:
    game = TermCount(
        "palworld", D0, "hn", (Mention("a"), Mention("b", evidence=False, countered=True))
    )
    trends.add_counts("hn", D0, [game])
    (c,) = trends.term_counts("palworld", D0, D0)
    assert (c.count, c.evidenced, c.countered) == (2, 1, 1)


def test_trend_store_history_spans_months_compactly(trends: TrendStore) -> None:
    days = [date(2026, 1, 31), date(2026, 2, 1), date(2026, 3, 15)]
    for d in days:
        trends.add_counts("hn", d, [count("spill", ["a"], day=d)])
    trends.add_counts("hn", days[0], [count("spill", ["b"], day=days[0])])  # same day again
    assert trends.term_history("spill", date(2026, 1, 1), date(2026, 3, 31)) == set(days)
    assert trends.term_history("spill", date(2026, 2, 1), date(2026, 3, 14)) == {days[1]}
    assert trends.term_history("other", date(2026, 1, 1), date(2026, 3, 31)) == set()


def test_trend_store_candidates_are_terms_with_evidence(trends: TrendStore) -> None:
    weak = TermCount("github", D0, "hn", (Mention("a", evidence=False),))
    trends.add_counts("hn", D0, [count("noplace", ["a"]), weak])
    assert trends.candidate_terms(D0, D0) == {"noplace"}
    assert trends.candidate_terms(D0 + timedelta(days=1), D0 + timedelta(days=2)) == set()


def test_trend_store_signal_kind_roundtrip(trends: TrendStore) -> None:
    surge = replace(signal("facebook"), kind="surge")
    assert trends.put_signal(surge)
    assert trends.get_signal("facebook") == surge


def test_trend_sqlite_migrates_counts_of_before_issue_12(tmp_path: Path) -> None:
    import sqlite3

    from radar.store.trend_sqlite import _MIGRATIONS

    path = tmp_path / "radar.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        _MIGRATIONS[0] + "CREATE TABLE trend_schema (version INTEGER NOT NULL);"
        "INSERT INTO trend_schema VALUES (1);"
        "INSERT INTO trend_mentions (term, day, source, item_key) VALUES"
        " ('spill', '2026-01-03', 'hn', 'a'), ('spill', '2026-01-03', 'hn', 'b'),"
        " ('spill', '2026-02-10', 'hn', 'c');"
    )
    conn.close()
    with SqliteTrendStore(path) as store:
        assert store.term_history("spill", date(2026, 1, 1), date(2026, 2, 28)) == {
            date(2026, 1, 3),
            date(2026, 2, 10),
        }
        (c,) = store.term_counts("spill", date(2026, 1, 3), date(2026, 1, 3))
        assert (c.count, c.evidenced, c.hours) == (2, 2, ())  # old rows count as before
