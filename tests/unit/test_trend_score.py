"""radar.trends.score: the emerging statistic and its cooldown, on synthetic histories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from radar.trends.model import DailyCount, TrendSignal
from radar.trends.score import Series, TrendConfig, decide, evaluate, history_start, rearmed

CONFIG = TrendConfig()
D0 = date(2026, 3, 1)


def series(
    values: Sequence[int],
    sources: Sequence[str] = ("hn", "reddit"),
    term: str = "spill",
    first: date = D0,
) -> Series:
    """Daily counts from D0 on, each split over `sources`, all counted since `first`."""
    daily: list[DailyCount] = []
    for i, v in enumerate(values):
        day = D0 + timedelta(days=i)
        share, extra = divmod(v, len(sources))
        for j, src in enumerate(sources):
            n = share + (1 if j < extra else 0)
            if n:
                daily.append(DailyCount(term, day, src, n))
    return Series.from_counts(term, daily, {s: first for s in sources})


def day(i: int) -> date:
    return D0 + timedelta(days=i)


def replay(s: Series, n_days: int, config: TrendConfig = CONFIG) -> list[int]:
    """Run detection once per day like the hourly job would; the day indexes that fired."""
    last: TrendSignal | None = None
    fired: list[int] = []
    for i in range(n_days):
        decision = decide(s, day(i), last, config)
        if decision.fire:
            ev = decision.evaluation
            rise = 1 if last is None else last.rise + 1
            last = TrendSignal(
                s.term, s.term, rise, ev.day, datetime.combine(ev.day, datetime.min.time(), UTC),
                ev.score, ev.count, ev.expected, ev.sources, ev.days,
            )  # fmt: skip
            fired.append(i)
    return fired


def test_score_rise_from_nothing_fires_on_the_day_it_crosses() -> None:
    # 20 quiet days, then 1, 3, 9 mentions: the window (2 days) reaches 4 mentions on day 21
    # but only 4 (score 4.0, lift 5): that is the crossing. Day 20 alone (1 mention) is not.
    s = series([0] * 20 + [1, 3, 9])
    assert not evaluate(s, day(20), CONFIG).emerging
    assert evaluate(s, day(21), CONFIG).emerging
    assert replay(s, 23) == [21]


def test_score_rise_over_three_days_fires_once_not_before() -> None:
    s = series([0] * 20 + [1, 2, 8, 20, 30])
    fired = replay(s, 25)
    first = next(i for i in range(25) if evaluate(s, day(i), CONFIG).emerging)
    assert fired == [first]
    assert first == 22


def test_score_steady_high_term_never_fires() -> None:
    s = series([50] * 60)
    assert replay(s, 60) == []


def test_score_noisy_high_term_never_fires() -> None:
    s = series([40, 60, 55, 45, 70, 35, 50, 65, 42, 58] * 6)
    assert replay(s, 60) == []


def test_score_familiar_term_doubling_is_not_emerging() -> None:
    # A familiar name trending harder (50 -> 130 a day) is not a new platform rising.
    s = series([50] * 20 + [130, 130])
    ev = evaluate(s, day(21), CONFIG)
    assert ev.score > CONFIG.fire_score
    assert not ev.emerging
    assert "already frequent" in ev.reason


def test_score_one_source_on_one_day_does_not_fire() -> None:
    s = series([0] * 20 + [12], sources=("twitter-trends",))
    ev = evaluate(s, day(20), CONFIG)
    assert not ev.emerging
    assert "one source" in ev.reason


def test_score_same_burst_in_two_sources_fires() -> None:
    s = series([0] * 20 + [12], sources=("twitter-trends", "hn"))
    assert evaluate(s, day(20), CONFIG).emerging


def test_score_one_source_on_two_days_fires() -> None:
    s = series([0] * 20 + [6, 6], sources=("twitter-trends",))
    assert evaluate(s, day(21), CONFIG).emerging


def test_score_new_term_without_history_needs_min_count() -> None:
    long_ago = D0 - timedelta(days=30)
    assert not evaluate(series([2], first=long_ago), D0, CONFIG).emerging
    assert evaluate(series([4], first=long_ago), D0, CONFIG).emerging


def test_score_sources_warming_up_do_not_count() -> None:
    # The first days of counting: everything is "new", nothing may fire.
    s = series([50, 50, 50, 50])
    ev = evaluate(s, day(3), CONFIG)
    assert ev.warming == ("hn", "reddit")
    assert not ev.emerging


def test_score_new_source_with_familiar_term_does_not_fire() -> None:
    # hn has counted "spill" for weeks; reddit is added on day 20 and mentions it 10 times a
    # day. Reddit's baseline is its own (from day 20), so nothing looks new.
    old = series([2] * 40, sources=("hn",))
    new = series([0] * 20 + [10] * 20, sources=("reddit",), first=day(20))
    s = Series("spill", {**old.counts, **new.counts}, {"hn": D0, "reddit": day(20)})
    assert replay(s, 40) == []


def test_score_term_never_seen_scores_zero() -> None:
    ev = evaluate(Series("nothing"), D0, CONFIG)
    assert (ev.count, ev.score, ev.emerging) == (0, 0.0, False)


def test_score_no_second_alert_until_it_fell_and_rose_again() -> None:
    high = [0] * 20 + [4, 10, 20, 20, 20, 20]  # rises, stays high: one alert
    fell = [0] * 14  # long enough below the re-arm score
    again = [30, 60]  # rises again
    s = series(high + fell + again)
    fired = replay(s, len(high + fell + again))
    assert len(fired) == 2
    assert fired[0] < len(high) <= fired[1]


def test_score_staying_high_does_not_rearm() -> None:
    s = series([0] * 20 + [4, 10, 20, 20, 20, 20, 20, 20])
    first = TrendSignal("spill", "Spill", 1, day(21), datetime(2026, 3, 22, tzinfo=UTC),
                        5.0, 14, 0.0, ("hn",), 2)  # fmt: skip
    assert not rearmed(s, first, day(27), CONFIG)


def test_score_rearm_after_lookback_even_without_history() -> None:
    old = TrendSignal("spill", "Spill", 1, D0, datetime(2026, 3, 1, tzinfo=UTC),
                      5.0, 14, 0.0, ("hn",), 2)  # fmt: skip
    assert rearmed(Series("spill"), old, D0 + timedelta(days=61), CONFIG)


def test_history_start_covers_baseline_and_cooldown() -> None:
    assert history_start(day(30), None, CONFIG) == day(30 - 15)
    last = TrendSignal("t", "t", 1, day(20), datetime(2026, 3, 21, tzinfo=UTC), 5, 5, 0, (), 2)
    assert history_start(day(30), last, CONFIG) == day(21 - 15)


def test_config_rejects_rearm_above_fire() -> None:
    with pytest.raises(ValueError, match="hysteresis"):
        replace(CONFIG, rearm_score=4.0)


def test_series_ignores_other_terms_and_zero_counts() -> None:
    s = Series.from_counts(
        "a", [DailyCount("a", D0, "x", 2), DailyCount("b", D0, "x", 5), DailyCount("a", D0, "y", 0)]
    )
    assert s.count(D0) == 2
    assert s.sources == frozenset({"x"})
