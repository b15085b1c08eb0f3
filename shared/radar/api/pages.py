"""The API's HTML: the subscriber's small pages (from templates) and the web page's static files.

Templates autoescape: an address or a message may hold anything a visitor typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from radar.classify import SEVERITIES
from radar.subscriptions.model import WEEKDAYS

if TYPE_CHECKING:
    from jinja2 import Environment

HTML = "text/html; charset=utf-8"
# Subscriber pages: no script at all; forms post back to the same URL (with its token).
_FORM_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# The web page is ours and loads nothing from elsewhere; scraped text is inserted as text only.
_WEB_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@cache
def _templates() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape  # pages only, not cold start

    return Environment(
        loader=PackageLoader("radar.api", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(title: str, message: str, *, action: str = "", status: int = 200) -> Response[str]:
    """A small page; `action` adds a button that POSTs back to the same URL (with its token)."""
    body = (
        _templates()
        .get_template("page.html.j2")
        .render(title=title, message=message, action=action)
    )
    return Response(status, HTML, body, headers=_FORM_HEADERS)


def manage_page(prefs: dict[str, Any], categories: Sequence[str]) -> Response[str]:
    """The preferences as a form that POSTs back to the manage link (no script needed)."""
    body = (
        _templates()
        .get_template("manage.html.j2")
        .render(
            title="Your briefing",
            message=f"Preferences of {prefs['email']}.",
            prefs=prefs,
            categories=categories,
            severities=SEVERITIES,
            weekdays=WEEKDAYS,
        )
    )
    return Response(200, HTML, body, headers=_FORM_HEADERS)


def online_copy(html: str) -> Response[str]:
    """A briefing rendered for the web (its own template, radar.render.briefing)."""
    return Response(200, HTML, html, headers=_FORM_HEADERS)


def web_router() -> APIGatewayHttpRouter:
    """The web page: static HTML and script that read the JSON API."""
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

    @router.get("/", include_in_schema=False)
    def web_page() -> Response[str]:
        return _static("index.html", HTML)

    @router.get("/app.js", include_in_schema=False)
    def web_script() -> Response[str]:
        return _static("app.js", "text/javascript; charset=utf-8")

    return router


def _static(name: str, content_type: str) -> Response[str]:
    body = resources.files("radar.api.web").joinpath(name).read_text("utf-8")
    return Response(200, content_type, body, headers=_WEB_HEADERS)
