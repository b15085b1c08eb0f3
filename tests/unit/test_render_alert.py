"""radar.render.alert: the alert mail's HTML and text parts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from radar.alerts.content import alert_content
from radar.render.alert import MAX_HTML_BYTES, render_alert
from radar.trends.model import DailyCount, Link, TrendSignal
from radar.trends.terms import load_extractor

DAY = date(2026, 3, 11)
SIGNAL = TrendSignal(
    "lemon8", "Lemon8", 1, DAY, datetime(2026, 3, 11, 9, tzinfo=UTC), 6.2, 8, 0.4, ("hn", "r"), 2
)
HOSTILE = Link("https://evil.example/x", '<script>alert(1)</script><img src="https://t.example/p">')
COUNTS = [
    DailyCount("lemon8", DAY - timedelta(days=1), "hn", 2, (HOSTILE,)),
    DailyCount("lemon8", DAY, "hn", 6, (Link("https://a.example/1", "Lemon8 tops the charts"),)),
]
UNSUB = "https://radar.example/u/token"


def rendered(platform: bool = True):  # type: ignore[no-untyped-def]
    content = alert_content(
        SIGNAL, COUNTS, load_extractor().platform("lemon8") if platform else None
    )
    return render_alert(content, unsubscribe_url=UNSUB, manage_url="https://radar.example/m/t")


def test_render_alert_chart_is_a_table_of_bars_without_script_or_svg() -> None:
    html = rendered().html
    soup = BeautifulSoup(html, "html.parser")
    bars = soup.select("td.bar")
    assert len(bars) == 2  # two days with mentions out of 14
    widths = [b.find_parent("table")["width"] for b in bars]
    assert widths == ["33%", "100%"]
    assert soup.find("svg") is None and soup.find("script") is None


def test_render_alert_escapes_scraped_titles() -> None:
    html = rendered().html
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_render_alert_css_is_inlined_and_dark_mode_kept() -> None:
    html = rendered().html
    assert 'style="' in html
    assert "prefers-color-scheme: dark" in html
    assert len(html.encode()) < MAX_HTML_BYTES


def test_render_alert_has_unsubscribe_and_what_it_is() -> None:
    parts = rendered()
    assert UNSUB in parts.html and UNSUB in parts.text
    assert "ByteDance" in parts.html
    assert parts.subject == "Rising: Lemon8 (8 mentions, 2 sources)"


def test_render_alert_unknown_name_says_so() -> None:
    assert "new name" in rendered(platform=False).html


def test_render_alert_refuses_non_http_unsubscribe_link() -> None:
    content = alert_content(SIGNAL, COUNTS, None)
    with pytest.raises(ValueError, match="http"):
        render_alert(content, unsubscribe_url="javascript:alert(1)")


def plain_words():  # type: ignore[no-untyped-def]
    story = Link("https://news.example/threads-14", "Threads passes 14 million sign-ups")
    search = Link("http://twitter.com/search?q=Threads", "Threads")
    counts = [
        DailyCount("threads", DAY, "trend-hn", 5, (story,)),
        DailyCount("threads", DAY, "trend-twitter", 9, (search,)),
    ]
    signal = TrendSignal(
        "threads", "Threads", 1, DAY, SIGNAL.fired_at, 6.2, 14, 1.0, ("trend-hn", "r1", "r2"), 1
    )
    names = {"trend-hn": "Hacker News (Algolia)", "r1": "r/socialmedia", "r2": "r/technology"}
    content = alert_content(signal, counts, None, source_names=names)
    return render_alert(content, unsubscribe_url=UNSUB)


def test_render_alert_says_the_rise_in_plain_words_not_statistics() -> None:
    parts = plain_words()
    sentence = (
        "Mentions of Threads rose from about 1 a day to 14 in the last 24 hours "
        "across Hacker News and 2 subreddits."
    )
    text = BeautifulSoup(parts.html, "html.parser").get_text(" ")
    assert sentence in " ".join(text.split()) and sentence in parts.text
    for statistic in ("expected", "Score", "score"):
        assert statistic not in text and statistic not in parts.text


def test_render_alert_links_the_stories_themselves_then_a_search() -> None:
    parts = plain_words()
    soup = BeautifulSoup(parts.html, "html.parser")
    links = [(a["href"], a.get_text()) for a in soup.select("p.link a")]
    assert links == [
        ("https://news.example/threads-14", "Threads passes 14 million sign-ups"),
        ("http://twitter.com/search?q=Threads", "Search for “Threads” on twitter.com"),
    ]
    assert soup.find("h2", string="Top stories") is not None
    assert "Threads passes 14 million sign-ups (Hacker News)" in parts.text
