"""Hostile servers (tests/faults/server.py, on 127.0.0.1): each fault ends in time as a failed
source with a reason, and leaves what was stored as it was.

Budgets are small (`total_timeout` of 1 s) and the assertions generous (5 s), so nothing flakes
on a busy machine while a fetch that is not bounded (minutes) still fails the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from radar.fetch import Fetcher, FetchPolicy
from radar.model import Source, SourceKind
from radar.watch.cycle import run_cycle, watch_source
from radar.watch.outcomes import Outcome
from tests.faults.server import FaultServer, fault_server
from tests.support.fakes import MemoryStore

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)
BUDGET = 1.0  # the fetch's whole-request deadline, in seconds
WITHIN = 5.0  # what a test allows: generous, so a slow machine does not flake
POLICY = FetchPolicy(
    allow_private=True,
    respect_robots=False,
    per_host_delay=0,
    connect_timeout=BUDGET,
    read_timeout=30.0,  # longer than the budget: the deadline, not the silence, must stop it
    total_timeout=BUDGET,
    max_bytes=1024 * 1024,
)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server(drip=0.05) as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(POLICY) as f:
        yield f


def seeded(server: FaultServer, fetcher: Fetcher, kind: SourceKind) -> tuple[Source, MemoryStore]:
    """A source that has been fetched once from a good page, and the store that holds it."""
    good = "/good-feed" if kind is SourceKind.RSS else "/good"
    source = Source(id="victim", platform="testplatform", kind=kind, url=server.url(good))
    store = MemoryStore()
    first = watch_source(source, fetcher=fetcher, store=store, now=NOW, announce_since=NOW)
    assert first.outcome is Outcome.BASELINE and store.changes
    return source, store


def assert_failed_and_untouched(
    server: FaultServer, fetcher: Fetcher, path: str, reason: str, kind: SourceKind
) -> None:
    source, store = seeded(server, fetcher, kind)
    before = store.get_snapshot(source.id)
    changes_before = dict(store.changes)
    assert before is not None

    start = time.monotonic()
    report = run_cycle(
        [replace(source, url=server.url(path))],
        fetcher=fetcher,
        store=store,
        now=NOW,
        announce_since=NOW,
        workers=1,
    )
    took = time.monotonic() - start

    assert took < WITHIN, f"{path} took {took:.1f} s against a {BUDGET:g} s budget"
    [outcome] = report.outcomes
    assert outcome.outcome is Outcome.FAILED
    assert outcome.error and reason in outcome.error, outcome.error
    assert not outcome.error.startswith("internal error"), outcome.error
    after = store.get_snapshot(source.id)
    assert after is not None
    assert (after.entries, after.content_hash, after.etag) == (
        before.entries,
        before.content_hash,
        before.etag,
    )
    assert after.failures == before.failures + 1 and after.last_error == outcome.error
    assert store.changes == changes_before


MD = SourceKind.CHANGELOG_MARKDOWN


def test_faults_slow_headers_stop_at_the_deadline(server: FaultServer, fetcher: Fetcher) -> None:
    # One header byte every 50 ms: no read ever waits long, so only a whole-request deadline
    # ends it (before, it ran until the server gave up: minutes).
    assert_failed_and_untouched(server, fetcher, "/slow-headers", "took longer than 1 s", MD)


def test_faults_slow_body_stops_at_the_deadline(server: FaultServer, fetcher: Fetcher) -> None:
    assert_failed_and_untouched(server, fetcher, "/slow-body", "took longer than 1 s", MD)


@pytest.mark.parametrize(
    "path",
    [
        "/truncated-gzip",
        "/truncated-gzip-trailer",
        "/truncated-deflate",
        "/truncated-raw-deflate",
        "/truncated-brotli",
    ],
)
def test_faults_truncated_compressed_body_is_a_fetch_error(
    server: FaultServer, fetcher: Fetcher, path: str
) -> None:
    assert_failed_and_untouched(server, fetcher, path, "truncated", MD)


def test_faults_gzip_bomb_stops_at_the_cap(server: FaultServer, fetcher: Fetcher) -> None:
    assert_failed_and_untouched(server, fetcher, "/gzip-bomb", "is larger than 1 MB", MD)


def test_faults_lying_content_length_is_a_fetch_error(
    server: FaultServer, fetcher: Fetcher
) -> None:
    reason = "without sending complete message body"
    assert_failed_and_untouched(server, fetcher, "/lying-length", reason, MD)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/redirect-javascript", "not an http or https URL"),
        ("/redirect-data", "not an http or https URL"),
        ("/redirect-loop", "redirected more than 5 times"),
    ],
)
def test_faults_redirect_tricks_are_fetch_errors(
    server: FaultServer, fetcher: Fetcher, path: str, reason: str
) -> None:
    assert_failed_and_untouched(server, fetcher, path, reason, MD)


def test_faults_unreadable_charset_is_an_extract_error(
    server: FaultServer, fetcher: Fetcher
) -> None:
    reason = "cannot be decoded"
    assert_failed_and_untouched(server, fetcher, "/bad-charset", reason, SourceKind.RSS)


def test_faults_connection_reset_is_a_fetch_error(server: FaultServer, fetcher: Fetcher) -> None:
    assert_failed_and_untouched(server, fetcher, "/reset", "the connection to 127.0.0.1", MD)
