"""Subscriptions and suppressions of `DynamoDbStore` (the mail side, with dynamodb_deliveries).

Items (full key design and access patterns in docs/storage.md):

- subscription: PK `SUB#<id>`, SK `SUBSCRIPTION`; while active GSI1PK `DUE`, GSI1SK
  `<next_due>#<id>` (a sparse use of GSI1: the due index); while active with alerts GSI2PK
  `ALERTS`, GSI2SK `<id>` (a sparse use of GSI2: the alert subscribers).
- email claim: PK `EMAIL#<email>`, SK `EMAIL`, `subscription_id` (one subscription per address).
- suppression: PK `SUPPRESS#<email>`, SK `SUPPRESSION`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from radar.errors import StoreConflict
from radar.store import codec
from radar.store.dynamodb_table import GSI_DETECTED, GSI_EFFECTIVE, DynamoDbTable, translated
from radar.subscriptions.model import Subscription, SubscriptionStatus, with_status

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef

SUBSCRIPTION_SK = "SUBSCRIPTION"
EMAIL_SK = "EMAIL"
SUPPRESSION_SK = "SUPPRESSION"
DUE_PARTITION = "DUE"
ALERTS_PARTITION = "ALERTS"
# Optimistic read-modify-write of a subscription is retried this many times on a conflict.
_UPDATE_ATTEMPTS = 5


class DynamoDbSubscriptions(DynamoDbTable):
    """Subscriptions (one per address, by an email claim), the due index and suppressions."""

    def put_subscription(self, sub: Subscription) -> None:
        """Create or replace a subscription and its email claim in one transaction."""
        try:
            with translated("save subscription"):
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
                with translated("update subscription"):
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
            with translated("list due subscriptions"):
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
            with translated("list alert subscriptions"):
                response = self._client.query(**request)
            found += [codec.subscription_from_json(i["body"]["S"]) for i in response["Items"]]
            last = response.get("LastEvaluatedKey")
            if not last:
                return found
            request["ExclusiveStartKey"] = last

    def suppress(self, email: str, reason: str, at: datetime) -> None:
        """Record the suppression, then mark the address's subscription suppressed."""
        with translated("suppress address"):
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


def _subscription_key(sub_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUB#{sub_id}"}, "SK": {"S": SUBSCRIPTION_SK}}


def _email_key(email: str) -> dict[str, Any]:
    return {"PK": {"S": f"EMAIL#{email}"}, "SK": {"S": EMAIL_SK}}


def _suppression_key(email: str) -> dict[str, Any]:
    return {"PK": {"S": f"SUPPRESS#{email}"}, "SK": {"S": SUPPRESSION_SK}}


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
