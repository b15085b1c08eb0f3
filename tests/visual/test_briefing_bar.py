"""The briefing header's per-platform bar in headless Chromium (issue 14): one segment per
platform, as wide as its share of the week's items, in reading order (right to left in Arabic),
hidden from screen readers because the chips above it say the counts in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from radar.render.briefing import render_briefing
from tests.visual.test_briefing_render import brief, chromium, needs_chromium

# A test-only probe appended to a copy of the page: each bar segment's left edge and width.
BAR_PROBE = """<script>
const cells = [...document.querySelectorAll("table.bar td")];
document.title = "bar|" + cells.map((c) => {
  const r = c.getBoundingClientRect();
  return Math.round(r.left) + ":" + Math.round(r.width) + ":" + Math.round(r.height);
}).join(",");
</script>"""


def segments(tmp_path: Path, lang: str) -> list[tuple[int, int, int]]:
    html = render_briefing(brief(lang)).html.replace("</body>", BAR_PROBE + "</body>")
    page = tmp_path / f"bar-{lang}.html"
    page.write_text(html, encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=600,2000", "--virtual-time-budget=3000",
                   "--dump-dom", page.as_uri())  # fmt: skip
    found = re.search(r"<title>bar\|([\d:,]*)</title>", dom)
    assert found is not None, dom[:300]
    return [(int(a), int(b), int(c)) for a, b, c in (s.split(":") for s in found[1].split(","))]


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_briefing_bar_segments_are_as_wide_as_their_counts(tmp_path: Path, lang: str) -> None:
    # The sample week: Instagram 4 items, TikTok 3 (the header's chips).
    (first_left, instagram, height), (second_left, tiktok, _) = segments(tmp_path, lang)
    assert height >= 4
    assert abs(instagram / (instagram + tiktok) - 4 / 7) < 0.03
    # Reading order: the largest first, from the left in English and from the right in Arabic.
    assert (first_left < second_left) is (lang == "en")
