"""The polite, safe HTTP fetcher: one URL in, a FetchResult or a typed FetchError out."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from radar.errors import (
    BlockedAddress,
    ConnectionFailed,
    DnsTimeout,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    RateLimited,
    TooManyRedirects,
)
from radar.fetch.addresses import Resolver, pinned_transport, system_resolve, vet_host
from radar.fetch.body import ACCEPT_ENCODING, read_body, too_large
from radar.fetch.deadline import DEADLINE_PASSED, deadline_transport, request_deadline
from radar.fetch.policy import FetchPolicy
from radar.fetch.retry_after import parse_retry_after
from radar.fetch.robots import ROBOTS_MAX_BYTES
from radar.fetch.robots_cache import RobotsCache
from radar.model import FetchResult

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json, "
    "text/html;q=0.9, text/markdown;q=0.9, */*;q=0.8"
)

log = logging.getLogger(__name__)

HostKey = tuple[str, int]
Origin = tuple[str, str, int]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Reply:
    url: httpx.URL
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes


class _HostSlot:
    """One host's turn: a lock, and the earliest moment the next request may start."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free_at = float("-inf")


def _host_key(url: httpx.URL) -> HostKey:
    port = url.port or (443 if url.scheme == "https" else 80)
    return (url.raw_host.decode("ascii").lower(), port)


def _origin(url: httpx.URL) -> Origin:
    host, port = _host_key(url)
    return (url.scheme, host, port)


