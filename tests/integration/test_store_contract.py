"""The storage contract (radar.store.ports.Store), run against SQLite and DynamoDB alike.

Tests named `test_store_*` use the parametrized `store` fixture and so run on both adapters;
`test_dynamodb_*` tests check what only the DynamoDB adapter promises (no Scan, call counts,
error translation, the table built from template.yaml).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from radar.errors import StoreConflict, StoreError, StoreThrottled
from radar.model import Change, ChangeKind, ChangeQuery, EntryState, Snapshot
from radar.store import dynamodb as dynamodb_module
from radar.store.codec import MAX_STORED_TEXT
from radar.store.dynamodb import DynamoDbStore
from radar.store.ports import Store
from radar.store.sqlite import SqliteStore
from tests.support.aws import table_definition_from_template

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)


def entry(key: str, text: str = "Body text.", **fields: Any) -> EntryState:
    values: dict[str, Any] = {
        "key": key,
        "title": f"Title {key}",
        "text": text,
        "digest": f"digest-{key}",
        "url": f"https://example.com/{key}",
        "published": T0 - timedelta(days=1),
        "first_seen": T0,
        "missing": 0,
    }
    values.update(fields)
    return EntryState(**values)


def snapshot(source_id: str = "src", version: int = 0, **fields: Any) -> Snapshot:
    return Snapshot(source_id=source_id, version=version, **fields)


def change(
    cid: str,
    *,
    detected_at: datetime = T0,
    published: datetime | None = None,
    platform: str = "meta",
    kind: ChangeKind = ChangeKind.ADDED,
    **fields: Any,
) -> Change:
    values: dict[str, Any] = {
        "id": cid,
        "source_id": f"{platform}-src",
        "platform": platform,
        "kind": kind,
        "entry_key": f"entry-{cid}",
        "title": f"Change {cid}",
        "text": "Something changed.",
        "url": f"https://example.com/{cid}",
        "published": published,
        "detected_at": detected_at,
    }
    values.update(fields)
    return Change(**values)


def ids(changes: list[Change]) -> list[str]:
    return [c.id for c in changes]


def store_changes(store: Store, *changes: Change, source_id: str = "src") -> None:
    store.save(snapshot(source_id), changes)


# --- snapshots ------------------------------------------------------------------------------


def test_store_snapshot_round_trips_every_field(store: Store) -> None:
    original = snapshot(
        "meta-changelog",
        entries={
            "a": entry("a", published=None, missing=2),
            "b": entry("b", url=None, published=datetime(2026, 1, 1, 0, 0, 0, 123456, UTC)),
        },
        content_hash="hash-1",
        etag='W/"abc"',
        last_modified="Mon, 02 Nov 2026 09:30:00 GMT",
        last_success=T0,
        failures=3,
        last_error="HTTP 503 from upstream",
        last_error_at=T0 + timedelta(seconds=1, microseconds=7),
    )
    store.save(original)
    assert store.get_snapshot("meta-changelog") == replace(original, version=1)


def test_store_snapshot_datetimes_come_back_as_aware_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    store.save(snapshot(last_success=T0.astimezone(plus_two), entries={"a": entry("a")}))
    loaded = store.get_snapshot("src")
    assert loaded is not None and loaded.last_success is not None
    assert (loaded.last_success, loaded.last_success.utcoffset()) == (T0, timedelta(0))


def test_store_get_snapshot_missing_is_none(store: Store) -> None:
    assert store.get_snapshot("never-stored") is None


def test_store_save_increments_version(store: Store) -> None:
    first = store.save(snapshot())
    second = store.save(first)
    assert (first.version, second.version, store.get_snapshot("src")) == (1, 2, second)


def test_store_save_stale_version_conflicts(store: Store) -> None:
    first = store.save(snapshot())
    store.save(first)
    with pytest.raises(StoreConflict):
        store.save(replace(first, failures=9))


def test_store_conflict_leaves_stored_snapshot_unchanged(store: Store) -> None:
    first = store.save(snapshot())
    second = store.save(replace(first, etag="new"))
    with pytest.raises(StoreConflict):
        store.save(replace(first, etag="stale"))
    assert store.get_snapshot("src") == second


def test_store_save_version_zero_twice_conflicts(store: Store) -> None:
    store.save(snapshot())
    with pytest.raises(StoreConflict):
        store.save(snapshot())


def test_store_save_of_unchanged_content_is_still_a_write(store: Store) -> None:
    first = store.save(snapshot(entries={"a": entry("a")}))
    assert store.save(first).version == 2


def test_store_get_snapshots_leaves_out_missing(store: Store) -> None:
    store.save(snapshot("a"))
    store.save(snapshot("b", etag="b"))
    found = store.get_snapshots(["a", "missing", "b", "a"])
    assert found == {"a": snapshot("a", version=1), "b": snapshot("b", version=1, etag="b")}


def test_store_get_snapshots_reads_more_than_one_batch(store: Store) -> None:
    names = [f"source-{n:03d}" for n in range(130)]
    for name in names:
        store.save(snapshot(name))
    assert sorted(store.get_snapshots(names)) == names


def test_store_large_snapshot_round_trips(store: Store) -> None:
    words = [
        "deprecation",
        "endpoint",
        "graph",
        "version",
        "reels",
        "creators",
        "ranking",
        "policy",
        "ads",
    ]
    entries = {
        f"e{n}": entry(
            f"e{n}", text=" ".join(words[(n * 7 + i) % len(words)] + str(i) for i in range(240))
        )
        for n in range(500)
    }
    assert all(len(e.text) >= 2000 for e in entries.values())
    store.save(snapshot(entries=entries))
    loaded = store.get_snapshot("src")
    assert loaded is not None and loaded.entries == entries


def test_store_entry_text_is_capped(store: Store) -> None:
    store.save(snapshot(entries={"a": entry("a", text="x" * (MAX_STORED_TEXT + 500))}))
    loaded = store.get_snapshot("src")
    assert loaded is not None and loaded.entries["a"].text == "x" * MAX_STORED_TEXT


def test_store_oversized_snapshot_raises_store_error(store: Store) -> None:
    # Random hex barely compresses, so this is far above the item size budget.
    entries = {f"e{n}": entry(f"e{n}", text=os.urandom(2000).hex()) for n in range(250)}
    with pytest.raises(StoreError, match="limit"):
        store.save(snapshot(entries=entries))


def test_store_entry_order_is_preserved(store: Store) -> None:
    keys = ["z", "a", "m", "b"]
    store.save(snapshot(entries={k: entry(k) for k in keys}))
    loaded = store.get_snapshot("src")
    assert loaded is not None and list(loaded.entries) == keys


# --- changes --------------------------------------------------------------------------------


def test_store_changes_saved_with_snapshot_are_queryable(store: Store) -> None:
    stored = [change("c1"), change("c2", detected_at=T0 + timedelta(minutes=1))]
    store.save(snapshot(), stored)
    assert store.query_changes(ChangeQuery()) == stored


def test_store_change_round_trips_every_field(store: Store) -> None:
    full = change(
        "c1",
        kind=ChangeKind.EDITED,
        published=T0 - timedelta(days=3),
        url=None,
        diff="[-old-] {+new+}",
        category="deprecation",
        severity="action",
        deadline=date(2027, 1, 15),
        deadline_text="will be removed on 15 January 2027",
    )
    store_changes(store, full)
    assert store.get_change("c1") == full


def test_store_resaving_same_change_ids_does_not_duplicate(store: Store) -> None:
    first = store.save(snapshot(), [change("c1"), change("c2")])
    store.save(first, [change("c1"), change("c2"), change("c1")])
    assert ids(store.query_changes(ChangeQuery())) == ["c1", "c2"]


def test_store_query_by_detected_window(store: Store) -> None:
    store_changes(
        store,
        change("before", detected_at=T0 - timedelta(microseconds=1)),
        change("at-since", detected_at=T0),
        change("inside", detected_at=T0 + timedelta(hours=5)),
        change("at-until", detected_at=T0 + timedelta(days=1)),
    )
    query = ChangeQuery(since=T0, until=T0 + timedelta(days=1))
    assert ids(store.query_changes(query)) == ["at-since", "inside"]


def test_store_query_since_only_and_until_only(store: Store) -> None:
    store_changes(store, change("old", detected_at=T0), change("new", detected_at=T0 + DAY))
    since = ids(store.query_changes(ChangeQuery(since=T0 + DAY)))
    until = ids(store.query_changes(ChangeQuery(until=T0 + DAY)))
    assert (since, until) == (["new"], ["old"])


def test_store_query_by_published_falls_back_to_detected_at(store: Store) -> None:
    store_changes(
        store,
        # Published long ago but detected inside the window: outside by published date.
        change("old-entry", published=T0 - 30 * DAY, detected_at=T0 + DAY),
        change("dated", published=T0 + DAY, detected_at=T0 + 40 * DAY),
        change("undated", published=None, detected_at=T0 + 2 * DAY),
        change("later", published=T0 + 10 * DAY, detected_at=T0),
    )
    query = ChangeQuery(since=T0, until=T0 + 5 * DAY, by="published")
    assert ids(store.query_changes(query)) == ["dated", "undated"]


def test_store_query_filters_platforms(store: Store) -> None:
    store_changes(
        store,
        change("m", platform="meta"),
        change("t", platform="tiktok"),
        change("y", platform="youtube"),
    )
    query = ChangeQuery(platforms=frozenset({"meta", "youtube"}))
    assert ids(store.query_changes(query)) == ["m", "y"]


def test_store_query_unknown_platform_is_empty(store: Store) -> None:
    store_changes(store, change("m", platform="meta"))
    assert store.query_changes(ChangeQuery(platforms=frozenset({"myspace"}))) == []


def test_store_query_excludes_baseline_by_default(store: Store) -> None:
    store_changes(store, change("base", kind=ChangeKind.BASELINE), change("news"))
    assert ids(store.query_changes(ChangeQuery())) == ["news"]


def test_store_query_includes_baseline_on_request(store: Store) -> None:
    store_changes(
        store,
        change("base", kind=ChangeKind.BASELINE, detected_at=T0),
        change("news", detected_at=T0 + DAY),
    )
    assert ids(store.query_changes(ChangeQuery(include_baseline=True))) == ["base", "news"]


def test_store_query_orders_oldest_first_and_ties_by_id(store: Store) -> None:
    store_changes(
        store,
        change("c-late", platform="meta", detected_at=T0 + DAY),
        change("b-tie", platform="tiktok", detected_at=T0),
        change("a-tie", platform="youtube", detected_at=T0),
        change("d-base", platform="meta", detected_at=T0, kind=ChangeKind.BASELINE),
        change("z-early", platform="meta", detected_at=T0 - DAY),
    )
    query = ChangeQuery(include_baseline=True)
    assert ids(store.query_changes(query)) == ["z-early", "a-tie", "b-tie", "d-base", "c-late"]


def test_store_query_limit_keeps_the_oldest(store: Store) -> None:
    store_changes(
        store,
        *(
            change(f"c{n}", platform=("meta", "tiktok")[n % 2], detected_at=T0 + n * DAY)
            for n in range(7)
        ),
    )
    assert ids(store.query_changes(ChangeQuery(limit=3))) == ["c0", "c1", "c2"]


def test_store_query_empty_window_is_empty(store: Store) -> None:
    store_changes(store, change("c1"))
    assert store.query_changes(ChangeQuery(since=T0 + DAY, until=T0)) == []


def test_store_query_rejects_unknown_date_kind(store: Store) -> None:
    with pytest.raises(ValueError, match="by"):
        store.query_changes(ChangeQuery(by="fetched"))


def test_store_query_returns_many_changes_across_saves(store: Store) -> None:
    saved = store.save(snapshot(), [change(f"a{n:03d}", detected_at=T0) for n in range(60)])
    store.save(saved, [change(f"b{n:03d}", detected_at=T0 + DAY) for n in range(60)])
    found = ids(store.query_changes(ChangeQuery()))
    assert found == sorted(found) and len(found) == 120


def test_store_get_change(store: Store) -> None:
    stored = change("c1", platform="threads")
    store_changes(store, stored, change("c2"))
    assert store.get_change("c1") == stored


def test_store_get_change_missing_is_none(store: Store) -> None:
    assert store.get_change("nope") is None


def test_store_hostile_text_round_trips_byte_exact(store: Store) -> None:
    hostile = (
        "<script>alert('x')</script> \"quotes\" & ampersands \\ back\\slash\n"
        "emoji 🚀👩🏽‍💻, Arabic مرحبا بالعالم, zero-width \u200b, nul-free control \x1f, "
        "lone combining e\u0301, CJK 中文, \u2028 line separator"
    )
    stored = change("evil", title=hostile, text=hostile, diff=hostile, url="javascript:x")
    store.save(snapshot(entries={"k": entry("k", text=hostile, title=hostile)}), [stored])
    loaded = store.get_snapshot("src")
    assert loaded is not None
    assert (store.get_change("evil"), loaded.entries["k"].text) == (stored, hostile)


# --- DynamoDB only --------------------------------------------------------------------------


def test_dynamodb_table_is_created_from_template(dynamodb_client: Any, table_name: str) -> None:
    definition = table_definition_from_template()
    table = dynamodb_client.describe_table(TableName=table_name)["Table"]
    indexes = {i["IndexName"]: i["KeySchema"] for i in table["GlobalSecondaryIndexes"]}
    expected = {i["IndexName"]: i["KeySchema"] for i in definition["GlobalSecondaryIndexes"]}
    assert (table["KeySchema"], indexes) == (definition["KeySchema"], expected)


def test_dynamodb_query_changes_never_scans(
    dynamodb_store: DynamoDbStore,
    dynamodb_client: Any,
    dynamodb_calls: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(**_: Any) -> None:
        raise AssertionError("query_changes must not Scan")

    monkeypatch.setattr(dynamodb_client, "scan", refuse)
    store_changes(dynamodb_store, change("c1"), change("c2", platform="x"))
    dynamodb_calls.clear()
    for query in (
        ChangeQuery(),
        ChangeQuery(since=T0, until=T0 + DAY, include_baseline=True),
        ChangeQuery(by="published", platforms=frozenset({"x"}), limit=1),
    ):
        dynamodb_store.query_changes(query)
    assert set(dynamodb_calls) == {"GetItem", "Query"}


def test_dynamodb_get_snapshot_is_one_get_item(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    dynamodb_store.save(snapshot(entries={"a": entry("a")}))
    dynamodb_calls.clear()
    dynamodb_store.get_snapshot("src")
    assert dynamodb_calls == ["GetItem"]


def test_dynamodb_save_writes_changes_before_snapshot(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    dynamodb_store.save(snapshot(), [change("c1")])
    assert dynamodb_calls.index("BatchWriteItem") < dynamodb_calls.index("PutItem")


def test_dynamodb_changes_survive_a_conflicting_snapshot_write(
    dynamodb_store: DynamoDbStore,
) -> None:
    dynamodb_store.save(snapshot())
    with pytest.raises(StoreConflict):
        dynamodb_store.save(snapshot(), [change("c1")])
    assert dynamodb_store.get_change("c1") == change("c1")


def test_dynamodb_save_writes_changes_in_batches_of_25(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    dynamodb_store.save(snapshot(), [change(f"c{n}") for n in range(60)])
    assert dynamodb_calls.count("BatchWriteItem") == 3


class FlakyClient:
    """Delegates to a real client; answers the first batch call with everything unprocessed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.batch_calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def batch_write_item(self, **kwargs: Any) -> dict[str, Any]:
        self.batch_calls += 1
        if self.batch_calls == 1:
            return {"UnprocessedItems": kwargs["RequestItems"]}
        response: dict[str, Any] = self._inner.batch_write_item(**kwargs)
        return response

    def batch_get_item(self, **kwargs: Any) -> dict[str, Any]:
        self.batch_calls += 1
        if self.batch_calls == 1:
            return {"Responses": {}, "UnprocessedKeys": kwargs["RequestItems"]}
        response: dict[str, Any] = self._inner.batch_get_item(**kwargs)
        return response


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dynamodb_module, "_backoff", lambda attempt: None)


