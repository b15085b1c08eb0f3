"""Serving the browser fixtures on 127.0.0.1, reached through the production address guard.

The pages are addressed by names (`http://changelog.test:PORT/app.html`) that a fake resolver
calls public and a transport delivers to the local server. The fetcher keeps its real guard
(`allow_private` stays off), so a page's request for 169.254.169.254 or 10.x is refused exactly
as in production, before any connection is made; nothing here weakens the guard itself.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from radar.fetch import Fetcher, FetchPolicy

BROWSER_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "browser"
PUBLIC_IP = "93.184.216.34"  # what the fake resolver answers for every name
HOST = "changelog.test"


class _Handler(SimpleHTTPRequestHandler):
    """Static files of the fixture folder; /slow/* answers after a long pause."""

    seen: list[str]

    def do_GET(self) -> None:
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        if self.path.startswith("/slow/"):
            time.sleep(5)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        return


@dataclass
class PageServer:
    port: int
    seen: list[str]

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


@contextmanager
def serve_fixtures(root: Path = BROWSER_FIXTURES) -> Iterator[PageServer]:
    """The fixture folder on an ephemeral port of 127.0.0.1, for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.seen = []  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PageServer(server.server_address[1], server.seen)  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


class LoopbackTransport(httpx.BaseTransport):
    """Delivers every request to 127.0.0.1 (same port), as if DNS had pointed the name there."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport(trust_env=False)
        self.hosts: list[str] = []  # every host a connection was asked for

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        request.url = request.url.copy_with(host="127.0.0.1")
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def public_resolve(host: str, port: int) -> list[str]:
    return [PUBLIC_IP]


def guarded_fetcher(transport: LoopbackTransport | None = None, **policy: Any) -> Fetcher:
    """A real Fetcher, production address guard on, whose names all lead to the local server."""
    policy.setdefault("per_host_delay", 0)
    policy.setdefault("respect_robots", False)
    return Fetcher(
        FetchPolicy(**policy), transport=transport or LoopbackTransport(), resolve=public_resolve
    )
