"""The storage port on SQLite: the local default, one file, no server.

One connection guarded by a lock serves every thread. WAL mode lets readers in other processes
(`radar changes` while `radar run` works) read without blocking the writer. The schema is
versioned with `PRAGMA user_version`; `_MIGRATIONS[n]` brings a database from version n to n+1.

`SqliteStore` is composed of one part per responsibility, each over the same connection
(`sqlite_file`): snapshots and changes (`sqlite_watch`), subscriptions and suppressions
(`sqlite_subscriptions`), deliveries (`sqlite_deliveries`) and rate limits (`sqlite_rates`).
The schema of all their tables is here, as one sequence of migrations.
"""

from __future__ import annotations

from radar.store.sqlite_deliveries import SqliteDeliveries
from radar.store.sqlite_rates import SqliteRates
from radar.store.sqlite_subscriptions import SqliteSubscriptions
from radar.store.sqlite_watch import SqliteWatch

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


class SqliteStore(SqliteWatch, SqliteSubscriptions, SqliteDeliveries, SqliteRates):
    """Snapshots, changes, subscriptions and deliveries in one SQLite file (or `":memory:"`)."""

    name = "SQLite store"

    def _migrate(self) -> None:
        (current,) = self._conn.execute("PRAGMA user_version").fetchone()
        self._upgrade(current, _MIGRATIONS, lambda version: f"PRAGMA user_version = {version};")
