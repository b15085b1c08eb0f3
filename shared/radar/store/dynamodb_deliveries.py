"""Deliveries of `DynamoDbStore`: exactly-once claims and the sent and rejected mail views.

Items (full key design and access patterns in docs/storage.md):

- delivery: PK `SUB#<id>`, SK `DELIVERY#<period>`; `status` and `claim` for conditional writes.
  Alert deliveries (period `alert:<term>:<rise>`) carry `expires_at` (TTL) like the signals.
  Sent ones are in GSI2 partition `SENT#<month>`, rejected ones in `REJECTED#<month>`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from radar.errors import StoreConflict
from radar.store import codec
from radar.store.dynamodb_table import GSI_EFFECTIVE, DynamoDbTable, translated
from radar.subscriptions.model import (
    FINISHED,
    UNFINISHED,
    Delivery,
    DeliveryStatus,
    can_take_over,
    is_alert_period,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef

DELIVERY_PREFIX = "DELIVERY#"
# Weekly periods start with a year, alert periods with "alert:": the briefing history is the
# sort-key range of periods starting with a digit.
_WEEKLY_FIRST, _WEEKLY_LAST = f"{DELIVERY_PREFIX}0", f"{DELIVERY_PREFIX}9\uffff"
# An alert delivery is kept as long as the signal it is about (radar.store.trend_dynamodb).
ALERT_DELIVERY_RETENTION = timedelta(days=400)
# GSI2 partitions of sent mail, one per month: "SENT#2026-11"; likewise mail rejected for good.
SENT_PARTITION = "SENT#"
REJECTED_PARTITION = "REJECTED#"


class DynamoDbDeliveries(DynamoDbTable):
    """Deliveries: claimed conditionally, so a briefing or an alert is never sent twice."""

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
            with translated("claim delivery"):
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
            with translated("update delivery"):
                self._client.put_item(
                    TableName=self._table, Item=_delivery_item(updated), **_holds(claim)
                )
        except StoreConflict:
            return False
        return True

    def release_delivery(self, sub_id: str, period: str, claim: str) -> bool:
        """Delete an unfinished claim, conditional on the claim."""
        try:
            with translated("release delivery"):
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
                with translated("list deliveries by month"):
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
            with translated("last delivery"):
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


def _delivery_key(sub_id: str, period: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUB#{sub_id}"}, "SK": {"S": f"{DELIVERY_PREFIX}{period}"}}


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
