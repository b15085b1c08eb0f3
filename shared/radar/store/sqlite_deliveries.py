"""Deliveries of `SqliteStore`: exactly-once claims and the sent and rejected mail views."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

from radar.store import codec
from radar.store.sqlite_file import SqliteFile
from radar.subscriptions.model import (
    ALERT_PERIOD_PREFIX,
    FINISHED,
    UNFINISHED,
    Delivery,
    DeliveryStatus,
    can_take_over,
)


class SqliteDeliveries(SqliteFile):
    """Deliveries: claimed in a transaction, so a briefing or an alert is never sent twice."""

    def claim_delivery(self, delivery: Delivery, lease: timedelta) -> Delivery | None:
        """Record a pending delivery unless this subscriber and period are taken."""
        with self._transaction("claim delivery") as conn:
            existing = _delivery_row(conn, delivery.subscription_id, delivery.period)
            claim = replace(delivery, status=DeliveryStatus.PENDING)
            if existing is not None:
                if not can_take_over(existing, claim, lease):
                    return None
                claim = replace(claim, attempts=existing.attempts + 1)
            _write_delivery(conn, claim)
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
        """Move a claimed delivery on; False if the claim no longer holds or it is finished."""
        with self._transaction("update delivery") as conn:
            existing = _delivery_row(conn, sub_id, period)
            if existing is None or existing.claim != claim or existing.status not in UNFINISHED:
                return False
            updated = replace(existing, status=status)
            if status in FINISHED:
                updated = replace(updated, sent_at=at, message_id=message_id, reason=reason)
            _write_delivery(conn, updated)
        return True

    def release_delivery(self, sub_id: str, period: str, claim: str) -> bool:
        """Drop an unfinished claim so a later run retries."""
        with self._transaction("release delivery") as conn:
            existing = _delivery_row(conn, sub_id, period)
            if existing is None or existing.claim != claim or existing.status not in UNFINISHED:
                return False
            conn.execute(
                "DELETE FROM deliveries WHERE subscription_id = ? AND period = ?",
                (sub_id, period),
            )
        return True

    def get_delivery(self, sub_id: str, period: str) -> Delivery | None:
        """One delivery."""
        with self._locked("get delivery") as conn:
            return _delivery_row(conn, sub_id, period)

    def last_delivery(self, sub_id: str) -> Delivery | None:
        """The subscriber's latest finished (sent or skipped) weekly briefing, by period."""
        # Alert periods ("alert:...") sort after every ISO week; they are not briefings.
        with self._locked("last delivery") as conn:
            row = conn.execute(
                "SELECT body FROM deliveries WHERE subscription_id = ? AND status IN (?, ?) "
                "AND substr(period, 1, ?) != ? ORDER BY period DESC LIMIT 1",
                (
                    sub_id,
                    DeliveryStatus.SENT.value,
                    DeliveryStatus.SKIPPED.value,
                    len(ALERT_PERIOD_PREFIX),
                    ALERT_PERIOD_PREFIX,
                ),
            ).fetchone()
        return None if row is None else codec.delivery_from_dict(json.loads(row[0]))

    def sent_deliveries(self, since: datetime, until: datetime, limit: int = 100) -> list[Delivery]:
        """Briefings and alerts sent in [since, until), newest first (the deliveries_sent index)."""
        return self._finished(DeliveryStatus.SENT, since, until, limit)

    def rejected_deliveries(
        self, since: datetime, until: datetime, limit: int = 100
    ) -> list[Delivery]:
        """Mail rejected for good in [since, until), newest first (deliveries_rejected index)."""
        return self._finished(DeliveryStatus.REJECTED, since, until, limit)

    def _finished(
        self, status: DeliveryStatus, since: datetime, until: datetime, limit: int
    ) -> list[Delivery]:
        # The status is a literal in the SQL, so SQLite can use that status's partial index.
        literal = {DeliveryStatus.SENT: "'sent'", DeliveryStatus.REJECTED: "'rejected'"}[status]
        with self._locked(f"{status.value} deliveries") as conn:
            rows = conn.execute(
                f"SELECT body FROM deliveries WHERE status = {literal} "  # noqa: S608
                "AND json_extract(body, '$.sent_at') >= ? AND json_extract(body, '$.sent_at') < ? "
                "ORDER BY json_extract(body, '$.sent_at') DESC LIMIT ?",
                (codec.format_datetime(since), codec.format_datetime(until), limit),
            ).fetchall()
        return [codec.delivery_from_dict(json.loads(row[0])) for row in rows]


def _delivery_row(conn: sqlite3.Connection, sub_id: str, period: str) -> Delivery | None:
    row = conn.execute(
        "SELECT body FROM deliveries WHERE subscription_id = ? AND period = ?", (sub_id, period)
    ).fetchone()
    return None if row is None else codec.delivery_from_dict(json.loads(row[0]))


def _write_delivery(conn: sqlite3.Connection, delivery: Delivery) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO deliveries (subscription_id, period, status, body) "
        "VALUES (?, ?, ?, ?)",
        (
            delivery.subscription_id,
            delivery.period,
            delivery.status.value,
            json.dumps(codec.delivery_to_dict(delivery)),
        ),
    )
