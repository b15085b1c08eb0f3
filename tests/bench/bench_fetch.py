"""Benchmark: the fetcher's own cost on 127.0.0.1, and how it stops decompression bombs.

Run: PYTHONPATH=. python tests/bench/bench_fetch.py [--requests 300]
Writes its figures to stdout (committed as tests/bench/reports/fetch.txt).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

from radar.errors import ResponseTooLarge
from radar.fetch import Fetcher, FetchPolicy
from radar.fetch.body import read_body

MB = 1024 * 1024
PLAIN = b"<rss>" + b"<item><title>Release</title><description>notes</description></item>" * 700
BODIES = {"/plain": (PLAIN, ""), "/gzip": (gzip.compress(PLAIN), "gzip")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    disable_nagle_algorithm = True  # else headers and body wait 40 ms for a delayed ACK

    def do_GET(self) -> None:
        body, coding = BODIES[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def bomb(compress: Callable[[], tuple[Callable[[bytes], bytes], Callable[[], bytes]]]) -> bytes:
    feed, finish = compress()
    zeros = bytes(MB)
    return b"".join(feed(zeros) for _ in range(1024)) + finish()


def gzip_pair() -> tuple[Callable[[bytes], bytes], Callable[[], bytes]]:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress, c.flush


def brotli_pair() -> tuple[Callable[[bytes], bytes], Callable[[], bytes]]:
    c = brotli.Compressor(quality=1)
    return c.process, c.finish


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    policy = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)
    print(f"body {len(PLAIN) / 1024:.0f} KB ({len(BODIES['/gzip'][0]) / 1024:.1f} KB gzipped)")
    with Fetcher(policy) as fetcher:
        for path in ("/plain", "/gzip"):
            fetcher.fetch(base + path)  # warm the connection
            t0 = time.perf_counter()
            for _ in range(args.requests):
                assert fetcher.fetch(base + path).body == PLAIN
            per = (time.perf_counter() - t0) / args.requests
            print(f"{path[1:]:>5}: {per * 1000:.2f} ms per fetch over {args.requests} fetches")
    server.shutdown()

    cap = 5 * MB
    for name, coding, pair in (("gzip", "gzip", gzip_pair), ("brotli", "br", brotli_pair)):
        payload = bomb(pair)
        read: list[int] = []
        pieces = (payload[i : i + 64 * 1024] for i in range(0, len(payload), 64 * 1024))
        counted = (read.append(len(p)) or p for p in pieces)
        tracemalloc.start()
        t0 = time.perf_counter()
        with contextlib.suppress(ResponseTooLarge):
            read_body(counted, coding, cap, url="bomb")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{name} bomb (1 GB in {len(payload) / 1024:.0f} KB), cap 5 MB: stopped after "
            f"{sum(read) / 1024:.0f} KB read in {elapsed * 1000:.1f} ms, peak {peak / MB:.2f} MB"
        )


if __name__ == "__main__":
    main()
