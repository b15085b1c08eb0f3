from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from radar.errors import FetchTimeout
from radar.model import (
    Change,
    ChangeKind,
    ChangeQuery,
    FetchResult,
    Snapshot,
    Source,
    SourceKind,
)
from radar.watch.cycle import run_cycle, watch_source
from radar.watch.health import unhealthy_sources
from radar.watch.outcomes import Outcome
from tests.support.fakes import CountingStore, MemoryStore, ScriptedFetcher

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def rss_item(title: bytes) -> bytes:
    """One more item for `rss(...)`'s channel."""
    return rss(title.decode()).split(b"</description>", 1)[1].split(b"</channel>")[0]


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>https://example.com/{t}</link><guid>{t}</guid>"
        f"<description>About {t}.</description><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>"
        "</item>"
        for t in titles
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://example.com/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def source(n: int = 1, host: str = "example.com") -> Source:
    return Source(
        id=f"src{n}", platform="threads", kind=SourceKind.RSS, url=f"https://{host}/feed{n}"
    )


def watch(src: Source, fetcher: ScriptedFetcher, store: object, hours: int = 0):  # type: ignore[no-untyped-def]
    now = NOW + timedelta(hours=hours)
    return watch_source(
        src,
        fetcher=fetcher,
        store=store,
        now=now,
        announce_since=now - timedelta(days=7),  # type: ignore[arg-type]
    )


def test_watch_source_first_run_records_baseline() -> None:
    src, store = source(), MemoryStore()
    outcome = watch(src, ScriptedFetcher({src.url: rss("a", "b")}), store)
    assert outcome.outcome is Outcome.BASELINE and outcome.baseline == 2
    stored = store.query_changes(ChangeQuery(include_baseline=True))
    assert {c.kind for c in stored} == {ChangeKind.BASELINE}


def test_watch_source_unchanged_reads_once_and_writes_nothing() -> None:
    src, store = source(), MemoryStore()
    fetcher = ScriptedFetcher({src.url: rss("a", "b")})
    watch(src, fetcher, store)
    counting = CountingStore(store)
    outcome = watch(src, fetcher, counting, hours=1)
    assert outcome.outcome is Outcome.UNCHANGED
    # One head read; the stored entries are never read, let alone decoded.
    assert (counting.head_reads, counting.reads, counting.writes) == (1, 0, 0)


def test_watch_source_new_item_is_stored_as_added() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a")}), store)
    outcome = watch(src, ScriptedFetcher({src.url: rss("a", "b")}), store, hours=1)
    assert (outcome.outcome, outcome.added) == (Outcome.CHANGED, 1)
    (added,) = store.query_changes(ChangeQuery())
    assert added.entry_key == "b" and added.platform == "threads"


def test_watch_source_not_modified_writes_nothing() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a")}), store)
    counting = CountingStore(store)
    fetcher = ScriptedFetcher({src.url: FetchResult(url=src.url, status=304)})
    assert watch(src, fetcher, counting, hours=1).outcome is Outcome.NOT_MODIFIED
    assert counting.writes == 0


def test_watch_source_sends_stored_validators() -> None:
    src, store = source(), MemoryStore()
    first = FetchResult(url=src.url, status=200, body=rss("a"), etag='"v1"')
    watch(src, ScriptedFetcher({src.url: first}), store)
    fetcher = ScriptedFetcher({src.url: FetchResult(url=src.url, status=304)})
    watch(src, fetcher, store, hours=1)
    assert fetcher.calls == [(src.url, '"v1"')]


def test_watch_source_failure_keeps_entries_and_counts() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a", "b")}), store)
    for n in (1, 2):
        outcome = watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), store, hours=n)
        assert (outcome.outcome, outcome.failures) == (Outcome.FAILED, n)
    snap = store.get_snapshot(src.id)
    assert snap is not None and set(snap.entries) == {"a", "b"} and snap.last_error == "slow"


def test_watch_source_broken_parse_is_an_error_not_removals() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a", "b")}), store)
    outcome = watch(src, ScriptedFetcher({src.url: b"<html>maintenance</html>"}), store, hours=1)
    assert outcome.outcome is Outcome.FAILED
    assert [c for c in store.changes.values() if c.kind is ChangeKind.REMOVED] == []


