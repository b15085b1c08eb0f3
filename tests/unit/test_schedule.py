from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from radar.model import Source, SourceKind
from radar.watch.schedule import TICK, due_sources, is_due, tick_start

T0 = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)


def src(n: int, interval: timedelta = timedelta(hours=1), **kw: object) -> Source:
    return Source(
        id=f"s{n}",
        platform="p",
        kind=SourceKind.RSS,
        url="https://e.com/",
        interval=interval,
        **kw,  # type: ignore[arg-type]
    )


def test_schedule_tick_start_floors_late_events() -> None:
    assert tick_start(T0 + timedelta(minutes=16, seconds=40)) == T0 + timedelta(minutes=15)


def test_schedule_each_source_due_exactly_once_per_interval() -> None:
    sources = [src(n, timedelta(hours=6)) for n in range(50)]
    ticks = [T0 + k * TICK for k in range(24)]  # six hours of ticks
    counts = Counter(s.id for t in ticks for s in due_sources(sources, t))
    assert set(counts.values()) == {1}
    assert len(counts) == 50


def test_schedule_spreads_load_over_the_interval() -> None:
    sources = [src(n, timedelta(hours=1)) for n in range(400)]
    per_tick = [len(due_sources(sources, T0 + k * TICK)) for k in range(4)]
    assert sum(per_tick) == 400
    assert min(per_tick) > 60  # not all in one tick


def test_schedule_15_minute_sources_are_due_every_tick() -> None:
    s = src(1, timedelta(minutes=15))
    assert all(is_due(s, T0 + k * TICK) for k in range(8))


def test_schedule_javascript_pages_are_never_due() -> None:
    s = src(1, timedelta(minutes=15), needs_javascript=True)
    assert not is_due(s, T0)
