"""The trend storage port on SQLite: the same file as `SqliteStore`, tables of its own.

It opens its own connection (WAL, like `SqliteStore`) and keeps its own schema version in
`trend_schema`, so the two stores can migrate independently. Counts are rows of distinct
(term, day, source, item) mentions: INSERT OR IGNORE makes recounting the same items a no-op.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

from radar.store.sqlite_file import SqliteFile
from radar.store.trend_ports import (
    MAX_LINKS,
    MAX_TITLE,
    MAX_URL,
    check_counts,
    days_of_month,
    month_days,
    signal_from_json,
    signal_to_json,
)
from radar.trends.model import DailyCount, Link, TermCount, TrendSignal

_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE trend_mentions (
        term     TEXT NOT NULL,
        day      TEXT NOT NULL,   -- yyyy-mm-dd (UTC): string order is day order
        source   TEXT NOT NULL,
        item_key TEXT NOT NULL,
        url      TEXT,
        title    TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (term, day, source, item_key)
    ) WITHOUT ROWID;
    CREATE INDEX trend_mentions_by_day ON trend_mentions (day, term);
    CREATE TABLE trend_sources (
        source    TEXT PRIMARY KEY,
        first_day TEXT NOT NULL
    );
    CREATE TABLE trend_signals (     -- the latest rise of each term (the cooldown state)
        term TEXT PRIMARY KEY,
        rise INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE TABLE trend_signal_log (  -- every rise, for sending and for history
        term     TEXT NOT NULL,
        rise     INTEGER NOT NULL,
        fired_at TEXT NOT NULL,      -- ISO-8601 UTC
        body     TEXT NOT NULL,
        PRIMARY KEY (term, rise)
    );
    CREATE INDEX trend_signal_log_by_time ON trend_signal_log (fired_at, term);
    """,
    # Issue 12: first-seen hour and platform evidence per mention; the long-run history (one
    # row per term and month, a bit per day), filled from the mentions already stored.
    """
    ALTER TABLE trend_mentions ADD COLUMN hour INTEGER;
    ALTER TABLE trend_mentions ADD COLUMN evidence INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE trend_history (
        term  TEXT NOT NULL,
        month TEXT NOT NULL,          -- yyyy-mm
        days  INTEGER NOT NULL,       -- bit d-1 set: mentioned on day d
        PRIMARY KEY (term, month)
    ) WITHOUT ROWID;
    INSERT INTO trend_history (term, month, days)
        SELECT term, substr(day, 1, 7), sum(1 << (CAST(substr(day, 9, 2) AS INTEGER) - 1))
        FROM (SELECT DISTINCT term, day FROM trend_mentions)
        GROUP BY term, substr(day, 1, 7);
    """,
)


