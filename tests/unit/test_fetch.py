"""radar.fetch on httpx.MockTransport, a fake resolver and a fake clock: no sockets, no waits."""

from __future__ import annotations

import functools
import gzip
import ipaddress
import re
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import brotli
import httpx
import pytest

from radar.errors import (
    BlockedAddress,
    ConnectionFailed,
    ContentEncodingError,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    RateLimited,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
)
from radar.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy, parse_retry_after
from radar.fetch.addresses import blocked_reason

MB = 1024 * 1024
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """monotonic() and sleep() that only move when told; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def public_resolve(host: str, port: int) -> list[str]:
    """Every name is a public address, as on the internet."""
    return ["93.184.216.34"]


def make_fetcher(
    handler: Handler,
    clock: FakeClock | None = None,
    resolve: Callable[[str, int], list[str]] = public_resolve,
    **policy: Any,
) -> Fetcher:
    policy.setdefault("per_host_delay", 0)
    policy.setdefault("respect_robots", False)
    clock = clock or FakeClock()
    return Fetcher(
        FetchPolicy(**policy),
        transport=httpx.MockTransport(handler),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        clock=lambda: NOW,
        resolve=resolve,
    )


def routes(table: dict[str, httpx.Response | Handler], seen: list[str] | None = None) -> Handler:
    """A handler serving `table` by "host/path"; anything else is 404. Records what was asked."""

    def handle(request: httpx.Request) -> httpx.Response:
        key = f"{request.url.host}{request.url.path}"
        if seen is not None:
            seen.append(key)
        found = table.get(key)
        if found is None:
            return httpx.Response(404)
        return found(request) if callable(found) else found

    return handle


def raw(status: int, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """A response whose body reaches the fetcher as raw bytes, as from a real socket.

    (httpx decodes `content=` bodies at once, which would defeat the tests of our own decoding.)
    """
    headers = {"Content-Length": str(len(body)), **headers}
    return httpx.Response(status, stream=httpx.ByteStream(body), headers=headers)


def chunks(data: bytes, size: int = 64 * 1024, counter: list[int] | None = None) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        if counter is not None:
            counter.append(i)
        yield data[i : i + size]


@functools.cache
def gzip_bomb() -> bytes:
    """1 GB of zeros, gzipped to about 1 MB."""
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    return b"".join(c.compress(zeros) for _ in range(1024)) + c.flush()


@functools.cache
def brotli_bomb() -> bytes:
    """1 GB of zeros, brotli-compressed to about 200 KB."""
    c = brotli.Compressor(quality=1)
    zeros = bytes(MB)
    return b"".join(c.process(zeros) for _ in range(1024)) + c.finish()


# --- results and conditional GET -------------------------------------------------------------


def test_fetch_returns_body_status_content_type_and_validators() -> None:
    ok = httpx.Response(
        200,
        content=b"<rss/>",
        headers={
            "Content-Type": "application/rss+xml; charset=utf-8",
            "ETag": '"v1"',
            "Last-Modified": "Sat, 21 Nov 2026 10:00:00 GMT",
        },
    )
    with make_fetcher(routes({"example.com/feed": ok})) as fetcher:
        result = fetcher.fetch("https://example.com/feed")
    assert (result.status, result.body, result.url) == (200, b"<rss/>", "https://example.com/feed")
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', "Sat, 21 Nov 2026 10:00:00 GMT")


def test_fetch_sends_honest_user_agent_and_accept_encoding() -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"x")

    with make_fetcher(handle) as fetcher:
        fetcher.fetch("https://example.com/")
    assert sent[0].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert "+https://" in DEFAULT_USER_AGENT
    assert sent[0].headers["Accept-Encoding"] == "gzip, deflate, br"


def test_fetch_sends_conditional_headers() -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"x")

    with make_fetcher(handle) as fetcher:
        fetcher.fetch("https://example.com/", etag='"v1"', last_modified="Sat, 21 Nov 2026")
    assert sent[0].headers["If-None-Match"] == '"v1"'
    assert sent[0].headers["If-Modified-Since"] == "Sat, 21 Nov 2026"


def test_fetch_not_modified_returns_304_with_empty_body_and_kept_validators() -> None:
    handle = routes({"example.com/": httpx.Response(304)})
    with make_fetcher(handle) as fetcher:
        result = fetcher.fetch("https://example.com/", etag='"v1"', last_modified="then")
    assert result.not_modified
    assert (result.body, result.etag, result.last_modified) == (b"", '"v1"', "then")


def test_fetch_does_not_keep_cookies_between_requests() -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"x", headers={"Set-Cookie": "track=1; Path=/"})

    with make_fetcher(handle) as fetcher:
        fetcher.fetch("https://example.com/a")
        fetcher.fetch("https://example.com/b")
    assert "Cookie" not in sent[1].headers


# --- size cap and decompression --------------------------------------------------------------


def test_fetch_refuses_content_length_over_cap_without_reading() -> None:
    read: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = chunks(bytes(3 * MB), counter=read)
        return httpx.Response(200, content=body, headers={"Content-Length": str(3 * MB)})

    with make_fetcher(handle, max_bytes=MB) as fetcher, pytest.raises(ResponseTooLarge) as err:
        fetcher.fetch("https://example.com/big")
    assert read == []
    assert "https://example.com/big is larger than 1 MB" in str(err.value)


def test_fetch_stops_streaming_body_at_cap() -> None:
    read: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:
            read.append(1)
            yield bytes(64 * 1024)

    with (
        make_fetcher(lambda r: httpx.Response(200, content=endless()), max_bytes=MB) as fetcher,
        pytest.raises(ResponseTooLarge),
    ):
        fetcher.fetch("https://example.com/endless")
    assert len(read) == 17  # 16 chunks fill 1 MB; the 17th goes over


def test_fetch_accepts_body_exactly_at_cap() -> None:
    handle = routes({"example.com/": httpx.Response(200, content=bytes(MB))})
    with make_fetcher(handle, max_bytes=MB) as fetcher:
        assert len(fetcher.fetch("https://example.com/").body) == MB


@pytest.mark.parametrize(
    ("coding", "bomb"), [("gzip", gzip_bomb), ("br", brotli_bomb)], ids=["gzip", "brotli"]
)
def test_fetch_stops_decompression_bomb_at_cap_without_inflating_it(
    coding: str, bomb: Callable[[], bytes]
) -> None:
    payload = bomb()
    assert len(payload) < 2 * MB  # a real bomb: 1 GB once decoded
    read: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = chunks(payload, counter=read)
        return httpx.Response(200, content=body, headers={"Content-Encoding": coding})

    cap = 2 * MB
    with make_fetcher(handle, max_bytes=cap) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLarge, match="after decompression"):
                fetcher.fetch("https://example.com/bomb")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 2 * cap  # about the cap, never the gigabyte
    assert len(read) < len(payload) // (64 * 1024)  # stopped long before the end of the input


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("br", brotli.compress),
        ("deflate", zlib.compress),  # the zlib wrapper, as the RFC says
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
    ],
    ids=["gzip", "brotli", "deflate-zlib", "deflate-raw"],
)
def test_fetch_decodes_compressed_body(coding: str, encode: Callable[[bytes], bytes]) -> None:
    text = b"<rss>" + b"release notes " * 5000 + b"</rss>"
    response = raw(200, encode(text), {"Content-Encoding": coding})
    with make_fetcher(routes({"example.com/": response})) as fetcher:
        assert fetcher.fetch("https://example.com/").body == text


def test_fetch_rejects_unknown_content_encoding() -> None:
    response = raw(200, b"??", {"Content-Encoding": "zstd"})
    with (
        make_fetcher(routes({"example.com/": response})) as fetcher,
        pytest.raises(ContentEncodingError, match="'zstd'"),
    ):
        fetcher.fetch("https://example.com/")


def test_fetch_reports_broken_gzip_body() -> None:
    response = raw(200, b"not gzip at all", {"Content-Encoding": "gzip"})
    with (
        make_fetcher(routes({"example.com/": response})) as fetcher,
        pytest.raises(ContentEncodingError, match="broken gzip body"),
    ):
        fetcher.fetch("https://example.com/")


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


_PAGE = b"## 2026-03-02\n\nThe new API version is live.\n" * 500


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip", _cut(gzip.compress(_PAGE))),
        ("gzip", gzip.compress(_PAGE)[:-8]),  # all the text, no CRC and length trailer
        ("deflate", _cut(zlib.compress(_PAGE))),
        ("br", _cut(brotli.compress(_PAGE))),
    ],
)
def test_fetch_truncated_compressed_body_is_an_error(coding: str, body: bytes) -> None:
    # A cut stream decodes to a prefix of the page; taken as the page, entries vanish.
    table: dict[str, httpx.Response | Handler] = {
        "example.com/": raw(200, body, {"Content-Encoding": coding}),
    }
    with (
        make_fetcher(routes(table)) as fetcher,
        pytest.raises(ContentEncodingError, match=f"truncated {coding} body"),
    ):
        fetcher.fetch("https://example.com/")


# --- redirects -------------------------------------------------------------------------------


def test_fetch_follows_redirects_and_reports_final_url() -> None:
    table: dict[str, httpx.Response | Handler] = {
        "example.com/old": httpx.Response(301, headers={"Location": "/new"}),
        "example.com/new": httpx.Response(302, headers={"Location": "https://cdn.example/feed"}),
        "cdn.example/feed": httpx.Response(200, content=b"feed"),
    }
    with make_fetcher(routes(table)) as fetcher:
        result = fetcher.fetch("https://example.com/old")
    assert (result.url, result.body) == ("https://cdn.example/feed", b"feed")


def test_fetch_caps_redirect_chain() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return loop(request)

    with (
        make_fetcher(handle, max_redirects=3) as fetcher,
        pytest.raises(TooManyRedirects, match="more than 3 times"),
    ):
        fetcher.fetch("https://example.com/0")
    assert len(seen) == 4  # the URL itself and 3 redirects


def test_fetch_blocks_redirect_to_metadata_address() -> None:
    seen: list[str] = []
    table: dict[str, httpx.Response | Handler] = {
        "example.com/feed": httpx.Response(
            302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
        ),
        "169.254.169.254/latest/meta-data/": httpx.Response(200, content=b"secret"),
    }
    with make_fetcher(routes(table, seen)) as fetcher, pytest.raises(BlockedAddress) as err:
        fetcher.fetch("https://example.com/feed")
    assert seen == ["example.com/feed"]
    assert "169.254.169.254 is a link-local address" in str(err.value)
    assert "redirected from https://example.com/feed" in str(err.value)


def test_fetch_blocks_redirect_to_host_resolving_to_private_address() -> None:
    def resolve(host: str, port: int) -> list[str]:
        return ["10.1.2.3"] if host == "intranet.example" else ["93.184.216.34"]

    table: dict[str, httpx.Response | Handler] = {
        "example.com/": httpx.Response(302, headers={"Location": "http://intranet.example/"}),
    }
    with (
        make_fetcher(routes(table), resolve=resolve) as fetcher,
        pytest.raises(BlockedAddress, match=re.escape("intranet.example resolves to 10.1.2.3")),
    ):
        fetcher.fetch("https://example.com/")


def test_fetch_blocks_redirect_to_non_http_scheme() -> None:
    table: dict[str, httpx.Response | Handler] = {
        "example.com/": httpx.Response(302, headers={"Location": "file:///etc/passwd"}),
    }
    with (
        make_fetcher(routes(table)) as fetcher,
        pytest.raises(BlockedAddress, match="not an http or https URL"),
    ):
        fetcher.fetch("https://example.com/")


@pytest.mark.parametrize(
    "location", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]
)
def test_fetch_redirect_to_script_or_data_url_is_a_fetch_error(location: str) -> None:
    # httpx parses the Location while sending: its InvalidURL used to escape as a crash.
    table: dict[str, httpx.Response | Handler] = {
        "example.com/": httpx.Response(302, headers={"Location": location}),
    }
    with (
        make_fetcher(routes(table)) as fetcher,
        pytest.raises(FetchError, match="not an http or https URL"),
    ):
        fetcher.fetch("https://example.com/")


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.0.0.5/", "refused: 10.0.0.5 is a private address"),
        ("http://127.0.0.1:8080/", "loopback"),
        ("http://169.254.169.254/latest/", "link-local"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::1]/", "loopback"),
        ("http://[fd00:ec2::254]/", "private"),
        ("http://[fec0::1]/", "site-local"),
        ("http://[::ffff:10.0.0.5]/", "private"),
        ("http://240.0.0.1/", "reserved"),
    ],
)
def test_fetch_blocks_literal_non_public_ip(url: str, words: str) -> None:
    with make_fetcher(lambda r: httpx.Response(200)) as fetcher, pytest.raises(BlockedAddress) as e:
        fetcher.fetch(url)
    assert words in str(e.value)
    assert url.rstrip("/") in str(e.value)


def test_fetch_blocks_host_when_any_resolved_address_is_private() -> None:
    def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "127.0.0.1"]

    with (
        make_fetcher(lambda r: httpx.Response(200), resolve=resolve) as fetcher,
        pytest.raises(BlockedAddress, match=re.escape("resolves to 127.0.0.1, a loopback address")),
    ):
        fetcher.fetch("https://sneaky.example/")


def test_fetch_allow_private_allows_loopback() -> None:
    handle = routes({"127.0.0.1/": httpx.Response(200, content=b"local")})
    with make_fetcher(handle, allow_private=True) as fetcher:
        assert fetcher.fetch("http://127.0.0.1/").body == b"local"


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd", "gopher://x/"])
def test_fetch_refuses_non_http_url(url: str) -> None:
    with (
        make_fetcher(lambda r: httpx.Response(200)) as fetcher,
        pytest.raises(BlockedAddress, match="not an http or https URL"),
    ):
        fetcher.fetch(url)


def test_fetch_dns_failure_is_connection_failed_naming_the_host() -> None:
    def resolve(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with (
        make_fetcher(lambda r: httpx.Response(200), resolve=resolve) as fetcher,
        pytest.raises(ConnectionFailed, match=re.escape("could not find nowhere.example in DNS")),
    ):
        fetcher.fetch("https://nowhere.example/feed")


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
        ("::ffff:8.8.8.8", False),
        ("64:ff9b::a00:5", True),  # NAT64 of 10.0.0.5
        ("2002:a00:5::1", True),  # 6to4 of 10.0.0.5
        ("198.18.0.1", True),  # benchmarking range: not global
        ("fe80::1", True),
    ],
)
def test_blocked_reason_sees_through_embedded_ipv4(address: str, blocked: bool) -> None:
    assert (blocked_reason(ipaddress.ip_address(address)) is not None) is blocked


# --- robots.txt ------------------------------------------------------------------------------

ROBOTS = b"User-agent: PlatformRadar\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"


def robots_site(robots: httpx.Response, seen: list[str] | None = None) -> Handler:
    return routes(
        {
            "example.com/robots.txt": robots,
            "example.com/feed": httpx.Response(200, content=b"feed"),
            "example.com/private/x": httpx.Response(200, content=b"secret"),
        },
        seen,
    )


def test_fetch_obeys_robots_disallow_for_our_agent() -> None:
    seen: list[str] = []
    handle = robots_site(httpx.Response(200, content=ROBOTS), seen)
    with (
        make_fetcher(handle, respect_robots=True) as fetcher,
        pytest.raises(RobotsDisallowed) as err,
    ):
        fetcher.fetch("https://example.com/private/x")
    assert seen == ["example.com/robots.txt"]
    assert "robots.txt of example.com asks PlatformRadar not to fetch" in str(err.value)


def test_fetch_follows_robots_allow_for_our_agent() -> None:
    # "User-agent: *  Disallow: /" would forbid it; our own group allows everything but /private.
    handle = robots_site(httpx.Response(200, content=ROBOTS))
    with make_fetcher(handle, respect_robots=True) as fetcher:
        assert fetcher.fetch("https://example.com/feed").body == b"feed"


def test_fetch_treats_missing_robots_as_allow_all() -> None:
    handle = robots_site(httpx.Response(404))
    with make_fetcher(handle, respect_robots=True) as fetcher:
        assert fetcher.fetch("https://example.com/private/x").body == b"secret"


@pytest.mark.parametrize("status", [500, 503, 429])
def test_fetch_treats_robots_server_error_as_disallow_all(status: int) -> None:
    handle = robots_site(httpx.Response(status))
    with (
        make_fetcher(handle, respect_robots=True) as fetcher,
        pytest.raises(RobotsDisallowed, match=f"could not be read .answered {status}"),
    ):
        fetcher.fetch("https://example.com/feed")


def test_fetch_treats_unreachable_robots_as_a_connection_failure() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    # Nothing is fetched (RFC 9309), and the reason is the connection, not a robots.txt rule.
    with (
        make_fetcher(handle, respect_robots=True) as fetcher,
        pytest.raises(ConnectionFailed, match=r"robots\.txt of example\.com could not be fetched"),
    ):
        fetcher.fetch("https://example.com/feed")


def test_fetch_reads_robots_through_the_address_check() -> None:
    seen: list[str] = []
    moved = httpx.Response(302, headers={"Location": "http://10.0.0.1/robots.txt"})
    with (
        make_fetcher(robots_site(moved, seen), respect_robots=True) as fetcher,
        pytest.raises(RobotsDisallowed, match=re.escape("10.0.0.1 is a private address")),
    ):
        fetcher.fetch("https://example.com/feed")
    assert seen == ["example.com/robots.txt"]


def test_fetch_reads_robots_once_per_origin() -> None:
    seen: list[str] = []
    handle = robots_site(httpx.Response(200, content=ROBOTS), seen)
    with make_fetcher(handle, respect_robots=True) as fetcher:
        fetcher.fetch("https://example.com/feed")
        fetcher.fetch("https://example.com/feed")
    assert seen.count("example.com/robots.txt") == 1


def test_fetch_reads_robots_again_after_its_ttl() -> None:
    seen: list[str] = []
    clock = FakeClock()
    handle = robots_site(httpx.Response(200, content=ROBOTS), seen)
    with make_fetcher(handle, clock, respect_robots=True, robots_ttl=3600) as fetcher:
        fetcher.fetch("https://example.com/feed")
        clock.advance(3601)
        fetcher.fetch("https://example.com/feed")
    assert seen.count("example.com/robots.txt") == 2


# --- Retry-After -----------------------------------------------------------------------------


def two_answers(first: httpx.Response) -> Handler:
    answers = iter([first, httpx.Response(200, content=b"ok")])
    return lambda request: next(answers)


def test_fetch_retries_once_after_retry_after_seconds() -> None:
    clock = FakeClock()
    handle = two_answers(httpx.Response(429, headers={"Retry-After": "7"}))
    with make_fetcher(handle, clock) as fetcher:
        assert fetcher.fetch("https://example.com/").body == b"ok"
    assert clock.sleeps == [7.0]


def test_fetch_retries_once_after_retry_after_http_date() -> None:
    clock = FakeClock()
    when = format_datetime(NOW + timedelta(seconds=12), usegmt=True)
    handle = two_answers(httpx.Response(503, headers={"Retry-After": when}))
    with make_fetcher(handle, clock) as fetcher:
        assert fetcher.fetch("https://example.com/").body == b"ok"
    assert clock.sleeps == [12.0]


def test_fetch_raises_rate_limited_for_long_retry_after() -> None:
    clock = FakeClock()
    handle = two_answers(httpx.Response(429, headers={"Retry-After": "3600"}))
    with make_fetcher(handle, clock) as fetcher, pytest.raises(RateLimited) as err:
        fetcher.fetch("https://example.com/feed")
    assert (err.value.status, err.value.retry_after) == (429, 3600.0)
    assert clock.sleeps == []
    assert "example.com answered 429 Too Many Requests and asks to wait 3600 s" in str(err.value)


def test_fetch_raises_rate_limited_when_still_limited_after_one_retry() -> None:
    clock = FakeClock()
    always = lambda r: httpx.Response(429, headers={"Retry-After": "2"})  # noqa: E731
    with make_fetcher(always, clock) as fetcher, pytest.raises(RateLimited):
        fetcher.fetch("https://example.com/")
    assert clock.sleeps == [2.0]


def test_fetch_503_without_retry_after_is_http_status_error() -> None:
    with (
        make_fetcher(lambda r: httpx.Response(503)) as fetcher,
        pytest.raises(HttpStatusError) as err,
    ):
        fetcher.fetch("https://example.com/")
    assert not isinstance(err.value, RateLimited)
    assert err.value.status == 503


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sun, 22 Nov 2026 12:01:00 GMT", 60.0),
        ("Sun, 22 Nov 2026 11:00:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after_reads_seconds_and_dates(value: str | None, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


# --- status errors ---------------------------------------------------------------------------


def test_fetch_http_error_names_status_reason_and_url() -> None:
    with (
        make_fetcher(lambda r: httpx.Response(404)) as fetcher,
        pytest.raises(HttpStatusError) as err,
    ):
        fetcher.fetch("https://example.com/gone")
    assert err.value.status == 404
    assert str(err.value) == "example.com answered 404 Not Found (https://example.com/gone)"


# --- politeness ------------------------------------------------------------------------------


def test_fetch_waits_per_host_delay_after_the_end_of_the_previous_request() -> None:
    clock = FakeClock()

    def slow(request: httpx.Request) -> httpx.Response:
        clock.advance(0.4)  # the request itself takes 0.4 s
        return httpx.Response(200, content=b"x")

    with make_fetcher(slow, clock, per_host_delay=1.0) as fetcher:
        fetcher.fetch("https://example.com/a")
        fetcher.fetch("https://example.com/b")
        fetcher.fetch("https://other.example/c")  # another host: no wait
    assert clock.sleeps == [1.0]


def test_fetch_serialises_requests_to_one_host() -> None:
    in_flight, most = 0, 0
    lock = threading.Lock()
    gate = threading.Barrier(2, timeout=5)

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        threading.Event().wait(0.05)  # give the other thread a chance to overlap
        with lock:
            in_flight -= 1
        return httpx.Response(200, content=b"x")

    with make_fetcher(handle) as fetcher:

        def work() -> None:
            gate.wait()
            for i in range(3):
                fetcher.fetch(f"https://example.com/{i}")

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert most == 1


def test_fetch_does_not_block_other_hosts() -> None:
    release = threading.Event()
    entered = threading.Event()

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "slow.example":
            entered.set()
            release.wait(10)
        return httpx.Response(200, content=request.url.host.encode())

    with make_fetcher(handle, per_host_delay=5.0) as fetcher:
        slow = threading.Thread(target=fetcher.fetch, args=("https://slow.example/",))
        slow.start()
        assert entered.wait(10)
        # slow.example is mid-request and holds its turn; fast.example must not wait for it.
        assert fetcher.fetch("https://fast.example/").body == b"fast.example"
        assert slow.is_alive()
        release.set()
        slow.join(10)


# --- timeouts and connection errors ----------------------------------------------------------


def test_fetch_read_timeout_says_how_long_the_host_took() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with make_fetcher(handle) as fetcher, pytest.raises(FetchTimeout) as err:
        fetcher.fetch("https://example.com/feed")
    assert (
        str(err.value) == "example.com took longer than 20 s to answer (https://example.com/feed)"
    )


def test_fetch_connect_timeout_is_fetch_timeout() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with (
        make_fetcher(handle) as fetcher,
        pytest.raises(FetchTimeout, match="did not accept a connection within 10 s"),
    ):
        fetcher.fetch("https://example.com/")


def test_fetch_total_timeout_stops_a_trickling_body() -> None:
    clock = FakeClock()

    def trickle() -> Iterator[bytes]:
        for _ in range(10):
            clock.advance(15)  # each chunk within the read timeout, the whole far beyond
            yield b"x"

    with (
        make_fetcher(lambda r: httpx.Response(200, content=trickle()), clock) as fetcher,
        pytest.raises(FetchTimeout, match="took longer than 60 s in all"),
    ):
        fetcher.fetch("https://example.com/")


def test_fetch_connection_error_is_connection_failed() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with make_fetcher(handle) as fetcher, pytest.raises(ConnectionFailed) as err:
        fetcher.fetch("https://example.com/")
    assert "could not connect to example.com" in str(err.value)
    assert "Connection refused" in str(err.value)
