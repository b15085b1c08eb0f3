"""A Briefing as mail parts: HTML (autoescaped, CSS inlined), plain text and a .ics calendar.

Scraped titles, summaries and diffs are untrusted: the HTML template autoescapes everything and
links were reduced to http(s) by `radar.briefings.content.safe_link`. Gmail clips HTML over 102
KB, so an oversized briefing keeps its leading items (action required first) and ends with a
notice and a link to the full briefing online. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from radar.briefings.content import (
    DIFF_CHARS,
    Briefing,
    BriefingItem,
    CategorySection,
    PlatformSection,
)
from radar.render.cues import platform_colour, platform_counts, severity, severity_text
from radar.render.locale import Locale, load_locale, platform_name
from radar.render.worddiff import to_html, to_text
from radar.subscriptions.model import zone

# Gmail clips messages whose HTML exceeds 102 KB; stay below with a margin for headers.
MAX_HTML_BYTES = 100_000


@dataclass(frozen=True, slots=True)
class RenderedBriefing:
    """The parts of one briefing mail."""

    subject: str
    preheader: str
    html: str
    text: str
    ics: bytes | None  # deadlines as a calendar, when there are any
    truncated: bool
    items_shown: int


def render_briefing(briefing: Briefing, max_html_bytes: int = MAX_HTML_BYTES) -> RenderedBriefing:
    """Render `briefing`; past `max_html_bytes` of HTML, keep the leading items that fit."""
    total = briefing.count
    html = _html(briefing, total, truncated=False)
    shown = total
    truncated = False
    size = len(html.encode())
    if size > max_html_bytes:
        truncated = True
        # Estimate how many leading items fit from the average item's size, then step down
        # until the page (with the "read the rest" notice) fits: a few renders, not a search.
        bare = _html(briefing, 0, truncated=True)
        per_item = max(1.0, (size - len(bare.encode())) / max(total, 1))
        shown = min(total - 1, int((max_html_bytes - len(bare.encode())) / per_item))
        html = bare
        while shown > 0:
            candidate = _html(briefing, shown, truncated=True)
            if len(candidate.encode()) <= max_html_bytes:
                html = candidate
                break
            shown = int(shown * 0.93)
        else:
            shown = 0
    text = _render(_text_template(), briefing, shown, truncated)
    ics = None
    if briefing.deadlines:
        # icalendar takes ~40 ms to import: only for briefings with deadlines, not at the API's
        # or the mail functions' cold start.
        from radar.render.calendar import deadlines_ics

        ics = deadlines_ics(briefing)

    return RenderedBriefing(
        subject=briefing.subject,
        preheader=briefing.preheader,
        html=html,
        text=text,
        ics=ics,
        truncated=truncated,
        items_shown=shown,
    )


def host(url: str) -> str:
    """The link text for a source link: its host, without www."""
    netloc = urlsplit(url).hostname or url
    return netloc.removeprefix("www.")


def _html(briefing: Briefing, keep: int, *, truncated: bool) -> str:
    raw = _render(_html_template(), briefing, keep, truncated)
    return _inliner().inline(raw)


def _render(template: Template, briefing: Briefing, keep: int, truncated: bool) -> str:
    actions, platforms = _first_items(briefing, keep)
    tz = zone(briefing.subscription.tz)
    context: dict[str, Any] = {
        "b": briefing,
        "loc": load_locale(briefing.subscription.lang),
        "actions": actions,
        "platforms": platforms,
        "truncated": truncated,
        "since_local": briefing.since.astimezone(tz).date(),
        # `until` is exclusive: the last day covered is the one before it ends.
        "until_local": (briefing.until.astimezone(tz) - timedelta(microseconds=1)).date(),
        "start": "right" if briefing.subscription.lang == "ar" else "left",
        # Counts per platform in the header: of the whole briefing, even when it is shortened.
        "counts": platform_counts(i.platform for i in briefing.items),
    }
    return template.render(context)


def _first_items(
    briefing: Briefing, keep: int
) -> tuple[tuple[BriefingItem, ...], tuple[PlatformSection, ...]]:
    """The briefing's first `keep` items in reading order, sections pruned to match."""
    actions = briefing.actions[:keep]
    left = keep - len(actions)
    platforms: list[PlatformSection] = []
    for section in briefing.platforms:
        if left <= 0:
            break
        cats: list[CategorySection] = []
        for cat in section.categories:
            if left <= 0:
                break
            items = cat.items[:left]
            left -= len(items)
            cats.append(replace(cat, items=items))
        surface = section.api_surface[: max(left, 0)]
        left -= len(surface)
        platforms.append(replace(section, categories=tuple(cats), api_surface=surface))
    return actions, tuple(platforms)


def diff_html(diff: str, loc: Locale) -> Markup:
    """An edit's word diff with <del>/<ins>, cut at a word (no raw diff markup)."""
    return to_html(diff, DIFF_CHARS, loc.t("diff_removed"), loc.t("diff_added"))


def diff_text(diff: str, loc: Locale) -> str:
    return to_text(diff, DIFF_CHARS, loc.t("diff_removed"), loc.t("diff_added"))


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("radar.render", "templates"),
        # HTML templates are escaped; only the plain-text ones (*.txt.j2) are not.
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",),
            disabled_extensions=("txt.j2",),
            default=True,
            default_for_string=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    helpers: dict[str, Callable[..., Any]] = {
        "platform_name": platform_name,
        "host": host,
        "diff_html": diff_html,
        "diff_text": diff_text,
        "platform_colour": platform_colour,
        "severity": severity,
        "severity_text": severity_text,
    }
    env.globals.update(helpers)
    return env


@cache
def _html_template() -> Template:
    return _environment().get_template("briefing.html.j2")


@cache
def _text_template() -> Template:
    return _environment().get_template("briefing.txt.j2")


@cache
def _inliner() -> css_inline.CSSInliner:
    # @media rules (dark mode, narrow screens) cannot be inlined; keep them in <style>.
    # Remote stylesheets are never fetched: mail has none, and rendering must not do I/O.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def render_confirmation(
    *,
    lang: str,
    confirm_url: str,
    weekday: int,
    hour: int,
    tz: str,
    platforms: list[str],
    weekly: bool = True,
    alerts: bool = False,
    regions: Sequence[str] = (),
) -> tuple[str, str, str]:
    """Subject, HTML and text of the double opt-in mail (weekly briefing, alerts, or both)."""
    loc = load_locale(lang)
    about = ", ".join(platform_name(p) for p in platforms) or loc.t("all_platforms")
    lines = []
    if weekly:
        lines.append(
            loc.t(
                "confirm_schedule",
                weekday=loc.weekdays[weekday],
                hour=f"{hour:02d}",
                tz=tz,
                platforms=about,
            )
        )
    if alerts:
        where = ", ".join(regions) or loc.t("all_regions")
        lines.append(loc.t("confirm_alerts", platforms=about, regions=where))
    subject_key = "confirm_subject" if weekly else "confirm_subject_alerts"
    if weekly and alerts:
        subject_key = "confirm_subject_both"
    subject = loc.t(subject_key)
    context = {
        "loc": loc,
        "subject": subject,
        "intro": loc.t("confirm_intro" if weekly else "confirm_intro_alerts"),
        "confirm_url": confirm_url,
        "schedule": " ".join(lines),
        "start": "right" if lang == "ar" else "left",
    }
    html = _environment().get_template("confirm.html.j2").render(context)
    text = _environment().get_template("confirm.txt.j2").render(context)
    return subject, _inliner().inline(html), text
