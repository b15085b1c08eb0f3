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


@dataclass(frozen=True, slots=True)
class TermCount:
    """The items of one source that mention one term on one day (what the store adds up).

    Stores keep the set of item keys, so adding the same items again changes nothing: the
    count is the number of distinct items, however often a feed repeats them.
    """

    term: str
    day: date
    source: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class DailyCount:
    """What the store gives back: distinct items per term, day and source, with some links."""

    term: str
    day: date
    source: str
    count: int
    links: tuple[Link, ...] = ()


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
