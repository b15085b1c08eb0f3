"""Dates as pages write them: in headings, labels and prose, in six languages, to the day or
the month.

A heading date must be the whole heading (`date_alone`): a fuzzy parser such as dateutil's
reads "Version 8" as the 8th of this month. Pure functions: no clock, no environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from radar.text import normalize_text

# Month names in the languages changelogs are most often written in (English first).
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "janv",
        "januar",
        "jän",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
    ),
    2: (
        "february",
        "feb",
        "février",
        "fevrier",
        "févr",
        "fév",
        "februar",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
    ),
    3: ("march", "mar", "mars", "märz", "marz", "mär", "marzo", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag"),
    6: ("june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre"),
    10: (
        "october",
        "oct",
        "octobre",
        "oktober",
        "okt",
        "octubre",
        "outubro",
        "out",
        "ottobre",
        "ott",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
    ),
}
# Month names and abbreviations (several languages) -> month number, and a pattern of them
# (longest first), shared with the MDX label parser.
MONTH_NUMBERS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
MONTH_PATTERN = "|".join(sorted((re.escape(n) for n in MONTH_NUMBERS), key=len, reverse=True))


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex for exactly `words`, shaped as a trie ("aug(?:ust)?" for "aug" and "august").

    It matches as MONTH_PATTERN's longest-first alternation does: the words that fit at one
    place are prefixes of each other, and both forms try them longest first. But `re` tries
    an alternation's branches one by one at every position of the text, where a trie fails
    on the first letter that no word has.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_MONTH_TRIE = _trie_pattern(MONTH_NUMBERS)
_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag)\.?,?\s+"
)
_ORD = r"(?:st|nd|rd|th|er|º|°|\.)?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "iso",
        re.compile(
            # The day is optional: "2025-03" alone is a `Month` (see `_iso_month`).
            r"(?<![\w.])(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
            r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
            r"\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?)?)?(?![\w.]\d)",
            re.IGNORECASE,
        ),
    ),
    ("slash", re.compile(r"(?<![\w./])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\w/])")),
    (
        "mdy",
        re.compile(
            # The day is optional: a month alone ("March 2025", "marzo de 2025") is a `Month`.
            rf"(?<!\w)(?:{_WEEKDAY})?(?P<mon>{_MONTH_TRIE})\.?(?:\s+(?P<d>\d{{1,2}}){_ORD})?,?\s+"
            r"(?:de\s+)?(?P<y>\d{4})(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?<![\w.])(?:{_WEEKDAY})?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?"
            rf"(?P<mon>{_MONTH_TRIE})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "ym",
        re.compile(
            # A month year first ("2022 September", DocFX's "What's new" pages): only as the
            # end of a phrase, so "2024 may break" or "2024 set a record" is no date.
            rf"(?<![\w.])(?P<y>\d{{4}})\s+(?P<mon>{_MONTH_TRIE})\.?(?!\s*\w)",
            re.IGNORECASE,
        ),
    ),
)
_YEAR = re.compile(r"\d{4}")
_SEPARATOR = {"iso": "-", "slash": "/"}
_NAMED_MONTH = ("mdy", "dmy", "ym")
# What may surround a date in a line that is "just a date": labels and punctuation.
_DATE_LABEL = re.compile(
    r"^(?:(?:released?|published|posted|updated|last|shipped|date|on)\s*)*:?\s*$", re.IGNORECASE
)


class Month(date):
    """A date that names only its month ("March 2025"): the month's first day, standing for any
    day of it. Code that needs no more than a date reads it as the first; keys write it as
    the month (`date_key`) and items carry it as `Item.month_only`. Python keeps the class
    through arithmetic and `replace`: compute with `date(m.year, m.month, 1)`, not with it."""

    __slots__ = ()


def date_key(value: date | datetime) -> str:
    """The day as an entry key writes it ("2025-03-14"), or the month for a `Month` ("2025-03")."""
    if value.__class__ is date:  # most keys: a plain day, told by one test
        return value.isoformat()
    day = value.date() if isinstance(value, datetime) else value
    return day.isoformat()[:7] if isinstance(day, Month) else day.isoformat()


def find_date(s: str) -> tuple[date | datetime, int, int] | None:
    """The first date in `s` and its span (in `normalize_text(s)`), or None.

    Recognises ISO dates and datetimes, 2026/11/12, "Nov 12, 2026", "12 November 2026",
    "13th of August 2024", with month names in English, French, German, Spanish, Portuguese and
    Italian; a month alone ("March 2025", "2025-03", "2025 March") is a `Month`. Version
    numbers ("v25.0.3"), bare numbers and years are never dates.
    """
    text = normalize_text(s)
    if not _YEAR.search(text):
        return None  # every format below has a four-digit year
    value = plain_date(text)
    if value is not None:
        return value, 0, len(text)
    months = _may_name_a_month(text)
    best: tuple[date | datetime, int, int] | None = None
    for name, pattern in _DATE_PATTERNS:
        if not months and name in _NAMED_MONTH:
            continue
        if _SEPARATOR.get(name, "") not in text:
            continue  # 2024-05-01 needs a "-", 2024/05/01 a "/"
        for match in pattern.finditer(text):
            value = _date_from_match(name, match)
            if value is not None:
                if best is None or match.start() < best[1]:
                    best = (value, match.start(), match.end())
                break
        if best is not None and best[1] == 0:
            break  # no other format can start earlier (a heading that is just a date)
    return best


# Most dated headings are just "2024-05-01" or "August 13, 2024": read directly, they give what
# the patterns below give (a match of the whole text, which nothing can start before).
_PLAIN_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")


def plain_date(text: str) -> date | None:
    """The date a normal text is when it is nothing but "2024-05-01" or "August 13, 2024"
    (`find_date` gives it as a match of the whole text), else None."""
    m = _PLAIN_DATE.fullmatch(text)
    if m is None:
        return None
    try:
        if m[1] is not None:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        else:
            year, month, day = int(m[6]), MONTH_NUMBERS[m[4].lower()], int(m[5])
        return date(year, month, day) if 1970 <= year <= 2200 else None
    except (KeyError, ValueError):
        return None


# A CalVer version that is a day: "v20240413" (Firefish's API changelog), "2021.01.07" (yt-dlp),
# maybe with a build number ("20240413.1", "2021.01.07-1") or after "Version"/"Release". No
# date pattern above reads one: eight digits have no separator, and a dotted day is a version.
# Both separators are the same (`\2`), and a dotted day has two-digit month and day: "2024.4.3"
# is as often year.minor.patch (Home Assistant, Misskey) as a day.
_DAY_VERSION = re.compile(
    r"(?:(?:version|release)\s+)?v?(\d{4})(\.?)(\d\d)\2(\d\d)(?:[.-]\d{1,3})?",
    re.IGNORECASE | re.ASCII,
)


def version_date(text: str) -> date | None:
    """The day a heading that is only a CalVer version names ("v20240413", "2021.01.07-1",
    "Version 2021.01.07" -> that day), when the digits are a real day of 2000-2100; None for
    other numbers (a build number 10000000, "1.2.3", a month-less "2024.1")."""
    if not 8 <= len(text) <= 24 or not text[-1].isdigit():
        return None  # most headings are done here
    m = _DAY_VERSION.fullmatch(text)
    if m is None or not 2000 <= int(m[1]) <= 2100:
        return None
    try:
        return date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None  # "20241399"


# The month-name patterns are most of find_date's time (a large alternation tried at every
# position); in them a month name is always a whole word. ASCII text with no such word (most
# headings: "2024-05-01 Release 7", "Section 12") skips them. Other text is always scanned:
# case folding outside ASCII differs between `re` and str.lower.
_ASCII_MONTH = re.compile(
    rf"(?<![A-Za-z])(?:{_trie_pattern(n for n in MONTH_NUMBERS if n.isascii())})(?![A-Za-z])",
    re.IGNORECASE | re.ASCII,
)


def _may_name_a_month(text: str) -> bool:
    if not text.isascii():
        return True
    return _ASCII_MONTH.search(text) is not None  # a run of ASCII letters that is a month


def parse_date(s: str) -> date | datetime | None:
    """`s` as a date (or an aware datetime), when `s` is essentially just a date.

    A label ("Released:") and surrounding punctuation are allowed; other words are not, so
    "Version 8" and "v25.0.3" are not dates. Naive datetimes are taken as UTC.
    """
    return date_alone(s, find_date(s))


def date_alone(s: str, found: tuple[date | datetime, int, int] | None) -> date | datetime | None:
    """`parse_date(s)` given `find_date(s)`, for callers that need both of one text."""
    if found is None:
        return None
    value, start, end = found
    text = normalize_text(s)
    if start == 0 and end == len(text):
        return value  # the whole text is the date (most dated headings)
    before = text[:start].strip(" ,;-()[]*_")
    after = text[end:].strip(" .,;:-()[]*_")
    if after or not _DATE_LABEL.match(before):
        return None
    return value


def as_datetime(value: date | datetime | None) -> datetime | None:
    """A timezone-aware datetime (midnight UTC for a date, UTC for a naive datetime)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _date_from_match(kind: str, m: re.Match[str]) -> date | datetime | None:
    try:
        year = int(m["y"])
        month = MONTH_NUMBERS[m["mon"].casefold()] if kind in _NAMED_MONTH else int(m["m"])
        if not 1970 <= year <= 2200:
            return None
        if m.groupdict().get("d") is None:  # ("ym" has no day)
            return _iso_month(year, month, m) if kind == "iso" else Month(year, month, 1)
        day = int(m["d"])
        if kind == "iso" and m["time"]:
            return _iso_datetime(year, month, day, m["time"], m["tz"])
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


