"""A whole-request deadline enforced on the socket, which httpx has no setting for.

httpx's timeouts are per operation: a read timeout of 20 s is never reached by a server that
sends one byte every second, so a source could hold its status line and headers (or its body)
open for ever. Here every connect, TLS handshake, read and write of a request is given at most
the time left until the deadline the fetcher set for it, and refused once it has passed; a
server dribbling bytes is cut off at the deadline, whatever it sends. (CPython bounds a whole
connect and TLS handshake by the socket timeout, not each byte of it.)

The deadline lives in a context variable set around one request, so connections shared in the
pool serve every fetcher thread with that thread's own deadline.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from radar.fetch.tls import unusable_context, verified_context

_DEADLINE: ContextVar[float | None] = ContextVar("radar_fetch_deadline", default=None)

DEADLINE_PASSED = "the request's deadline passed"


@contextmanager
def request_deadline(at: float) -> Iterator[None]:
    """Bound every socket operation inside the block by `at` (a `time.monotonic()` instant)."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def bounded_timeout(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` cut to the time left before the current request's deadline (None: no bound);
    `error` (DEADLINE_PASSED) once it has passed."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error(DEADLINE_PASSED)
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, bounded_timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, bounded_timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = bounded_timeout(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.SyncBackend):
    """httpcore's socket backend with connections that obey the request deadline."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = bounded_timeout(timeout, httpcore.ConnectTimeout)
        stream = super().connect_tcp(host, port, bounded, local_address, socket_options)
        return DeadlineStream(stream)


class _TlsOnDemandPool(httpcore.ConnectionPool):
    """httpcore's pool, given the shared TLS context at its first https connection
    (fetch/tls.py), so that a run fetching only http:// URLs never builds one."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.ConnectionInterface:
        if origin.scheme == b"https" and self._ssl_context is None:
            # (Left None, httpcore would build a verified context per connection: slower, as safe.)
            self._ssl_context = verified_context()
        return super().create_connection(origin)


class _PoolPerOrigin:
    """One httpcore pool per origin (scheme, host, port) instead of one for all hosts.

    httpcore's pool re-examines every connection it holds whenever a request starts or ends:
    a poll() system call for each idle one, and a count of all of them for each (quadratic).
    A run keeps one connection to each of many hosts, so with 20 hosts in one pool that was a
    tenth of an unchanged run's CPU. Each pool here holds one host's connections. Beyond `keep`
    pools, the least recently used ones with no request in flight are closed, as the shared
    pool closed idle connections beyond 20.
    """

    def __init__(self, make: Callable[[], httpcore.ConnectionPool], keep: int = 20) -> None:
        self._make = make
        self._keep = keep
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], httpcore.ConnectionPool] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        url = request.url
        origin = (url.scheme, url.host, url.port)
        with self._lock:
            pool = self._pools.pop(origin, None)
            if pool is None:
                pool = self._make()
            self._pools[origin] = pool  # the most recently used last
            unused = self._surplus()
        for old in unused:
            old.close()
        return pool.handle_request(request)

    def _surplus(self) -> list[httpcore.ConnectionPool]:
        """The pools beyond `keep`, least recently used first, whose connections are all idle
        (a response being read keeps its connection busy); taken out of the map."""
        out: list[httpcore.ConnectionPool] = []
        excess = len(self._pools) - self._keep
        for origin, pool in list(self._pools.items())[: max(excess, 0)]:
            if all(connection.is_idle() for connection in pool.connections):
                del self._pools[origin]
                out.append(pool)
        return out

    def close(self) -> None:
        with self._lock:
            pools = list(self._pools.values())
            self._pools.clear()
        for pool in pools:
            pool.close()

    def __enter__(self) -> _PoolPerOrigin:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def deadline_transport(backend: httpcore.SyncBackend | None = None) -> httpx.HTTPTransport:
    """An httpx transport (no proxy, no environment) whose connections obey `request_deadline`."""
    # The pool httpx makes here is replaced below: its context is a cheap placeholder (httpx
    # would read the CA bundle for it), never used for a connection.
    transport = httpx.HTTPTransport(trust_env=False, verify=unusable_context())
    network = backend or DeadlineBackend()
    # httpx has no public hook for httpcore's network backend. Replacing its (private) pool keeps
    # httpx's request building and error mapping; tests/integration and tests/faults cover it on
    # a real socket.
    transport._pool = _PoolPerOrigin(  # type: ignore[assignment]  # duck-typed: what httpx calls
        lambda: _TlsOnDemandPool(
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=network,
        )
    )
    return transport
