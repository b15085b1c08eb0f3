"""The Arabic alert mail in headless Chromium: right to left, bars drawn, no sideways scroll."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from radar.alerts.content import alert_content
from radar.render.alert import render_alert
from radar.trends.model import DailyCount, Link, TrendSignal
from tests.visual.test_alert_render import BAR_BLUE, CHROMIUM, DAY, chromium

Image = pytest.importorskip("PIL.Image")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
# Test-only probe: the document's direction and widths, read back through the title.
PROBE = (
    "<script>document.title = [getComputedStyle(document.querySelector('td.cell')).direction,"
    " document.documentElement.scrollWidth, window.innerWidth].join('|');</script>"
)


def html() -> str:
    signal = TrendSignal("noplace", "Noplace", 1, DAY, datetime(2026, 3, 11, 9, tzinfo=UTC),
                         6.2, 14, 0.4, ("hn", "reddit"), 2)  # fmt: skip
    link = Link("https://example.com/noplace", "Noplace, a new social app, tops the charts")
    counts = [
        DailyCount("noplace", DAY - timedelta(days=i), "hn", n, (link,))
        for i, n in enumerate([9, 5, 1, 0, 0, 1])
    ]
    content = alert_content(signal, counts, None)
    return render_alert(content, unsubscribe_url="https://radar.example/u/t", lang="ar").html


def test_alert_render_ar_bars_are_drawn(tmp_path: Path) -> None:
    page = tmp_path / "alert-ar.html"
    page.write_text(html(), encoding="utf-8")
    png = tmp_path / "alert-ar.png"
    chromium(tmp_path, "--window-size=600,1400", f"--screenshot={png}", page.as_uri())
    image = Image.open(png).convert("RGB")
    blue = sum(count for count, color in image.getcolors(1 << 20) or [] if color == BAR_BLUE)
    assert blue > 3000


def test_alert_render_ar_is_right_to_left_and_fits(tmp_path: Path) -> None:
    page = tmp_path / "probe-ar.html"
    page.write_text(html().replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=600,2000", "--virtual-time-budget=3000",
                   "--dump-dom", page.as_uri())  # fmt: skip
    found = re.search(r"<title>(\w+)\|(\d+)\|(\d+)</title>", dom)
    assert found is not None, dom[:300]
    assert found.group(1) == "rtl"
    assert int(found.group(2)) <= int(found.group(3))
