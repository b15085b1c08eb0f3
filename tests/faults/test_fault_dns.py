"""A DNS resolver that hangs (issue 13): name resolution is part of the fetch's whole-request
deadline, like connecting and reading, so a hanging resolver costs a source its budget and no
more, and the run goes on.

The fetcher resolves a host twice: up front (to refuse private addresses with a clear message)
and inside the connection (to connect only to the addresses it checked). Each is tested with an
injected resolver that hangs on that call. Nothing reaches the network: the resolver answers a
public address only to calls that come before the hanging one, so no connection is ever made.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from radar.errors import FetchTimeout
from radar.fetch import Fetcher, FetchPolicy
from radar.model import Source, SourceKind
from radar.watch.cycle import run_cycle
from radar.watch.outcomes import Outcome
from tests.support.fakes import MemoryStore

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)
BUDGET = 1.0  # the fetch's whole-request deadline, in seconds
WITHIN = 5.0  # generous against a slow machine; the hang itself lasts HANG
HANG = 30.0
POLICY = FetchPolicy(respect_robots=False, per_host_delay=0, total_timeout=BUDGET)


class HangingResolver:
    """Answers a public address, except that call number `hang_on` (1-based) hangs."""

    def __init__(self, hang_on: int) -> None:
        self.hang_on = hang_on
        self.calls = 0
        self.release = threading.Event()

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        if self.calls >= self.hang_on:
            self.release.wait(HANG)
            return []  # never an address to connect to
        return ["93.184.216.34"]


@pytest.fixture(params=[1, 2], ids=["up-front check", "inside the connection"])
def resolver(request: pytest.FixtureRequest) -> Iterator[HangingResolver]:
    found = HangingResolver(request.param)
    yield found
    found.release.set()  # let the abandoned resolver thread end


def test_fault_dns_hanging_resolver_ends_at_the_deadline(resolver: HangingResolver) -> None:
    start = time.monotonic()
    with Fetcher(POLICY, resolve=resolver) as fetcher, pytest.raises(FetchTimeout) as raised:
        fetcher.fetch("https://changelog.example/feed")
    took = time.monotonic() - start
    assert took < WITHIN, f"the fetch took {took:.1f} s against a {BUDGET:g} s budget"
    assert "changelog.example" in str(raised.value) and "DNS" in str(raised.value)
    assert resolver.calls == resolver.hang_on


def test_fault_dns_hanging_resolver_fails_the_source_not_the_run(
    resolver: HangingResolver,
) -> None:
    sources = [
        Source(id=f"s{k}", platform="p", kind=SourceKind.RSS, url=f"https://s{k}.example/feed")
        for k in range(2)
    ]
    start = time.monotonic()
    with Fetcher(POLICY, resolve=resolver) as fetcher:
        report = run_cycle(
            sources, fetcher=fetcher, store=MemoryStore(), now=NOW, announce_since=NOW, workers=1
        )
    took = time.monotonic() - start
    assert took < 2 * WITHIN, f"the run took {took:.1f} s for two sources of {BUDGET:g} s"
    assert [o.outcome for o in report.outcomes] == [Outcome.FAILED, Outcome.FAILED]
    assert all("DNS" in (o.error or "") for o in report.outcomes)
