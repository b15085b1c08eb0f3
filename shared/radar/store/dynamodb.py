"""The storage port on DynamoDB: one table, keys and access patterns in docs/storage.md.

Items (full key design and access patterns in docs/storage.md):

- snapshot: PK `SRC#<source>`, SK `SNAPSHOT`; `version` is the optimistic lock.
- change: PK `CHG#<id>`, SK `CHANGE`; GSI1PK = GSI2PK = `PLAT#<platform>` (`BASE#<platform>`
  for baseline changes), GSI1SK `<detected_at>#<id>`, GSI2SK `<effective date>#<id>`.
- platform list: PK `META`, SK `PLATFORMS`, `platforms` a string set.
- subscription: PK `SUB#<id>`, SK `SUBSCRIPTION`; while active GSI1PK `DUE`, GSI1SK
  `<next_due>#<id>` (a sparse use of GSI1: the due index); while active with alerts GSI2PK
  `ALERTS`, GSI2SK `<id>` (a sparse use of GSI2: the alert subscribers).
- email claim: PK `EMAIL#<email>`, SK `EMAIL`, `subscription_id` (one subscription per address).
- delivery: PK `SUB#<id>`, SK `DELIVERY#<period>`; `status` and `claim` for conditional writes.
  Alert deliveries (period `alert:<term>:<rise>`) carry `expires_at` (TTL) like the signals.
  Sent ones are in GSI2 partition `SENT#<month>`, rejected ones in `REJECTED#<month>`.
- suppression: PK `SUPPRESS#<email>`, SK `SUPPRESSION`.
- rate count: PK `RATE#<key>`, SK `<window start>`, `hits` (an atomic counter), `expires_at`
  (TTL: the window's end).

Changes are never found by Scan: each platform's changes are a partition of GSI1 (by detection
time) and GSI2 (by effective date); "all platforms" reads the platform list item first.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from radar.errors import StoreConflict, StoreError, StoreThrottled
from radar.model import Change, ChangeQuery, Snapshot, SnapshotHead
from radar.store import codec
from radar.subscriptions.model import (
    FINISHED,
    UNFINISHED,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
    can_take_over,
    is_alert_period,
    with_status,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        KeysAndAttributesTypeDef,
        QueryInputTypeDef,
        WriteRequestTypeDef,
    )

AWS_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"mode": "standard", "max_attempts": 5}
)

SNAPSHOT_SK = "SNAPSHOT"
CHANGE_SK = "CHANGE"
REGISTRY_KEY = {"PK": {"S": "META"}, "SK": {"S": "PLATFORMS"}}
SUBSCRIPTION_SK = "SUBSCRIPTION"
EMAIL_SK = "EMAIL"
SUPPRESSION_SK = "SUPPRESSION"
DELIVERY_PREFIX = "DELIVERY#"
DUE_PARTITION = "DUE"
ALERTS_PARTITION = "ALERTS"
# Weekly periods start with a year, alert periods with "alert:": the briefing history is the
# sort-key range of periods starting with a digit.
_WEEKLY_FIRST, _WEEKLY_LAST = f"{DELIVERY_PREFIX}0", f"{DELIVERY_PREFIX}9\uffff"
# An alert delivery is kept as long as the signal it is about (radar.store.trend_dynamodb).
ALERT_DELIVERY_RETENTION = timedelta(days=400)
# Optimistic read-modify-write of a subscription is retried this many times on a conflict.
_UPDATE_ATTEMPTS = 5
GSI_DETECTED = "GSI1"
GSI_EFFECTIVE = "GSI2"
# GSI2 partitions of sent mail, one per month: "SENT#2026-11"; likewise mail rejected for good.
SENT_PARTITION = "SENT#"
REJECTED_PARTITION = "REJECTED#"

# DynamoDB's own per-request caps.
_BATCH_WRITE_MAX = 25
_BATCH_GET_MAX = 100
# Unprocessed batch items are retried with exponential backoff this many times before giving up.
_BATCH_ATTEMPTS = 8
_BACKOFF_BASE = 0.05
_BACKOFF_CAP = 2.0

_CONFLICT_CODES = frozenset({"ConditionalCheckFailedException", "TransactionCanceledException"})
_THROTTLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
    }
)


class DynamoDbStore:
    """Snapshots and changes in one DynamoDB table (the layout `template.yaml` creates)."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        if client is None:
            import boto3  # boto3 is slow to import; only AWS runs need it

            client = boto3.client("dynamodb", config=AWS_CONFIG)
        self._table = table_name
        self._client = client

    def close(self) -> None:
        """Release the client's connections."""
        self._client.close()

    # --- snapshots ------------------------------------------------------------------------

    def get_snapshot(self, source_id: str) -> Snapshot | None:
        """The stored snapshot of a source (one consistent GetItem), or None."""
        with _translated("get snapshot"):
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
        with _translated("get snapshot head"):
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
                with _translated("get snapshots"):
                    response = self._client.batch_get_item(RequestItems=request)
                yield from response.get("Responses", {}).get(self._table, [])
                left = response.get("UnprocessedKeys", {}).get(self._table)
                if not left or not left.get("Keys"):
                    break
                request = {self._table: left}  # type: ignore[dict-item]
                _backoff(attempt)
            else:
                raise StoreThrottled("DynamoDB left snapshot reads unprocessed; retry later")

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        """Update the snapshot's `meta` and `version` only (UpdateItem), conditionally on its
        version; the entries attribute is neither read nor rewritten."""
        if head.version == 0:
            return self.save(head.with_entries()).head
        with _translated(f"save snapshot head of source {head.source_id!r}"):
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
        with _translated(f"save snapshot of source {snapshot.source_id!r}"):
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
        with _translated("register platforms"):
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
                with _translated("save changes"):
                    response = self._client.batch_write_item(RequestItems={self._table: pending})
                unprocessed = response.get("UnprocessedItems") or {}
                pending = list(unprocessed.get(self._table, []))  # type: ignore[arg-type]
                if not pending:
                    break
                _backoff(attempt)
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
        with _translated("list platforms"):
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
            with _translated("query changes"):
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
        with _translated("get change"):
            response = self._client.get_item(
                TableName=self._table,
                Key={"PK": {"S": f"CHG#{change_id}"}, "SK": {"S": CHANGE_SK}},
            )
        item = response.get("Item")
        return None if item is None else codec.change_from_json(item["body"]["S"])

    # --- subscriptions --------------------------------------------------------------------

    def put_subscription(self, sub: Subscription) -> None:
        """Create or replace a subscription and its email claim in one transaction."""
        try:
            with _translated("save subscription"):
                self._client.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self._table,
                                "Item": {
                                    **_email_key(sub.email),
                                    "type": {"S": "email"},
                                    "subscription_id": {"S": sub.id},
                                },
                                "ConditionExpression": (
                                    "attribute_not_exists(PK) OR subscription_id = :id"
                                ),
                                "ExpressionAttributeValues": {":id": {"S": sub.id}},
                            }
                        },
                        {"Put": {"TableName": self._table, "Item": _subscription_item(sub)}},
                    ]
                )
        except StoreConflict:
            raise StoreConflict(f"{sub.email} already has a subscription") from None

    def get_subscription(self, sub_id: str) -> Subscription | None:
        """One subscription by id (one consistent GetItem)."""
        item = self._get(_subscription_key(sub_id), "get subscription")
        return None if item is None else codec.subscription_from_json(item["body"]["S"])

    def find_subscription(self, email: str) -> Subscription | None:
        """The subscription of an address: the email claim, then the subscription."""
        item = self._get(_email_key(email), "find subscription")
        return None if item is None else self.get_subscription(item["subscription_id"]["S"])

    def set_status(
        self,
        sub_id: str,
        status: SubscriptionStatus,
        *,
        at: datetime,
        next_due: datetime | None = None,
        reason: str = "",
    ) -> Subscription | None:
        """Change a subscription's status (optimistic read-modify-write)."""
        return self._update_subscription(
            sub_id,
            lambda sub: with_status(sub, status, at=at, next_due=next_due, reason=reason),
        )

    def advance_due(self, sub_id: str, expected: datetime, next_due: datetime) -> bool:
        """Move an active subscription's next briefing on, if still active and still due then."""

        def advance(sub: Subscription) -> Subscription | None:
            if sub.status is not SubscriptionStatus.ACTIVE or sub.next_due != expected:
                return None
            return replace(sub, next_due=next_due)

        return self._update_subscription(sub_id, advance) is not None

    def _update_subscription(
        self, sub_id: str, change: Callable[[Subscription], Subscription | None]
    ) -> Subscription | None:
        # Conditional on the body read, so a concurrent update (an unsubscribe while a
        # briefing goes out) is never overwritten by a stale copy.
        for _ in range(_UPDATE_ATTEMPTS):
            item = self._get(_subscription_key(sub_id), "read subscription")
            if item is None:
                return None
            updated = change(codec.subscription_from_json(item["body"]["S"]))
            if updated is None:
                return None
            try:
                with _translated("update subscription"):
                    self._client.put_item(
                        TableName=self._table,
                        Item=_subscription_item(updated),
                        ConditionExpression="body = :old",
                        ExpressionAttributeValues={":old": item["body"]},
                    )
            except StoreConflict:
                continue
            return updated
        raise StoreConflict(f"subscription {sub_id} keeps changing under us; retry later")

    def due_subscriptions(self, now: datetime, limit: int | None = None) -> list[Subscription]:
        """Active subscriptions due by `now`: one Query of the sparse due partition of GSI1."""
        # "$" sorts right after "#", so every key "<now>#<id>" is below the bound.
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "IndexName": GSI_DETECTED,
            "KeyConditionExpression": "GSI1PK = :pk AND GSI1SK < :hi",
            "ExpressionAttributeValues": {
                ":pk": {"S": DUE_PARTITION},
                ":hi": {"S": codec.format_datetime(now) + "$"},
            },
            "ScanIndexForward": True,
        }
        found: list[Subscription] = []
        while True:
            if limit is not None:
                request["Limit"] = max(limit - len(found), 1)
            with _translated("list due subscriptions"):
                response = self._client.query(**request)
            found += [codec.subscription_from_json(i["body"]["S"]) for i in response["Items"]]
            last = response.get("LastEvaluatedKey")
            if not last or (limit is not None and len(found) >= limit):
                return found[:limit] if limit is not None else found
            request["ExclusiveStartKey"] = last

    def alert_subscriptions(self) -> list[Subscription]:
        """Active subscriptions with alerts: one Query of the sparse alerts partition of GSI2."""
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "IndexName": GSI_EFFECTIVE,
            "KeyConditionExpression": "GSI2PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": ALERTS_PARTITION}},
            "ScanIndexForward": True,
        }
        found: list[Subscription] = []
        while True:
            with _translated("list alert subscriptions"):
                response = self._client.query(**request)
            found += [codec.subscription_from_json(i["body"]["S"]) for i in response["Items"]]
            last = response.get("LastEvaluatedKey")
            if not last:
                return found
            request["ExclusiveStartKey"] = last

    def suppress(self, email: str, reason: str, at: datetime) -> None:
        """Record the suppression, then mark the address's subscription suppressed."""
        with _translated("suppress address"):
            self._client.put_item(
                TableName=self._table,
                Item={
                    **_suppression_key(email),
                    "type": {"S": "suppression"},
                    "reason": {"S": reason},
                    "at": {"S": codec.format_datetime(at)},
                },
            )
        claim = self._get(_email_key(email), "find subscription")
        if claim is not None:
            self.set_status(
                claim["subscription_id"]["S"], SubscriptionStatus.SUPPRESSED, at=at, reason=reason
            )

    def is_suppressed(self, email: str) -> bool:
        """Whether the address bounced or complained (one GetItem)."""
        return self._get(_suppression_key(email), "check suppression") is not None

    def _get(self, key: dict[str, Any], what: str) -> dict[str, Any] | None:
        with _translated(what):
            response = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        return response.get("Item")

    # --- deliveries -----------------------------------------------------------------------

    def claim_delivery(self, delivery: Delivery, lease: timedelta) -> Delivery | None:
        """Conditional PutItem of a pending delivery: new, or taking over a stale claim."""
        key = _delivery_key(delivery.subscription_id, delivery.period)
        existing = self._get(key, "read delivery")
        claim = replace(delivery, status=DeliveryStatus.PENDING)
        condition: dict[str, Any]
        if existing is None:
            condition = {"ConditionExpression": "attribute_not_exists(PK)"}
        else:
            old = codec.delivery_from_dict(json.loads(existing["body"]["S"]))
            if not can_take_over(old, claim, lease):
                return None
            claim = replace(claim, attempts=old.attempts + 1)
            condition = _still_pending(old.claim)
        try:
            with _translated("claim delivery"):
                self._client.put_item(
                    TableName=self._table, Item=_delivery_item(claim), **condition
                )
        except StoreConflict:
            return None  # someone else claimed it between our read and our write
        return claim

    def mark_delivery(
        self,
        sub_id: str,
        period: str,
        claim: str,
        status: DeliveryStatus,
        *,
        at: datetime | None = None,
        message_id: str = "",
        reason: str = "",
    ) -> bool:
        """Move a claimed delivery on, conditional on the claim and it being unfinished."""
        existing = self.get_delivery(sub_id, period)
        if existing is None or existing.claim != claim or existing.status not in UNFINISHED:
            return False
        updated = replace(existing, status=status)
        if status in FINISHED:
            updated = replace(updated, sent_at=at, message_id=message_id, reason=reason)
        try:
            with _translated("update delivery"):
                self._client.put_item(
                    TableName=self._table, Item=_delivery_item(updated), **_holds(claim)
                )
        except StoreConflict:
            return False
        return True

    def release_delivery(self, sub_id: str, period: str, claim: str) -> bool:
        """Delete an unfinished claim, conditional on the claim."""
        try:
            with _translated("release delivery"):
                self._client.delete_item(
                    TableName=self._table, Key=_delivery_key(sub_id, period), **_holds(claim)
                )
        except StoreConflict:
            return False
        return True

    def get_delivery(self, sub_id: str, period: str) -> Delivery | None:
        """One delivery (one consistent GetItem)."""
        item = self._get(_delivery_key(sub_id, period), "get delivery")
        return None if item is None else codec.delivery_from_dict(json.loads(item["body"]["S"]))

    def sent_deliveries(self, since: datetime, until: datetime, limit: int = 100) -> list[Delivery]:
        """Query the sparse sent-mail partitions of GSI2, one month at a time, newest first."""
        return self._by_month(SENT_PARTITION, since, until, limit)

    def count_hit(self, key: str, now: datetime, window: timedelta) -> int:
        """One UpdateItem: ADD 1 to the window's counter, which expires with the window."""
        start, end = codec.window_of(now, window)
        with _translated("count request"):
            response = self._client.update_item(
                TableName=self._table,
                Key={"PK": {"S": f"RATE#{key}"}, "SK": {"S": codec.format_datetime(start)}},
                UpdateExpression="ADD hits :one SET expires_at = :end",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":end": {"N": str(int(end.timestamp()))},
                },
                ReturnValues="UPDATED_NEW",
            )
        return int(response["Attributes"]["hits"]["N"])

    def rejected_deliveries(
        self, since: datetime, until: datetime, limit: int = 100
    ) -> list[Delivery]:
        """Query the sparse rejected-mail partitions of GSI2, one month at a time, newest first."""
        return self._by_month(REJECTED_PARTITION, since, until, limit)

    def _by_month(
        self, partition: str, since: datetime, until: datetime, limit: int
    ) -> list[Delivery]:
        found: list[Delivery] = []
        low, high = codec.format_datetime(since), codec.format_datetime(until)
        for month in _months_back(since, until):
            request: QueryInputTypeDef = {
                "TableName": self._table,
                "IndexName": GSI_EFFECTIVE,
                "KeyConditionExpression": "GSI2PK = :pk AND GSI2SK BETWEEN :low AND :high",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"{partition}{month}"},
                    ":low": {"S": low},
                    ":high": {"S": high},  # "<until>#..." sorts after `high`: excluded
                },
                "ScanIndexForward": False,
                "Limit": limit - len(found),
            }
            while len(found) < limit:
                with _translated("list deliveries by month"):
                    response = self._client.query(**request)
                found += [
                    codec.delivery_from_dict(json.loads(i["body"]["S"])) for i in response["Items"]
                ]
                last = response.get("LastEvaluatedKey")
                if not last:
                    break
                request["ExclusiveStartKey"] = last
            if len(found) >= limit:
                break
        return found[:limit]

    def last_delivery(self, sub_id: str) -> Delivery | None:
        """Query the subscriber's weekly deliveries newest period first; the first finished."""
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :first AND :last",
            "FilterExpression": "#status IN (:sent, :skipped)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":pk": {"S": f"SUB#{sub_id}"},
                ":first": {"S": _WEEKLY_FIRST},
                ":last": {"S": _WEEKLY_LAST},
                ":sent": {"S": DeliveryStatus.SENT.value},
                ":skipped": {"S": DeliveryStatus.SKIPPED.value},
            },
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        while True:
            with _translated("last delivery"):
                response = self._client.query(**request)
            for item in response["Items"]:
                return codec.delivery_from_dict(json.loads(item["body"]["S"]))
            last = response.get("LastEvaluatedKey")
            if not last:
                return None
            request["ExclusiveStartKey"] = last


