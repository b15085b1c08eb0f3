"""Benchmark: rendering weekly briefings (content, HTML with inlined CSS, text, .ics).

Run: PYTHONPATH=. python tests/bench/bench_render.py
Writes its figures to stdout (committed as tests/bench/reports/render.txt). Pinned to one CPU.

1. One briefing with 50 changes: median and p90 over repeated renders (target: median < 30 ms).
2. 1,000 subscribers with different filters (platforms, categories, severities, language),
   each built and rendered from the same week of 400 changes (target: < 30 s on one core).
3. The whole `send_briefings` use case for 1,000 due subscribers on SQLite with a mailer that
   only counts (store reads, claims, rendering, MIME building, marking sent).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from radar.briefings.content import _grouped, build_briefing
from radar.briefings.send import send_briefings
from radar.model import Snapshot
from radar.render.briefing import render_briefing
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.model import SubscriptionStatus
from tests.support.briefings import LINKS, SCHEDULED, SINCE, bulk_changes, subscription

PLATFORMS = ("instagram", "tiktok", "youtube", "x", "threads", "linkedin")
CATEGORIES = ("deprecation", "new-feature", "policy", "ads-monetization", "fixes-docs")


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def one_briefing(runs: int = 60) -> None:
    changes = bulk_changes(50)
    sub = subscription("en")
    print("1. one briefing, 50 changes (build + HTML + inline CSS + text + .ics)")
    for label, cold in (("cold (dedup computed each time)", True), ("warm (dedup cached)", False)):
        timings, cpu = [], []
        for _ in range(runs + 5):
            if cold:
                _grouped.cache_clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            b = build_briefing(
                sub, changes, period="2026-W47", since=SINCE, until=SCHEDULED, links=LINKS
            )
            rendered = render_briefing(b)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        timings = sorted(timings[5:])  # the first runs compile templates
        # CPU time too: on a shared machine the wall clock also counts waiting for a core.
        print(
            f"   {label}: median {statistics.median(timings) * 1000:.1f} ms, "
            f"p90 {timings[int(len(timings) * 0.9)] * 1000:.1f} ms over {runs} runs "
            f"(CPU median {statistics.median(cpu[5:]) * 1000:.1f} ms)"
        )
    print(f"   items: {b.count}, HTML {len(rendered.html.encode())} bytes; target: median < 30 ms")


def random_subscribers(n: int, rng: random.Random) -> list:  # type: ignore[type-arg]
    subs = []
    for k in range(n):
        subs.append(
            subscription(
                rng.choice(("en", "ar")),
                id=f"s{k:05d}",
                email=f"team{k}@example.com",
                platforms=frozenset(rng.sample(PLATFORMS, rng.randint(0, 4))),
                categories=frozenset(rng.sample(CATEGORIES, rng.choice((0, 0, 2, 3)))),
                severities=frozenset(rng.choice(((), (), ("action",), ("action", "notable")))),
            )
        )
    return subs


def many_subscribers(n: int = 1000) -> None:
    rng = random.Random(7)
    changes = bulk_changes(400, PLATFORMS)
    subs = random_subscribers(n, rng)
    start, start_cpu = time.perf_counter(), time.process_time()
    total_items = total_bytes = empty = 0
    for sub in subs:
        b = build_briefing(
            sub, changes, period="2026-W47", since=SINCE, until=SCHEDULED, links=LINKS
        )
        rendered = render_briefing(b)
        total_items += b.count
        total_bytes += len(rendered.html.encode())
        empty += b.empty
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(f"2. {n} subscribers, different filters, one week of {len(changes)} changes")
    print(
        f"   total {elapsed:.2f} s ({elapsed / n * 1000:.1f} ms per subscriber; target < 30 s), "
        f"CPU {cpu:.2f} s"
    )
    print(
        f"   items per briefing: mean {total_items / n:.1f}; empty weeks: {empty}; "
        f"mean HTML {total_bytes / n / 1024:.1f} KB"
    )


class CountingMailer:
    def __init__(self) -> None:
        self.sent = 0
        self.bytes = 0

    def send(self, message: EmailMessage) -> str:
        self.sent += 1
        self.bytes += len(message.as_bytes())
        return f"m{self.sent}"


def whole_use_case(n: int = 1000) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "bench.sqlite3") as store:
        store.save(Snapshot("bench"), bulk_changes(400, PLATFORMS))
        for sub in random_subscribers(n, rng):
            store.put_subscription(
                replace(sub, status=SubscriptionStatus.ACTIVE, next_due=SCHEDULED)
            )
        settings = load_settings(
            secret_key="bench-secret-long-enough",
            catalog=None,
            base_url="https://radar.example.com",
        )
        mailer = CountingMailer()
        start, start_cpu = time.perf_counter(), time.process_time()
        report = send_briefings(
            store, mailer, SCHEDULED + timedelta(minutes=1), settings, sources=()
        )
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        again = send_briefings(
            store, mailer, SCHEDULED + timedelta(minutes=2), settings, sources=()
        )
    print(f"3. send_briefings, {n} due subscribers, SQLite, counting mailer")
    print(
        f"   {elapsed:.2f} s total ({elapsed / n * 1000:.1f} ms per subscriber; CPU {cpu:.2f} s); "
        f"sent {report.count('sent')}, mean MIME {mailer.bytes / max(mailer.sent, 1) / 1024:.1f} KB"
    )
    print(f"   second run right after: {len(again.outcomes)} due, {mailer.sent} messages in all")


def main() -> None:
    print(
        f"bench_render on Python {platform.python_version()}, {platform.machine()}, "
        f"{pin_one_core()}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    one_briefing()
    many_subscribers()
    whole_use_case()


if __name__ == "__main__":
    main()
