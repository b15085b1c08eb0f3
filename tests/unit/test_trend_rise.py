"""radar.trends.rise: emerging names vs surging platforms, on synthetic series (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from radar.trends.model import EMERGING, SURGE, TrendSignal
from radar.trends.rise import judge, novelty, velocity
from radar.trends.score import Series, TrendConfig
from radar.trends.terms import load_extractor

CONFIG = TrendConfig()
TODAY = date(2026, 6, 1)
WATCHED = TODAY - timedelta(days=120)
PLATFORMS = load_extractor()


def now(hour: int, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC)


def series(
    term: str,
    hours: dict[tuple[date, str], tuple[int, ...]],
    *,
    evidenced: int | None = None,
    daily: dict[date, int] | None = None,
) -> Series:
    counts = {k: len(v) for k, v in hours.items()}
    for d, n in (daily or {}).items():
        counts[(d, "news")] = counts.get((d, "news"), 0) + n
    first = {s: WATCHED for _, s in counts}
    ev = {k: (len(v) if evidenced is None else evidenced) for k, v in hours.items()}
    return Series(term, counts, first, hours, ev)


def run(
    s: Series,
    at: datetime,
    *,
    history: set[date] | None = None,
    last: TrendSignal | None = None,
    kinds: dict[str, str] | None = None,
    platform: str | None = None,
):  # type: ignore[no-untyped-def]
    return judge(
        s,
        at,
        CONFIG,
        history=history if history is not None else set(),
        watch_start=WATCHED,
        platform=PLATFORMS.platform(platform) if platform else None,
        last=last,
        kinds=kinds or {},
    )


def test_rise_three_stories_in_twelve_hours_fire_the_same_day() -> None:
    s = series("noplace", {(TODAY, "news"): (8, 12, 19)}, evidenced=1)
    assert not run(s, now(18)).fire  # two so far
    j = run(s, now(19))
    assert (j.fire, j.kind) == (True, EMERGING)


def test_rise_velocity_window_spans_midnight() -> None:
    yesterday = TODAY - timedelta(days=1)
    s = series("noplace", {(yesterday, "news"): (20, 23), (TODAY, "news"): (3,)})
    assert velocity(s, now(3), CONFIG, {}).items == 3
    assert velocity(s, now(21), CONFIG, {}).items == 2  # yesterday 20:00-20:59 is out


def test_rise_two_kinds_of_source_agreeing_fire_sooner() -> None:
    s = series("lemon9", {(TODAY, "news"): (9,), (TODAY, "chart"): (5,)})
    assert not run(s, now(10)).fire  # two items of one kind would not do
    assert run(s, now(10), kinds={"chart": "chart"}).fire


def test_rise_needs_platform_evidence() -> None:
    s = series("neuralhash", {(TODAY, "news"): (1, 3, 5, 7, 9, 11)}, evidenced=0)
    j = run(s, now(12))
    assert not j.fire and "no platform evidence" in j.reason


def test_rise_familiar_general_term_is_not_emerging() -> None:
    history = {TODAY - timedelta(days=d) for d in range(10, 100, 3)}
    s = series("github", {(TODAY, "news"): tuple(range(12))})
    j = run(s, now(13), history=history)
    assert (j.fire, j.kind) == (False, None)
    assert "not a known platform and not new" in j.reason


@pytest.mark.parametrize("term", ["facebook", "twitter", "whatsapp"])
def test_rise_established_platforms_are_never_emerging(term: str) -> None:
    s = series(term, {(TODAY, "news"): tuple(range(6))})  # new to Radar: empty history
    j = run(s, now(12), platform=term)
    assert j.kind == SURGE and not j.fire  # one day of one source is not a surge yet


def test_rise_established_platform_surges_with_stricter_thresholds() -> None:
    base = {TODAY - timedelta(days=d): 2 for d in range(2, 16)}
    busy = {
        (TODAY - timedelta(days=1), "news"): tuple(range(12)),
        (TODAY, "news"): tuple(range(10)),
    }
    j = run(series("facebook", busy, daily=base), now(12), platform="facebook")
    assert (j.fire, j.kind) == (True, SURGE)
    doubled = {(TODAY - timedelta(days=1), "news"): (1, 2, 3, 4), (TODAY, "news"): (1, 2, 3, 4)}
    assert not run(series("facebook", doubled, daily=base), now(12), platform="facebook").fire


def test_rise_rare_known_platform_is_emerging() -> None:
    s = series("signal", {(TODAY, "news"): (7, 13, 20)})
    history = {TODAY - timedelta(days=40), TODAY - timedelta(days=90)}
    j = run(s, now(20), history=history, platform="signal")
    assert (j.fire, j.kind) == (True, EMERGING)


def test_rise_cooldown_after_firing() -> None:
    s = series("noplace", {(TODAY, "news"): (8, 12, 19)})
    last = TrendSignal("noplace", "Noplace", 1, TODAY, now(19), 3.0, 3, 0.0, ("news",), 1)
    j = run(s, now(22), last=last)
    assert not j.fire and j.reason.startswith("cooldown")


def test_novelty_needs_enough_watched_history() -> None:
    short = novelty(set(), TODAY, TODAY - timedelta(days=10), CONFIG)
    assert not short.new and "too short" in short.reason
    assert novelty(set(), TODAY, WATCHED, CONFIG).new


def test_novelty_rare_is_at_most_a_tenth_of_watched_days() -> None:
    watched = (TODAY - timedelta(days=CONFIG.quiet_days) - WATCHED).days
    rare = {WATCHED + timedelta(days=i) for i in range(int(watched * CONFIG.rare_fraction))}
    assert novelty(rare, TODAY, WATCHED, CONFIG).new
    busier = rare | {TODAY - timedelta(days=30), TODAY - timedelta(days=31)}
    assert not novelty(busier, TODAY, WATCHED, CONFIG).new


def test_novelty_ignores_the_rise_own_build_up() -> None:
    build_up = {TODAY - timedelta(days=d) for d in range(CONFIG.quiet_days)}
    assert novelty(build_up, TODAY, WATCHED, CONFIG).new


def test_rise_game_or_device_does_not_fire() -> None:
    hours = {(TODAY, "news"): (9, 13, 20)}
    s = Series("palworld", {k: 3 for k in hours}, {"news": WATCHED}, hours,
               {k: 1 for k in hours}, {k: 1 for k in hours})  # fmt: skip
    j = run(s, now(21))
    assert not j.fire and "game or a device" in j.reason
    more = Series("noplace", s.counts, s.first_days, hours, {k: 2 for k in hours}, s.countered)
    assert run(more, now(21)).fire  # more items say it is a platform than not