class Fetcher:
    """Fetches URLs politely and safely; thread-safe, one instance shared by all workers.

    - Only http(s); every URL and every redirect hop is checked against private, loopback,
      link-local, multicast and reserved addresses (unless `policy.allow_private`). The default
      transport connects only to the addresses it checked, so DNS rebinding between check and
      connection is refused too. An injected `transport` (tests) gets only the up-front check.
    - robots.txt is read once per origin (cached for `policy.robots_ttl`) and obeyed.
    - One request at a time per host, and `policy.per_host_delay` between them; different hosts
      never wait for each other.
    - Conditional GET; bodies capped at `policy.max_bytes` after decompression.
    - Each attempt has a wall deadline (`policy.total_timeout`) covering DNS, robots.txt,
      redirects, connecting, the status line and headers, and the body: the default transports
      enforce it on every socket operation (fetch/deadline.py), so a server dribbling bytes is
      cut off, and a resolver that hangs is given up at it (fetch/addresses.py).
    - 429/503 with a short Retry-After are retried once; longer ones raise RateLimited.

    `sleep`, `monotonic`, `clock` (wall time, for Retry-After dates) and `resolve` are injected
    so tests run fast and deterministically.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = _utc_now,
        resolve: Resolver = system_resolve,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._monotonic = monotonic
        self._clock = clock
        self._resolve = resolve
        if transport is None:
            transport = (
                deadline_transport() if self.policy.allow_private else pinned_transport(resolve)
            )
        # Requests go straight to the transport, not through an httpx.Client: the fetcher does
        # its own redirects, timeouts and headers, and keeps no cookies (sources must not
        # influence each other through them), which is all a Client would add, at a fifth of
        # the CPU of each fetch (its cookie jar reads every response, even with no cookie).
        self._transport = transport
        # The headers an httpx.Client sent, in its order (Host comes first, from the URL).
        self._headers = {
            "Connection": "keep-alive",
            "User-Agent": self.policy.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        self._closed = False
        self._lock = threading.Lock()
        self._hosts: dict[HostKey, _HostSlot] = {}
        self._robots = RobotsCache(self.policy, self._download_robots, monotonic)

    # --- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool; fetching afterwards is a programming error."""
        self._closed = True
        self._transport.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- public -----------------------------------------------------------------------------

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url` (conditionally, when validators are given) following redirects.

        Returns the final URL's FetchResult; status 304 with an empty body when not modified.
        Raises a FetchError subclass whose message names the URL and what went wrong.
        """
        start = self._parse(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(2):
            deadline = self._monotonic() + self.policy.total_timeout
            reply = self._follow(start, headers, deadline, self.policy.max_bytes, robots=True)
            if reply.status in (429, 503):
                wait = parse_retry_after(reply.headers.get("Retry-After"), self._clock())
                if attempt == 0 and wait is not None and wait <= self.policy.max_retry_wait:
                    self._hold_host(reply.url, wait)  # the next request to it sleeps first
                    continue
                if wait is not None or reply.status == 429:
                    raise RateLimited(_rate_limited_message(reply, wait), reply.status, wait)
            if reply.status == 304:
                return FetchResult(
                    url=str(reply.url),
                    status=304,
                    etag=reply.headers.get("ETag") or etag,
                    last_modified=reply.headers.get("Last-Modified") or last_modified,
                )
            if reply.status >= 300:
                raise HttpStatusError(
                    f"{reply.url.host} answered {reply.status} {reply.reason} ({reply.url})",
                    reply.status,
                )
            return FetchResult(
                url=str(reply.url),
                status=reply.status,
                body=reply.body,
                content_type=reply.headers.get("Content-Type"),
                etag=reply.headers.get("ETag"),
                last_modified=reply.headers.get("Last-Modified"),
                fetched_at=self._clock(),
            )
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    # --- redirects, addresses, robots -------------------------------------------------------

    def _parse(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url!r} is not a valid URL ({exc})") from exc
        self._check_scheme(parsed)
        return parsed

    def _check_scheme(self, url: httpx.URL, came_from: httpx.URL | None = None) -> None:
        if url.scheme not in ("http", "https") or not url.host:
            hop = f" (redirected from {came_from})" if came_from else ""
            raise BlockedAddress(f"refused: {url} is not an http or https URL{hop}")

    def _check_address(self, url: httpx.URL, came_from: httpx.URL | None, deadline: float) -> None:
        if self.policy.allow_private:
            return
        host, port = _host_key(url)
        left = deadline - self._monotonic()
        if left <= 0:
            total = self.policy.total_timeout
            raise FetchTimeout(f"{url.host} took longer than {total:g} s in all ({url})")
        try:
            vet_host(host, port, self._resolve, timeout=left)
        except BlockedAddress as exc:
            hop = f", redirected from {came_from}" if came_from else ""
            raise BlockedAddress(f"{exc} ({url}{hop})") from exc
        except (ConnectionFailed, DnsTimeout) as exc:
            raise type(exc)(f"{exc} ({url})") from exc

    def _follow(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        deadline: float,
        cap: int,
        *,
        robots: bool,
        truncate: bool = False,
    ) -> _Reply:
        """The first non-redirect reply for `url`, each hop checked like a new URL."""
        current, came_from = url, None
        for _hop in range(self.policy.max_redirects + 1):
            self._check_address(current, came_from, deadline)
            if robots and self.policy.respect_robots:
                self._robots.check(current, _origin(current), deadline)
            reply = self._exchange(current, headers, deadline, cap, truncate=truncate)
            location = reply.headers.get("Location")
            if reply.status not in _REDIRECTS or not location:
                return reply
            try:
                target = current.join(location.strip()).copy_with(fragment=None)
            except httpx.InvalidURL as exc:
                raise FetchError(f"{current} redirected to an invalid URL {location!r}") from exc
            self._check_scheme(target, came_from=current)
            current, came_from = target, current
        raise TooManyRedirects(
            f"{url} redirected more than {self.policy.max_redirects} times (last to {current})"
        )

    def _download_robots(self, url: httpx.URL, deadline: float) -> tuple[int, bytes, str]:
        reply = self._follow(url, {}, deadline, ROBOTS_MAX_BYTES, robots=False, truncate=True)
        return reply.status, reply.body, reply.reason

    # --- one request ------------------------------------------------------------------------

    def _slot(self, url: httpx.URL) -> _HostSlot:
        key = _host_key(url)
        with self._lock:
            return self._hosts.setdefault(key, _HostSlot())

    def _hold_host(self, url: httpx.URL, seconds: float) -> None:
        slot = self._slot(url)
        with slot.lock:
            slot.free_at = max(slot.free_at, self._monotonic() + seconds)

    def _exchange(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        deadline: float,
        cap: int,
        *,
        truncate: bool,
    ) -> _Reply:
        """One GET, in this host's turn; the body is read only for 2xx answers."""
        slot = self._slot(url)
        with slot.lock:
            wait = slot.free_at - self._monotonic()
            if wait > 0:
                self._sleep(wait)
            try:
                return self._send(url, headers, deadline, cap, truncate=truncate)
            finally:
                slot.free_at = self._monotonic() + self.policy.per_host_delay

    def _send(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        deadline: float,
        cap: int,
        *,
        truncate: bool,
    ) -> _Reply:
        policy = self.policy
        total = policy.total_timeout

        def check_deadline() -> None:
            if self._monotonic() > deadline:
                raise FetchTimeout(f"{url.host} took longer than {total:g} s in all ({url})")

        check_deadline()
        remaining = max(deadline - self._monotonic(), 0.001)
        connect = min(policy.connect_timeout, remaining)
        read = min(policy.read_timeout, remaining)
        timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
        # The same deadline on the real clock, for every socket operation (fetch/deadline.py).
        real_deadline = time.monotonic() + (deadline - self._monotonic())
        try:
            with request_deadline(real_deadline):
                return self._request(url, headers, timeout, cap, truncate, check_deadline)
        # From the pinned transport's own check (DnsTimeout: its resolver did not answer in time).
        except (BlockedAddress, ConnectionFailed, DnsTimeout) as exc:
            raise type(exc)(f"{exc} ({url})") from exc
        except httpx.TimeoutException as exc:
            if DEADLINE_PASSED in str(exc) or time.monotonic() >= real_deadline:
                raise FetchTimeout(
                    f"{url.host} took longer than {total:g} s in all ({url})"
                ) from exc
            if isinstance(exc, httpx.ConnectTimeout):
                raise FetchTimeout(
                    f"{url.host} did not accept a connection within {connect:g} s ({url})"
                ) from exc
            raise FetchTimeout(f"{url.host} took longer than {read:g} s to answer ({url})") from exc
        except httpx.InvalidURL as exc:  # httpx parses a redirect's Location while sending
            raise FetchError(
                f"{url} redirected to something that is not an http or https URL ({exc})"
            ) from exc
        except httpx.ConnectError as exc:
            raise ConnectionFailed(f"could not connect to {url.host}: {exc} ({url})") from exc
        except httpx.TransportError as exc:
            raise ConnectionFailed(
                f"the connection to {url.host} failed: {exc or type(exc).__name__} ({url})"
            ) from exc

    def _request(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        timeout: httpx.Timeout,
        cap: int,
        truncate: bool,
        check_deadline: Callable[[], None],
    ) -> _Reply:
        if self._closed:
            # A transport opens a new pool when asked after close(), one nothing would close.
            raise RuntimeError("this Fetcher has been closed: make a new one to fetch again")
        request = httpx.Request(
            "GET",
            url,
            headers=self._headers | headers,
            extensions={"timeout": timeout.as_dict()},
        )
        response = self._transport.handle_request(request)
        response.request = request
        log.info("http request", extra={"url": str(url), "status": response.status_code})
        try:
            body = b""
            if 200 <= response.status_code < 300:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > cap and not truncate:
                    raise too_large(str(url), cap)
                raw, coding = response.iter_raw(), response.headers.get("Content-Encoding")
                if response.is_stream_consumed:
                    # Built with content= (httpx.MockTransport): httpx has decoded it already.
                    raw, coding = iter([response.content]), None
                body = read_body(
                    raw, coding, cap, url=str(url), truncate=truncate, tick=check_deadline
                )
            elif response.status_code == 304:
                # A 304 has no body, but its end is read only when asked for: closed unread,
                # the connection is dropped and the host's next request connects again.
                response.read()
            return _Reply(
                url=url,
                status=response.status_code,
                reason=response.reason_phrase,
                headers=response.headers,
                body=body,
            )
        finally:
            response.close()


def _rate_limited_message(reply: _Reply, wait: float | None) -> str:
    asked = f"to wait {wait:g} s" if wait is not None else "to slow down"
    return f"{reply.url.host} answered {reply.status} {reply.reason} and asks {asked} ({reply.url})"
