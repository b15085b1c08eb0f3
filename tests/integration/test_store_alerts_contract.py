"""The alert half of the subscription contract, on SQLite and DynamoDB (moto) alike.

Alert subscribers are listed without a Scan; alert deliveries (`alert:<term>:<rise>`) use the
same claims as briefings but never count as a subscriber's last briefing. Stores written
before alerts existed (SQLite schema 2) open and read back unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from radar.store import codec
from radar.store.dynamodb import DynamoDbStore
from radar.store.ports import BriefingStore
from radar.store.sqlite import _MIGRATIONS, SqliteStore
from radar.subscriptions.model import DeliveryStatus, SubscriptionStatus, alert_period
from tests.integration.test_store_subscriptions_contract import HOUR, LEASE, T0, delivery, sub

ALERTS = frozenset({"emerging"})


def alerting(store: BriefingStore, sid: str, **fields: Any) -> None:
    store.put_subscription(sub(sid, f"{sid}@example.com", alerts=ALERTS, **fields))
    store.set_status(sid, SubscriptionStatus.ACTIVE, at=T0 - HOUR, next_due=T0)


def test_store_alert_subscriptions_lists_only_active_with_alerts(store: BriefingStore) -> None:
    alerting(store, "a2")
    alerting(store, "a1", weekly=False, regions=frozenset({"IN"}))
    store.put_subscription(sub("p1", "p1@example.com", alerts=ALERTS))  # pending
    store.put_subscription(sub("w1", "w1@example.com"))  # weekly only
    store.set_status("w1", SubscriptionStatus.ACTIVE, at=T0, next_due=T0)
    found = store.alert_subscriptions()
    assert [s.id for s in found] == ["a1", "a2"]
    assert found[0].regions == frozenset({"IN"}) and not found[0].weekly


def test_store_alerts_only_subscription_is_never_due(store: BriefingStore) -> None:
    alerting(store, "a1", weekly=False)
    stored = store.get_subscription("a1")
    assert stored is not None and stored.next_due is None
    assert store.due_subscriptions(T0 + timedelta(days=30)) == []


def test_store_unsubscribe_leaves_alert_subscribers(store: BriefingStore) -> None:
    alerting(store, "a1")
    store.set_status("a1", SubscriptionStatus.UNSUBSCRIBED, at=T0, reason="link")
    assert store.alert_subscriptions() == []


def test_store_suppress_leaves_alert_subscribers(store: BriefingStore) -> None:
    alerting(store, "a1")
    store.suppress("a1@example.com", "bounce", T0)
    assert store.alert_subscriptions() == []


def test_store_alert_delivery_is_claimed_once(store: BriefingStore) -> None:
    period = alert_period("noplace", 1)
    assert store.claim_delivery(delivery(period=period), LEASE) is not None
    assert store.claim_delivery(delivery(period=period, claim="c2"), LEASE) is None


def test_store_last_delivery_ignores_alerts(store: BriefingStore) -> None:
    for period in ("2026-W46", alert_period("noplace", 1)):
        store.claim_delivery(delivery(period=period), LEASE)
        store.mark_delivery("s1", period, "c1", DeliveryStatus.SENT, at=T0, message_id="m")
    last = store.last_delivery("s1")
    assert last is not None and last.period == "2026-W46"


def test_store_last_delivery_only_alerts_is_none(store: BriefingStore) -> None:
    period = alert_period("noplace", 1)
    store.claim_delivery(delivery(period=period), LEASE)
    store.mark_delivery("s1", period, "c1", DeliveryStatus.SENT, at=T0)
    assert store.last_delivery("s1") is None


# --- SQLite: migration 3 --------------------------------------------------------------------


def test_sqlite_store_opens_schema_2_and_keeps_subscriptions(tmp_path: Path) -> None:
    path = tmp_path / "radar.sqlite3"
    old = sub("s1", "old@example.com", status=SubscriptionStatus.ACTIVE, next_due=T0)
    body = codec.subscription_to_dict(old)
    for key in ("weekly", "alerts", "regions"):
        del body[key]  # as Radar wrote it before alerts existed
    conn = sqlite3.connect(path)
    for script in _MIGRATIONS[:2]:
        conn.executescript(script)
    conn.execute(
        "INSERT INTO subscriptions (id, email, status, next_due, body) VALUES (?, ?, ?, ?, ?)",
        ("s1", old.email, "active", codec.format_datetime(T0), json.dumps(body)),
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with SqliteStore(path) as store:
        assert store.get_subscription("s1") == old
        assert [s.id for s in store.due_subscriptions(T0)] == ["s1"]
        assert store.alert_subscriptions() == []
        alerting(store, "a1")
        assert [s.id for s in store.alert_subscriptions()] == ["a1"]


# --- DynamoDB only --------------------------------------------------------------------------


def test_dynamodb_alert_paths_never_scan(
    dynamodb_store: DynamoDbStore, dynamodb_calls: list[str]
) -> None:
    alerting(dynamodb_store, "a1")
    dynamodb_store.alert_subscriptions()
    dynamodb_store.claim_delivery(delivery("a1", alert_period("noplace", 1)), LEASE)
    dynamodb_store.last_delivery("a1")
    assert "Scan" not in dynamodb_calls
    assert dynamodb_calls.count("Query") == 2


def test_dynamodb_alert_delivery_expires(
    dynamodb_store: DynamoDbStore, dynamodb_client: Any, table_name: str
) -> None:
    period = alert_period("noplace", 1)
    dynamodb_store.claim_delivery(delivery("a1", period), LEASE)
    item = dynamodb_client.get_item(
        TableName=table_name, Key={"PK": {"S": "SUB#a1"}, "SK": {"S": f"DELIVERY#{period}"}}
    )["Item"]
    assert int(item["expires_at"]["N"]) > int((T0 + timedelta(days=365)).timestamp())


def test_store_alerts_only_with_stale_next_due_is_not_due(store: BriefingStore) -> None:
    # Written directly (not through set_status), an alerts-only row still stays out of the
    # due index: it must never get a briefing.
    store.put_subscription(
        sub(
            "a1",
            "a1@example.com",
            alerts=ALERTS,
            weekly=False,
            status=SubscriptionStatus.ACTIVE,
            next_due=T0,
        )
    )
    assert store.due_subscriptions(T0 + HOUR) == []
