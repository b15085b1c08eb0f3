"""Rendering a briefing: HTML safety and size, text part, calendar."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from icalendar import Calendar

from radar.briefings.content import Briefing, build_briefing
from radar.model import Change
from radar.render.briefing import MAX_HTML_BYTES, render_briefing, render_confirmation
from tests.support.briefings import (
    LINKS,
    SCHEDULED,
    SINCE,
    bulk_changes,
    change,
    sample_changes,
    subscription,
)


def brief(changes: list[Change], lang: str = "en") -> Briefing:
    return build_briefing(
        subscription(lang),
        changes,
        period="2026-W47",
        since=SINCE,
        until=SCHEDULED,
        links=LINKS,
    )


EVIL = change(
    "evil",
    title="<script>alert(1)</script>",
    text='Click <a href="javascript:alert(2)">here</a> <img src=x onerror=alert(3)>.',
    url="javascript:alert(1)",
    diff="",
)


def parsed(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_render_briefing_script_title_is_inert_text() -> None:
    doc = parsed(render_briefing(brief([EVIL])).html)
    assert doc.find_all(["script", "img", "iframe", "object"]) == []
    assert "<script>alert(1)</script>" in doc.get_text()


def test_render_briefing_no_event_handler_attributes() -> None:
    doc = parsed(render_briefing(brief([EVIL])).html)
    assert not [a for tag in doc.find_all(True) for a in tag.attrs if a.startswith("on")]


def test_render_briefing_javascript_link_dropped() -> None:
    rendered = render_briefing(brief([EVIL]))
    hrefs = [a["href"] for a in parsed(rendered.html).find_all("a")]
    assert not [h for h in hrefs if "javascript" in h.lower()]
    assert "javascript:alert(1)" not in rendered.text


def test_render_briefing_every_href_is_http() -> None:
    doc = parsed(render_briefing(brief([*sample_changes(), EVIL])).html)
    hrefs = [a["href"] for a in doc.find_all("a")]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)


def test_render_briefing_has_no_scripts_or_remote_images() -> None:
    doc = parsed(render_briefing(brief(sample_changes())).html)
    assert doc.find_all(["script", "img", "link", "iframe"]) == []


def test_render_briefing_css_is_inlined_and_dark_mode_kept() -> None:
    html = render_briefing(brief(sample_changes())).html
    assert 'style="' in html and "prefers-color-scheme: dark" in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_render_briefing_arabic_is_rtl() -> None:
    html = render_briefing(brief(sample_changes(), "ar")).html
    assert '<html lang="ar" dir="rtl">' in html
    assert "إجراء مطلوب" in html and "نوفمبر" in html


def test_render_briefing_large_is_truncated_with_link() -> None:
    rendered = render_briefing(brief(bulk_changes(600)))
    assert rendered.truncated and 0 < rendered.items_shown < 600
    assert len(rendered.html.encode()) <= MAX_HTML_BYTES
    assert LINKS.archive in rendered.html and LINKS.archive in rendered.text


def test_render_briefing_truncation_keeps_actions_first() -> None:
    b = brief(bulk_changes(600))
    rendered = render_briefing(b, max_html_bytes=30_000)
    assert b.actions[0].title in rendered.html


def test_render_briefing_normal_is_not_truncated() -> None:
    rendered = render_briefing(brief(sample_changes()))
    assert not rendered.truncated and rendered.items_shown == 7
    assert "Read the rest" not in rendered.html


def test_render_briefing_ics_one_all_day_event_per_deadline() -> None:
    rendered = render_briefing(brief(sample_changes()))
    assert rendered.ics is not None
    events = Calendar.from_ical(rendered.ics).walk("VEVENT")
    assert [(str(e["uid"]), e.decoded("dtstart")) for e in events] == [
        ("dep2@platform-radar", date(2026, 12, 1)),
        ("dep1@platform-radar", date(2027, 1, 15)),
    ]


def test_render_briefing_ics_uid_is_stable() -> None:
    first = render_briefing(brief(sample_changes())).ics
    second = render_briefing(brief(sample_changes()[:3])).ics
    assert first is not None and second is not None
    uids = [str(e["uid"]) for e in Calendar.from_ical(second).walk("VEVENT")]
    assert set(uids) <= {str(e["uid"]) for e in Calendar.from_ical(first).walk("VEVENT")}


def test_render_briefing_no_deadlines_no_ics() -> None:
    assert render_briefing(brief([change("a")])).ics is None


def test_render_confirmation_has_link_and_schedule() -> None:
    subject, html, text = render_confirmation(
        lang="en",
        confirm_url="https://radar.example.com/confirm?token=t",
        weekday=0,
        hour=8,
        tz="Asia/Riyadh",
        platforms=["instagram", "tiktok"],
    )
    assert subject == "Confirm your weekly platform briefing"
    assert 'href="https://radar.example.com/confirm?token=t"' in html
    assert "Every Monday at 08:00 (Asia/Riyadh), about: Instagram, TikTok." in text
