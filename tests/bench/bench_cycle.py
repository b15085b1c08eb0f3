"""Benchmark: one watch cycle over 100 sources served on 127.0.0.1, 5 of them changed.

Run: PYTHONPATH=. python tests/bench/bench_cycle.py [--hosts 50] [--workers 16] [--delay 1.0]
Writes its figures to stdout (committed as tests/bench/reports/cycle.txt).

Sources are spread over several local servers (one per port, i.e. one "host" each), because the
fetcher is polite: one request at a time per host with a delay between them, and robots.txt is
fetched once per host per run, exactly as against real sites. The servers run in a child
process, so the CPU figures (this process's user + system time during the cycle) are Radar's
alone: fetching, reading snapshot heads, extracting, diffing, classifying and storing. Wall time
is mostly the politeness delay; CPU is what the cycle's work costs. Each cycle is run `--reps`
times on a copy of the same database, medians reported.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from radar.fetch import Fetcher, FetchPolicy
from radar.model import Source, SourceKind
from radar.store.sqlite import SqliteStore
from radar.watch.cycle import run_cycle
from tests.support.fakes import CountingStore


def feed(n: int, items: int = 50, extra: int = 0) -> bytes:
    entries = "".join(
        f"<item><title>Release {n}.{i}</title><link>https://example.com/{n}/{i}</link>"
        f"<guid>{n}-{i}</guid><description>Changes in release {n}.{i}: new endpoints, "
        f"deprecations and fixes for the API.</description>"
        f"<pubDate>Mon, {1 + i % 28:02d} Sep 2026 10:00:00 GMT</pubDate></item>"
        for i in range(items + extra)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
        f"<link>https://example.com/{n}</link><description>d</description>{entries}"
        "</channel></rss>"
    ).encode()


def serve(
    hosts: int, sources: int, changed: Synchronized[int], ports: multiprocessing.Queue[int]
) -> None:
    """The child process: `hosts` servers; feed n gains an item while n < `changed`."""
    bodies = {(n, extra): feed(n, extra=extra) for n in range(sources) for extra in (0, 1)}

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # otherwise small responses wait ~40 ms for delayed ACKs

        def do_GET(self) -> None:
            n = int(self.path.removeprefix("/feed")) if self.path.startswith("/feed") else -1
            if not 0 <= n < sources:
                self.send_response(404)
                self.end_headers()
                return
            body = bodies[n, int(n < changed.value)]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
        ports.put(s.server_address[1])
    threading.Event().wait()  # until the parent terminates this process


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--changed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()

    changed = multiprocessing.Value("i", 0)
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=serve, args=(args.hosts, args.sources, changed, ports), daemon=True
    )
    child.start()
    port_of = [ports.get(timeout=30) for _ in range(args.hosts)]
    sources = [
        Source(
            id=f"s{n}",
            platform=f"p{n % 12}",
            kind=SourceKind.RSS,
            url=f"http://127.0.0.1:{port_of[n % args.hosts]}/feed{n}",
        )
        for n in range(args.sources)
    ]
    policy = FetchPolicy(allow_private=True, per_host_delay=args.delay)
    now = datetime(2026, 11, 22, tzinfo=UTC)

    def cycle(db: Path, at: datetime) -> tuple[float, float, int, CountingStore]:
        with SqliteStore(db) as inner, Fetcher(policy) as fetcher:
            store = CountingStore(inner)
            t0, c0 = time.perf_counter(), time.process_time()
            report = run_cycle(
                sources,
                fetcher=fetcher,
                store=store,
                now=at,
                announce_since=at - timedelta(days=7),
                workers=args.workers,
            )
            return time.perf_counter() - t0, time.process_time() - c0, report.changes_found, store

    with tempfile.TemporaryDirectory() as tmp:
        base, work = Path(tmp) / "base.sqlite3", Path(tmp) / "work.sqlite3"
        first = [cycle(work, now)]  # the baseline: each later run starts from a copy of it
        shutil.copy(work, base)
        runs: dict[str, list[tuple[float, float, int, CountingStore]]] = {"first": first}
        for name, moved, hours in (("changed", args.changed, 1), ("unchanged", 0, 2)):
            changed.value = moved
            runs[name] = []
            for _ in range(args.reps):
                shutil.copy(base, work)
                runs[name].append(cycle(work, now + timedelta(hours=hours)))
    child.terminate()

    def figures(name: str) -> str:
        got = runs[name]
        wall = statistics.median(r[0] for r in got)
        cpu = statistics.median(r[1] for r in got)
        store = got[-1][3]
        return (
            f"{wall:5.2f} s wall, {cpu:5.2f} s CPU; {got[-1][2]} changes; store: "
            f"{store.head_reads} head reads, {store.reads} full reads, {store.writes} writes"
        )

    print(
        f"sources={args.sources} hosts={args.hosts} workers={args.workers} "
        f"per_host_delay={args.delay}s robots.txt=on, medians of {args.reps} runs (first: 1)"
    )
    for label, name in (
        (f"first cycle (baseline, {args.sources * 50:,} entries)", "first"),
        (f"cycle with {args.changed} changed sources", "changed"),
        ("unchanged cycle", "unchanged"),
    ):
        print(f"{label + ':':<40} {figures(name)}")


if __name__ == "__main__":
    main()
