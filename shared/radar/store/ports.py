"""The storage port: what the pipeline needs from a store, whatever the database.

Two adapters implement it (SQLite locally, DynamoDB on AWS) and one contract test suite
(tests/integration/test_store_contract.py) runs against both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from radar.model import Change, ChangeQuery, Snapshot


class Store(Protocol):
    def get_snapshot(self, source_id: str) -> Snapshot | None:
        """The stored snapshot of a source, or None if the source was never stored."""
        ...

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        """Stored snapshots of several sources (missing ones are left out)."""
        ...

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        """Store `changes`, then `snapshot`, and return it with `version + 1`.

        The write is conditional on the stored version still being `snapshot.version` (0 means
        "not stored yet"); otherwise `StoreConflict` is raised. Changes are written before the
        snapshot that hides them, or in the same transaction, and are keyed by `Change.id`, so
        a crash in between loses nothing and a retry stores nothing twice.
        """
        ...

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        """Changes matching the query, oldest first (by the query's date), ties by id.

        Never a full table scan on DynamoDB.
        """
        ...

    def get_change(self, change_id: str) -> Change | None:
        """One change by id."""
        ...
