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


# --- visual cues (issue 14) -----------------------------------------------------------------


def test_render_briefing_action_items_carry_a_platform_chip_with_its_name_and_colour() -> None:
    from radar.render.cues import platform_colour

    doc = parsed(render_briefing(brief(sample_changes())).html)
    chips = doc.select("td.cell table .badge .chip")  # inside the action box
    assert {c.get_text() for c in chips} == {"TikTok", "Instagram"}
    for c in chips:
        platform = c.get_text().casefold()
        assert f"background-color:{platform_colour(platform)}" in c["style"].replace(" ", "")
    assert platform_colour("instagram") != platform_colour("tiktok")


def test_render_briefing_severity_badges_differ_in_symbol_and_word_not_only_colour() -> None:
    doc = parsed(render_briefing(brief(sample_changes())).html)
    badges = {b.get_text() for b in doc.select(".sev")}
    assert badges == {"▲ Action required", "● Notable", "○ Minor"}
    text = render_briefing(brief(sample_changes())).text
    assert "○ Minor · New · First seen 14 Nov 2026" in text


def test_render_briefing_severity_badges_in_arabic() -> None:
    doc = parsed(render_briefing(brief(sample_changes(), "ar")).html)
    assert {b.get_text() for b in doc.select(".sev")} == {"▲ إجراء مطلوب", "● لافت", "○ طفيف"}


def test_render_briefing_an_items_dates_share_one_unbroken_line() -> None:
    doc = parsed(render_briefing(brief(sample_changes())).html)
    dated = [p for p in doc.select(".badge .dates") if p.select_one(".deadline")]
    assert dated and "white-space: nowrap" in dated[0]["style"]
    assert " ".join(dated[0].get_text().split()) == "First seen 12 Nov 2026 · Deadline 1 Dec 2026"
    assert doc.select("p.deadline") == []  # no longer a line of its own


def test_render_briefing_header_counts_items_per_platform() -> None:
    rendered = render_briefing(brief(sample_changes()))
    doc = parsed(rendered.html)
    counts = [c.get_text() for c in doc.select("p.counts .chip")]
    assert counts == ["Instagram 4", "TikTok 3"]  # the duplicate pair is one item
    assert "Instagram 4 · TikTok 3" in rendered.text.splitlines()[:5]


def test_render_briefing_header_counts_the_whole_briefing_when_shortened() -> None:
    rendered = render_briefing(brief(bulk_changes(400)))
    assert rendered.truncated
    doc = parsed(rendered.html)
    total = sum(int(c.get_text().rsplit(" ", 1)[1]) for c in doc.select("p.counts .chip"))
    assert total == brief(bulk_changes(400)).count > rendered.items_shown


def test_render_briefing_palette_keeps_white_text_readable() -> None:
    from radar.render.cues import PALETTE, platform_colour

    def luminance(colour: str) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for colour in PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour
    # Any platform id, known or not, gets a palette colour, the same every time.
    assert platform_colour("mastodon") in PALETTE
    assert platform_colour("mastodon") == platform_colour("mastodon")
