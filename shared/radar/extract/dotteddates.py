"""Dotted release dates behind a version: day first with a two-digit year, "3.7 (16.04.22)",
"3.6.3 beta (13.04.22)", "3.2.5 (16.11.21) [Windows, macOS]"; and year first in full, "1.37 -
2017.02.24" (mutagen's NEWS), which no other order can be.

Hand-written app changelogs (Telegram Desktop's, many others from Europe and Russia) date a
release the way their writers date a letter: dd.mm.yy, the order dotted numeric dates have in
German, Russian and most of Europe (DIN 1355, GOST). A two-digit year is never ISO's order
either: a writer who puts the year first writes it in full (2022-04-16). So the day-first
reading is the one taken. It is taken only where the text cannot be a version: behind the
heading's own version, standing in brackets or after a separator at the heading's end. And
only on a page whose dates all read as real days this way: one whose number can be no day
or month but is a day in another order ("05.13.22", "98.04.16") says the page writes that
order, and then none is read (a guessed date would be wrong); "31.02.22" is a slip, left out.
(A page writing yy.mm.dd with years up to 31 cannot be told by its numbers: the convention
above is why day first is the reading.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from radar.extract.common import one_match
from radar.versions import search_version

# dd.mm.yy, zero-padded (a version is rarely so: "1.2.30" is not read), or yyyy.mm.dd, standing
# apart from other numbers: not part of a longer dotted run ("1.16.04.22") or a path.
_SHORT_DATE = re.compile(r"(?<![\w./-])(\d\d|\d{4})\.(\d\d)\.(\d\d)(?![\w/-]|\.\d)")
# What may stand before the date: an opening bracket or a separator ("3.7 - 16.04.22").
_BEFORE = re.compile(r"(?:[(\[]|\s[-–—|/:])\s*$")
# What may follow it: its closing bracket, then a bracketed tag ("[Windows, macOS]").
_AFTER = re.compile(r"\s*[)\]]?\s*(?:\[[^\[\]]*\])?\s*")
# POSIX's pivot for a two-digit year (strptime's %y): 69-99 are 1969-1999, 00-68 2000-2068.
_PIVOT = 69


def dotted_dates(texts: Iterable[str]) -> dict[str, tuple[date, int, int]]:
    """The headings among `texts` (a page's undated ones) that end with a dotted date behind
    their version, each with that date and its span in the normal text; none read day first
    when one of them is no real day read so."""
    out: dict[str, tuple[date, int, int]] = {}
    for text in texts:
        found = one_match(_SHORT_DATE, text)
        if found is None:
            continue
        norm, m = found
        before = norm[: m.start()]
        if _AFTER.fullmatch(norm, m.end()) is None or _BEFORE.search(before) is None:
            continue  # in the middle of a heading, or at its start: not the release's date
        if search_version(before) is None:
            continue  # no version named before it: it may be the version itself
        first, second, third = int(m[1]), int(m[2]), int(m[3])
        if len(m[1]) == 4:  # year first, in full: ISO's order with dots
            value = _full_year_day(first, second, third)
            if value is not None:
                out[text] = (value, m.start(), m.end())
            continue
        value = _day(third, second, first)
        if value is None:
            # A number no day or month can be, read in another order that makes a day,
            # says the page writes that order. Short of it, a day no month has is a slip.
            month_first = second > 12 and _day(third, first, second) is not None
            if month_first or (first > 31 and _day(first, second, third) is not None):
                return {}
            continue
        out[text] = (value, m.start(), m.end())
    return out


def _day(short_year: int, month: int, day: int) -> date | None:
    year = short_year + (1900 if short_year >= _PIVOT else 2000)
    try:
        return date(year, month, day)
    except ValueError:
        return None


# The years a release is dated in: a dotted number outside them is no date.
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


def _full_year_day(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