# What may not follow "2025-03" for it to be a month: more of a token ("2025-03-beta"), or a
# number ("2025-03.5", "2025-03:30", "2025-03/01").
_AFTER_ISO_MONTH = re.compile(r"[\w-]|[.:/]\d")


def _iso_month(year: int, month: int, m: re.Match[str]) -> Month | None:
    """ "2025-03" as a month, unless it is part of a longer token ("1.2.0-2025-03")."""
    start, end = m.start(), m.end()
    if len(m["m"]) != 2 or m.string[start - 1 : start] == "-":
        return None
    return None if _AFTER_ISO_MONTH.match(m.string, end) else Month(year, month, 1)


def _iso_datetime(year: int, month: int, day: int, clock: str, tz: str | None) -> datetime:
    hms = clock.split(":")
    seconds = float(hms[2]) if len(hms) > 2 else 0.0
    value = datetime(year, month, day, int(hms[0]), int(hms[1]), int(seconds), tzinfo=UTC)
    if tz and tz.upper() not in ("Z", "UTC"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        value = value.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)
    return value


# A numeric date: "15/01/2025", "15.01.2025", "01-15-2025". Which number is the day, only the
# page can tell (`numeric_dates`).
_NUMERIC = re.compile(r"\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4})\s*")


def numeric_dates(texts: Iterable[str]) -> dict[str, date]:
    """The texts of a page (its headings) that are each one numeric date, read in the order the
    page itself shows: day first when a date has dots ("15.01.2025") or a first number above
    12 ("15/01/2025"), month first when a second number is above 12 ("01/15/2025"). A page that
    shows neither, or both, gets no numeric dates: a guessed date would be wrong half the time.
    """
    found = {t: m for t in texts if (m := _NUMERIC.fullmatch(t)) is not None}
    day_first = any(m[2] == "." or int(m[1]) > 12 for m in found.values())
    month_first = any(m[2] != "." and int(m[3]) > 12 for m in found.values())
    if day_first == month_first:
        return {}
    out: dict[str, date] = {}
    for text, m in found.items():
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        day, month = (first, second) if day_first else (second, first)
        try:
            if 1970 <= year <= 2200:
                out[text] = date(year, month, day)
        except ValueError:
            continue  # "31/02/2025": no such day
    return out
