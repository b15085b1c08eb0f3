"""The emerging statistic: is a term's recent count far above its own baseline?

Method (the why is in docs/trends.md):

- x = distinct items mentioning the term in the recent window (the evaluated day and the
  `recent_days - 1` days before it), summed over sources;
- the baseline is the `baseline_days` before that window, per source, over the days that
  source was counted (days without mentions count as 0): mean m_s and variance v_s;
- expected E = recent_days * sum(m_s); variance V = recent_days * sum(max(v_s, m_s)) +
  prior_variance (never below Poisson, and a prior so that a brand-new term, m = v = 0,
  needs several mentions); a source counted on fewer than `min_baseline_days` baseline days
  is left out (warm-up);
- score = (x - E) / sqrt(V), a smoothed z-score; lift = (x + 1) / (E + 1);
- a term is emerging when score >= fire_score, x >= min_count, lift >= min_lift, and it has
  support: mentions from >= min_sources sources or on >= min_days days of the window.

Cooldown (hysteresis): after a term fires on day F it cannot fire again until a later day's
score fell below `rearm_score`; then a new rise can fire once more. Pure: time is passed in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from radar.trends.model import DailyCount, TrendSignal


@dataclass(frozen=True, slots=True)
class TrendConfig:
    """Thresholds of the emerging statistic (exposed as RADAR_TREND_* settings by the lead)."""

    baseline_days: int = 14
    recent_days: int = 2
    fire_score: float = 3.0
    rearm_score: float = 1.0
    min_count: int = 4
    min_lift: float = 3.0
    prior_variance: float = 1.0
    # A source counts only once it has been counted on this many baseline days (warm-up), so
    # the first days of Radar, or of a new source, do not make every familiar term look new.
    min_baseline_days: int = 3
    min_sources: int = 2
    min_days: int = 2
    # How far back the cooldown looks for a fall below `rearm_score`; a signal older than this
    # counts as fallen (its baseline has long absorbed the rise).
    rearm_lookback_days: int = 60
    # --- emerging vs surge (radar.trends.rise; the why and the replay figures: docs/trends.md)
    velocity_hours: int = 24  # an emerging name is judged on the items of the last hours
    emerging_min_items: int = 3  # ... from one kind of source
    emerging_min_items_agreeing: int = 2  # ... when two independent kinds of source agree
    novelty_days: int = 180  # how far back "absent or rare for months" looks
    quiet_days: int = 7  # the last days, left out of that look-back (the rise's own build-up)
    rare_fraction: float = 0.1  # new: mentioned on at most this share of the watched days
    min_watch_days: int = 14  # before that much history, no name can be told new
    surge_fire_score: float = 4.0  # an established platform's rise: stricter than fire_score
    surge_min_count: int = 8
    surge_min_lift: float = 4.0  # "unusually in the news": four times its usual, at least

    def __post_init__(self) -> None:
        if self.baseline_days < 1 or self.recent_days < 1:
            raise ValueError("baseline_days and recent_days must be at least 1")
        if self.rearm_score >= self.fire_score:
            raise ValueError("rearm_score must be below fire_score (hysteresis)")
        if self.velocity_hours < 1 or self.emerging_min_items < 1:
            raise ValueError("velocity_hours and emerging_min_items must be at least 1")
        if not 0 <= self.rare_fraction < 1 or self.quiet_days >= self.novelty_days:
            raise ValueError("rare_fraction must be in [0, 1) and quiet_days < novelty_days")

    @property
    def history_days(self) -> int:
        """Days of counts one evaluation reads, the evaluated day included."""
        return self.baseline_days + self.recent_days


@dataclass(frozen=True, slots=True)
class Series:
    """A term's daily counts per source, and since when each source has been counted.

    A source's first day matters: before it, the source's zero counts mean "not watched yet",
    not "not mentioned", so they stay out of its baseline.
    """

    term: str
    counts: Mapping[tuple[date, str], int] = field(default_factory=dict)
    first_days: Mapping[str, date] = field(default_factory=dict)
    # Per (day, source): the first-seen UTC hour of each item, and how many had evidence.
    hours: Mapping[tuple[date, str], tuple[int, ...]] = field(default_factory=dict)
    evidenced: Mapping[tuple[date, str], int] = field(default_factory=dict)
    countered: Mapping[tuple[date, str], int] = field(default_factory=dict)

    @classmethod
    def from_counts(
        cls, term: str, daily: Iterable[DailyCount], first_days: Mapping[str, date] | None = None
    ) -> Series:
        counts: dict[tuple[date, str], int] = defaultdict(int)
        hours: dict[tuple[date, str], tuple[int, ...]] = {}
        evidenced: dict[tuple[date, str], int] = defaultdict(int)
        countered: dict[tuple[date, str], int] = defaultdict(int)
        for d in daily:
            if d.term == term and d.count > 0:
                counts[(d.day, d.source)] += d.count
                evidenced[(d.day, d.source)] += d.evidenced
                countered[(d.day, d.source)] += d.countered
                if d.hours:
                    hours[(d.day, d.source)] = tuple(
                        sorted((*hours.get((d.day, d.source), ()), *d.hours))
                    )
        return cls(
            term, dict(counts), dict(first_days or {}), hours, dict(evidenced), dict(countered)
        )

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(s for _, s in self.counts)

    def count(self, day: date, source: str | None = None) -> int:
        """Distinct items on `day` from `source`, or from every source."""
        if source is not None:
            return self.counts.get((day, source), 0)
        return sum(n for (d, _), n in self.counts.items() if d == day)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The statistic for one term on one day, with every number that went into it."""

    term: str
    day: date
    count: int
    expected: float
    score: float
    lift: float
    sources: tuple[str, ...]
    days: int
    emerging: bool
    reason: str  # why not emerging ("" when it is)
    warming: tuple[str, ...] = ()  # sources left out: counted for too few days yet


