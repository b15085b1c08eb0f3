"""Issue 12: a surge of an established platform is a line in the weekly briefing (and never a
"new name" alert); emerging signals are not in the briefing (they are alerts)."""

from __future__ import annotations

from datetime import timedelta

from radar.briefings.content import build_briefing
from radar.render.briefing import render_briefing
from radar.trends.model import TrendSignal
from tests.support.briefings import LINKS, SCHEDULED, SINCE, sample_changes, subscription


def signal(term: str, kind: str, offset: timedelta = timedelta(days=2)) -> TrendSignal:
    at = SINCE + offset
    return TrendSignal(term, term.title(), 1, at.date(), at, 6.0, 16, 2.1, ("hn",), 2, kind)


def brief(surges: list[TrendSignal], lang: str = "en", **sub_fields):  # type: ignore[no-untyped-def]
    return build_briefing(
        subscription(lang=lang, **sub_fields), sample_changes(), period="2026-W47", since=SINCE,
        until=SCHEDULED, links=LINKS, surges=surges,
    )  # fmt: skip


def test_trend_briefing_surge_is_a_line() -> None:
    b = brief([signal("facebook", "surge"), signal("noplace", "emerging")])
    assert len(b.surges) == 1
    assert b.surges[0].startswith("Facebook was unusually in the news (16 mentions")
    rendered = render_briefing(b)
    assert "In the news" in rendered.text and b.surges[0] in rendered.text
    assert "unusually in the news" in rendered.html


def test_trend_briefing_surge_respects_platform_filter_and_window() -> None:
    assert brief([signal("facebook", "surge")], platforms=frozenset({"tiktok"})).surges == ()
    assert brief([signal("facebook", "surge", timedelta(days=-1))]).surges == ()


def test_trend_briefing_without_surges_has_no_section() -> None:
    assert "In the news" not in render_briefing(brief([])).text


def test_trend_briefing_surge_line_in_arabic() -> None:
    (line,) = brief([signal("facebook", "surge")], lang="ar").surges
    assert "على غير المعتاد" in line
