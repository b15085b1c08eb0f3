"""Routing render: browser sources, and the render_page function's wire format."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from radar.errors import BlockedAddress, FetchError, HttpStatusError
from radar.fetch.render import (
    LambdaRenderer,
    RenderRouter,
    read_render_response,
    render_response,
)
from radar.model import FetchResult, Source, SourceKind
from radar.watch.cycle import watch_source
from radar.watch.outcomes import Outcome
from tests.support.fakes import MemoryStore, ScriptedFetcher
from tests.support.pages import BROWSER_FIXTURES

PAGE = FetchResult(
    url="https://developers.example.com/changelog",
    status=200,
    body="<html><body><h2>November 12, 2026</h2><p>é</p></body></html>".encode(),
    content_type="text/html; charset=utf-8",
    fetched_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
)


def test_router_sends_only_rendered_urls_to_the_renderer() -> None:
    http = ScriptedFetcher({"https://e.com/feed": b"<rss/>"})
    renderer = ScriptedFetcher({"https://e.com/app": b"<html/>"})
    router = RenderRouter(http, renderer, ["https://e.com/app"])
    router.fetch("https://e.com/feed", etag='"v1"')
    router.fetch("https://e.com/app")
    assert http.calls == [("https://e.com/feed", '"v1"')]
    assert renderer.calls == [("https://e.com/app", None)]


def test_render_response_round_trips_a_page() -> None:
    wire = json.loads(json.dumps(render_response(PAGE)))
    assert read_render_response(wire, PAGE.url) == PAGE


def test_render_response_keeps_the_kind_of_error() -> None:
    wire = render_response(None, BlockedAddress("refused: 169.254.169.254 is link-local"))
    with pytest.raises(BlockedAddress, match=r"169\.254\.169\.254"):
        read_render_response(wire, PAGE.url)
    odd = render_response(None, HttpStatusError("example.com answered 404", 404))
    with pytest.raises(FetchError, match="answered 404") as info:
        read_render_response(odd, PAGE.url)
    assert type(info.value) is FetchError  # its status is not on the wire: a plain fetch error


def test_render_response_unreadable_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="unreadable"):
        read_render_response({"url": PAGE.url}, PAGE.url)


class FakeLambda:
    def __init__(self, answer: dict[str, Any], function_error: str | None = None) -> None:
        self.answer = answer
        self.function_error = function_error
        self.calls: list[dict[str, Any]] = []

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        out: dict[str, Any] = {"Payload": io.BytesIO(json.dumps(self.answer).encode())}
        if self.function_error:
            out["FunctionError"] = self.function_error
        return out


def test_lambda_renderer_invokes_render_page_synchronously() -> None:
    client = FakeLambda(render_response(PAGE))
    result = LambdaRenderer("radar-render-page", client=client).fetch(PAGE.url)  # type: ignore[arg-type]
    assert result.body == PAGE.body
    (call,) = client.calls
    assert call["FunctionName"] == "radar-render-page"
    assert call["InvocationType"] == "RequestResponse"
    assert json.loads(call["Payload"]) == {"url": PAGE.url}


def test_lambda_renderer_reports_a_crash_of_render_page() -> None:
    client = FakeLambda({"errorMessage": "Runtime exited"}, function_error="Unhandled")
    renderer = LambdaRenderer("radar-render-page", client=client)  # type: ignore[arg-type]
    with pytest.raises(FetchError, match=r"crashed rendering .*Runtime exited"):
        renderer.fetch(PAGE.url)


def test_watch_source_first_fetch_of_a_page_with_a_feed_says_so() -> None:
    url = "https://docs.example.com/changelog"
    src = Source(id="example-api", platform="example", kind=SourceKind.AUTO, url=url)
    body = (BROWSER_FIXTURES / "feed-link.html").read_bytes()
    fetcher = ScriptedFetcher({url: body}, content_type="text/html")
    store = MemoryStore()
    now = datetime(2026, 11, 20, tzinfo=UTC)
    first = watch_source(
        src, fetcher=fetcher, store=store, now=now, announce_since=now - timedelta(days=7)
    )
    assert first.outcome is Outcome.FAILED  # the page shows nothing without JavaScript...
    assert first.note is not None  # ...but it links its feed
    assert "url: https://docs.example.com/changelog/rss.xml}" in first.note
    later = watch_source(
        src, fetcher=fetcher, store=store, now=now, announce_since=now - timedelta(days=7)
    )
    assert later.note is None  # said once, on the first fetch
