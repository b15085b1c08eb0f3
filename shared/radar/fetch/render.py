"""Which fetcher a URL goes to: the HTTP fetcher, or a renderer for `render: browser` sources.

A renderer is anything with the fetcher's `fetch` that hands back a rendered page: the local
`BrowserFetcher` (radar run), or `LambdaRenderer`, which asks the `render_page` function on
AWS, so that `watch_source` keeps its small layer and fast cold start and only the functions
that render pay for a browser.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from radar.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
)
from radar.fetch.discover import PageFetcher
from radar.model import FetchResult

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


class RenderRouter:
    """Sends the URLs of `render: browser` sources to `renderer`, every other URL to `http`."""

    def __init__(self, http: PageFetcher, renderer: PageFetcher, rendered: Iterable[str]) -> None:
        self._http = http
        self._renderer = renderer
        self._rendered = frozenset(rendered)

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """The page at `url`, rendered when a browser source names it, else fetched."""
        target = self._renderer if url in self._rendered else self._http
        return target.fetch(url, etag=etag, last_modified=last_modified)


class NoRenderer:
    """Where no browser can be had: every page fails with the same one-line reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        raise FetchError(f"{self.reason} ({url})")


# --- the render_page function's wire format -------------------------------------------------
# Lambda payloads are JSON; the page travels base64-encoded (Lambda's response cap is 6 MB, the
# page budget's DOM is far below it) and errors travel as their class name and message.


# Errors that keep their kind across the wire (the ones whose constructor takes a message only).
_ERRORS: dict[str, type[FetchError]] = {
    e.__name__: e
    for e in (
        BlockedAddress,
        ConnectionFailed,
        FetchTimeout,
        ResponseTooLarge,
        RobotsDisallowed,
        TooManyRedirects,
    )
}


def render_request(url: str) -> dict[str, str]:
    """The event `render_page` is invoked with."""
    return {"url": url}


def render_response(result: FetchResult | None, error: FetchError | None = None) -> dict[str, Any]:
    """What `render_page` answers: the rendered page, or the error that stopped it."""
    if error is not None:
        return {"error": type(error).__name__, "message": str(error)}
    assert result is not None
    return {
        "url": result.url,
        "status": result.status,
        "content_type": result.content_type,
        "body": base64.b64encode(result.body).decode("ascii"),
        "fetched_at": result.fetched_at.isoformat() if result.fetched_at else None,
    }


def read_render_response(payload: dict[str, Any], url: str) -> FetchResult:
    """The FetchResult in a `render_page` answer; FetchError (of the same kind) for its error."""
    if "error" in payload:
        kind = _ERRORS.get(str(payload["error"]), FetchError)
        raise kind(str(payload.get("message") or f"render_page could not render {url}"))
    try:
        when = payload.get("fetched_at")
        return FetchResult(
            url=str(payload["url"]),
            status=int(payload["status"]),
            body=base64.b64decode(payload["body"]),
            content_type=payload.get("content_type"),
            fetched_at=datetime.fromisoformat(when) if when else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FetchError(f"render_page answered something unreadable for {url} ({exc})") from exc


class LambdaRenderer:
    """Renders pages by invoking the `render_page` function (synchronously) on AWS."""

    def __init__(self, function_name: str, client: LambdaClient | None = None) -> None:
        self._function = function_name
        if client is None:
            import boto3
            from botocore.config import Config

            # A render takes up to the page budget plus a browser start; one try, no retries:
            # the next scheduled watch is the retry.
            config = Config(read_timeout=120, connect_timeout=5, retries={"max_attempts": 1})
            client = boto3.client("lambda", config=config)
        self._client = client

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """The page at `url` as `render_page` rendered it; FetchError when it could not."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self._client.invoke(
                FunctionName=self._function,
                InvocationType="RequestResponse",
                Payload=json.dumps(render_request(url)).encode("utf-8"),
            )
            payload = json.loads(answer["Payload"].read())
        except (BotoCoreError, ClientError, ValueError) as exc:
            raise FetchError(f"could not ask {self._function} to render {url}: {exc}") from exc
        if answer.get("FunctionError"):
            message = payload.get("errorMessage", "") if isinstance(payload, dict) else ""
            raise FetchError(f"{self._function} crashed rendering {url}: {message}")
        if not isinstance(payload, dict):
            raise FetchError(f"{self._function} answered something unreadable for {url}")
        return read_render_response(payload, url)
