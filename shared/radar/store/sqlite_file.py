"""One SQLite file shared by threads: WAL, one lock, schema migrations and typed errors.

Both local stores (`SqliteStore` for snapshots, changes and subscriptions, `SqliteTrendStore` for
term counts) open the same file through this, each with its own tables and schema version.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from radar.errors import StoreError, StoreThrottled

# Seconds a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT = 10.0


class SqliteFile:
    """A connection to one SQLite file (or `":memory:"`); subclasses add tables and queries."""

    name = "SQLite store"  # how error messages call it

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        if self._path != ":memory:":
            try:
                Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # e.g. under /proc, or a file where a folder should be
                raise StoreError(
                    f"cannot open the {self.name} at {self._path}: cannot create its folder "
                    f"({exc.strerror or exc})"
                ) from exc
        self._lock = threading.Lock()
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE) where needed.
            self._conn = sqlite3.connect(
                self._path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the {self.name} at {self._path}: {exc}") from exc

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring this store's tables to the current schema (called when the file is opened)."""
        raise NotImplementedError

    def _upgrade(
        self, current: int, migrations: Sequence[str], stamp: Callable[[int], str]
    ) -> None:
        """Apply `migrations[current:]`, each in its own transaction with `stamp(version)`."""
        if current > len(migrations):
            raise StoreError(
                f"the {self.name} at {self._path} has schema version {current}, newer than "
                f"this Radar understands ({len(migrations)}); upgrade Radar"
            )
        for version in range(current, len(migrations)):
            # executescript commits first, so each migration is its own transaction.
            self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{migrations[version]}\n{stamp(version + 1)}\nCOMMIT;"
            )

    @contextmanager
    def _locked(self, what: str) -> Iterator[sqlite3.Connection]:
        """The connection, for one operation at a time; SQLite errors become typed errors."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreThrottled(f"{self.name} is busy ({what}): {exc}") from exc
                raise StoreError(f"{self.name} failed ({what}): {exc}") from exc
            except sqlite3.Error as exc:
                raise StoreError(f"{self.name} failed ({what}): {exc}") from exc

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """`_locked`, inside one write transaction: committed on success, rolled back on error."""
        with self._locked(what) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
