"""Benchmark: scoring one hour's detection for 5,000 terms across 10 sources (issue 12: < 200 ms).

`python -m tests.bench.trends_score_bench` writes tests/bench/reports/trends_score.txt. What
is timed is the pure scoring that `judge_terms` does per term once the counts are read: the
day statistic, the hourly velocity, the quiet check, and for the terms that moved the novelty
look-back and the emerging/surge judgement (`radar.trends.rise`). Store reads are not timed
here (they are I/O: one Query per active term on DynamoDB, see docs/trends.md).

The series are synthetic but shaped like the replays: every term is counted by 1 to 10 sources
(most by one or two), on most days of the 16-day window with a few items, a tenth of them busy,
with first-seen hours; a few percent move enough to need their history (180 days of it).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from radar.trends.rise import judge, quiet, velocity
from radar.trends.score import Series, TrendConfig, evaluate
from radar.trends.terms import load_extractor

REPORT = Path(__file__).parent / "reports" / "trends_score.txt"
TERMS = 5_000
SOURCES = tuple(f"source-{i}" for i in range(10))
NOW = datetime(2026, 6, 1, 14, 30, tzinfo=UTC)
RUNS = 7


def make_series(rng: random.Random, config: TrendConfig) -> list[tuple[Series, set[date]]]:
    today = NOW.date()
    first = {s: today - timedelta(days=200) for s in SOURCES}
    out = []
    for t in range(TERMS):
        k = min(10, max(1, int(rng.paretovariate(1.2))))
        sources = rng.sample(SOURCES, k)
        busy = rng.random() < 0.1
        counts: dict[tuple[date, str], int] = {}
        hours: dict[tuple[date, str], tuple[int, ...]] = {}
        evidenced: dict[tuple[date, str], int] = {}
        for back in range(config.history_days):
            day = today - timedelta(days=back)
            for s in sources:
                n = rng.randrange(0, 8 if busy else 3)
                if rng.random() < 0.03:
                    n += rng.randrange(3, 10)  # a burst: this term will need its history
                if n:
                    counts[(day, s)] = n
                    hours[(day, s)] = tuple(sorted(rng.randrange(24) for _ in range(n)))
                    evidenced[(day, s)] = rng.randrange(0, n + 1)
        history = {today - timedelta(days=rng.randrange(8, 180)) for _ in range(rng.randrange(40))}
        out.append((Series(f"term{t}", counts, first, hours, evidenced), history))
    return out


def score_all(data: Sequence[tuple[Series, set[date]]], config: TrendConfig) -> tuple[int, int]:
    """What judge_terms does per term after its reads; returns (looked up, fired)."""
    platforms = load_extractor()
    looked = fired = 0
    watch = NOW.date() - timedelta(days=200)
    for series, history in data:
        base = evaluate(series, NOW.date(), config)
        speed = velocity(series, NOW, config, {})
        moved = not quiet(base, speed, config)
        looked += moved
        j = judge(
            series,
            NOW,
            config,
            history=history if moved else None,
            watch_start=watch,
            platform=platforms.platform(series.term),
            last=None,
            kinds={},
            evaluation=base,
            speed=speed,
        )
        fired += j.fire
    return looked, fired


def main(argv: Sequence[str] = ()) -> int:
    config = TrendConfig()
    data = make_series(random.Random(12), config)
    items = sum(sum(s.counts.values()) for s, _ in data)
    score_all(data, config)  # warm-up: imports, caches
    times, walls = [], []
    for _ in range(RUNS):
        # CPU time of this process: other processes sharing the machine do not inflate it
        # (the wall-clock time is reported too).
        cpu, wall = time.process_time(), time.perf_counter()
        looked, fired = score_all(data, config)
        times.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    text = "\n".join(
        [
            "Trend scoring benchmark (tests/bench/trends_score_bench.py)",
            f"{TERMS} terms x {len(SOURCES)} sources, {config.history_days}-day window, "
            f"{items} counted items; {looked} terms moved enough to need their history, "
            f"{fired} fired",
            f"python {sys.version.split()[0]}, {RUNS} runs after one warm-up",
            f"scoring one detection, CPU time: median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f} ms, max {max(times):.0f} ms (target < 200 ms)",
            f"wall clock: median {statistics.median(walls):.0f} ms, min {min(walls):.0f} ms "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs while measuring)",
        ]
    )
    if "--no-write" not in argv:
        REPORT.write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
