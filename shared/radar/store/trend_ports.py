"""The trend storage port: term counts per day and source, and the signals of rising terms.

A port of its own, beside `radar.store.ports.Store`, so the watch pipeline's fakes need not
implement it. Two adapters (SQLite locally, DynamoDB on AWS) implement it and one contract
suite (tests/integration/test_trend_store_contract.py) runs against both. Access patterns and
keys: docs/trends.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from radar.trends.model import EMERGING, DailyCount, TermCount, TrendSignal

# Links kept per term, day and source (enough for "top links" in an alert).
MAX_LINKS = 5
MAX_TITLE = 200
MAX_URL = 500


class TrendStore(Protocol):
    def add_counts(self, source: str, day: date, counts: Sequence[TermCount]) -> None:
        """Add what one run of `source` saw on `day`, and remember the source's first day.

        Idempotent per (term, day, source): the store keeps the set of item keys, so adding
        the same items again (the next fetch of the same feed) does not count them twice.
        Every count must have this `source` and `day` (`ValueError` otherwise). Every count's
        term is marked seen on `day` in its long-run history (`term_history`), also a count
        without mentions (a backlog: history, not news).
        """
        ...

    def term_counts(self, term: str, start: date, end: date) -> list[DailyCount]:
        """`DailyCount`s of one term from `start` to `end` (both included), by day and source."""
        ...

    def term_history(self, term: str, start: date, end: date) -> set[date]:
        """Days from `start` to `end` (both included) on which any source mentioned `term`.

        The long-run history that tells a new name from a familiar one: kept compactly (a
        month of days in one row or item) and far longer than the counts.
        """
        ...

    def candidate_terms(self, start: date, end: date) -> set[str]:
        """Terms with at least one mention *with platform evidence* from `start` to `end`.

        Their bare capitalised mentions count from then on ("What is Noplace?"). No Scan.
        """
        ...

    def active_terms(self, start: date, end: date) -> set[str]:
        """Terms with at least one count from `start` to `end` (both included). No Scan."""
        ...

    def source_first_days(self) -> dict[str, date]:
        """For each trend source ever counted, the first day it was counted."""
        ...

    def get_signal(self, term: str) -> TrendSignal | None:
        """The term's latest signal (its last rise), or None if it never fired."""
        ...

    def put_signal(self, signal: TrendSignal) -> bool:
        """Record a new rise, only if the stored signal is still rise `signal.rise - 1`.

        False (nothing written) when another run recorded this rise first: one rise, one alert.
        """
        ...

    def signals_between(self, start: datetime, end: datetime) -> list[TrendSignal]:
        """Signals that fired in [start, end), oldest first. No Scan."""
        ...


def check_counts(source: str, day: date, counts: Sequence[TermCount]) -> None:
    """Both adapters refuse a count of another source or day than the call names."""
    for c in counts:
        if c.source != source or c.day != day:
            raise ValueError(f"count for {c.term!r} is for {c.source}/{c.day}, not {source}/{day}")


def month_days(days: set[date]) -> dict[str, int]:
    """Days grouped by month ("yyyy-mm") as bit masks (bit d-1 for day d): the history rows."""
    out: dict[str, int] = {}
    for d in days:
        key = f"{d.year:04d}-{d.month:02d}"
        out[key] = out.get(key, 0) | (1 << (d.day - 1))
    return out


def days_of_month(month: str, mask: int, start: date, end: date) -> set[date]:
    """The days of a history row's bit mask that fall from `start` to `end`."""
    year, mon = (int(p) for p in month.split("-"))
    out = set()
    for bit in range(31):
        if mask >> bit & 1:
            d = date(year, mon, bit + 1)
            if start <= d <= end:
                out.add(d)
    return out


def signal_to_json(signal: TrendSignal) -> str:
    """The stored form of a signal (the same in both adapters)."""
    return json.dumps(
        {
            "term": signal.term,
            "display": signal.display,
            "rise": signal.rise,
            "day": signal.day.isoformat(),
            "fired_at": signal.fired_at.isoformat(),
            "score": signal.score,
            "count": signal.count,
            "expected": signal.expected,
            "sources": list(signal.sources),
            "days": signal.days,
            "kind": signal.kind,
        },
        ensure_ascii=False,
    )


def signal_from_json(text: str) -> TrendSignal:
    data = json.loads(text)
    return TrendSignal(
        term=data["term"],
        display=data["display"],
        rise=int(data["rise"]),
        day=date.fromisoformat(data["day"]),
        fired_at=datetime.fromisoformat(data["fired_at"]),
        score=float(data["score"]),
        count=int(data["count"]),
        expected=float(data["expected"]),
        sources=tuple(data["sources"]),
        days=int(data["days"]),
        kind=str(data.get("kind", EMERGING)),  # signals stored before issue 12 were emerging
    )