def test_watch_source_recovers_by_itself() -> None:
    src, store = source(), MemoryStore()
    ok = ScriptedFetcher({src.url: rss("a")})
    watch(src, ok, store)
    watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), store, hours=1)
    outcome = watch(src, ok, store, hours=2)
    assert outcome.outcome is Outcome.UNCHANGED and outcome.wrote
    snap = store.get_snapshot(src.id)
    assert snap is not None and snap.failures == 0


def test_watch_source_not_modified_reads_only_the_head() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a")}), store)
    counting = CountingStore(store)
    fetcher = ScriptedFetcher({src.url: FetchResult(url=src.url, status=304)})
    watch(src, fetcher, counting, hours=1)
    assert (counting.head_reads, counting.reads) == (1, 0)


def test_watch_source_changed_body_reads_the_entries_once() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a")}), store)
    counting = CountingStore(store)
    outcome = watch(src, ScriptedFetcher({src.url: rss("a", "b")}), counting, hours=1)
    assert (outcome.added, counting.head_reads, counting.reads) == (1, 1, 1)


def test_watch_source_failure_reads_no_entries_and_writes_the_head() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a", "b")}), store)
    counting = CountingStore(store)
    watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), counting, hours=1)
    assert (counting.reads, counting.writes) == (0, 1)
    snap = store.get_snapshot(src.id)
    assert snap is not None and set(snap.entries) == {"a", "b"} and snap.failures == 1


def test_watch_source_first_fetch_failing_is_counted() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), store)
    outcome = watch(src, ScriptedFetcher({src.url: rss("a")}), store, hours=1)
    assert (outcome.outcome, outcome.baseline) == (Outcome.BASELINE, 1)
    snap = store.get_snapshot(src.id)
    assert snap is not None and (snap.failures, set(snap.entries)) == (0, {"a"})


def test_watch_source_concurrent_save_is_a_conflict_not_a_crash() -> None:
    src, store = source(), MemoryStore()
    watch(src, ScriptedFetcher({src.url: rss("a")}), store)

    def race(_url: str) -> None:  # another worker saves while we fetch
        snap = store.get_snapshot(src.id)
        assert snap is not None
        store.save(snap)

    fetcher = ScriptedFetcher({src.url: rss("a", "b")}, hook=race)
    assert watch(src, fetcher, store, hours=1).outcome is Outcome.CONFLICT


def test_run_cycle_one_crashing_source_does_not_stop_others() -> None:
    sources = [source(1), source(2, "other.example"), source(3, "third.example")]
    store = MemoryStore()

    def explode(url: str) -> None:
        if url == sources[1].url:
            raise RuntimeError("boom")

    fetcher = ScriptedFetcher({s.url: rss("a") for s in sources}, hook=explode)
    report = run_cycle(
        sources, fetcher=fetcher, store=store, now=NOW, announce_since=NOW - timedelta(days=7)
    )
    assert [o.outcome for o in report.outcomes] == [
        Outcome.BASELINE,
        Outcome.FAILED,
        Outcome.BASELINE,
    ]
    assert "boom" in (report.outcomes[1].error or "")


def test_run_cycle_workers_take_turns_computing_but_not_fetching_or_storing() -> None:
    """Ten threads classifying at once only add GIL switching, so the workers take turns at
    extract, diff and classify; fetches and store calls (network calls with DynamoDB) still
    overlap."""
    sources = [source(n, f"host{n}.example") for n in range(3)]
    # Each barrier breaks (and the source fails) unless all three workers reach it together.
    all_fetching = threading.Barrier(len(sources), timeout=10)
    all_saving = threading.Barrier(len(sources), timeout=10)
    computing, most_computing = [0], [0]

    class SlowClassifier:
        def classify(self, change: Change, hints: Sequence[str] = ()) -> Change:
            computing[0] += 1
            most_computing[0] = max(most_computing[0], computing[0])
            time.sleep(0.05)  # a window for a second worker to enter, were it let in
            computing[0] -= 1
            return change

    class MeetingStore(MemoryStore):
        def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
            all_saving.wait()
            return super().save(snapshot, changes)

    fetcher = ScriptedFetcher(
        {s.url: rss("a") for s in sources}, hook=lambda _: all_fetching.wait()
    )
    report = run_cycle(
        sources,
        fetcher=fetcher,
        store=MeetingStore(),
        now=NOW,
        announce_since=NOW,
        workers=3,
        classifier=SlowClassifier(),  # type: ignore[arg-type]
    )
    assert [o.outcome for o in report.outcomes] == [Outcome.BASELINE] * 3
    assert most_computing[0] == 1


