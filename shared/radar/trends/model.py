"""Data of the trends feature: mentions in, daily counts out, signals when a term rises.

Frozen dataclasses, like `radar.model`; datetimes are timezone-aware UTC and days are UTC days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Link:
    """A link that mentions a term (shown in alerts)."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One trend item mentioning a term. `key` identifies the item within its source."""

    key: str
    link: Link | None = None
    # Whether the item shows that the term is a platform (alias table, the platform's own
    # domain, app/network context, an app-chart source): see radar.trends.evidence.
    evidence: bool = True
    # Whether the item says the term is a game or a device ("Palworld players"): it is not.
    countered: bool = False


@dataclass(frozen=True, slots=True)
class TermCount:
    """The items of one source that mention one term on one day (what the store adds up).

    Stores keep the set of item keys, so adding the same items again changes nothing: the
    count is the number of distinct items, however often a feed repeats them. A count without
    mentions only says the term was seen that day (its long-run history): a source's backlog,
    the items of its first run, is history, not news.
    """

    term: str
    day: date
    source: str
    mentions: tuple[Mention, ...]
    hour: int | None = None  # UTC hour of the run that saw them first (hourly velocity)


@dataclass(frozen=True, slots=True)
class DailyCount:
    """What the store gives back: distinct items per term, day and source, with some links."""

    term: str
    day: date
    source: str
    count: int
    links: tuple[Link, ...] = ()
    evidenced: int = 0  # of `count`, the items with platform evidence
    countered: int = 0  # of `count`, the items saying it is a game or a device
    hours: tuple[int, ...] = ()  # first-seen UTC hour of each item, sorted (may be empty)


@dataclass(frozen=True, slots=True)
class TrendSignal:
    """One rise of one term: stored when it fires, and the state its cooldown reads.

    `rise` counts the rises of this term (1 for the first); a store writes a signal only if
    the stored one still has `rise - 1`, so one rise alerts once.
    """

    term: str
    display: str
    rise: int
    day: date
    fired_at: datetime
    score: float
    count: int  # distinct items in the recent window
    expected: float  # what the baseline predicted for the window
    sources: tuple[str, ...]
    days: int  # days of the recent window with mentions
    kind: str = "emerging"  # EMERGING (a new name) or SURGE (an established platform)


EMERGING = "emerging"
SURGE = "surge"
