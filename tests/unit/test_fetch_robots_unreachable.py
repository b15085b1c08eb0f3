"""A site that does not answer for robots.txt (issue 13, item 12): reported as a timeout or a
failed connection, never as "robots.txt disallows"; and still nothing is fetched (RFC 9309)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from radar.errors import ConnectionFailed, FetchTimeout, RobotsDisallowed
from tests.unit.test_fetch import make_fetcher


def _failing(exc: Exception, seen: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        raise exc

    return handle


@pytest.mark.parametrize(
    ("exc", "expected", "words"),
    [
        (httpx.ConnectTimeout("timed out"), FetchTimeout, "did not accept a connection within"),
        (httpx.ReadTimeout("timed out"), FetchTimeout, "took longer than"),
        (httpx.ConnectError("connection refused"), ConnectionFailed, "could not connect"),
    ],
)
def test_fetch_robots_unreachable_is_reported_as_what_happened(
    exc: Exception, expected: type[Exception], words: str
) -> None:
    seen: list[str] = []
    with (
        make_fetcher(_failing(exc, seen), respect_robots=True) as fetcher,
        pytest.raises(
            expected, match=rf"robots\.txt of example\.com could not be fetched.*{words}"
        ) as raised,
    ):
        fetcher.fetch("https://example.com/feed")
    assert not isinstance(raised.value, RobotsDisallowed)  # was "robots disallowed"
    assert seen == ["/robots.txt"]  # the page itself is not asked for


def test_fetch_robots_unreachable_is_remembered_for_the_site() -> None:
    seen: list[str] = []
    handler = _failing(httpx.ConnectTimeout("timed out"), seen)
    with make_fetcher(handler, respect_robots=True) as fetcher:
        for path in ("/feed", "/changelog"):
            with pytest.raises(FetchTimeout):
                fetcher.fetch(f"https://example.com{path}")
    assert seen == ["/robots.txt"]  # one try per origin until the failure entry expires


def test_fetch_robots_server_error_still_disallows() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    with (
        make_fetcher(handle, respect_robots=True) as fetcher,
        pytest.raises(RobotsDisallowed, match=r"could not be read \(answered 503"),
    ):
        fetcher.fetch("https://example.com/feed")
