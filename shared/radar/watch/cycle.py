"""The use cases: watch one source, run a cycle over a catalog, list stored changes.

Adapters come in as arguments (a fetcher, a store) and time comes in as `now`, so the same code
runs in `radar run`, in the `watch_source` Lambda and in tests.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache, partial
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from radar.errors import ExtractError, FetchError, StoreConflict
from radar.model import (
    EXTRACTION_VERSION,
    Change,
    ChangeKind,
    FetchResult,
    Item,
    Snapshot,
    SnapshotHead,
    Source,
    SourceKind,
    SourceRole,
)
from radar.watch.messages import WatchRequest
from radar.watch.outcomes import CycleReport, Outcome, SourceOutcome

# Extracting, diffing and classifying are imported where a body changed: an unchanged run (and
# the Lambda's cold start) does not pay for every extractor, the differ and the classifier.
if TYPE_CHECKING:
    from radar.classify import Classifier
    from radar.store.ports import Store
    from radar.store.trend_ports import TrendStore

log = logging.getLogger(__name__)


class Fetcher(Protocol):
    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult: ...


def content_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


@cache
def default_classifier() -> Classifier:
    """The built-in rules, for callers whose catalog adds none."""
    from radar.classify import Classifier, load_default_rules

    return Classifier(load_default_rules())


def watch_source(
    source: Source,
    *,
    fetcher: Fetcher,
    store: Store,
    now: datetime,
    announce_since: datetime,
    classifier: Classifier | None = None,
    trend_store: TrendStore | None = None,
    turn: AbstractContextManager[object] | None = None,
) -> SourceOutcome:
    """Fetch, extract, diff, classify and store one source (trend sources: count their terms).

    Reads the snapshot's head (hash, validators, health) once; its entries only when the body
    changed. Writes nothing when nothing changed. On a fetch or extract error the previous
    entries are kept untouched (a broken page never means "everything removed") and the
    source's consecutive failure count goes up. `turn` is held while computing (see
    `run_cycle`).
    """
    head = store.get_snapshot_head(source.id)
    known = head or SnapshotHead(source_id=source.id)
    reread = known.read_by_older_extractors  # fetched whole, whatever the validators say
    try:
        result = fetcher.fetch(
            _url(source, now),
            etag=None if reread else known.etag,
            last_modified=None if reread else known.last_modified,
        )
    except FetchError as exc:
        return _record_failure(source, store, known, now, str(exc))
    if result.not_modified:
        return _unchanged(source, store, known, now, Outcome.NOT_MODIFIED)
    body_hash = content_hash(result.body)
    if body_hash == known.content_hash and not reread:
        return _unchanged(source, store, known, now, Outcome.UNCHANGED)
    return _take_in(
        source, result, body_hash, head, store=store, now=now, announce_since=announce_since,
        classifier=classifier, trend_store=trend_store, turn=turn or nullcontext(),
    )  # fmt: skip


def _take_in(
    source: Source,
    result: FetchResult,
    body_hash: str,
    head: SnapshotHead | None,
    *,
    store: Store,
    now: datetime,
    announce_since: datetime,
    classifier: Classifier | None,
    trend_store: TrendStore | None,
    turn: AbstractContextManager[object],
) -> SourceOutcome:
    """A new body: its entries diffed against the snapshot, classified and stored. The
    computing (extract, diff, classify) is done holding `turn`; the store's reads and writes,
    which may be network calls, are not."""
    known = head or SnapshotHead(source_id=source.id)
    with turn:
        note = _feed_note(source, result) if head is None else None
        items = _extracted(source, result)
    if isinstance(items, ExtractError):
        return replace(_record_failure(source, store, known, now, str(items)), note=note)

    previous = None if head is None else _whole(store, head)
    if head is not None and (previous is None or previous.version != head.version):
        # Another worker saved this source since the head was read: its run counts.
        log.warning("snapshot conflict", extra={"source_id": source.id})
        return SourceOutcome(source.id, source.platform, Outcome.CONFLICT)
    prev = previous or Snapshot(source_id=source.id)
    # Read by older extractors (see watch_source): stamped now; the same bytes as stored mean
    # every difference is the extraction's own.
    reread = prev.read_by_older_extractors
    rebaseline = reread and body_hash == prev.content_hash
    from radar.diff import diff_entries

    with turn:
        diff = diff_entries(source, previous, items, now, announce_since=announce_since)
        if rebaseline:
            from radar.rebaseline import rebaselined

            diff = rebaselined(diff, source, {item.key: item for item in items})
    if source.role is SourceRole.TREND and trend_store is not None:
        from radar.trends.usecases import count_trend_items

        # Counted before the snapshot moves on; counting is idempotent, so a retry is safe.
        counted, before, backlog = _trend_items(source, items, diff.changes, prev)
        count_trend_items(
            source, counted, now.date(), trend_store, hour=now.hour, before=before,
            backlog=backlog,
        )  # fmt: skip
    healthy = prev.failures == 0
    if not diff.state_changed and healthy and not reread:
        return SourceOutcome(source.id, source.platform, Outcome.UNCHANGED)

    snapshot = replace(
        prev,
        extractor=EXTRACTION_VERSION,
        entries=diff.entries,
        content_hash=body_hash,
        etag=result.etag,
        last_modified=result.last_modified,
        last_success=now,
        failures=0,
        last_error=None,
        last_error_at=None,
    )
    changes: list[Change] = []  # trend items feed the term counts; they are not platform changes
    if source.role is not SourceRole.TREND:
        classifier = classifier or default_classifier()
        with turn:
            changes = [classifier.classify(c, source.category_hints) for c in diff.changes]
    try:
        store.save(snapshot, changes)
    except StoreConflict:
        log.warning("snapshot conflict", extra={"source_id": source.id})
        return SourceOutcome(source.id, source.platform, Outcome.CONFLICT)

    kinds = [c.kind for c in changes]
    first_run = previous is None or previous.content_hash is None
    return SourceOutcome(
        source.id,
        source.platform,
        Outcome.BASELINE if first_run else (Outcome.CHANGED if kinds else Outcome.UNCHANGED),
        added=kinds.count(ChangeKind.ADDED),
        edited=kinds.count(ChangeKind.EDITED),
        removed=kinds.count(ChangeKind.REMOVED),
        baseline=kinds.count(ChangeKind.BASELINE),
        wrote=True,
        note=note,
    )


def _extracted(source: Source, result: FetchResult) -> list[Item] | ExtractError:
    from radar.extract import extract

    try:
        return extract(source, result)
    except ExtractError as exc:
        return exc


def _url(source: Source, now: datetime) -> str:
    """The URL to fetch: trend APIs that name the day in it get today's (radar.trends.sources,
    which imports every extractor, so only for such URLs)."""
    if "{date:" not in source.url:
        return source.url
    from radar.trends.sources import source_url

    return source_url(source, now)


def _whole(store: Store, head: SnapshotHead) -> Snapshot | None:
    """The snapshot behind `head` with its entries, read only once the body has changed.

    A snapshot that only counted failures (no content hash yet) has no entries to read.
    """
    if head.content_hash is None:
        return head.with_entries()
    return store.get_snapshot(head.source_id)


def _feed_note(source: Source, result: FetchResult) -> str | None:
    """On a page's first fetch: "this page has a feed: use it", when the page links one."""
    if source.role is SourceRole.TREND:
        return None
    if source.kind is SourceKind.AUTO:
        from radar.extract.sniff import sniff_kind

        # Only an HTML page links feeds in its head; reading a Markdown file, a feed or JSON
        # for one was a tenth of a first run.
        if sniff_kind(result) is not SourceKind.CHANGELOG_HTML:
            return None
    from radar.fetch.discover import feed_hint  # only on first runs: no parser cost otherwise

    hint = feed_hint(source, result)
    if hint:
        log.info("feed found", extra={"source_id": source.id, "hint": hint})
    return hint


