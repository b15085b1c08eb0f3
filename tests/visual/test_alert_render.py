"""The alert mail in headless Chromium: the table bar chart is drawn, and the page fits."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from radar.alerts.content import alert_content
from radar.render.alert import render_alert
from radar.trends.model import DailyCount, Link, TrendSignal
from radar.trends.terms import load_extractor

Image = pytest.importorskip("PIL.Image")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
DAY = date(2026, 3, 11)
BAR_BLUE = (0x2F, 0x81, 0xF7)
# A test-only probe appended to a copy of the page: the alert itself has no scripts.
PROBE = (
    "<script>document.title = "
    "[document.documentElement.scrollWidth, window.innerWidth].join('|');</script>"
)


def html() -> str:
    signal = TrendSignal("lemon8", "Lemon8", 1, DAY, datetime(2026, 3, 11, 9, tzinfo=UTC),
                         6.2, 14, 0.4, ("hn", "reddit"), 2)  # fmt: skip
    long_link = Link("https://example.com/" + "a-very-long-path-segment-" * 10, "Lemon8 " * 30)
    counts = [
        DailyCount("lemon8", DAY - timedelta(days=i), "hn", n, (long_link,))
        for i, n in enumerate([9, 5, 1, 0, 0, 1])
    ]
    content = alert_content(signal, counts, load_extractor().platform("lemon8"))
    return render_alert(content, unsubscribe_url="https://radar.example/u/t").html


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_alert_render_chart_bars_are_drawn(tmp_path: Path) -> None:
    page = tmp_path / "alert.html"
    page.write_text(html(), encoding="utf-8")
    png = tmp_path / "alert.png"
    chromium(tmp_path, "--window-size=600,1400", f"--screenshot={png}", page.as_uri())
    image = Image.open(png).convert("RGB")
    blue = sum(count for count, color in image.getcolors(1 << 20) or [] if color == BAR_BLUE)
    # Four days with mentions, the widest bar about 470 px by 12 px: thousands of blue pixels.
    assert blue > 3000


@pytest.mark.parametrize("width", [600, 375])
def test_alert_render_fits_without_horizontal_scroll(tmp_path: Path, width: int) -> None:
    page = tmp_path / f"probe-{width}.html"
    page.write_text(html().replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, f"--window-size={width},2000", "--virtual-time-budget=3000",
                   "--dump-dom", page.as_uri())  # fmt: skip
    found = re.search(r"<title>(\d+)\|(\d+)</title>", dom)
    assert found is not None, dom[:300]
    content, viewport = int(found.group(1)), int(found.group(2))
    # Headless Chromium will not go below about 500 px; the narrow layout must not scroll.
    assert viewport <= max(width, 500)
    assert content <= viewport


def test_alert_render_shows_plain_words_and_the_stories_own_links(tmp_path: Path) -> None:
    signal = TrendSignal("threads", "Threads", 1, DAY, datetime(2026, 3, 11, 9, tzinfo=UTC),
                         6.2, 14, 1.0, ("hn", "r1", "r2"), 1)  # fmt: skip
    story = Link("https://news.example/threads-passes-14m", "Threads passes 14 million sign-ups")
    search = Link("http://twitter.com/search?q=Threads", "Threads")
    counts = [DailyCount("threads", DAY, "hn", 5, (story,)),
              DailyCount("threads", DAY, "tw", 9, (search,))]  # fmt: skip
    names = {"hn": "Hacker News", "r1": "r/socialmedia", "r2": "r/technology"}
    content = alert_content(signal, counts, None, source_names=names)
    page = tmp_path / "words.html"
    page.write_text(render_alert(content, unsubscribe_url="https://r.example/u").html, "utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    text = " ".join(re.sub(r"<[^>]+>", " ", dom).split())
    assert (
        "Mentions of Threads rose from about 1 a day to 14 in the last 24 hours across "
        "Hacker News and 2 subreddits." in text
    )
    assert "expected" not in text and "Score" not in text
    links = re.findall(r'<a href="([^"]+)"', dom)
    assert links.index(story.url) < links.index(search.url)  # the story first, then the search