class SqliteTrendStore(SqliteFile):
    """Trend counts and signals in the SQLite file of the local store (or `":memory:"`)."""

    name = "SQLite trend store"

    def _migrate(self) -> None:
        self._conn.execute("CREATE TABLE IF NOT EXISTS trend_schema (version INTEGER NOT NULL)")
        (current,) = self._conn.execute(
            "SELECT coalesce(max(version), 0) FROM trend_schema"
        ).fetchone()
        self._upgrade(
            current,
            _MIGRATIONS,
            lambda version: f"INSERT INTO trend_schema (version) VALUES ({version});",  # noqa: S608 (an int)
        )

    # --- counts -----------------------------------------------------------------------------

    def add_counts(self, source: str, day: date, counts: Sequence[TermCount]) -> None:
        """Insert the mentions (duplicates ignored) and the source's first day, in one go."""
        check_counts(source, day, counts)
        rows = [
            (
                c.term,
                day.isoformat(),
                source,
                m.key,
                m.link.url[:MAX_URL] if m.link else None,
                m.link.title[:MAX_TITLE] if m.link else "",
                c.hour,
                -1 if m.countered else int(m.evidence),  # -1: a game or a device
            )
            for c in counts
            for m in c.mentions
        ]
        # Every count is history, even one without mentions (a source's backlog: see TermCount).
        months = month_days({day})
        history = [(c.term, m, mask) for c in counts for m, mask in months.items()]
        with self._locked("add counts") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT INTO trend_mentions "
                    "(term, day, source, item_key, url, title, hour, evidence) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT DO UPDATE SET evidence = max(evidence, excluded.evidence)",
                    rows,
                )
                conn.executemany(
                    "INSERT INTO trend_history (term, month, days) VALUES (?, ?, ?) "
                    "ON CONFLICT DO UPDATE SET days = days | excluded.days",
                    history,
                )
                conn.execute(
                    "INSERT INTO trend_sources (source, first_day) VALUES (?, ?) "
                    "ON CONFLICT (source) DO UPDATE "
                    "SET first_day = min(first_day, excluded.first_day)",
                    (source, day.isoformat()),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def term_counts(self, term: str, start: date, end: date) -> list[DailyCount]:
        """Distinct items per day and source, with up to `MAX_LINKS` links each."""
        with self._locked("read term counts") as conn:
            rows = conn.execute(
                "SELECT day, source, url, title, hour, evidence FROM trend_mentions "
                "WHERE term = ? AND day BETWEEN ? AND ? ORDER BY day, source, item_key",
                (term, start.isoformat(), end.isoformat()),
            ).fetchall()
        counts: dict[tuple[str, str], int] = defaultdict(int)
        evidenced: dict[tuple[str, str], int] = defaultdict(int)
        countered: dict[tuple[str, str], int] = defaultdict(int)
        hours: dict[tuple[str, str], list[int]] = defaultdict(list)
        links: dict[tuple[str, str], list[Link]] = defaultdict(list)
        for day, source, url, title, hour, evidence in rows:
            counts[(day, source)] += 1
            evidenced[(day, source)] += evidence > 0
            countered[(day, source)] += evidence < 0
            if hour is not None:
                hours[(day, source)].append(hour)
            if url and len(links[(day, source)]) < MAX_LINKS:
                links[(day, source)].append(Link(url, title))
        return [
            DailyCount(
                term,
                date.fromisoformat(d),
                s,
                n,
                tuple(links[(d, s)]),
                evidenced=evidenced[(d, s)],
                countered=countered[(d, s)],
                # Hours only when every item has one (rows stored before issue 12 have none).
                hours=tuple(sorted(hours[(d, s)])) if len(hours[(d, s)]) == n else (),
            )
            for (d, s), n in counts.items()
        ]

    def term_history(self, term: str, start: date, end: date) -> set[date]:
        with self._locked("read term history") as conn:
            rows = conn.execute(
                "SELECT month, days FROM trend_history WHERE term = ? AND month BETWEEN ? AND ?",
                (term, start.isoformat()[:7], end.isoformat()[:7]),
            ).fetchall()
        out: set[date] = set()
        for month, mask in rows:
            out |= days_of_month(month, mask, start, end)
        return out

    def candidate_terms(self, start: date, end: date) -> set[str]:
        with self._locked("read candidate terms") as conn:
            rows = conn.execute(
                "SELECT DISTINCT term FROM trend_mentions "
                "WHERE day BETWEEN ? AND ? AND evidence = 1",
                (start.isoformat(), end.isoformat()),
            ).fetchall()
        return {r[0] for r in rows}

    def active_terms(self, start: date, end: date) -> set[str]:
        with self._locked("read active terms") as conn:
            rows = conn.execute(
                "SELECT DISTINCT term FROM trend_mentions WHERE day BETWEEN ? AND ?",
                (start.isoformat(), end.isoformat()),
            ).fetchall()
        return {r[0] for r in rows}

    def source_first_days(self) -> dict[str, date]:
        with self._locked("read trend sources") as conn:
            rows = conn.execute("SELECT source, first_day FROM trend_sources").fetchall()
        return {s: date.fromisoformat(d) for s, d in rows}

    # --- signals ----------------------------------------------------------------------------

    def get_signal(self, term: str) -> TrendSignal | None:
        with self._locked("read signal") as conn:
            row = conn.execute("SELECT body FROM trend_signals WHERE term = ?", (term,)).fetchone()
        return None if row is None else signal_from_json(row[0])

    def put_signal(self, signal: TrendSignal) -> bool:
        """Conditional on the stored rise; the log row is written in the same transaction."""
        body = signal_to_json(signal)
        with self._locked("put signal") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT rise FROM trend_signals WHERE term = ?", (signal.term,)
                ).fetchone()
                if (row[0] if row else 0) != signal.rise - 1:
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(
                    "INSERT OR REPLACE INTO trend_signals (term, rise, body) VALUES (?, ?, ?)",
                    (signal.term, signal.rise, body),
                )
                conn.execute(
                    "INSERT INTO trend_signal_log (term, rise, fired_at, body) VALUES (?, ?, ?, ?)",
                    (signal.term, signal.rise, _utc(signal.fired_at), body),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return True

    def signals_between(self, start: datetime, end: datetime) -> list[TrendSignal]:
        with self._locked("read signals") as conn:
            rows = conn.execute(
                "SELECT body FROM trend_signal_log WHERE fired_at >= ? AND fired_at < ? "
                "ORDER BY fired_at, term",
                (_utc(start), _utc(end)),
            ).fetchall()
        return [signal_from_json(r[0]) for r in rows]


def _utc(when: datetime) -> str:
    """Fixed-width ISO-8601 UTC, so string order is time order."""
    if when.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