@pytest.mark.usefixtures("no_backoff")
def test_dynamodb_unprocessed_changes_are_retried(dynamodb_client: Any, table_name: str) -> None:
    flaky = FlakyClient(dynamodb_client)
    store = DynamoDbStore(table_name, client=flaky)  # type: ignore[arg-type]
    store.save(snapshot(), [change("c1"), change("c2")])
    assert (flaky.batch_calls, ids(store.query_changes(ChangeQuery()))) == (2, ["c1", "c2"])


@pytest.mark.usefixtures("no_backoff")
def test_dynamodb_unprocessed_snapshot_reads_are_retried(
    dynamodb_client: Any, table_name: str
) -> None:
    DynamoDbStore(table_name, client=dynamodb_client).save(snapshot("a"))
    flaky = FlakyClient(dynamodb_client)
    store = DynamoDbStore(table_name, client=flaky)  # type: ignore[arg-type]
    assert (list(store.get_snapshots(["a"])), flaky.batch_calls) == (["a"], 2)


class FailingClient:
    """Raises the given DynamoDB error code from every get_item."""

    def __init__(self, code: str) -> None:
        self.code = code

    def get_item(self, **_: Any) -> None:
        raise ClientError({"Error": {"Code": self.code, "Message": "nope"}}, "GetItem")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ProvisionedThroughputExceededException", StoreThrottled),
        ("ThrottlingException", StoreThrottled),
        ("RequestLimitExceeded", StoreThrottled),
        ("ConditionalCheckFailedException", StoreConflict),
        ("TransactionCanceledException", StoreConflict),
    ],
)
def test_dynamodb_client_errors_are_translated(code: str, expected: type[Exception]) -> None:
    store = DynamoDbStore("t", client=FailingClient(code))  # type: ignore[arg-type]
    with pytest.raises(expected):
        store.get_snapshot("src")


