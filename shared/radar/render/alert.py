"""An emerging-platform alert as mail parts: HTML (autoescaped, CSS inlined) and plain text.

The content comes from `radar.trends.alerts.alert_content` (pure); this module only lays it
out. The chart of daily mentions is an HTML table of bars, which every email client renders
(no JavaScript, no SVG, no remote images). Pure: no I/O besides reading the packaged template.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from radar.trends.alerts import AlertContent, alert_text

# Gmail clips messages whose HTML exceeds 102 KB; an alert is far smaller, checked anyway.
MAX_HTML_BYTES = 100_000


@dataclass(frozen=True, slots=True)
class RenderedAlert:
    """The parts of one alert mail."""

    subject: str
    html: str
    text: str


def render_alert(
    content: AlertContent, *, unsubscribe_url: str, manage_url: str | None = None
) -> RenderedAlert:
    """Render `content`; `unsubscribe_url` (and `manage_url`) must be http(s) links."""
    for url in (unsubscribe_url, manage_url):
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"alert links must be http(s), not {url!r}")
    raw = _template().render(a=content, unsubscribe_url=unsubscribe_url, manage_url=manage_url)
    html = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False).inline(raw)
    if len(html.encode()) > MAX_HTML_BYTES:
        raise ValueError("the alert's HTML is over the size budget; fewer links or days")
    text = alert_text(content)
    text += f"\nUnsubscribe: {unsubscribe_url}\n"
    if manage_url:
        text += f"Manage alerts: {manage_url}\n"
    return RenderedAlert(subject=content.subject, html=html, text=text)


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("radar.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("alert.html.j2")
