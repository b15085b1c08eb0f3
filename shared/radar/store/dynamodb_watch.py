"""The watch side of `DynamoDbStore`: snapshots and changes.

Items (full key design and access patterns in docs/storage.md):

- snapshot: PK `SRC#<source>`, SK `SNAPSHOT`; `version` is the optimistic lock.
- change: PK `CHG#<id>`, SK `CHANGE`; GSI1PK = GSI2PK = `PLAT#<platform>` (`BASE#<platform>`
  for baseline changes), GSI1SK `<detected_at>#<id>`, GSI2SK `<effective date>#<id>`.
- platform list: PK `META`, SK `PLATFORMS`, `platforms` a string set.

Changes are never found by Scan: each platform's changes are a partition of GSI1 (by detection
time) and GSI2 (by effective date); "all platforms" reads the platform list item first.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from radar.errors import StoreError, StoreThrottled
from radar.model import Change, ChangeQuery, Snapshot, SnapshotHead
from radar.store import codec
from radar.store.dynamodb_table import GSI_DETECTED, GSI_EFFECTIVE, DynamoDbTable, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import (
        KeysAndAttributesTypeDef,
        QueryInputTypeDef,
        WriteRequestTypeDef,
    )

SNAPSHOT_SK = "SNAPSHOT"
CHANGE_SK = "CHANGE"
REGISTRY_KEY = {"PK": {"S": "META"}, "SK": {"S": "PLATFORMS"}}

# DynamoDB's own per-request caps.
_BATCH_WRITE_MAX = 25
_BATCH_GET_MAX = 100
# Unprocessed batch items are retried with exponential backoff this many times before giving up.
_BATCH_ATTEMPTS = 8


class DynamoDbWatch(DynamoDbTable):
    """Snapshots (optimistic lock on `version`) and changes (by platform, by date)."""

    # --- snapshots ------------------------------------------------------------------------

    def get_snapshot(self, source_id: str) -> Snapshot | None:
        """The stored snapshot of a source (one consistent GetItem), or None."""
        with translated("get snapshot"):
            response = self._client.get_item(
                TableName=self._table, Key=_snapshot_key(source_id), ConsistentRead=True
            )
        item = response.get("Item")
        return None if item is None else _snapshot(item)

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        """Stored snapshots of several sources, by BatchGetItem in chunks of 100."""
        found = (_snapshot(item) for item in self._batch_get_snapshots(source_ids, {}))
        return {snapshot.source_id: snapshot for snapshot in found}

    def get_snapshot_head(self, source_id: str) -> SnapshotHead | None:
        """The stored snapshot's head: one consistent GetItem projecting away the entries."""
        with translated("get snapshot head"):
            response = self._client.get_item(
                TableName=self._table,
                Key=_snapshot_key(source_id),
                ConsistentRead=True,
                **_HEAD_PROJECTION,
            )
        item = response.get("Item")
        return None if item is None else _head(item)

    def get_snapshot_heads(self, source_ids: Iterable[str]) -> dict[str, SnapshotHead]:
        """Heads of several stored snapshots, by BatchGetItem projecting away the entries."""
        found = (_head(item) for item in self._batch_get_snapshots(source_ids, _HEAD_PROJECTION))
        return {head.source_id: head for head in found}

    def _batch_get_snapshots(
        self, source_ids: Iterable[str], projection: Mapping[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Snapshot items by BatchGetItem in chunks of 100, unprocessed keys retried."""
        ids = list(dict.fromkeys(source_ids))  # a batch may not name a key twice
        for start in range(0, len(ids), _BATCH_GET_MAX):
            request: dict[str, KeysAndAttributesTypeDef] = {
                self._table: {
                    "Keys": [_snapshot_key(i) for i in ids[start : start + _BATCH_GET_MAX]],
                    "ConsistentRead": True,
                    **projection,  # type: ignore[typeddict-item]
                }
            }
            for attempt in range(_BATCH_ATTEMPTS):
                with translated("get snapshots"):
                    response = self._client.batch_get_item(RequestItems=request)
                yield from response.get("Responses", {}).get(self._table, [])
                left = response.get("UnprocessedKeys", {}).get(self._table)
                if not left or not left.get("Keys"):
                    break
                request = {self._table: left}  # type: ignore[dict-item]
                self._wait(attempt)
            else:
                raise StoreThrottled("DynamoDB left snapshot reads unprocessed; retry later")

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        """Update the snapshot's `meta` and `version` only (UpdateItem), conditionally on its
        version; the entries attribute is neither read nor rewritten."""
        if head.version == 0:
            return self.save(head.with_entries()).head
        with translated(f"save snapshot head of source {head.source_id!r}"):
            self._client.update_item(
                TableName=self._table,
                Key=_snapshot_key(head.source_id),
                UpdateExpression="SET #meta = :meta, #version = :next",
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#meta": "meta", "#version": "version"},
                ExpressionAttributeValues={
                    ":meta": {"S": json.dumps(codec.snapshot_meta(head), ensure_ascii=False)},
                    ":next": {"N": str(head.version + 1)},
                    ":expected": {"N": str(head.version)},
                },
            )
        return replace(head, version=head.version + 1)

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        """Write `changes` (idempotent puts), then the snapshot conditionally on its version.

        A crash between the two leaves the changes stored and the old snapshot in place, so
        the next run detects the same changes again, with the same ids, and overwrites them.
        """
        entries = codec.encode_entries(snapshot)
        if changes:
            self._register_platforms({c.platform for c in changes})
            self._put_changes(changes)
        item: dict[str, Any] = {
            **_snapshot_key(snapshot.source_id),
            "type": {"S": "snapshot"},
            "source_id": {"S": snapshot.source_id},
            "version": {"N": str(snapshot.version + 1)},
            "meta": {"S": json.dumps(codec.snapshot_meta(snapshot), ensure_ascii=False)},
            "entries": {"B": entries},
        }
        with translated(f"save snapshot of source {snapshot.source_id!r}"):
            if snapshot.version == 0:
                self._client.put_item(
                    TableName=self._table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(PK)",
                )
            else:
                self._client.put_item(
                    TableName=self._table,
                    Item=item,
                    ConditionExpression="#version = :expected",
                    ExpressionAttributeNames={"#version": "version"},
                    ExpressionAttributeValues={":expected": {"N": str(snapshot.version)}},
                )
        return replace(snapshot, version=snapshot.version + 1)

    def _register_platforms(self, platforms: set[str]) -> None:
        # ADD to a string set is idempotent, so this needs no read first; it is written before
        # the changes so an "all platforms" query can always reach every stored change.
        with translated("register platforms"):
            self._client.update_item(
                TableName=self._table,
                Key=REGISTRY_KEY,
                UpdateExpression="ADD #platforms :platforms",
                ExpressionAttributeNames={"#platforms": "platforms"},
                ExpressionAttributeValues={":platforms": {"SS": sorted(platforms)}},
            )

    def _put_changes(self, changes: Sequence[Change]) -> None:
        unique = {c.id: c for c in changes}  # a batch may not name a key twice
        requests: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _change_item(c)}} for c in unique.values()
        ]
        for start in range(0, len(requests), _BATCH_WRITE_MAX):
            pending = requests[start : start + _BATCH_WRITE_MAX]
            for attempt in range(_BATCH_ATTEMPTS):
                with translated("save changes"):
                    response = self._client.batch_write_item(RequestItems={self._table: pending})
                unprocessed = response.get("UnprocessedItems") or {}
                pending = list(unprocessed.get(self._table, []))  # type: ignore[arg-type]
                if not pending:
                    break
                self._wait(attempt)
            else:
                raise StoreThrottled("DynamoDB left change writes unprocessed; retry later")

    # --- changes --------------------------------------------------------------------------

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        """Changes matching the query: one Query per platform partition, merged in order."""
        index = _index(query)
        if query.since is not None and query.until is not None and query.since >= query.until:
            return []
        platforms = sorted(query.platforms) if query.platforms else self._known_platforms()
        partitions = [f"PLAT#{p}" for p in platforms]
        if query.include_baseline:
            partitions += [f"BASE#{p}" for p in platforms]
        streams = [list(self._query_partition(index, p, query)) for p in partitions]
        merged = heapq.merge(*streams, key=lambda pair: pair[0])
        found = [change for _, change in merged]
        return found[: query.limit] if query.limit is not None else found

    def _known_platforms(self) -> list[str]:
        with translated("list platforms"):
            response = self._client.get_item(
                TableName=self._table, Key=REGISTRY_KEY, ConsistentRead=True
            )
        item = response.get("Item") or {}
        return sorted(item.get("platforms", {}).get("SS", []))

    def _query_partition(
        self, index: str, partition: str, query: ChangeQuery
    ) -> Iterator[tuple[str, Change]]:
        """(sort key, change) pairs of one GSI partition, in sort-key order, up to the limit."""
        condition = f"{index}PK = :pk"
        values: dict[str, Any] = {":pk": {"S": partition}}
        lo = None if query.since is None else codec.format_datetime(query.since)
        hi = None if query.until is None else codec.format_datetime(query.until)
        # Sort keys are "<date>#<id>", so a bare date sorts before every key on that date:
        # ">= since" includes changes at `since`, "< until" excludes changes at `until`, and
        # BETWEEN since AND until is the half-open window because no key equals a bare date.
        if lo is not None and hi is not None:
            condition += f" AND {index}SK BETWEEN :lo AND :hi"
            values |= {":lo": {"S": lo}, ":hi": {"S": hi}}
        elif lo is not None:
            condition += f" AND {index}SK >= :lo"
            values[":lo"] = {"S": lo}
        elif hi is not None:
            condition += f" AND {index}SK < :hi"
            values[":hi"] = {"S": hi}
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": True,
        }
        yielded = 0
        while True:
            if query.limit is not None:
                request["Limit"] = max(query.limit - yielded, 1)
            with translated("query changes"):
                response = self._client.query(**request)
            for item in response.get("Items", []):
                if query.limit is not None and yielded >= query.limit:
                    return
                yield item[f"{index}SK"]["S"], codec.change_from_json(item["body"]["S"])
                yielded += 1
            last = response.get("LastEvaluatedKey")
            if not last or (query.limit is not None and yielded >= query.limit):
                return
            request["ExclusiveStartKey"] = last

    def get_change(self, change_id: str) -> Change | None:
        """One change by id (one GetItem)."""
        with translated("get change"):
            response = self._client.get_item(
                TableName=self._table,
                Key={"PK": {"S": f"CHG#{change_id}"}, "SK": {"S": CHANGE_SK}},
            )
        item = response.get("Item")
        return None if item is None else codec.change_from_json(item["body"]["S"])


def _index(query: ChangeQuery) -> str:
    if query.by == "detected":
        return GSI_DETECTED
    if query.by == "published":
        return GSI_EFFECTIVE
    raise ValueError(f"unknown ChangeQuery.by {query.by!r}: expected 'detected' or 'published'")


def _snapshot_key(source_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"SRC#{source_id}"}, "SK": {"S": SNAPSHOT_SK}}


def _snapshot(item: dict[str, Any]) -> Snapshot:
    source_id, meta = item["source_id"]["S"], _meta(item)
    return codec.snapshot_from_parts(
        source_id, int(item["version"]["N"]), meta, bytes(item["entries"]["B"])
    )


# A head is the snapshot item without `entries` (its bulk): a projection leaves it on the server.
_HEAD_PROJECTION: dict[str, Any] = {
    "ProjectionExpression": "#source, #version, #meta",
    "ExpressionAttributeNames": {"#source": "source_id", "#version": "version", "#meta": "meta"},
}


def _head(item: dict[str, Any]) -> SnapshotHead:
    source_id, meta = item["source_id"]["S"], _meta(item)
    return codec.snapshot_head_from_meta(source_id, int(item["version"]["N"]), meta)


def _meta(item: dict[str, Any]) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads(item["meta"]["S"])
    except ValueError as exc:
        source_id = item["source_id"]["S"]
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return meta


def _change_item(change: Change) -> dict[str, Any]:
    # History (baseline, backfill, cosmetic edits) lives apart, so briefings never read it.
    prefix = "PLAT" if change.announce else "BASE"
    partition = {"S": f"{prefix}#{change.platform}"}
    return {
        "PK": {"S": f"CHG#{change.id}"},
        "SK": {"S": CHANGE_SK},
        "type": {"S": "change"},
        "GSI1PK": partition,
        "GSI1SK": {"S": f"{codec.change_detected_at(change)}#{change.id}"},
        "GSI2PK": partition,
        "GSI2SK": {"S": f"{codec.change_effective_at(change)}#{change.id}"},
        "body": {"S": codec.change_to_json(change)},
    }
