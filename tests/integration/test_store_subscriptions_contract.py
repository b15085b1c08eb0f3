"""The subscription half of the storage contract, on SQLite and DynamoDB (moto) alike.

`test_store_*` tests use the parametrized `store` fixture (tests/integration/conftest.py);
`test_dynamodb_*` tests check what only the DynamoDB adapter promises (no Scan).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from radar.errors import StoreConflict
from radar.store.dynamodb import DynamoDbStore
from radar.store.ports import BriefingStore
from radar.subscriptions.model import (
    Delivery,
    DeliveryStatus,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
)

T0 = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
LEASE = timedelta(minutes=15)


def sub(sid: str = "s1", email: str = "team@example.com", **fields: Any) -> Subscription:
    values: dict[str, Any] = {
        "id": sid,
        "email": email,
        "platforms": frozenset({"instagram", "tiktok"}),
        "categories": frozenset({"deprecation"}),
        "severities": frozenset({"action"}),
        "weekday": 0,
        "hour": 8,
        "tz": "Asia/Riyadh",
        "lang": "ar",
        "empty_week": EmptyWeek.SKIP,
        "created_at": T0 - timedelta(days=3),
    }
    values.update(fields)
    return Subscription(**values)


def active(store: BriefingStore, sid: str, due: datetime, email: str | None = None) -> None:
    store.put_subscription(sub(sid, email or f"{sid}@example.com"))
    store.set_status(sid, SubscriptionStatus.ACTIVE, at=T0 - HOUR, next_due=due)


def delivery(
    sid: str = "s1", period: str = "2026-W47", claim: str = "c1", at: datetime = T0
) -> Delivery:
    return Delivery(
        subscription_id=sid,
        period=period,
        status=DeliveryStatus.PENDING,
        claim=claim,
        claimed_at=at,
        since=at - timedelta(days=7),
        until=at,
    )


# --- subscriptions --------------------------------------------------------------------------


def test_store_subscription_round_trips_every_field(store: BriefingStore) -> None:
    original = sub(
        status=SubscriptionStatus.ACTIVE,
        confirmed_at=T0 - timedelta(days=2),
        next_due=T0,
        status_reason="why",
    )
    store.put_subscription(original)
    assert store.get_subscription("s1") == original


def test_store_get_subscription_missing_is_none(store: BriefingStore) -> None:
    assert store.get_subscription("nobody") is None


def test_store_find_subscription_by_email(store: BriefingStore) -> None:
    store.put_subscription(sub())
    found = store.find_subscription("team@example.com")
    assert found is not None and found.id == "s1"
    assert store.find_subscription("other@example.com") is None


def test_store_put_subscription_replaces_same_id(store: BriefingStore) -> None:
    store.put_subscription(sub())
    store.put_subscription(sub(lang="en"))
    found = store.get_subscription("s1")
    assert found is not None and found.lang == "en"


def test_store_put_subscription_refuses_email_of_another(store: BriefingStore) -> None:
    store.put_subscription(sub("s1"))
    with pytest.raises(StoreConflict, match="already has a subscription"):
        store.put_subscription(sub("s2"))
    assert store.get_subscription("s2") is None


def test_store_set_status_active_records_confirmation_and_schedule(store: BriefingStore) -> None:
    store.put_subscription(sub())
    updated = store.set_status("s1", SubscriptionStatus.ACTIVE, at=T0 - HOUR, next_due=T0)
    assert updated is not None
    assert (updated.status, updated.confirmed_at, updated.next_due) == (
        SubscriptionStatus.ACTIVE,
        T0 - HOUR,
        T0,
    )
    assert store.get_subscription("s1") == updated


def test_store_set_status_missing_is_none(store: BriefingStore) -> None:
    assert store.set_status("nobody", SubscriptionStatus.UNSUBSCRIBED, at=T0) is None


def test_store_due_subscriptions_lists_only_active_and_due(store: BriefingStore) -> None:
    active(store, "early", T0 - HOUR)
    active(store, "now", T0)
    active(store, "later", T0 + HOUR)
    store.put_subscription(sub("pending", "pending@example.com", next_due=T0 - HOUR))
    assert [s.id for s in store.due_subscriptions(T0)] == ["early", "now"]


def test_store_due_subscriptions_limit(store: BriefingStore) -> None:
    for n in range(3):
        active(store, f"s{n}", T0 - n * HOUR)
    assert [s.id for s in store.due_subscriptions(T0, limit=2)] == ["s2", "s1"]


def test_store_unsubscribe_leaves_due_index(store: BriefingStore) -> None:
    active(store, "s1", T0)
    store.set_status("s1", SubscriptionStatus.UNSUBSCRIBED, at=T0)
    assert store.due_subscriptions(T0) == []
    found = store.get_subscription("s1")
    assert found is not None and found.next_due is None


def test_store_advance_due_moves_schedule(store: BriefingStore) -> None:
    active(store, "s1", T0)
    assert store.advance_due("s1", T0, T0 + timedelta(days=7))
    assert store.due_subscriptions(T0) == []
    assert [s.id for s in store.due_subscriptions(T0 + timedelta(days=7))] == ["s1"]


def test_store_advance_due_twice_second_fails(store: BriefingStore) -> None:
    active(store, "s1", T0)
    assert store.advance_due("s1", T0, T0 + timedelta(days=7))
    assert not store.advance_due("s1", T0, T0 + timedelta(days=14))


def test_store_advance_due_does_not_revive_unsubscribed(store: BriefingStore) -> None:
    active(store, "s1", T0)
    store.set_status("s1", SubscriptionStatus.UNSUBSCRIBED, at=T0)
    assert not store.advance_due("s1", T0, T0 + timedelta(days=7))
    found = store.get_subscription("s1")
    assert found is not None and found.status is SubscriptionStatus.UNSUBSCRIBED


def test_store_suppress_marks_address_and_subscription(store: BriefingStore) -> None:
    active(store, "s1", T0, email="team@example.com")
    store.suppress("team@example.com", "bounce: Permanent/General", T0)
    found = store.get_subscription("s1")
    assert store.is_suppressed("team@example.com")
    assert found is not None and found.status is SubscriptionStatus.SUPPRESSED
    assert found.status_reason == "bounce: Permanent/General"
    assert store.due_subscriptions(T0) == []


def test_store_suppress_unknown_address(store: BriefingStore) -> None:
    store.suppress("stranger@example.com", "complaint", T0)
    assert store.is_suppressed("stranger@example.com")
    assert not store.is_suppressed("team@example.com")


# --- deliveries -----------------------------------------------------------------------------


def test_store_claim_delivery_first_claim_wins(store: BriefingStore) -> None:
    first = store.claim_delivery(delivery(claim="a"), LEASE)
    second = store.claim_delivery(delivery(claim="b"), LEASE)
    assert first == delivery(claim="a")
    assert second is None
    assert store.get_delivery("s1", "2026-W47") == first


def test_store_claim_delivery_other_period_is_free(store: BriefingStore) -> None:
    assert store.claim_delivery(delivery(period="2026-W47"), LEASE) is not None
    assert store.claim_delivery(delivery(period="2026-W48"), LEASE) is not None


def test_store_claim_delivery_takes_over_stale_pending(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    late = store.claim_delivery(delivery(claim="b", at=T0 + LEASE), LEASE)
    assert late is not None and (late.claim, late.attempts) == ("b", 2)
    assert not store.mark_delivery("s1", "2026-W47", "a", DeliveryStatus.SENDING)


def test_store_claim_delivery_never_takes_over_sending(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    assert store.mark_delivery("s1", "2026-W47", "a", DeliveryStatus.SENDING)
    assert store.claim_delivery(delivery(claim="b", at=T0 + 10 * LEASE), LEASE) is None


def test_store_claim_delivery_never_takes_over_sent(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    store.mark_delivery("s1", "2026-W47", "a", DeliveryStatus.SENT, at=T0, message_id="m-1")
    assert store.claim_delivery(delivery(claim="b", at=T0 + 10 * LEASE), LEASE) is None


def test_store_mark_delivery_sent_records_message(store: BriefingStore) -> None:
    store.claim_delivery(delivery(), LEASE)
    assert store.mark_delivery("s1", "2026-W47", "c1", DeliveryStatus.SENDING)
    assert store.mark_delivery(
        "s1", "2026-W47", "c1", DeliveryStatus.SENT, at=T0 + HOUR, message_id="m-1"
    )
    found = store.get_delivery("s1", "2026-W47")
    assert found is not None
    assert (found.status, found.sent_at, found.message_id) == (
        DeliveryStatus.SENT,
        T0 + HOUR,
        "m-1",
    )


def test_store_mark_delivery_finished_is_final(store: BriefingStore) -> None:
    store.claim_delivery(delivery(), LEASE)
    store.mark_delivery("s1", "2026-W47", "c1", DeliveryStatus.SENT, at=T0, message_id="m-1")
    assert not store.mark_delivery("s1", "2026-W47", "c1", DeliveryStatus.SENT, at=T0)


def test_store_mark_delivery_with_wrong_claim_fails(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    assert not store.mark_delivery("s1", "2026-W47", "b", DeliveryStatus.SENT, at=T0)


def test_store_release_delivery_frees_the_period(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    assert store.release_delivery("s1", "2026-W47", "a")
    assert store.get_delivery("s1", "2026-W47") is None
    assert store.claim_delivery(delivery(claim="b"), LEASE) is not None


def test_store_release_delivery_of_sent_fails(store: BriefingStore) -> None:
    store.claim_delivery(delivery(claim="a"), LEASE)
    store.mark_delivery("s1", "2026-W47", "a", DeliveryStatus.SENT, at=T0)
    assert not store.release_delivery("s1", "2026-W47", "a")
    assert store.get_delivery("s1", "2026-W47") is not None


def test_store_last_delivery_is_latest_finished(store: BriefingStore) -> None:
    for period, status in (
        ("2026-W45", DeliveryStatus.SENT),
        ("2026-W46", DeliveryStatus.SKIPPED),
        ("2026-W47", None),
    ):
        store.claim_delivery(delivery(period=period), LEASE)
        if status is not None:
            store.mark_delivery("s1", period, "c1", status, at=T0)
    store.claim_delivery(delivery(sid="s2", period="2026-W50"), LEASE)
    store.mark_delivery("s2", "2026-W50", "c1", DeliveryStatus.SENT, at=T0)
    last = store.last_delivery("s1")
    assert last is not None and (last.period, last.status) == ("2026-W46", DeliveryStatus.SKIPPED)


def test_store_last_delivery_none_yet(store: BriefingStore) -> None:
    store.put_subscription(sub())
    assert store.last_delivery("s1") is None


def test_store_delivery_round_trips(store: BriefingStore) -> None:
    original = replace(delivery(), since=T0 - timedelta(days=8, microseconds=5))
    store.claim_delivery(original, LEASE)
    assert store.get_delivery("s1", "2026-W47") == original


# --- DynamoDB only --------------------------------------------------------------------------


def test_dynamodb_subscription_paths_never_scan(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    active(dynamodb_store, "s1", T0)
    dynamodb_store.due_subscriptions(T0)
    dynamodb_store.find_subscription("s1@example.com")
    dynamodb_store.claim_delivery(delivery(), LEASE)
    dynamodb_store.last_delivery("s1")
    dynamodb_store.suppress("s1@example.com", "bounce", T0)
    assert "Scan" not in dynamodb_calls
    assert dynamodb_calls.count("Query") == 2
