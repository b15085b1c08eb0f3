"""What a person sees: the briefing in a real browser (headless Chromium), and golden text.

Chromium renders the HTML exactly as written to a screenshot (checked non-blank), and a copy
of the page with a measuring script reports the document's width (it must fit 600 px on a
desktop and the screen on a phone) and the computed text direction (rtl for Arabic). Skipped
with a reason when Chromium is not installed (CI installs it).

Golden files: set RADAR_UPDATE_GOLDEN=1 to rewrite tests/golden/*.txt after a deliberate change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from radar.briefings.content import Briefing, build_briefing, source_health
from radar.model import Change, Snapshot, Source, SourceKind
from radar.render.briefing import render_briefing
from tests.support.briefings import LINKS, SCHEDULED, SINCE, change, sample_changes, subscription

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
# A test-only probe appended to a copy of the page: the product itself never has scripts.
PROBE = """<script>
document.title = [
  document.documentElement.scrollWidth,
  window.innerWidth,
  getComputedStyle(document.body).direction,
  getComputedStyle(document.querySelector("h1")).direction,
].join("|");
</script>"""


def health() -> tuple:  # type: ignore[type-arg]
    source = Source(
        id="ig-blog", platform="instagram", kind=SourceKind.RSS, url="https://a/", name="IG blog"
    )
    return source_health([(source, Snapshot("ig-blog", failures=4, last_error="HTTP 503"))])


def brief(lang: str, changes: list[Change] | None = None) -> Briefing:
    return build_briefing(
        subscription(lang),
        sample_changes() if changes is None else changes,
        period="2026-W47",
        since=SINCE,
        until=SCHEDULED,
        links=LINKS,
        health=health(),
    )


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def measure(tmp_path: Path, html: str, width: int) -> tuple[int, int, str, str]:
    """(content width, viewport width, body direction, heading direction) in Chromium."""
    page = tmp_path / f"probe-{width}.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(
        tmp_path,
        f"--window-size={width},2000",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.as_uri(),
    )
    title = re.search(r"<title>(\d+)\|(\d+)\|(\w+)\|(\w+)</title>", dom)
    assert title is not None, dom[:500]
    return int(title.group(1)), int(title.group(2)), title.group(3), title.group(4)


def screenshot(tmp_path: Path, html: str, name: str) -> Image.Image:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    png = tmp_path / f"{name}.png"
    chromium(tmp_path, "--window-size=600,2000", f"--screenshot={png}", page.as_uri())
    return Image.open(png).convert("RGB")


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_briefing_render_screenshot_is_not_blank(tmp_path: Path, lang: str) -> None:
    image = screenshot(tmp_path, render_briefing(brief(lang)).html, f"briefing-{lang}")
    assert image.size[0] == 600
    colors = image.getcolors(maxcolors=1 << 20) or []
    # Text, the action box and links: many colours, and no single colour covers everything.
    assert len(colors) > 50
    assert max(count for count, _ in colors) < 0.95 * image.size[0] * image.size[1]


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_briefing_render_fits_600_px(tmp_path: Path, lang: str) -> None:
    width, viewport, _, _ = measure(tmp_path, render_briefing(brief(lang)).html, 600)
    assert width <= viewport == 600


@needs_chromium
def test_briefing_render_fits_a_phone(tmp_path: Path) -> None:
    long_url = change("long", url="https://example.com/" + "very-long-path-segment-" * 12)
    # Headless Chromium will not make a window narrower than about 500 px; what matters is
    # that the narrow-screen layout (below 620 px) never scrolls sideways.
    width, viewport, _, _ = measure(tmp_path, render_briefing(brief("en", [long_url])).html, 375)
    assert viewport < 600 and width <= viewport


@needs_chromium
def test_briefing_render_arabic_is_right_to_left(tmp_path: Path) -> None:
    _, _, body, heading = measure(tmp_path, render_briefing(brief("ar")).html, 600)
    assert (body, heading) == ("rtl", "rtl")


@needs_chromium
def test_briefing_render_english_is_left_to_right(tmp_path: Path) -> None:
    _, _, body, _ = measure(tmp_path, render_briefing(brief("en")).html, 600)
    assert body == "ltr"


@needs_chromium
def test_briefing_render_injected_script_does_not_run(tmp_path: Path) -> None:
    evil = change(
        "evil",
        title='<script>document.title="pwned"</script>',
        text="<img src=x onerror=\"document.title='pwned'\">",
        url="javascript:document.title='pwned'",
    )
    page = tmp_path / "evil.html"
    page.write_text(render_briefing(brief("en", [evil])).html, encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_briefing_render_text_matches_golden(lang: str) -> None:
    text = render_briefing(brief(lang)).text
    golden = GOLDEN / f"briefing_{lang}.txt"
    if os.environ.get("RADAR_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_briefing_render_injection_inert_in_text() -> None:
    evil = change("evil", title="<script>alert(1)</script>", url="javascript:alert(1)")
    text = render_briefing(brief("en", [evil])).text
    assert "javascript:" not in text
    # Plain text is never interpreted; the title is shown as the characters it is.
    assert "* <script>alert(1)</script>" in text


@needs_chromium
def test_briefing_render_shows_an_entry_added_and_edited_twice_once_with_marked_changes(
    tmp_path: Path,
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from radar.model import ChangeKind

    added = change("gw", title="Voice gateway v8", text="Use voice gateway version 8.")
    edits = [
        replace(
            added, id=f"gw-e{n}", kind=ChangeKind.EDITED,
            detected_at=added.detected_at + timedelta(days=n),
            text=f"Use voice gateway version 8. Note {n}.", diff=f"version 8. {{+Note {n}.+}}",
        )
        for n in (1, 2)
    ]  # fmt: skip
    edited_only = change(
        "rl", title="Rate limits", kind=ChangeKind.EDITED,
        diff="Apps get [-200-] {+250+} calls per user per day.",
    )  # fmt: skip
    html = render_briefing(brief("en", [added, *edits, edited_only])).html
    page = tmp_path / "once.html"
    page.write_text(html, encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert dom.count(">Voice gateway v8<") == 1  # one item (its title) for the entry, not three
    assert "Note 2." in dom  # with its latest text
    assert re.search(r"<del[^>]*>.*?200.*?</del>", dom) and re.search(
        r"<ins[^>]*>.*?250.*?</ins>", dom
    )
    assert "{+" not in dom and "[-" not in dom


# A test-only probe: how many items' dates there are, and the most lines any of them takes.
DATES_PROBE = """<script>
// Lines, not fragments: right-to-left text splits one line into several boxes.
const lines = [...document.querySelectorAll(".dates")].map(
  (d) => new Set([...d.getClientRects()].map((r) => Math.round(r.bottom))).size);
