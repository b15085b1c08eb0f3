"""Answering the requests of a page in the browser: refused, or fetched by Radar and fulfilled.

Installed on every browser context by fetch/browser.py (`context.route("**/*", ...)`), so the
browser never sends a request itself. What is fetched goes through Radar's `Fetcher`, which
checks the address of every URL and redirect, robots.txt, the per-host turn and the size caps.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from radar.errors import BlockedAddress, FetchError, FetchTimeout, HttpStatusError
from radar.fetch.discover import PageFetcher
from radar.fetch.pagepolicy import PageLedger, vet_request

if TYPE_CHECKING:
    from playwright.sync_api import Route, WebSocketRoute

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def serve(route: Route, fetcher: PageFetcher, ledger: PageLedger, deadline: float) -> None:
    """Answer one request of the page (`deadline` is a `time.monotonic()` instant)."""
    request = route.request
    url = request.url
    main = _is_main_document(route)
    if request.method == "OPTIONS":  # a CORS preflight: answered here, nothing is sent
        route.fulfill(status=204, headers=_cors(request.headers, preflight=True))
        return
    why = vet_request(url, request.resource_type, request.method)
    if why is not None or ledger.failure is not None:
        ledger.refuse(url, why or "the render has already failed")
        route.abort("blockedbyclient")
        return
    if time.monotonic() > deadline:
        seconds = ledger.budget.seconds
        ledger.fail(FetchTimeout(f"the page was not rendered within {seconds:g} s ({url})"))
        route.abort("timedout")
        return
    if not ledger.admit(url):
        route.abort("blockedbyclient")
        return
    try:
        result = fetcher.fetch(url)
    except BlockedAddress as exc:
        ledger.blocked(url, exc)
        route.abort("addressunreachable")
        return
    except HttpStatusError as exc:
        if main:
            ledger.fail(exc)
            route.abort("failed")
        else:  # the page deals with its own missing files, as in any browser
            route.fulfill(status=exc.status, headers=_cors(request.headers), body=b"")
        return
    except FetchError as exc:  # robots.txt, timeouts, size caps, connection errors
        if main:
            ledger.fail(exc)
        ledger.refuse(url, str(exc))
        route.abort("failed")
        return
    content_type = result.content_type or ""
    if main and not content_type.lower().startswith(_HTML_TYPES):
        # A navigation to anything but a page would be a download: never saved, never rendered.
        ledger.fail(
            FetchError(f"{url} is not an HTML page ({content_type or 'no type'}): not rendered")
        )
        route.abort("blockedbyclient")
        return
    if not ledger.received(url, len(result.body)):
        route.abort("blockedbyclient")
        return
    if result.url and result.url != url:
        # The fetcher followed (and vetted) the redirects; the page is told where it ended up,
        # so that relative links resolve as on the real site. That request is fetched anew.
        route.fulfill(status=302, headers={"location": result.url})
        return
    headers = _cors(request.headers) | {"cache-control": "no-store"}
    if content_type:
        headers["content-type"] = content_type
    route.fulfill(status=result.status, headers=headers, body=result.body)


def refuse_socket(ws: WebSocketRoute, ledger: PageLedger) -> None:
    """WebSockets are answered here (never connected anywhere) and closed at once."""
    ledger.refuse(ws.url, "WebSockets are not opened")
    ws.close(code=1008, reason="not available to this reader")


def _is_main_document(route: Route) -> bool:
    request = route.request
    if request.resource_type != "document":
        return False
    try:
        return request.frame.parent_frame is None
    except Exception:  # requests of workers have no frame
        return False


def _cors(headers: dict[str, str], *, preflight: bool = False) -> dict[str, str]:
    """Headers that let the page read what Radar fetched for it (no cookies were sent)."""
    origin = headers.get("origin")
    if not origin:
        return {}
    out = {"access-control-allow-origin": origin, "access-control-allow-credentials": "true"}
    if preflight:
        out["access-control-allow-methods"] = "GET"
        out["access-control-allow-headers"] = headers.get("access-control-request-headers", "*")
        out["access-control-max-age"] = "600"
    return out
