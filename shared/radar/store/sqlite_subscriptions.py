"""Subscriptions and suppressions of `SqliteStore` (the mail side, with sqlite_deliveries)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from typing import Any

from radar.errors import StoreConflict
from radar.store import codec
from radar.store.sqlite_file import SqliteFile
from radar.subscriptions.model import Subscription, SubscriptionStatus, with_status


class SqliteSubscriptions(SqliteFile):
    """Subscriptions (one per address), the due and alert indexes, and suppressions."""

    def put_subscription(self, sub: Subscription) -> None:
        """Create or replace a subscription; `StoreConflict` if its email belongs to another."""
        with self._transaction("put subscription") as conn:
            row = conn.execute(
                "SELECT id FROM subscriptions WHERE email = ?", (sub.email,)
            ).fetchone()
            if row is not None and row[0] != sub.id:
                raise StoreConflict(f"{sub.email} already has a subscription")
            _write_subscription(conn, sub)

    def get_subscription(self, sub_id: str) -> Subscription | None:
        """One subscription by id."""
        with self._locked("get subscription") as conn:
            row = conn.execute("SELECT body FROM subscriptions WHERE id = ?", (sub_id,)).fetchone()
        return None if row is None else codec.subscription_from_json(row[0])

    def find_subscription(self, email: str) -> Subscription | None:
        """The subscription of a (normalised) email address, if any."""
        with self._locked("find subscription") as conn:
            row = conn.execute(
                "SELECT body FROM subscriptions WHERE email = ?", (email,)
            ).fetchone()
        return None if row is None else codec.subscription_from_json(row[0])

    def set_status(
        self,
        sub_id: str,
        status: SubscriptionStatus,
        *,
        at: datetime,
        next_due: datetime | None = None,
        reason: str = "",
    ) -> Subscription | None:
        """Change a subscription's status (None if there is no such subscription)."""
        with self._transaction("update subscription") as conn:
            row = conn.execute("SELECT body FROM subscriptions WHERE id = ?", (sub_id,)).fetchone()
            if row is None:
                return None
            updated = with_status(
                codec.subscription_from_json(row[0]),
                status,
                at=at,
                next_due=next_due,
                reason=reason,
            )
            _write_subscription(conn, updated)
        return updated

    def advance_due(self, sub_id: str, expected: datetime, next_due: datetime) -> bool:
        """Move an active subscription's next briefing on, if still active and still due then."""
        with self._transaction("advance subscription") as conn:
            row = conn.execute(
                "SELECT body FROM subscriptions WHERE id = ? AND status = ? AND next_due = ?",
                (sub_id, SubscriptionStatus.ACTIVE.value, codec.format_datetime(expected)),
            ).fetchone()
            if row is None:
                return False
            sub = codec.subscription_from_json(row[0])
            _write_subscription(conn, replace(sub, next_due=next_due))
        return True

    def due_subscriptions(self, now: datetime, limit: int | None = None) -> list[Subscription]:
        """Active subscriptions whose next briefing is at or before `now`, earliest first."""
        sql = "SELECT body FROM subscriptions WHERE next_due IS NOT NULL AND next_due <= ?"
        sql += " ORDER BY next_due, id"
        params: list[Any] = [codec.format_datetime(now)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._locked("list due subscriptions") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [codec.subscription_from_json(body) for (body,) in rows]

    def alert_subscriptions(self) -> list[Subscription]:
        """Active subscriptions that asked for alerts, by id."""
        with self._locked("list alert subscriptions") as conn:
            rows = conn.execute(
                "SELECT body FROM subscriptions WHERE alerts = 1 ORDER BY id"
            ).fetchall()
        return [codec.subscription_from_json(body) for (body,) in rows]

    def suppress(self, email: str, reason: str, at: datetime) -> None:
        """Never mail this address again; its subscription (if any) becomes suppressed."""
        with self._transaction("suppress address") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO suppressions (email, reason, at) VALUES (?, ?, ?)",
                (email, reason, codec.format_datetime(at)),
            )
            row = conn.execute(
                "SELECT body FROM subscriptions WHERE email = ?", (email,)
            ).fetchone()
            if row is not None:
                sub = codec.subscription_from_json(row[0])
                _write_subscription(
                    conn, with_status(sub, SubscriptionStatus.SUPPRESSED, at=at, reason=reason)
                )

    def is_suppressed(self, email: str) -> bool:
        """Whether the address bounced or complained."""
        with self._locked("check suppression") as conn:
            row = conn.execute("SELECT 1 FROM suppressions WHERE email = ?", (email,)).fetchone()
        return row is not None


def _write_subscription(conn: sqlite3.Connection, sub: Subscription) -> None:
    next_due = (
        codec.format_datetime(sub.next_due)
        if sub.status is SubscriptionStatus.ACTIVE and sub.weekly and sub.next_due is not None
        else None
    )
    alerts = int(sub.status is SubscriptionStatus.ACTIVE and bool(sub.alerts))
    conn.execute(
        "INSERT OR REPLACE INTO subscriptions (id, email, status, next_due, alerts, body) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (sub.id, sub.email, sub.status.value, next_due, alerts, codec.subscription_to_json(sub)),
    )