def run_cycle(
    sources: Sequence[Source],
    *,
    fetcher: Fetcher,
    store: Store,
    now: datetime,
    announce_since: datetime,
    workers: int = 8,
    on_done: Callable[[SourceOutcome], None] | None = None,
    classifier: Classifier | None = None,
    trend_store: TrendStore | None = None,
) -> CycleReport:
    """Watch every source. One bad source never stops the others.

    Sources are grouped by host and each host's sources run in order on one worker, so the
    fetcher's per-host politeness delay never blocks workers that could serve other hosts.
    Workers fetch side by side but take turns at extracting, diffing and classifying: that
    is pure Python under the GIL, where ten threads at once gain no time and cost a third more
    CPU in switching (bench_vs_urlwatch.py, first run). Store calls are not in the turn.
    """
    groups: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if not source.needs_javascript:
            groups[urlsplit(source.url).netloc.lower()].append(source)

    results: dict[str, SourceOutcome] = {}
    watch = partial(
        watch_source, fetcher=fetcher, store=store, now=now, announce_since=announce_since,
        classifier=classifier, trend_store=trend_store, turn=threading.Lock(),
    )  # fmt: skip

    def run_group(group: Iterable[Source]) -> None:
        for source in group:
            outcome = _guarded(watch, source)
            results[source.id] = outcome
            if on_done is not None:
                on_done(outcome)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(groups) or 1))) as pool:
        for future in [pool.submit(run_group, g) for g in groups.values()]:
            future.result()
    return CycleReport(now, tuple(results[s.id] for s in sources if s.id in results))