def _months_back(since: datetime, until: datetime) -> list[str]:
    """The months (YYYY-MM) from `until` back to `since`, newest first."""
    year, month = until.astimezone(UTC).year, until.astimezone(UTC).month
    first = (since.astimezone(UTC).year, since.astimezone(UTC).month)
    months = []
    while (year, month) >= first:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _index(query: ChangeQuery) -> str:
    if query.by == "detected":
        return GSI_DETECTED
    if query.by == "published":
        return GSI_EFFECTIVE
    raise ValueError(f"unknown ChangeQuery.by {query.by!r}: expected 'detected' or 'published'")


def _snapshot_key(source_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"SRC#{source_id}"}, "SK": {"S": SNAPSHOT_SK}}


def _snapshot(item: dict[str, Any]) -> Snapshot:
    source_id = item["source_id"]["S"]
    try:
        meta = json.loads(item["meta"]["S"])
    except ValueError as exc:
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return codec.snapshot_from_parts(
        source_id, int(item["version"]["N"]), meta, bytes(item["entries"]["B"])
    )


# A head is the snapshot item without `entries` (its bulk): a projection leaves it on the server.
_HEAD_PROJECTION: dict[str, Any] = {
    "ProjectionExpression": "#source, #version, #meta",
    "ExpressionAttributeNames": {"#source": "source_id", "#version": "version", "#meta": "meta"},
}


