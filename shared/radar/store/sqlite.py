"""The storage port on SQLite: the local default, one file, no server.

One connection guarded by a lock serves every thread. WAL mode lets readers in other processes
(`radar changes` while `radar run` works) read without blocking the writer. The schema is
versioned with `PRAGMA user_version`; `_MIGRATIONS[n]` brings a database from version n to n+1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from radar.errors import StoreConflict, StoreError
from radar.model import ANNOUNCED_KINDS, Change, ChangeQuery, Snapshot, SnapshotHead
from radar.store import codec
from radar.store.sqlite_file import SqliteFile
from radar.subscriptions.model import (
    ALERT_PERIOD_PREFIX,
    FINISHED,
    UNFINISHED,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
    can_take_over,
    with_status,
)

_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE snapshots (
        source_id TEXT PRIMARY KEY,
        version   INTEGER NOT NULL,
        meta      TEXT NOT NULL,   -- JSON: validators and health
        entries   BLOB NOT NULL    -- zlib-compressed JSON list of entries
    );
    CREATE TABLE changes (
        id           TEXT PRIMARY KEY,
        platform     TEXT NOT NULL,
        kind         TEXT NOT NULL,
        detected_at  TEXT NOT NULL,  -- fixed-width ISO-8601 UTC: string order is time order
        effective_at TEXT NOT NULL,  -- published, else detected_at
        body         TEXT NOT NULL   -- JSON of the whole change
    );
    CREATE INDEX changes_by_detected ON changes (detected_at, id);
    CREATE INDEX changes_by_effective ON changes (effective_at, id);
    CREATE INDEX changes_by_platform_detected ON changes (platform, detected_at, id);
    CREATE INDEX changes_by_platform_effective ON changes (platform, effective_at, id);
    """,
    """
    CREATE TABLE subscriptions (
        id       TEXT PRIMARY KEY,
        email    TEXT NOT NULL UNIQUE,
        status   TEXT NOT NULL,
        next_due TEXT,            -- fixed-width ISO-8601 UTC, set only while active
        body     TEXT NOT NULL    -- JSON of the whole subscription
    );
    CREATE INDEX subscriptions_due ON subscriptions (next_due, id) WHERE next_due IS NOT NULL;
    CREATE TABLE deliveries (
        subscription_id TEXT NOT NULL,
        period          TEXT NOT NULL,  -- ISO week in the subscriber's zone: string order is time
        status          TEXT NOT NULL,
        body            TEXT NOT NULL,  -- JSON of the whole delivery
        PRIMARY KEY (subscription_id, period)
    );
    CREATE TABLE suppressions (
        email  TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at     TEXT NOT NULL
    );
    """,
    # 3: alerts. Rows stored before have no alerts (the column's default); the partial index
    # lists the active subscriptions that want alerts.
    """
    ALTER TABLE subscriptions ADD COLUMN alerts INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX subscriptions_alerts ON subscriptions (id) WHERE alerts = 1;
    """,
    # 4: sent mail by time (the API's sent-mail view).
    """
    CREATE INDEX deliveries_sent ON deliveries (json_extract(body, '$.sent_at'))
        WHERE status = 'sent';
    """,
    # 5: mail the mail service rejected for good, by time (the admin's view).
    """
    CREATE INDEX deliveries_rejected ON deliveries (json_extract(body, '$.sent_at'))
        WHERE status = 'rejected';
    """,
    # 6: request counts for rate limits, one row per key and window, deleted once it ends.
    """
    CREATE TABLE rate_hits (
        key          TEXT NOT NULL,
        window_start TEXT NOT NULL,
        hits         INTEGER NOT NULL,
        expires_at   TEXT NOT NULL,  -- the window's end
        PRIMARY KEY (key, window_start)
    );
    CREATE INDEX rate_hits_expiry ON rate_hits (expires_at);
    """,
)