def test_dynamodb_other_client_error_is_a_readable_store_error(dynamodb_client: Any) -> None:
    store = DynamoDbStore("no-such-table", client=dynamodb_client)
    with pytest.raises(StoreError, match="ResourceNotFoundException") as caught:
        store.get_snapshot("src")
    assert type(caught.value) is StoreError


def test_sqlite_store_creates_parent_directories_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "radar.sqlite3"
    with SqliteStore(path) as first:
        first.save(snapshot(), [change("c1")])
    with SqliteStore(path) as second:
        assert (second.get_snapshot("src"), second.get_change("c1")) == (
            snapshot(version=1),
            change("c1"),
        )


def test_sqlite_store_works_in_memory() -> None:
    with SqliteStore(":memory:") as store:
        assert store.save(snapshot()).version == 1


def test_sqlite_store_is_safe_across_threads(sqlite_store: SqliteStore) -> None:
    def save(n: int) -> Snapshot:
        return sqlite_store.save(snapshot(f"s{n}"), [change(f"c{n}")])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save, range(40)))
    assert len(sqlite_store.query_changes(ChangeQuery())) == 40


class PagingClient:
    """Delegates to a real client but asks for tiny Query pages, forcing LastEvaluatedKey."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.queries = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def query(self, **kwargs: Any) -> dict[str, Any]:
        self.queries += 1
        response: dict[str, Any] = self._inner.query(**{"Limit": 2, **kwargs})
        return response


def test_dynamodb_query_follows_last_evaluated_key(dynamodb_client: Any, table_name: str) -> None:
    paging = PagingClient(dynamodb_client)
    store = DynamoDbStore(table_name, client=paging)  # type: ignore[arg-type]
    store_changes(store, *(change(f"c{n}", detected_at=T0 + n * DAY) for n in range(7)))
    found = ids(store.query_changes(ChangeQuery()))
    assert (found, paging.queries >= 4) == ([f"c{n}" for n in range(7)], True)
