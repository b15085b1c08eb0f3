"""Dates in entry labels: parsing, year inference, and the `fetched_at` clamp.

A label's date is the date it names, the end of a range ("Oct 27 - Nov 3"), or a month (day
None, resolved to a `radar.dates.Month`: the one month notion every extractor shares). A label
without a year takes the latest year that is not after `fetched_at` (or, without `fetched_at`,
the year its dated neighbours imply). A date is never later than `fetched_at`, give or take a
time zone (`FUTURE_SLACK`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from radar.dates import MONTH_NUMBERS, MONTH_PATTERN, Month, as_datetime, parse_date
from radar.extract.common import FUTURE_SLACK
from radar.text import normalize_text


class LabelDate(NamedTuple):
    """What a label names: a day, or a month (`day` None); `year` None until it is inferred."""

    year: int | None
    month: int
    day: int | None

    def key(self) -> str:
        parts = ([f"{self.year:04d}"] if self.year else []) + [f"{self.month:02d}"]
        return "-".join(parts + ([f"{self.day:02d}"] if self.day else []))


_LABEL_PREFIX = re.compile(
    r"^(?:(?:week|month)\s+of|released(?:\s+on)?|published|updated|date|on)\s*:?\s*", re.I
)
_RANGE_SEP = re.compile(r"\s+(?:-{1,2}|to|through|thru|until)\s+|\s*--\s*", re.I)
_DAY_SPAN = re.compile(
    r"^(.*?\d{1,2})(?:st|nd|rd|th)?\s*-\s*(\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)$"
)
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+)?"
)
_MONTH_DAY = re.compile(
    rf"^{_WEEKDAY}(?P<mon>{MONTH_PATTERN})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?$",
    re.I,
)
_DAY_MONTH = re.compile(
    rf"^{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<mon>{MONTH_PATTERN})\.?"
    r"(?:,?\s+(?P<y>\d{4}))?$",
    re.I,
)
_MONTH_YEAR = re.compile(rf"^(?P<mon>{MONTH_PATTERN})\.?,?\s*(?P<y>\d{{4}})?$", re.I)
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


@lru_cache(maxsize=4096)
def label_date(label: str) -> LabelDate | None:
    """The date a label stands for: a date, a date without a year, a month, or a range's end."""
    text = _LABEL_PREFIX.sub("", normalize_text(label)).strip(" .,;:()[]*_")
    if not text or len(text) > 60:
        return None
    single = _single_date(text)
    if single is not None:
        return single
    parts = _RANGE_SEP.split(text)
    if len(parts) == 1:
        span = _DAY_SPAN.match(text)  # "Oct 27-31, 2025"
        if span:
            parts = [span.group(1), span.group(2)]
    if len(parts) != 2:
        return None
    end = _single_date(parts[-1])
    if len(parts) == 1:
        return end
    begin = _single_date(parts[0])
    if begin is None:
        return None
    if end is None:  # "Oct 27 - 31": the end borrows the month
        day = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", parts[-1].strip())
        if day is None or begin.day is None:
            return None
        year = int(day.group(2)) if day.group(2) else begin.year
        end = LabelDate(year, begin.month, int(day.group(1)))
    if end.year is None and begin.year is not None:
        end = end._replace(year=begin.year + (1 if end.month < begin.month else 0))
    return end if _valid(end) else None


def _single_date(text: str) -> LabelDate | None:
    text = text.strip(" .,;:()[]*_")
    iso = _ISO_DATE.match(text)
    if iso:
        found = LabelDate(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        return found if 1 <= found.month <= 12 and _valid(found) else None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.match(text)
        if m:
            found = LabelDate(
                int(m["y"]) if m["y"] else None, MONTH_NUMBERS[m["mon"].casefold()], int(m["d"])
            )
            return found if _valid(found) else None
    m = _MONTH_YEAR.match(text)
    if m:
        return LabelDate(int(m["y"]) if m["y"] else None, MONTH_NUMBERS[m["mon"].casefold()], None)
    # The other spellings of a date or a month ("2026/11/12", datetimes, "2025-03").
    full = parse_date(text)
    if full is None:
        return None
    return LabelDate(full.year, full.month, None if isinstance(full, Month) else full.day)


def _valid(d: LabelDate) -> bool:
    if d.year is not None and not 1970 <= d.year <= 2200:
        return False
    if d.day is None:
        return 1 <= d.month <= 12
    try:
        date(d.year or 2000, d.month, d.day)  # 2000 is a leap year: February 29 stays valid
    except ValueError:
        return False
    return True


def _on(year: int, label: LabelDate) -> date | None:
    try:
        if label.day is None:
            return Month(year, label.month, 1)
        return date(year, label.month, label.day)
    except ValueError:
        return None  # February 29 in a common year


def _latest_on_or_before(label: LabelDate, limit: date) -> date | None:
    for year in range(limit.year, limit.year - 8, -1):
        value = _on(year, label)
        if value is not None and value <= limit:
            return value
    return None


def _earliest_on_or_after(label: LabelDate, limit: date) -> date | None:
    for year in range(limit.year, limit.year + 8):
        value = _on(year, label)
        if value is not None and value >= limit:
            return value
    return None


def resolve_dates(labels: list[LabelDate | None], fetched_at: datetime | None) -> list[date | None]:
    """Dates for labels in document order (newest first); year-less ones get their year here."""
    out: list[date | None] = [
        _on(label.year, label) if label and label.year else None for label in labels
    ]
    if fetched_at is not None:
        today = fetched_at.date()
        for i, label in enumerate(labels):
            if label and label.year is None:
                out[i] = _latest_on_or_before(label, today)
        return out
    upper: date | None = None  # the entry above is newer
    for i, label in enumerate(labels):
        if label and label.year is None and upper is not None:
            out[i] = _latest_on_or_before(label, upper)
        upper = out[i] or upper
    lower: date | None = None
    for i in range(len(labels) - 1, -1, -1):
        label = labels[i]
        if label and out[i] is None and label.year is None and lower is not None:
            out[i] = _earliest_on_or_after(label, lower)
        lower = out[i] or lower
    return out


def published_date(
    value: date | None, fetched_at: datetime | None, latest: datetime | None = None
) -> date | None:
    """The entry's date as the page says it, unless it is more than a day after `fetched_at`
    (a day ahead is the page's time zone; more is a plan or a typo: no date). Not pulled back
    to `fetched_at`: the next fetch would read the true date and report a false edit.
    `latest`: `latest_date(fetched_at)`, when the caller has it (one page, many entries)."""
    published = as_datetime(value)
    if published is None or fetched_at is None:
        return value
    limit = latest_date(fetched_at) if latest is None else latest
    assert limit is not None
    return None if published > limit else value


def latest_date(fetched_at: datetime | None) -> datetime | None:
    """The latest moment an entry fetched at `fetched_at` may be dated (`published_date`)."""
    fetched = as_datetime(fetched_at)
    return None if fetched is None else fetched + FUTURE_SLACK