@lru_cache(maxsize=256)
def _days(end: date, n: int) -> tuple[date, ...]:
    # Cached: every term of one detection asks for the same few windows.
    return tuple(end - timedelta(days=i) for i in range(n - 1, -1, -1))


def evaluate(series: Series, day: date, config: TrendConfig) -> Evaluation:
    """The emerging statistic of `series` on `day` (see the module docstring).

    Each source's baseline is its own mean and variance over the baseline days it was counted
    on; sources counted on fewer than `min_baseline_days` of them are left out (warming up).
    """
    recent = _days(day, config.recent_days)
    baseline = _days(recent[0] - timedelta(days=1), config.baseline_days)
    first_base, last_base = baseline[0], baseline[-1]
    # One pass over the counts (this runs for every active term, every hour): per source the
    # sum and sum of squares over its known baseline days, and its items in the recent window.
    sums: dict[str, list[float]] = {}
    recent_n: dict[str, dict[date, int]] = {}
    first_days = series.first_days
    first_recent = recent[0]
    for (d, source), n in series.counts.items():
        if d > last_base:
            if first_recent <= d <= day:
                recent_n.setdefault(source, {})[d] = n
            continue
        if d < first_base:
            continue
        acc = sums.get(source)
        if acc is None:
            acc = sums[source] = [0.0, 0.0]
        first = first_days.get(source)
        if first is None or d >= first:
            acc[0] += n
            acc[1] += n * n
    x = 0
    expected = 0.0
    variance = config.prior_variance
    sources: set[str] = set()
    active_days: set[date] = set()
    warming: list[str] = []
    # Sources with counts in the baseline or the window (others add nothing to either).
    for source in sorted(sums.keys() | recent_n.keys()):
        first = first_days.get(source)
        known = config.baseline_days
        if first is not None and first > first_base:
            known = max(0, (last_base - first).days + 1)
        if known < config.min_baseline_days:
            warming.append(source)
            continue
        total, squares = sums.get(source, (0.0, 0.0))
        mean = total / known
        var = max(0.0, squares / known - mean * mean)  # days without mentions count as 0
        expected += config.recent_days * mean
        variance += config.recent_days * max(var, mean)
        for d, n in recent_n.get(source, {}).items():
            if n:
                x += n
                sources.add(source)
                active_days.add(d)
    score = (x - expected) / math.sqrt(variance)
    lift = (x + 1) / (expected + 1)
    if score < config.fire_score:
        reason = f"score {score:.1f} < {config.fire_score:g}"
    elif x < config.min_count:
        reason = f"{x} mentions < {config.min_count}"
    elif lift < config.min_lift:
        reason = f"lift {lift:.1f} < {config.min_lift:g} (already frequent)"
    elif len(sources) < config.min_sources and len(active_days) < config.min_days:
        reason = f"one source on one day ({', '.join(sorted(sources))})"
    else:
        reason = ""
    if reason and warming and x == 0:
        reason = f"sources warming up ({', '.join(warming)})"
    return Evaluation(
        term=series.term,
        day=day,
        count=x,
        expected=expected,
        score=score,
        lift=lift,
        sources=tuple(sorted(sources)),
        days=len(active_days),
        emerging=not reason,
        reason=reason,
        warming=tuple(warming),
    )


def rearmed(series: Series, last: TrendSignal | None, day: date, config: TrendConfig) -> bool:
    """Whether the term may fire again on `day`: never fired, or fell since it last fired."""
    if last is None:
        return True
    if day <= last.day:
        return False
    if (day - last.day).days > config.rearm_lookback_days:
        return True
    d = last.day + timedelta(days=1)
    while d <= day:
        if evaluate(series, d, config).score < config.rearm_score:
            return True
        d += timedelta(days=1)
    return False


@dataclass(frozen=True, slots=True)
class Decision:
    """What detection does with a term today: fire a new signal or not, and why."""

    evaluation: Evaluation
    fire: bool
    reason: str


def decide(series: Series, day: date, last: TrendSignal | None, config: TrendConfig) -> Decision:
    """Fire when the term is emerging on `day` and its previous rise (if any) has fallen."""
    ev = evaluate(series, day, config)
    if not ev.emerging:
        return Decision(ev, False, ev.reason)
    if not rearmed(series, last, day, config):
        assert last is not None
        return Decision(ev, False, f"cooldown: rise {last.rise} fired on {last.day}")
    return Decision(ev, True, "")


def history_start(day: date, last: TrendSignal | None, config: TrendConfig) -> date:
    """The first day of counts `decide` needs for `day` (the cooldown's look-back included)."""
    first = day
    if last is not None and last.day < day:
        first = max(last.day + timedelta(days=1), day - timedelta(days=config.rearm_lookback_days))
    return first - timedelta(days=config.history_days - 1)
