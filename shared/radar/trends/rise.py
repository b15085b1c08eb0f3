"""Emerging or surge: what kind of rise a term is in, and whether it fires now.

Two signals, told apart by the term's long-run history (docs/trends.md has the why and the
replay figures):

- **emerging**: a name absent or rare for months (mentioned on at most `rare_fraction` of the
  days Radar watched, leaving out the last `quiet_days`) whose items in the last
  `velocity_hours` reach `emerging_min_items` (or `emerging_min_items_agreeing` when two
  independent kinds of source agree), with platform evidence in at least one of them. Judged
  on first-seen hours, so 0 -> 3 stories in 12 hours fires the same day. Household platforms
  (`established` in the alias table) are never emerging; an unknown name that as many items
  call a game or a device ("Palworld players", "the Vision Pro headset") does not fire.
- **surge**: a known platform that is not new, unusually in the news: the day statistic of
  score.py with the stricter `surge_fire_score` and `surge_min_count`.

Any other rise is dropped with its reason: an established name that is not a known platform
(GitHub, JavaScript, a ticker), a name without platform evidence, too little history to tell
new from familiar, or the cooldown of a rise that already fired. Pure: time is passed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from radar.trends.model import EMERGING, SURGE, TrendSignal
from radar.trends.score import Evaluation, Series, TrendConfig, evaluate, rearmed
from radar.trends.terms import Platform

# The kind of a source nobody classified: news and link aggregators.
NEWS = "news"


@dataclass(frozen=True, slots=True)
class Velocity:
    """The items first seen in the last `velocity_hours`, and who saw them."""

    items: int
    evidenced: int  # items with platform evidence on the window's days
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    days: int  # UTC days of the window with items
    countered: int = 0  # items saying it is a game or a device


@dataclass(frozen=True, slots=True)
class Novelty:
    """Whether the term was absent or rare over the watched look-back."""

    new: bool
    prior_days: int  # days with mentions in the look-back
    watched_days: int
    reason: str


@dataclass(frozen=True, slots=True)
class Judgement:
    """One term at one time: the kind of rise, whether it fires, and why not."""

    term: str
    kind: str | None  # EMERGING, SURGE, or None (not a platform rise)
    fire: bool
    reason: str  # "" when it fires
    evaluation: Evaluation  # the day statistic (score.py)
    velocity: Velocity
    novelty: Novelty | None = None  # None when the term was too quiet to look it up

    @property
    def rising(self) -> bool:
        """Whether it rose enough to be judged (fired, or dropped for a reason worth logging)."""
        return self.novelty is not None


def velocity(
    series: Series, now: datetime, config: TrendConfig, kinds: Mapping[str, str]
) -> Velocity:
    """Items of `series` first seen in the `velocity_hours` up to `now` (hour buckets).

    An item counted in hour h of day d was seen between h:00 and h:59; it is in the window when
    that hour overlaps it. Counts stored without hours (older data) fall in hour 0.
    """
    # Hours on one integer scale (day ordinal * 24 + hour): this runs for every active term.
    now_h = _hours(now)
    start_h = now_h - config.velocity_hours
    first_day = date.fromordinal(int(start_h // 24))
    items = evidenced = countered = 0
    sources: set[str] = set()
    days: set[date] = set()
    today = now.date()
    for (day, source), n in series.counts.items():
        if day < first_day or day > today:
            continue
        base = day.toordinal() * 24
        hours = series.hours.get((day, source)) or (0,) * n
        inside = sum(1 for h in hours if base + h + 1 > start_h and base + h <= now_h)
        if inside:
            items += inside
            evidenced += min(inside, series.evidenced.get((day, source), 0))
            countered += min(inside, series.countered.get((day, source), 0))
            sources.add(source)
            days.add(day)
    return Velocity(
        items=items,
        evidenced=evidenced,
        sources=tuple(sorted(sources)),
        kinds=tuple(sorted({kinds.get(s, NEWS) for s in sources})),
        days=len(days),
        countered=countered,
    )


def _hours(when: datetime) -> float:
    utc = when.astimezone(UTC)
    return utc.toordinal() * 24 + utc.hour + utc.minute / 60 + utc.second / 3600


def novelty(
    history: Iterable[date], today: date, watch_start: date | None, config: TrendConfig
) -> Novelty:
    """Absent or rare for months: days with mentions in [today - novelty_days, today -
    quiet_days), against the days Radar watched in that span (from `watch_start`)."""
    end = today - timedelta(days=config.quiet_days)
    start = today - timedelta(days=config.novelty_days)
    if watch_start is not None:
        start = max(start, watch_start)
    watched = max(0, (end - start).days)
    if watch_start is None or watched < config.min_watch_days:
        reason = f"history too short to tell new ({watched} of {config.min_watch_days} days)"
        return Novelty(False, 0, watched, reason)
    prior = sum(1 for d in set(history) if start <= d < end)
    if prior > config.rare_fraction * watched:
        return Novelty(False, prior, watched, f"familiar: mentioned on {prior} of {watched} days")
    return Novelty(True, prior, watched, "")


def quiet(ev: Evaluation, vel: Velocity, config: TrendConfig) -> bool:
    """Too little movement to be a rise of either kind (no history lookup needed)."""
    agreeing = len(vel.kinds) >= 2 and vel.items >= config.emerging_min_items_agreeing
    return vel.items < config.emerging_min_items and not agreeing and not ev.emerging


def judge(
    series: Series,
    now: datetime,
    config: TrendConfig,
    *,
    history: Iterable[date] | None,
    watch_start: date | None,
    platform: Platform | None,
    last: TrendSignal | None,
    kinds: Mapping[str, str],
    evaluation: Evaluation | None = None,
    speed: Velocity | None = None,
) -> Judgement:
    """The kind of rise `series` is in at `now` and whether it fires (module docstring).

    `history`: the days the term was mentioned (long-run, compact); None when the caller
    skipped the lookup because `quiet` said so. `evaluation` and `speed`: the day statistic
    and velocity when the caller already computed them (for `quiet`).
    """
    day = now.date()
    ev = evaluation or evaluate(series, day, config)
    vel = speed or velocity(series, now, config, kinds)
    if history is None:
        return Judgement(series.term, None, False, ev.reason or "quiet", ev, vel)
    nov = novelty(history, day, watch_start, config)
    if platform is not None and (platform.established or not nov.new):
        surge = replace(
            config,
            fire_score=max(config.fire_score, config.surge_fire_score),
            min_count=max(config.min_count, config.surge_min_count),
            min_lift=max(config.min_lift, config.surge_min_lift),
        )
        ev = evaluate(series, day, surge)
        why = "established platform" if platform.established else nov.reason
        if not ev.emerging:
            return Judgement(series.term, SURGE, False, f"surge: {ev.reason} ({why})", ev, vel, nov)
        return _cooled(Judgement(series.term, SURGE, True, "", ev, vel, nov), series, last, config)
    if not nov.new:
        reason = f"not a known platform and not new ({nov.reason})"
        return Judgement(series.term, None, False, reason, ev, vel, nov)
    if vel.evidenced == 0:
        reason = f"no platform evidence in its {vel.items} item(s) (a general term?)"
        return Judgement(series.term, EMERGING, False, reason, ev, vel, nov)
    if platform is None and vel.countered >= vel.evidenced:
        reason = f"{vel.countered} item(s) say it is a game or a device, {vel.evidenced} a platform"
        return Judgement(series.term, EMERGING, False, reason, ev, vel, nov)
    agreeing = len(vel.kinds) >= 2 and vel.items >= config.emerging_min_items_agreeing
    if vel.items < config.emerging_min_items and not agreeing:
        reason = (
            f"{vel.items} item(s) in {config.velocity_hours} h < {config.emerging_min_items}"
            f" (or {config.emerging_min_items_agreeing} from two kinds of source)"
        )
        return Judgement(series.term, EMERGING, False, reason, ev, vel, nov)
    return _cooled(Judgement(series.term, EMERGING, True, "", ev, vel, nov), series, last, config)


def _cooled(
    j: Judgement, series: Series, last: TrendSignal | None, config: TrendConfig
) -> Judgement:
    if rearmed(series, last, j.evaluation.day, config):
        return j
    assert last is not None
    reason = f"cooldown: rise {last.rise} ({last.kind}) fired on {last.day}"
    return replace(j, fire=False, reason=reason)


def velocity_score(j: Judgement, config: TrendConfig) -> float:
    """How far the window's items are above what the term's baseline predicts for that many
    hours, in units of its noise (the score an emerging signal records)."""
    expected = j.evaluation.expected / config.recent_days * config.velocity_hours / 24
    return (j.velocity.items - expected) / math.sqrt(max(expected, 0.0) + config.prior_variance)


def signal_of(
    j: Judgement, now: datetime, config: TrendConfig, display: str, last: TrendSignal | None
) -> TrendSignal:
    """The signal a firing judgement records."""
    rise = (last.rise + 1) if last else 1
    if j.kind == EMERGING:
        return TrendSignal(
            term=j.term,
            display=display,
            rise=rise,
            day=now.date(),
            fired_at=now,
            score=round(velocity_score(j, config), 3),
            count=j.velocity.items,
            expected=round(j.evaluation.expected / config.recent_days, 3),
            sources=j.velocity.sources,
            days=j.velocity.days,
            kind=EMERGING,
        )
    ev = j.evaluation
    return TrendSignal(
        term=j.term,
        display=display,
        rise=rise,
        day=now.date(),
        fired_at=now,
        score=round(ev.score, 3),
        count=ev.count,
        expected=round(ev.expected, 3),
        sources=ev.sources,
        days=ev.days,
        kind=SURGE,
    )