def _trend_items(
    source: Source, items: Sequence[Item], changes: Sequence[Change], prev: Snapshot
) -> tuple[list[Item], dict[str, Item], list[Item]]:
    """What a trend source contributes to this run's counts: the items to count, the previous
    version of the edited ones among them, and the backlog (history only).

    A trend list (`selectors: {terms: topic}`) says "still trending" with every fetch, so all its
    items count; a news feed's article counts when a term first appears in it: on the run it
    first appears, or on the run an edit adds the term (the counting compares with `before`).
    The items of a news source's first run (baseline) are its backlog: history, not news.
    """
    if source.selectors.get("terms") == "topic":
        return list(items), {}, []
    new = {c.entry_key for c in changes if c.kind is ChangeKind.ADDED}
    baseline = {c.entry_key for c in changes if c.kind is ChangeKind.BASELINE}
    edited = {c.entry_key for c in changes if c.kind in (ChangeKind.EDITED, ChangeKind.COSMETIC)}
    before = {
        e.key: Item(e.key, e.title, e.text, e.url) for e in prev.entries.values() if e.key in edited
    }
    counted = [i for i in items if i.key in new or i.key in before]
    return counted, before, [i for i in items if i.key in baseline]


def _guarded(watch: Callable[[Source], SourceOutcome], source: Source) -> SourceOutcome:
    try:
        return watch(source)
    except Exception as exc:  # one broken source (or a bug) must not stop the cycle
        log.exception("source crashed", extra={"source_id": source.id})
        return SourceOutcome(
            source.id, source.platform, Outcome.FAILED, error=f"internal error: {exc!r}"
        )


def _unchanged(
    source: Source, store: Store, prev: SnapshotHead, now: datetime, outcome: Outcome
) -> SourceOutcome:
    if prev.failures == 0:
        return SourceOutcome(source.id, source.platform, outcome)
    # It recovered: clear the failure count (the only write an unchanged source can cause).
    healed = replace(prev, failures=0, last_error=None, last_error_at=None, last_success=now)
    try:
        store.save_head(healed)
    except StoreConflict:
        return SourceOutcome(source.id, source.platform, Outcome.CONFLICT)
    return SourceOutcome(source.id, source.platform, outcome, wrote=True)


def _record_failure(
    source: Source, store: Store, prev: SnapshotHead, now: datetime, error: str
) -> SourceOutcome:
    failed = replace(prev, failures=prev.failures + 1, last_error=error, last_error_at=now)
    log.warning(
        "source failed",
        extra={"source_id": source.id, "error": error, "failures": failed.failures},
    )
    with suppress(StoreConflict):  # another worker recorded this run's outcome first
        store.save_head(failed)  # the entries stay as they were, unread
    return SourceOutcome(
        source.id,
        source.platform,
        Outcome.FAILED,
        error=error,
        failures=failed.failures,
        wrote=True,
    )


def watch_request(
    body: str,
    *,
    sources: Mapping[str, Source],
    fetcher: Fetcher,
    store: Store,
    now: datetime,
    announce_days: int,
    classifier: Classifier | None = None,
    trend_store: TrendStore | None = None,
) -> SourceOutcome:
    """Handle one queued watch request (the `watch_source` Lambda's unit of work).

    A malformed request or an unknown source raises ValueError: the message is poison and goes
    back to the queue (and, after a few receives, to the dead-letter queue). A failing source
    does not raise: its failure is recorded in its snapshot and reported in briefings.
    """
    request = WatchRequest.from_json(body)
    source = sources.get(request.source_id)
    if source is None:
        raise ValueError(f"watch request names unknown source {request.source_id!r}")
    return watch_source(
        source,
        fetcher=fetcher,
        store=store,
        now=now,
        announce_since=now - timedelta(days=announce_days),
        classifier=classifier,
        trend_store=trend_store,
    )
