"""Fakes for the ports: an in-memory store, a counting store wrapper and a scripted fetcher."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from radar.errors import StoreConflict
from radar.model import Change, ChangeQuery, FetchResult, Snapshot, SnapshotHead
from radar.store.ports import Store


class MemoryStore:
    """The storage port in a dict, for pure pipeline tests."""

    def __init__(self) -> None:
        self.snapshots: dict[str, Snapshot] = {}
        self.changes: dict[str, Change] = {}

    def get_snapshot(self, source_id: str) -> Snapshot | None:
        return self.snapshots.get(source_id)

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        return {i: self.snapshots[i] for i in source_ids if i in self.snapshots}

    def get_snapshot_head(self, source_id: str) -> SnapshotHead | None:
        snapshot = self.snapshots.get(source_id)
        return None if snapshot is None else snapshot.head

    def get_snapshot_heads(self, source_ids: Iterable[str]) -> dict[str, SnapshotHead]:
        return {i: self.snapshots[i].head for i in source_ids if i in self.snapshots}

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        stored = self.snapshots.get(head.source_id)
        entries = stored.entries if stored else {}
        return self.save(head.with_entries(entries)).head

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        for c in changes:
            self.changes[c.id] = c
        stored = self.snapshots.get(snapshot.source_id)
        if (stored.version if stored else 0) != snapshot.version:
            raise StoreConflict(snapshot.source_id)
        saved = replace(snapshot, version=snapshot.version + 1)
        self.snapshots[snapshot.source_id] = saved
        return saved

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        def when(c: Change) -> object:
            return c.detected_at if query.by == "detected" else c.effective_date

        found = [
            c
            for c in self.changes.values()
            if (query.include_baseline or c.announce)
            and (not query.platforms or c.platform in query.platforms)
            and (query.since is None or when(c) >= query.since)  # type: ignore[operator]
            and (query.until is None or when(c) < query.until)  # type: ignore[operator]
        ]
        found.sort(key=lambda c: (when(c), c.id))
        return found[: query.limit] if query.limit else found

    def get_change(self, change_id: str) -> Change | None:
        return self.changes.get(change_id)


@dataclass
class CountingStore:
    """Wraps a store and counts reads and writes (the "unchanged is cheap" invariant)."""

    inner: Store
    reads: int = 0  # full reads: snapshots with their entries, changes
    writes: int = 0
    head_reads: int = 0  # snapshot heads (no entries decoded)

    def get_snapshot(self, source_id: str) -> Snapshot | None:
        self.reads += 1
        return self.inner.get_snapshot(source_id)

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        self.reads += 1
        return self.inner.get_snapshots(source_ids)

    def get_snapshot_head(self, source_id: str) -> SnapshotHead | None:
        self.head_reads += 1
        return self.inner.get_snapshot_head(source_id)

    def get_snapshot_heads(self, source_ids: Iterable[str]) -> dict[str, SnapshotHead]:
        self.head_reads += 1
        return self.inner.get_snapshot_heads(source_ids)

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        self.writes += 1
        return self.inner.save_head(head)

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        self.writes += 1
        return self.inner.save(snapshot, changes)

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        self.reads += 1
        return self.inner.query_changes(query)

    def get_change(self, change_id: str) -> Change | None:
        self.reads += 1
        return self.inner.get_change(change_id)


@dataclass
class ScriptedFetcher:
    """Answers each URL from a dict (bytes, a FetchResult, or an exception to raise)."""

    pages: dict[str, bytes | FetchResult | Exception] = field(default_factory=dict)
    content_type: str = "application/xml"
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    hook: Callable[[str], None] | None = None

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        self.calls.append((url, etag))
        if self.hook:
            self.hook(url)
        page = self.pages[url]
        if isinstance(page, Exception):
            raise page
        if isinstance(page, FetchResult):
            return page
        return FetchResult(url=url, status=200, body=page, content_type=self.content_type)