class SqliteStore(SqliteFile):
    """Snapshots, changes, subscriptions and deliveries in one SQLite file (or `":memory:"`)."""

    name = "SQLite store"

    def _migrate(self) -> None:
        (current,) = self._conn.execute("PRAGMA user_version").fetchone()
        self._upgrade(current, _MIGRATIONS, lambda version: f"PRAGMA user_version = {version};")

    # --- snapshots ------------------------------------------------------------------------

    def get_snapshot(self, source_id: str) -> Snapshot | None:
        """The stored snapshot of a source, or None if the source was never stored."""
        with self._locked("get snapshot") as conn:
            row = conn.execute(
                "SELECT source_id, version, meta, entries FROM snapshots WHERE source_id = ?",
                (source_id,),
            ).fetchone()
        return None if row is None else _snapshot(row)

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        """Stored snapshots of several sources (missing ones are left out)."""
        ids = list(dict.fromkeys(source_ids))
        found: dict[str, Snapshot] = {}
        # SQLite limits bound parameters per statement; stay well below its default of 999.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            with self._locked("get snapshots") as conn:
                rows = conn.execute(
                    "SELECT source_id, version, meta, entries FROM snapshots "  # noqa: S608
                    f"WHERE source_id IN ({marks})",
                    chunk,
                ).fetchall()
            for row in rows:
                found[row[0]] = _snapshot(row)
        return found

    # The entries column is last and left out, so SQLite never reads its overflow pages.

    def get_snapshot_head(self, source_id: str) -> SnapshotHead | None:
        """The stored snapshot's head (hash, validators, health, version), entries unread."""
        with self._locked("get snapshot head") as conn:
            row = conn.execute(
                "SELECT source_id, version, meta FROM snapshots WHERE source_id = ?",
                (source_id,),
            ).fetchone()
        return None if row is None else _head(row)

    def get_snapshot_heads(self, source_ids: Iterable[str]) -> dict[str, SnapshotHead]:
        """Heads of several stored snapshots (missing ones are left out), entries unread."""
        ids = list(dict.fromkeys(source_ids))
        found: dict[str, SnapshotHead] = {}
        for start in range(0, len(ids), 500):  # below SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            with self._locked("get snapshot heads") as conn:
                rows = conn.execute(
                    "SELECT source_id, version, meta FROM snapshots "  # noqa: S608
                    f"WHERE source_id IN ({marks})",
                    chunk,
                ).fetchall()
            found.update((row[0], _head(row)) for row in rows)
        return found

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        """Store the head's hash, validators and health, keep the entries; `StoreConflict` on
        a stale version."""
        if head.version == 0:
            return self.save(head.with_entries()).head
        meta = json.dumps(codec.snapshot_meta(head), ensure_ascii=False)
        with self._locked("save head") as conn:
            cur = conn.execute(
                "UPDATE snapshots SET version = version + 1, meta = ? "
                "WHERE source_id = ? AND version = ?",
                (meta, head.source_id, head.version),
            )
        if cur.rowcount != 1:
            raise StoreConflict(
                f"snapshot of source {head.source_id!r} was saved by someone else "
                f"(expected version {head.version})"
            )
        return replace(head, version=head.version + 1)

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        """Store `changes` and `snapshot` in one transaction; `StoreConflict` on a stale version.

        Changes are keyed by id, so saving the same change again replaces it.
        """
        meta = json.dumps(codec.snapshot_meta(snapshot), ensure_ascii=False)
        entries = codec.encode_entries(snapshot)
        rows = [_change_row(c) for c in changes]
        with self._locked("save") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO changes "
                    "(id, platform, kind, detected_at, effective_at, body) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                if snapshot.version == 0:
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO snapshots (source_id, version, meta, entries) "
                        "VALUES (?, 1, ?, ?)",
                        (snapshot.source_id, meta, entries),
                    )
                else:
                    cur = conn.execute(
                        "UPDATE snapshots SET version = version + 1, meta = ?, entries = ? "
                        "WHERE source_id = ? AND version = ?",
                        (meta, entries, snapshot.source_id, snapshot.version),
                    )
                if cur.rowcount != 1:
                    raise StoreConflict(
                        f"snapshot of source {snapshot.source_id!r} was saved by someone else "
                        f"(expected version {snapshot.version})"
                    )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return replace(snapshot, version=snapshot.version + 1)

    # --- changes --------------------------------------------------------------------------

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        """Changes matching the query, oldest first (by the query's date), ties by id."""
        column = _date_column(query)
        where: list[str] = []
        params: list[Any] = []
        if query.since is not None:
            where.append(f"{column} >= ?")
            params.append(codec.format_datetime(query.since))
        if query.until is not None:
            where.append(f"{column} < ?")
            params.append(codec.format_datetime(query.until))
        if query.platforms:
            platforms = sorted(query.platforms)
            where.append(f"platform IN ({','.join('?' * len(platforms))})")
            params.extend(platforms)
        if not query.include_baseline:
            where.append(f"kind IN ({','.join('?' * len(ANNOUNCED_KINDS))})")
            params.extend(sorted(k.value for k in ANNOUNCED_KINDS))
        # Only fixed column names are interpolated into the SQL; values are bound.
        sql = "SELECT body FROM changes"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {column}, id"
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        with self._locked("query changes") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [codec.change_from_json(body) for (body,) in rows]

    def get_change(self, change_id: str) -> Change | None:
        """One change by id."""
        with self._locked("get change") as conn:
            row = conn.execute("SELECT body FROM changes WHERE id = ?", (change_id,)).fetchone()
        return None if row is None else codec.change_from_json(row[0])

    # --- subscriptions --------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._locked(what) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

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

    # --- deliveries -----------------------------------------------------------------------

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

    def count_hit(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one request of `key` in its window (an upsert); ended windows are deleted."""
        start, end = codec.window_of(now, window)
        with self._transaction("count request") as conn:
            conn.execute(
                "DELETE FROM rate_hits WHERE expires_at <= ?", (codec.format_datetime(now),)
            )
            (hits,) = conn.execute(
                "INSERT INTO rate_hits (key, window_start, hits, expires_at) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (key, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
                (key, codec.format_datetime(start), codec.format_datetime(end)),
            ).fetchone()
        return int(hits)

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


def _date_column(query: ChangeQuery) -> str:
    if query.by == "detected":
        return "detected_at"
    if query.by == "published":
        return "effective_at"
    raise ValueError(f"unknown ChangeQuery.by {query.by!r}: expected 'detected' or 'published'")


def _snapshot(row: tuple[Any, ...]) -> Snapshot:
    source_id, version, meta, entries = row
    try:
        fields = json.loads(meta)
    except ValueError as exc:
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return codec.snapshot_from_parts(source_id, int(version), fields, bytes(entries))


def _head(row: tuple[Any, ...]) -> SnapshotHead:
    source_id, version, meta = row
    try:
        fields = json.loads(meta)
    except ValueError as exc:
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return codec.snapshot_head_from_meta(source_id, int(version), fields)


def _change_row(change: Change) -> tuple[str, str, str, str, str, str]:
    return (
        change.id,
        change.platform,
        change.kind.value,
        codec.change_detected_at(change),
        codec.change_effective_at(change),
        codec.change_to_json(change),
    )
