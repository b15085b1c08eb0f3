"""An emerging-platform alert as mail parts: HTML (autoescaped, CSS inlined) and plain text.

The content comes from `radar.alerts.content.alert_content` (pure); this module only lays it
out, in the subscriber's language: Radar's own words come from `render/locales/<lang>.yaml`
(English and Arabic, right to left); names, titles and the alias table's "what it is" line
are shown as they are. The chart of daily mentions is an HTML table of bars, which every
email client renders (no JavaScript, no SVG, no remote images). Pure: no I/O besides reading
the packaged template and locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from radar.alerts.content import AlertContent, AlertLink, link_text, rise_sentence
from radar.render.locale import Locale, load_locale
from radar.trends.model import SURGE

# Gmail clips messages whose HTML exceeds 102 KB; an alert is far smaller, checked anyway.
MAX_HTML_BYTES = 100_000
_TEXT_BAR = 30  # characters of the longest bar in the text part


@dataclass(frozen=True, slots=True)
class RenderedAlert:
    """The parts of one alert mail."""

    subject: str
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class AlertWords:
    """The alert's sentences in one language (built from the content's numbers)."""

    subject: str
    heading: str
    summary: str
    chart: str
    links: str  # the links' heading: "Top stories" when there are any, else "Where it is mentioned"


def alert_words(content: AlertContent, loc: Locale) -> AlertWords:
    """Subject, heading, the rise in plain words, and the chart and links headings in `loc`'s
    language. No statistics in the mail (issue 14): counts a day, not scores."""
    mentions = loc.plural("mention", content.count)
    sources = loc.plural("source", len(content.sources))
    # A surging platform is never "new name rising" (issue 12); a known platform that is new
    # (Signal, Parler) is "Rising", an unknown name "New name rising".
    if content.kind == SURGE:
        key = "alert_subject_surge"
    else:
        key = "alert_subject_known" if content.known else "alert_subject_new"
    return AlertWords(
        subject=loc.t(key, name=content.name, mentions=mentions, sources=sources),
        heading=loc.t("alert_heading", name=content.name),
        summary=rise_sentence(content, loc),
        chart=loc.t("alert_chart", days=len(content.chart)),
        links=loc.t("alert_stories" if content.stories else "alert_links"),
    )


def render_alert(
    content: AlertContent,
    *,
    unsubscribe_url: str,
    manage_url: str | None = None,
    lang: str = "en",
) -> RenderedAlert:
    """Render `content` in `lang` (en, ar); `unsubscribe_url` and `manage_url` must be http(s)."""
    for url in (unsubscribe_url, manage_url):
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"alert links must be http(s), not {url!r}")
    loc = load_locale(lang)
    words = alert_words(content, loc)
    raw = _template().render(
        a=content,
        w=words,
        loc=loc,
        start="right" if loc.dir == "rtl" else "left",
        end="left" if loc.dir == "rtl" else "right",
        unsubscribe_url=unsubscribe_url,
        manage_url=manage_url,
        link_text=lambda link: link_text(link, loc),
    )
    html = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False).inline(raw)
    if len(html.encode()) > MAX_HTML_BYTES:
        raise ValueError("the alert's HTML is over the size budget; fewer links or days")
    return RenderedAlert(
        subject=words.subject,
        html=html,
        text=_text(content, words, loc, unsubscribe_url, manage_url),
    )


def _text(
    content: AlertContent,
    words: AlertWords,
    loc: Locale,
    unsubscribe_url: str,
    manage_url: str | None,
) -> str:
    lines = [words.subject, "", words.summary]
    if content.what:
        lines += ["", f"{loc.t('alert_what')} {content.what}"]
    lines += ["", f"{words.chart}:"]
    top = max((b.count for b in content.chart), default=0) or 1
    days = [loc.short_date(b.day) for b in content.chart]
    width = max((len(d) for d in days), default=0)
    for day, bar in zip(days, content.chart, strict=True):
        bar_text = "#" * round(_TEXT_BAR * bar.count / top)
        lines.append(f"  {day:<{width}}  {bar_text:<{_TEXT_BAR}} {bar.count}")
    if content.links:
        lines += ["", f"{words.links}:"]
        lines += [f"  - {_label(link, loc)}\n    {link.url}" for link in content.links]
    lines += ["", loc.t("alert_why"), ""]
    lines.append(f"{loc.t('unsubscribe')}: {unsubscribe_url}")
    if manage_url:
        lines.append(f"{loc.t('alert_manage')}: {manage_url}")
    return "\n".join(lines) + "\n"


def _label(link: AlertLink, loc: Locale) -> str:
    """A link's text and the source that carried it: "Teens flock to Noplace (Hacker News)"."""
    return f"{link_text(link, loc)} ({link.where})" if link.where else link_text(link, loc)


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