document.title = "dates|" + lines.length + "|" + Math.max(...lines);
</script>"""


@needs_chromium
@pytest.mark.parametrize(("lang", "width"), [("en", 600), ("ar", 600), ("en", 375)])
def test_briefing_render_dates_stay_on_one_line(tmp_path: Path, lang: str, width: int) -> None:
    html = render_briefing(brief(lang)).html.replace("</body>", DATES_PROBE + "</body>")
    page = tmp_path / "dates.html"
    page.write_text(html, encoding="utf-8")
    dom = chromium(tmp_path, f"--window-size={width},2000", "--virtual-time-budget=3000",
                   "--dump-dom", page.as_uri())  # fmt: skip
    found = re.search(r"<title>dates\|(\d+)\|(\d+)</title>", dom)
    assert found is not None, dom[:300]
    assert int(found.group(1)) == 7  # one date line per item
    assert int(found.group(2)) == 1  # each on one line, never broken


@needs_chromium
def test_briefing_render_platform_chips_are_drawn_in_their_colours(tmp_path: Path) -> None:
    from radar.render.cues import platform_colour

    image = screenshot(tmp_path, render_briefing(brief("en")).html, "chips")
    colours = {colour: n for n, colour in image.getcolors(maxcolors=1 << 20) or []}
    for platform in ("instagram", "tiktok"):
        hex_colour = platform_colour(platform)
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert colours.get(rgb, 0) > 300, platform  # chips in the header and the action box
