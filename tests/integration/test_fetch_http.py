"""radar.fetch against a real HTTP server on 127.0.0.1 (pytest-httpserver): real sockets."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.errors import BlockedAddress, FetchTimeout, ResponseTooLarge, RobotsDisallowed
from radar.fetch import Fetcher, FetchPolicy

LOCAL = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(LOCAL) as f:
        yield f


def test_fetch_http_decodes_real_gzip_body(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    text = b"<rss>" + b"<item>release</item>" * 2000 + b"</rss>"
    httpserver.expect_request("/feed").respond_with_data(
        gzip.compress(text),
        headers={"Content-Encoding": "gzip"},
        content_type="application/rss+xml; charset=utf-8",
    )
    result = fetcher.fetch(httpserver.url_for("/feed"))
    assert result.body == text
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert "gzip" in httpserver.log[0][0].headers["Accept-Encoding"]


def test_fetch_http_round_trips_etag_to_304(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    def handle(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(b"body", headers={"ETag": '"v1"'})

    httpserver.expect_request("/page").respond_with_handler(handle)
    url = httpserver.url_for("/page")
    first = fetcher.fetch(url)
    second = fetcher.fetch(url, etag=first.etag)
    assert (first.status, first.etag) == (200, '"v1"')
    assert second.not_modified
    assert second.body == b""


def test_fetch_http_slow_server_is_fetch_timeout(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(b"late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    policy = replace(LOCAL, read_timeout=0.2, connect_timeout=0.2)
    with Fetcher(policy) as fetcher, pytest.raises(FetchTimeout) as err:
        fetcher.fetch(httpserver.url_for("/slow"))
    assert "took longer than 0.2 s to answer" in str(err.value)


def test_fetch_http_follows_redirect(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data("moved here")
    result = fetcher.fetch(httpserver.url_for("/old"))
    assert result.body == b"moved here"
    assert result.url == httpserver.url_for("/new")


def test_fetch_http_obeys_robots_txt(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: PlatformRadar\nDisallow: /private\n"
    )
    httpserver.expect_request("/feed").respond_with_data("feed")
    httpserver.expect_request("/private/x").respond_with_data("secret")
    policy = replace(LOCAL, respect_robots=True)
    with Fetcher(policy) as fetcher:
        assert fetcher.fetch(httpserver.url_for("/feed")).body == b"feed"
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(httpserver.url_for("/private/x"))
    assert [r.path for r, _ in httpserver.log] == ["/robots.txt", "/feed"]


def test_fetch_http_stops_chunked_body_at_cap(httpserver: HTTPServer) -> None:
    def endless(request: Request) -> Response:
        return Response(bytes(64 * 1024) for _ in range(64))  # 4 MB, chunked, no length

    httpserver.expect_request("/big").respond_with_handler(endless)
    policy = replace(LOCAL, max_bytes=1024 * 1024)
    with Fetcher(policy) as fetcher, pytest.raises(ResponseTooLarge):
        fetcher.fetch(httpserver.url_for("/big"))


def test_fetch_http_stops_gzip_bomb_at_cap(httpserver: HTTPServer) -> None:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(c.compress(bytes(1024 * 1024)) for _ in range(64)) + c.flush()  # 64 MB
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    policy = replace(LOCAL, max_bytes=1024 * 1024)
    with Fetcher(policy) as fetcher, pytest.raises(ResponseTooLarge):
        fetcher.fetch(httpserver.url_for("/bomb"))


def test_fetch_http_refuses_dns_rebinding_at_connect(httpserver: HTTPServer) -> None:
    # The name looks public when checked, then points at 127.0.0.1 when the connection is made.
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    httpserver.expect_request("/").respond_with_data("internal")
    policy = FetchPolicy(per_host_delay=0, respect_robots=False)
    url = f"http://rebind.example:{httpserver.port}/"
    with Fetcher(policy, resolve=rebinding) as fetcher, pytest.raises(BlockedAddress) as err:
        fetcher.fetch(url)
    assert f"refused: rebind.example resolves to 127.0.0.1, a loopback address ({url})" == str(
        err.value
    )
    assert httpserver.log == []
