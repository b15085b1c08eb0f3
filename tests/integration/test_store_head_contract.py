"""Snapshot heads (issue 15): hash, validators and health read and written without the entries.

`test_store_*` run on SQLite and DynamoDB alike (the `store` fixture); `test_dynamodb_*` check
that DynamoDB leaves the entries on the server (a projection) and writes the head alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from radar.errors import StoreConflict
from radar.model import Snapshot, SnapshotHead
from radar.store.dynamodb import DynamoDbStore
from radar.store.ports import Store
from tests.integration.test_store_contract import DAY, T0, entry


def stored(store: Store, source_id: str = "src", **fields: Any) -> Snapshot:
    return store.save(
        Snapshot(
            source_id,
            entries={"a": entry("a"), "b": entry("b")},
            content_hash="hash-1",
            etag='W/"abc"',
            last_modified="Mon, 02 Nov 2026 09:30:00 GMT",
            last_success=T0,
            **fields,
        )
    )


def test_store_head_is_the_snapshot_without_entries(store: Store) -> None:
    saved = stored(store, failures=2, last_error="HTTP 503", last_error_at=T0 + DAY)
    assert store.get_snapshot_head("src") == saved.head


def test_store_head_of_missing_source_is_none(store: Store) -> None:
    assert store.get_snapshot_head("never-stored") is None


def test_store_heads_leave_out_missing(store: Store) -> None:
    a, b = stored(store, "a"), stored(store, "b", failures=4)
    found = store.get_snapshot_heads(["a", "missing", "b", "a"])
    assert found == {"a": a.head, "b": b.head}


def test_store_heads_read_more_than_one_batch(store: Store) -> None:
    names = [f"s{n:03d}" for n in range(120)]
    for name in names:
        store.save(Snapshot(name))
    assert sorted(store.get_snapshot_heads(names)) == names


def test_store_save_head_keeps_the_entries(store: Store) -> None:
    saved = stored(store)
    failed = replace(saved.head, failures=1, last_error="timeout", last_error_at=T0 + DAY)
    assert store.save_head(failed) == replace(failed, version=saved.version + 1)
    assert store.get_snapshot("src") == replace(
        saved, version=2, failures=1, last_error="timeout", last_error_at=T0 + DAY
    )


def test_store_save_head_of_a_new_source_stores_no_entries(store: Store) -> None:
    head = SnapshotHead("src", failures=1, last_error="DNS", last_error_at=T0)
    assert store.save_head(head) == replace(head, version=1)
    assert store.get_snapshot("src") == Snapshot(
        "src", version=1, failures=1, last_error="DNS", last_error_at=T0
    )


def test_store_save_head_on_a_stale_version_is_a_conflict(store: Store) -> None:
    saved = stored(store)
    store.save(saved)  # someone else moved it on to version 2
    with pytest.raises(StoreConflict):
        store.save_head(replace(saved.head, failures=1))
    assert store.get_snapshot_head("src") == replace(saved.head, version=2)


def test_store_save_head_of_a_new_source_stored_meanwhile_is_a_conflict(store: Store) -> None:
    stored(store)
    with pytest.raises(StoreConflict):
        store.save_head(SnapshotHead("src", failures=1))


# --- DynamoDB: what is sent and read --------------------------------------------------------


def test_dynamodb_head_reads_project_away_the_entries(
    dynamodb_store: DynamoDbStore, dynamodb_client: Any, table_name: str
) -> None:
    stored(dynamodb_store)
    sent: list[dict[str, Any]] = []
    dynamodb_client.meta.events.register(
        "provide-client-params.dynamodb.*", lambda params, **_: sent.append(params)
    )
    dynamodb_store.get_snapshot_head("src")
    dynamodb_store.get_snapshot_heads(["src"])
    get, batch = sent[0], sent[1]["RequestItems"][table_name]
    for request in (get, batch):
        names = request["ExpressionAttributeNames"]
        projected = {names[p.strip()] for p in request["ProjectionExpression"].split(",")}
        assert projected == {"source_id", "version", "meta"}
    assert (get["ConsistentRead"], batch["ConsistentRead"]) == (True, True)


def test_dynamodb_save_head_is_one_update_item(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    saved = stored(dynamodb_store)
    dynamodb_calls.clear()
    dynamodb_store.get_snapshot_head("src")
    dynamodb_store.save_head(replace(saved.head, failures=1))
    assert dynamodb_calls == ["GetItem", "UpdateItem"]
