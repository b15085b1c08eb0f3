"""radar.alerts.content: the content of one alert (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from radar.alerts.content import (
    AlertLink,
    alert_content,
    alert_text,
    chart_bars,
    is_search,
    sources_phrase,
    top_links,
)
from radar.render.locale import load_locale
from radar.trends.model import DailyCount, Link, TrendSignal
from radar.trends.terms import load_extractor

DAY = date(2026, 3, 11)
SIGNAL = TrendSignal(
    "lemon8", "Lemon8", 1, DAY, datetime(2026, 3, 11, 9, tzinfo=UTC), 6.2, 8, 0.4, ("hn", "r"), 2
)
A = Link("https://a.example/1", "Lemon8 tops the charts")
B = Link("https://b.example/2", "Teens flock to Lemon8")
C = Link("https://c.example/3", "Lemon8 explained")


def counts() -> list[DailyCount]:
    return [
        DailyCount("lemon8", DAY - timedelta(days=1), "hn", 2, (A, B)),
        DailyCount("lemon8", DAY, "hn", 3, (A, C)),
        DailyCount("lemon8", DAY, "r", 3, (C,)),
        DailyCount("lemon8", DAY - timedelta(days=20), "hn", 9, ()),  # outside the chart
    ]


def test_alert_chart_has_14_days_oldest_first_scaled_to_the_top_day() -> None:
    bars = chart_bars(DAY, counts())
    assert len(bars) == 14
    assert bars[0].day == DAY - timedelta(days=13) and bars[-1].day == DAY
    assert [(b.count, b.percent) for b in bars[-2:]] == [(2, 33), (6, 100)]
    assert all(b.percent == 0 for b in bars[:-2])


def test_alert_chart_keeps_a_sliver_for_small_days() -> None:
    bars = chart_bars(
        DAY, [DailyCount("t", DAY, "s", 200), DailyCount("t", DAY - timedelta(1), "s", 1)]
    )
    assert bars[-2].percent == 2


def urls(links: tuple[AlertLink, ...]) -> list[str]:
    return [link.url for link in links]


def test_alert_top_links_most_seen_then_newest() -> None:
    # A and C are each seen twice, last on DAY (tie broken by URL); B once.
    assert urls(top_links(counts())) == [A.url, C.url, B.url]
    assert urls(top_links(counts(), limit=1)) == [A.url]


def test_alert_top_links_are_the_stories_before_a_search_page() -> None:
    search = Link("http://twitter.com/search?q=Lemon8", "Lemon8")
    trend_rows = DailyCount("lemon8", DAY, "trend-twitter", 9, (search,))
    links = top_links([trend_rows, *counts()], names={"hn": "Hacker News front page (Algolia)"})
    # The search is seen most (a trend list repeats it) but the stories come first.
    assert urls(links) == [A.url, C.url, B.url, search.url]
    assert [link.search for link in links] == [False, False, False, True]
    assert links[0].where == "Hacker News front page"
    assert urls(top_links([trend_rows, *counts()], limit=2)) == [A.url, search.url]
    assert urls(top_links([trend_rows, *counts()], limit=1)) == [A.url]
    # Only searches: they are what there is.
    assert urls(top_links([trend_rows])) == [search.url]


def test_alert_search_pages_are_told_from_stories() -> None:
    assert is_search("http://twitter.com/search?q=%23Parler")
    assert is_search("https://trends.google.com/trending/rss?geo=US")
    assert is_search("https://www.google.com/search?q=noplace")
    assert not is_search("https://techcrunch.com/2024/07/01/noplace-app-tops-the-charts/")
    assert not is_search("https://news.ycombinator.com/item?id=123")


def test_alert_top_links_only_http() -> None:
    bad = DailyCount("t", DAY, "s", 1, (Link("javascript:alert(1)", "x"),))
    assert top_links([bad]) == ()


def test_alert_content_says_what_a_known_platform_is() -> None:
    content = alert_content(SIGNAL, counts(), load_extractor().platform("lemon8"))
    assert content.known
    assert "ByteDance" in content.what
    assert content.subject == "Rising: Lemon8 (8 mentions, 2 sources)"


def test_alert_content_for_an_unknown_name() -> None:
    signal = TrendSignal("noplace", "noplace", 2, DAY, SIGNAL.fired_at, 5.0, 6, 0.0, ("hn",), 2)
    content = alert_content(signal, counts(), None)
    assert (content.known, content.what) == (False, "")
    assert content.subject.startswith("New name rising: noplace")
    assert "rise number 2" in content.summary


def test_alert_summary_says_the_rise_in_plain_words() -> None:
    signal = TrendSignal(
        "threads", "Threads", 1, DAY, SIGNAL.fired_at, 5.0, 14, 1.2, ("hn", "rs", "rt"), 2
    )
    names = {
        "hn": "Hacker News front page (Algolia API)",
        "rs": "r/socialmedia (new posts)",
        "rt": "r/technology (hot posts)",
    }
    content = alert_content(signal, counts(), None, source_names=names)
    assert content.summary == (
        "Mentions of Threads rose from about 1 a day to 14 in the last 24 hours "
        "across Hacker News front page and 2 subreddits."
    )
    assert "expected" not in content.summary and "score" not in content.summary.lower()


def test_alert_summary_for_a_name_never_seen_before() -> None:
    content = alert_content(SIGNAL, counts(), None)  # expected 0.4 a day
    assert "rose from less than 1 a day to 8 in the last 24 hours across hn and r." in (
        content.summary
    )
    zero = TrendSignal("parler", "Parler", 1, DAY, SIGNAL.fired_at, 4.0, 4, 0.0, ("tw",), 1)
    assert "rose from none to 4" in alert_content(zero, [], None).summary


def test_alert_sources_phrase_counts_subreddits_together() -> None:
    en, ar = load_locale("en"), load_locale("ar")
    assert sources_phrase(["Hacker News"], en) == "Hacker News"
    assert sources_phrase(["r/a", "r/b", "HN", "The Verge"], en) == "HN, The Verge and 2 subreddits"
    assert sources_phrase(["r/a", "HN"], en) == "HN and r/a"
    assert sources_phrase(["r/a", "r/b", "HN"], ar) == "HN و منتديَي Reddit"


def test_alert_text_has_chart_and_links() -> None:
    text = alert_text(alert_content(SIGNAL, counts(), load_extractor().platform("lemon8")))
    assert "#" * 30 + " 6" in text
    assert "https://c.example/3" in text
    assert "What it is:" in text


def test_alert_surge_of_a_household_platform_is_never_a_new_name() -> None:
    from dataclasses import replace

    facebook = load_extractor().platform("facebook")
    surge = replace(SIGNAL, term="facebook", display="Facebook", kind="surge")
    content = alert_content(surge, counts(), facebook)
    assert content.subject.startswith("Surge: Facebook unusually in the news")
    assert "New name" not in content.subject and content.kind == "surge"
    # A surge's baseline is for its 2-day window: 0.4 over 2 days is 0.2 a day.
    assert "rose from less than 1 a day to 8 in the last 2 days" in content.summary


def test_alert_emerging_summary_speaks_of_hours() -> None:
    content = alert_content(SIGNAL, counts(), None)
    assert content.subject.startswith("New name rising: Lemon8")
    assert "in the last 24 hours" in content.summary


def test_alert_emerging_known_platform_is_rising_not_new() -> None:
    content = alert_content(SIGNAL, counts(), load_extractor().platform("lemon8"))
    assert content.subject.startswith("Rising: Lemon8")


def test_alert_surge_subject_rendered_in_both_languages() -> None:
    from dataclasses import replace

    from radar.render.alert import render_alert

    surge = replace(SIGNAL, kind="surge")
    content = alert_content(surge, counts(), load_extractor().platform("lemon8"))
    english = render_alert(content, unsubscribe_url="https://radar.example/u/t")
    arabic = render_alert(content, unsubscribe_url="https://radar.example/u/t", lang="ar")
    assert english.subject == content.subject and english.subject.startswith("Surge:")
    assert arabic.subject.startswith("ارتفاع غير معتاد")
