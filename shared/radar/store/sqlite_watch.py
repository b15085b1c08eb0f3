"""The watch side of `SqliteStore`: snapshots and changes (tables of migration 1)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from radar.errors import StoreConflict, StoreError
from radar.model import ANNOUNCED_KINDS, Change, ChangeQuery, Snapshot, SnapshotHead
from radar.store import codec
from radar.store.sqlite_file import SqliteFile


class SqliteWatch(SqliteFile):
    """Snapshots (optimistic lock on `version`) and changes, saved in one transaction."""

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
        with self._transaction("save") as conn:
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


def _date_column(query: ChangeQuery) -> str:
    if query.by == "detected":
        return "detected_at"
    if query.by == "published":
        return "effective_at"
    raise ValueError(f"unknown ChangeQuery.by {query.by!r}: expected 'detected' or 'published'")


def _snapshot(row: tuple[Any, ...]) -> Snapshot:
    source_id, version, meta, entries = row
    fields = _fields(source_id, meta)
    return codec.snapshot_from_parts(source_id, int(version), fields, bytes(entries))


def _head(row: tuple[Any, ...]) -> SnapshotHead:
    source_id, version, meta = row
    fields = _fields(source_id, meta)
    return codec.snapshot_head_from_meta(source_id, int(version), fields)


def _fields(source_id: str, meta: str) -> dict[str, Any]:
    try:
        fields: dict[str, Any] = json.loads(meta)
    except ValueError as exc:
        raise StoreError(f"stored snapshot of source {source_id!r} is corrupt: {exc}") from exc
    return fields


def _change_row(change: Change) -> tuple[str, str, str, str, str, str]:
    return (
        change.id,
        change.platform,
        change.kind.value,
        codec.change_detected_at(change),
        codec.change_effective_at(change),
        codec.change_to_json(change),
    )
