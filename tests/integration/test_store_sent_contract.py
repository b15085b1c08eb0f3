"""Sent mail by time, on both adapters: the API's view of briefings and alerts that went out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from radar.store.ports import BriefingStore
from radar.subscriptions.model import Delivery, DeliveryStatus
from tests.support.briefings import record_sent

T0 = datetime(2026, 10, 28, 9, tzinfo=UTC)  # spans a month boundary on purpose
LEASE = timedelta(minutes=15)


def test_store_sent_deliveries_newest_first_across_months(store: BriefingStore) -> None:
    for day in range(10):
        record_sent(store, f"s{day % 3}", f"2026-W{44 + day // 7}-{day}", T0 + timedelta(days=day))
    found = store.sent_deliveries(T0, T0 + timedelta(days=30))
    assert [d.sent_at for d in found] == [T0 + timedelta(days=d) for d in range(9, -1, -1)]


def test_store_sent_deliveries_window_is_half_open_and_limited(store: BriefingStore) -> None:
    for day in range(5):
        record_sent(store, "s1", f"p{day}", T0 + timedelta(days=day))
    window = store.sent_deliveries(T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert [d.period for d in window] == ["p2", "p1"]
    assert [d.period for d in store.sent_deliveries(T0, T0 + timedelta(days=9), limit=2)] == [
        "p4",
        "p3",
    ]


def test_store_sent_deliveries_leave_out_unsent_claims(store: BriefingStore) -> None:
    record_sent(store, "s1", "2026-W44", T0)
    pending = Delivery("s2", "2026-W44", DeliveryStatus.PENDING, "c", T0, T0, T0)
    assert store.claim_delivery(pending, LEASE) is not None
    assert [d.subscription_id for d in store.sent_deliveries(T0, T0 + timedelta(days=1))] == ["s1"]
