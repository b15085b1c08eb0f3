"""Rate limits of `SqliteStore`: request counts per key and time window (migration 6)."""

from __future__ import annotations

from datetime import datetime, timedelta

from radar.store import codec
from radar.store.sqlite_file import SqliteFile


class SqliteRates(SqliteFile):
    """Request counts for rate limits: one row per key and window, deleted once it ends."""

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
