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
import time
from collections.abc import Iterable, Iterator
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


def deadline_transport(backend: httpcore.SyncBackend | None = None) -> httpx.HTTPTransport:
    """An httpx transport (no proxy, no environment) whose connections obey `request_deadline`."""
    # The pool httpx makes here is replaced below: its context is a cheap placeholder (httpx
    # would read the CA bundle for it), never used for a connection.
    transport = httpx.HTTPTransport(trust_env=False, verify=unusable_context())
    # httpx has no public hook for httpcore's network backend. Replacing its (private) pool keeps
    # httpx's request building and error mapping; tests/integration and tests/faults cover it on
    # a real socket.
    transport._pool = _TlsOnDemandPool(
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=backend or DeadlineBackend(),
    )
    return transport