def _head(item: dict[str, Any]) -> SnapshotHead:
    source_id = item["source_id"]["S"]
    try:
        meta = json.loads(item["meta"]["S"])
    except ValueError as exc:
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return codec.snapshot_head_from_meta(source_id, int(item["version"]["N"]), meta)


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


def _backoff(attempt: int) -> None:
    time.sleep(min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt))


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Turn SDK errors into Radar's own, with what was being done in the message."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code", "")
        message = error.get("Message", str(exc))
        if code in _CONFLICT_CODES:
            raise StoreConflict(f"DynamoDB refused to {what}: condition failed ({code})") from exc
        if code in _THROTTLE_CODES:
            raise StoreThrottled(f"DynamoDB is throttling ({what}): {code}") from exc
        raise StoreError(f"DynamoDB failed to {what}: {code}: {message}") from exc
    except BotoCoreError as exc:
        raise StoreError(f"DynamoDB could not be reached to {what}: {exc}") from exc


def _subscription_key(sub_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUB#{sub_id}"}, "SK": {"S": SUBSCRIPTION_SK}}


def _email_key(email: str) -> dict[str, Any]:
    return {"PK": {"S": f"EMAIL#{email}"}, "SK": {"S": EMAIL_SK}}


def _suppression_key(email: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUPPRESS#{email}"}, "SK": {"S": SUPPRESSION_SK}}


def _delivery_key(sub_id: str, period: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUB#{sub_id}"}, "SK": {"S": f"{DELIVERY_PREFIX}{period}"}}


def _subscription_item(sub: Subscription) -> dict[str, Any]:
    item: dict[str, Any] = {
        **_subscription_key(sub.id),
        "type": {"S": "subscription"},
        "email": {"S": sub.email},
        "status": {"S": sub.status.value},
        "body": {"S": codec.subscription_to_json(sub)},
    }
    # Only active subscriptions are in the due index (sparse: no index attributes otherwise).
    if sub.status is SubscriptionStatus.ACTIVE and sub.weekly and sub.next_due is not None:
        item["GSI1PK"] = {"S": DUE_PARTITION}
        item["GSI1SK"] = {"S": f"{codec.format_datetime(sub.next_due)}#{sub.id}"}
    # ...and only active ones that want alerts are in the alerts partition.
    if sub.status is SubscriptionStatus.ACTIVE and sub.alerts:
        item["GSI2PK"] = {"S": ALERTS_PARTITION}
        item["GSI2SK"] = {"S": sub.id}
    return item


_BY_MONTH = {DeliveryStatus.SENT: SENT_PARTITION, DeliveryStatus.REJECTED: REJECTED_PARTITION}


def _delivery_item(delivery: Delivery) -> dict[str, Any]:
    item: dict[str, Any] = {
        **_delivery_key(delivery.subscription_id, delivery.period),
        "type": {"S": "delivery"},
        "status": {"S": delivery.status.value},
        "claim": {"S": delivery.claim},
        "body": {"S": json.dumps(codec.delivery_to_dict(delivery))},
    }
    if is_alert_period(delivery.period):
        expires = delivery.claimed_at + ALERT_DELIVERY_RETENTION
        item["expires_at"] = {"N": str(int(expires.timestamp()))}
    partition = _BY_MONTH.get(delivery.status)
    if partition is not None and delivery.sent_at is not None:
        # Sparse GSI2 by month of sending: the sent-mail view reads a month per Query.
        sent = codec.format_datetime(delivery.sent_at)
        item["GSI2PK"] = {"S": f"{partition}{sent[:7]}"}
        item["GSI2SK"] = {"S": f"{sent}#{delivery.subscription_id}#{delivery.period}"}
    return item


def _still_pending(claim: str) -> dict[str, Any]:
    """Condition of a take-over: the stale claim we read is still there and still pending.

    Not `_holds`: a claimant that marked it "sending" since our read may have handed the mail
    over already, and a "sending" delivery is never taken over (issue 13, item 9).
    """
    return {
        "ConditionExpression": "claim = :claim AND #status = :pending",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":claim": {"S": claim},
            ":pending": {"S": DeliveryStatus.PENDING.value},
        },
    }


def _holds(claim: str) -> dict[str, Any]:
    """Condition: the delivery is still ours and unfinished."""
    return {
        "ConditionExpression": "claim = :claim AND #status IN (:pending, :sending)",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":claim": {"S": claim},
            ":pending": {"S": DeliveryStatus.PENDING.value},
            ":sending": {"S": DeliveryStatus.SENDING.value},
        },
    }
