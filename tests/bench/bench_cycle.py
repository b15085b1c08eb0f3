"""Benchmark: one `radar run` cycle over 100 sources served on 127.0.0.1, 5 of them changed.

Run: PYTHONPATH=. python tests/bench/bench_cycle.py [--hosts 50] [--workers 16] [--delay 1.0]
Writes its figures to stdout (committed as tests/bench/reports/cycle.txt).

Sources are spread over several local servers (one per port, i.e. one "host" each), because the
fetcher is polite: one request at a time per host with a delay between them, and robots.txt is
fetched once per host per run, exactly as against real sites.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from radar.fetch import Fetcher, FetchPolicy
from radar.model import Source, SourceKind
from radar.store.sqlite import SqliteStore
from radar.watch.cycle import run_cycle
from tests.support.fakes import CountingStore

PAGES: dict[str, bytes] = {}


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # otherwise small responses wait ~40 ms for delayed ACKs

    def do_GET(self) -> None:
        body = PAGES.get(f"{self.server.server_address[1]}{self.path}")  # type: ignore[index]
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--changed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--delay", type=float, default=1.0)
    args = ap.parse_args()

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(args.hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    sources = []
    for n in range(args.sources):
        port = servers[n % args.hosts].server_address[1]
        PAGES[f"{port}/feed{n}"] = feed(n)
        sources.append(
            Source(
                id=f"s{n}",
                platform=f"p{n % 12}",
                kind=SourceKind.RSS,
                url=f"http://127.0.0.1:{port}/feed{n}",
            )
        )
    policy = FetchPolicy(allow_private=True, per_host_delay=args.delay)
    now = datetime(2026, 11, 22, tzinfo=UTC)

    def cycle(store: CountingStore, at: datetime) -> tuple[float, int]:
        with Fetcher(policy) as fetcher:
            t0 = time.perf_counter()
            report = run_cycle(
                sources,
                fetcher=fetcher,
                store=store,
                now=at,
                announce_since=at - timedelta(days=7),
                workers=args.workers,
            )
            return time.perf_counter() - t0, report.changes_found

    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "b.sqlite3") as db:
        store = CountingStore(db)
        first, _ = cycle(store, now)
        for n in range(args.changed):
            port = servers[n % args.hosts].server_address[1]
            PAGES[f"{port}/feed{n}"] = feed(n, extra=1)
        store.writes = 0
        changed, found = cycle(store, now + timedelta(hours=1))
        changed_writes = store.writes
        store.writes = 0
        unchanged, _ = cycle(store, now + timedelta(hours=2))
        print(
            f"sources={args.sources} hosts={args.hosts} workers={args.workers} "
            f"per_host_delay={args.delay}s robots.txt=on"
        )
        print(f"first cycle (baseline, 5,000 entries): {first:.2f} s")
        print(
            f"cycle with {args.changed} changed sources: {changed:.2f} s, "
            f"{found} changes, {changed_writes} store writes"
        )
        print(f"unchanged cycle: {unchanged:.2f} s, {store.writes} store writes")
    for s in servers:
        s.shutdown()


if __name__ == "__main__":
    main()
