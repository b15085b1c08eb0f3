"""The per-platform bar in the briefing header (issue 14): whole percents that add up to 100,
one segment per platform, drawn with table cells and hidden from screen readers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from radar.briefings.content import build_briefing
from radar.model import Change
from radar.render.briefing import render_briefing
from radar.render.cues import bar_shares, platform_counts
from tests.support.briefings import LINKS, SCHEDULED, SINCE, sample_changes, subscription


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ([4, 3], (57, 43)),
        ([1, 1, 1], (34, 33, 33)),
        ([500, 1], (98, 2)),  # one change among hundreds still shows
        ([7], (100,)),
        ([], ()),
    ],
)
def test_bar_shares_are_whole_percents_that_add_up(
    counts: list[int], shares: tuple[int, ...]
) -> None:
    assert bar_shares(counts) == shares


def test_bar_shares_add_up_for_many_platforms() -> None:
    shares = bar_shares([90, *([1] * 60)])
    assert sum(shares) == 100 and min(shares) >= 1


def test_platform_counts_carry_their_share() -> None:
    counts = platform_counts(["instagram"] * 3 + ["tiktok"])
    assert [(c.platform, c.share) for c in counts] == [("instagram", 75), ("tiktok", 25)]


def _html(changes: list[Change]) -> BeautifulSoup:
    b = build_briefing(
        subscription("en"), changes, period="2026-W47", since=SINCE, until=SCHEDULED, links=LINKS
    )
    return BeautifulSoup(render_briefing(b).html, "html.parser")


def test_render_briefing_header_bar_has_a_segment_per_platform() -> None:
    doc = _html(sample_changes())
    bar = doc.select_one("table.bar")
    assert bar is not None and bar["aria-hidden"] == "true" and bar["role"] == "presentation"
    cells = bar.select("td")
    assert [c["width"] for c in cells] == ["57%", "43%"]  # Instagram 4, TikTok 3
    assert all(c["bgcolor"] and "background-color" in c["style"] for c in cells)


def test_render_briefing_header_bar_is_left_out_for_one_platform() -> None:
    one = [c for c in sample_changes() if c.platform == "instagram"]
    assert _html(one).select_one("table.bar") is None
