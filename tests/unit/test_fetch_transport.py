"""The fetcher sends through its transport itself, not through an httpx.Client (issue 15: the
Client's cookie handling was a fifth of each fetch's CPU); what goes on the wire is unchanged."""

from __future__ import annotations

import logging

import httpx
import pytest

from radar.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy
from radar.fetch.body import ACCEPT_ENCODING
from radar.fetch.fetcher import _ACCEPT

POLICY = FetchPolicy(allow_private=True, respect_robots=False, per_host_delay=0)
URL = "https://e.com/changelog?page=1"


def _fetcher(seen: list[httpx.Request]) -> Fetcher:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={"ETag": '"v1"', "Set-Cookie": "s=1"}, content=b"x")

    return Fetcher(POLICY, transport=httpx.MockTransport(answer))


def test_fetcher_makes_no_httpx_client(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fetcher made an httpx.Client")

    monkeypatch.setattr(httpx, "Client", no_client)
    seen: list[httpx.Request] = []
    with _fetcher(seen) as fetcher:
        assert fetcher.fetch(URL).body == b"x"


def test_fetcher_sends_the_headers_an_httpx_client_sent_in_its_order() -> None:
    seen: list[httpx.Request] = []
    with _fetcher(seen) as fetcher:
        fetcher.fetch(URL, etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert [(k.lower(), v) for k, v in seen[0].headers.items()] == [
        ("host", "e.com"),
        ("connection", "keep-alive"),
        ("user-agent", DEFAULT_USER_AGENT),
        ("accept", _ACCEPT),
        ("accept-encoding", ACCEPT_ENCODING),
        ("if-none-match", '"v1"'),
        ("if-modified-since", "Mon, 01 Jan 2024 00:00:00 GMT"),
    ]
    assert str(seen[0].url) == URL
    assert seen[0].extensions["timeout"]["connect"] == POLICY.connect_timeout


def test_fetcher_keeps_no_cookie_from_one_response_to_the_next() -> None:
    seen: list[httpx.Request] = []
    with _fetcher(seen) as fetcher:
        fetcher.fetch(URL)
        fetcher.fetch(URL)
    assert [r.headers.get("Cookie") for r in seen] == [None, None]


def test_fetcher_logs_each_request_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx.Request] = []
    with caplog.at_level(logging.INFO, logger="radar.fetch"), _fetcher(seen) as fetcher:
        fetcher.fetch(URL, etag='"v1"')
    [record] = [r for r in caplog.records if r.getMessage() == "http request"]
    assert (record.url, record.status) == (URL, 304)  # type: ignore[attr-defined]


def test_a_closed_fetcher_refuses_to_fetch() -> None:
    seen: list[httpx.Request] = []
    fetcher = _fetcher(seen)
    fetcher.close()
    with pytest.raises(RuntimeError, match="closed"):
        fetcher.fetch(URL)
    assert seen == []