def test_run_cycle_skips_sources_that_need_javascript() -> None:
    js = Source(
        id="js",
        platform="x",
        kind=SourceKind.CHANGELOG_HTML,
        url="https://x/",
        needs_javascript=True,
    )
    report = run_cycle(
        [js], fetcher=ScriptedFetcher(), store=MemoryStore(), now=NOW, announce_since=NOW
    )
    assert report.outcomes == ()


@pytest.mark.parametrize(("failures", "listed"), [(2, False), (3, True)])
def test_unhealthy_sources_listed_after_threshold(failures: int, listed: bool) -> None:
    src, store = source(), MemoryStore()
    for n in range(failures):
        watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), store, hours=n)
    assert bool(unhealthy_sources(store, [src], threshold=3)) is listed


def test_unhealthy_sources_reads_heads_only() -> None:
    src, store = source(), MemoryStore()
    for n in range(3):
        watch(src, ScriptedFetcher({src.url: FetchTimeout("slow")}), store, hours=n)
    counting = CountingStore(store)
    [(listed, head)] = unhealthy_sources(counting, [src, source(2)], threshold=3)
    assert (listed, head.failures, head.last_error) == (src, 3, "slow")
    assert (counting.head_reads, counting.reads) == (1, 0)


def test_watch_source_trend_source_counts_terms_and_stores_no_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from radar.model import SourceRole
    from radar.store.trend_sqlite import SqliteTrendStore

    trend = replace(source(), role=SourceRole.TREND, platform="trends")
    store = MemoryStore()
    body = rss("Noplace app tops the charts", "Bluesky users double")
    with SqliteTrendStore(tmp_path / "radar.sqlite3") as trends:
        outcome = watch_source(
            trend,
            fetcher=ScriptedFetcher({trend.url: body}),
            store=store,
            now=NOW,
            announce_since=NOW - timedelta(days=7),
            trend_store=trends,
        )
        assert outcome.outcome is Outcome.BASELINE
        assert store.changes == {}  # trend items are not platform changes
        assert store.get_snapshot(trend.id) is not None  # but the snapshot moves on
        # A first run's items are the feed's backlog: history, not news (issue 12).
        assert trends.active_terms(NOW.date(), NOW.date()) == set()
        assert trends.term_history("noplace", NOW.date(), NOW.date()) == {NOW.date()}
        later = NOW + timedelta(hours=1)
        watch_source(
            trend,
            fetcher=ScriptedFetcher(
                {
                    trend.url: body.replace(
                        b"</channel>", rss_item(b"Spillz app opens") + b"</channel>"
                    )
                }
            ),
            store=store,
            now=later,
            announce_since=NOW - timedelta(days=7),
            trend_store=trends,
        )
        assert trends.active_terms(NOW.date(), NOW.date()) == {"spillz"}
        (count,) = trends.term_counts("spillz", NOW.date(), NOW.date())
        assert count.hours == (later.hour,)


def test_watch_source_first_fetch_reads_only_html_pages_for_feed_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from radar.fetch import discover

    scanned: list[str] = []
    links = discover.feed_links
    monkeypatch.setattr(discover, "feed_links", lambda r: scanned.append(r.url) or links(r))
    page = (
        b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
        b'href="/feed.xml"></head><body><h2>2026-11-02</h2><p>New API.</p></body></html>'
    )
    feed, html = source(1), source(2, "other.example")
    feed, html = (Source(s.id, s.platform, SourceKind.AUTO, s.url) for s in (feed, html))
    fetcher = ScriptedFetcher({feed.url: rss("a"), html.url: page})
    assert watch(feed, fetcher, MemoryStore()).note is None
    assert "has a feed" in (watch(html, fetcher, MemoryStore()).note or "")
    assert scanned == [html.url]


def test_watch_source_url_is_the_trend_sources_for_every_catalog_source() -> None:
    # The cycle skips radar.trends.sources (and the extractors it imports) for URLs without a
    # date in them; for every source of the built-in catalog the URL must be the same.
    from radar.catalog.loader import load_catalog
    from radar.trends.sources import source_url
    from radar.watch.cycle import _url

    sources = load_catalog()
    assert any("{date:" in s.url for s in sources)
    assert [_url(s, NOW) for s in sources] == [source_url(s, NOW) for s in sources]
