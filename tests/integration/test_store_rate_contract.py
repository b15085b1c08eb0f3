"""Request counts for rate limits (issue 13, item 5), on SQLite and DynamoDB (moto) alike: one
counter per key and fixed window, kept only until the window ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from radar.store.dynamodb import DynamoDbStore
from radar.store.ports import BriefingStore
from radar.store.sqlite import SqliteStore

T0 = datetime(2026, 11, 20, 12, 10, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_store_count_hit_counts_per_key_and_window(store: BriefingStore) -> None:
    assert [store.count_hit("client:a", T0 + timedelta(minutes=k), HOUR) for k in range(3)] == [
        1,
        2,
        3,
    ]
    assert store.count_hit("client:b", T0, HOUR) == 1
    # 13:00 starts a new window (windows are aligned to the epoch, not to the first hit).
    assert store.count_hit("client:a", datetime(2026, 11, 20, 13, tzinfo=UTC), HOUR) == 1


def test_sqlite_count_hit_drops_ended_windows(sqlite_store: SqliteStore) -> None:
    for k in range(3):
        sqlite_store.count_hit(f"client:{k}", T0, HOUR)
    sqlite_store.count_hit("client:new", T0 + 3 * HOUR, HOUR)
    with sqlite_store._locked("test") as conn:
        rows = conn.execute("SELECT key FROM rate_hits").fetchall()
    assert rows == [("client:new",)]  # the ended window's counts are gone


def test_dynamodb_count_hit_expires_with_its_window(
    dynamodb_store: DynamoDbStore, dynamodb_client: Any, table_name: str
) -> None:
    dynamodb_store.count_hit("client:a", T0, HOUR)
    (item,) = dynamodb_client.scan(TableName=table_name)["Items"]
    window_end = datetime(2026, 11, 20, 13, tzinfo=UTC)
    assert int(item["expires_at"]["N"]) == int(window_end.timestamp())
