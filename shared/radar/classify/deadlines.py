"""Deadlines: the earliest future date a forward-looking sentence asks readers to act by."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from itertools import chain

from radar.classify.lowercase import plain_lowercase
from radar.classify.rules import Rules

_MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Each form is linear: fixed alternations and single bounded quantifiers only.
_DATE_FORMS = (
    re.compile(rf"\b{_MONTH}\s{{1,3}}{_DAY}\b(?:,?\s{{1,3}}{_YEAR}\b)?", re.IGNORECASE),
    re.compile(
        rf"\b{_DAY}\s{{1,3}}(?:of\s{{1,3}})?{_MONTH}(?:,?\s{{1,3}}{_YEAR}\b)?", re.IGNORECASE
    ),
    re.compile(r"\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b"),
    re.compile(r"\b(?:end\s{1,3}of\s{1,3})?Q(?P<q>[1-4])\s{1,3}(?P<qy>\d{4})\b", re.IGNORECASE),
)
_RELATIVE = re.compile(
    r"\b(?:in|within|after)\s{1,3}(?P<n>\d{1,3})\s{1,3}(?P<unit>day|week|month)s?\b"
    r"|\b(?P<n2>\d{1,3})[- ](?P<unit2>day|week|month)\s{1,3}"
    r"(?:deprecation|grace|notice|migration|transition)\s{1,3}(?:period|cycle|window)\b",
    re.IGNORECASE,
)
# Where a date form may be: a word that starts like a month before white space and a digit (a
# month and its day), or a digit before a month or a unit ("15 March", "90 days"), in an ISO date
# or after a quarter. A superset of the forms' matches, so a sentence without one of these spots
# holds no date and is not read; most entries have none. Run on the lowercased text (see
# lowercase.py), case-insensitively on the text itself when that would differ.
_MONTH_START = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_MONTH_DAY = rf"{_MONTH_START}[a-z]*\.?\s{{1,3}}\d"  # the spot: its digit
_AFTER_DIGIT_SPOT = (  # the spot: the digit before this, alone
    rf"(?:(?=(?:st|nd|rd|th)?[\s-]{{1,3}}(?:of\s{{1,3}})?(?:{_MONTH_START}|day|week|month))"
    r"|(?=\d{3}-\d\d-\d\d)|(?<=q\d)(?=\s{1,3}\d{4}))"
)
_DIGIT_SPOT = rf"\d{_AFTER_DIGIT_SPOT}"
# A digit after a word and white space, as a month's day is: most texts have none. In a
# lowercased text, month days are found from these digits by looking back at their word
# (`_spots`): a search for month names starts at letters, most of a text, digits are few.
_AFTER_DAY = r"(?:(?<=[a-z.]\s\d)|(?<=[a-z.]\s\s\d)|(?<=[a-z.]\s\s\s\d))"
_DAY_AFTER_WORD = rf"\d{_AFTER_DAY}"
# Both in one scan: a digit spot, or else (`day`) a digit after a word, whose word is looked at.
# The digit first, outside the alternation: a pattern that opens with one skips to digits.
_SPOTS = re.compile(rf"\d(?:{_AFTER_DIGIT_SPOT}|(?P<day>{_AFTER_DAY}))")
_MONTH_NAME = re.compile(_MONTH_START)
_SPOTS_ANY_CASE = tuple(
    re.compile(form, re.IGNORECASE) for form in (_MONTH_DAY, _DIGIT_SPOT, _DAY_AFTER_WORD)
)
# `(?=\s)` first: the split fails fast everywhere but at white space.
_SENTENCE_END = re.compile(r"(?=\s)(?:(?<=[.!?;])\s+|\n+)")
_DIGIT = re.compile(r"\d")


def find_deadline(
    text: str, on: date, rules: Rules, *, relative: bool = True
) -> tuple[date | None, str]:
    """The earliest future date in a forward-looking sentence of `text`, and that sentence.

    `on` is the change's own date: dates without a year are the next such date on or after it,
    relative periods ("in 90 days") count from it, and dates before it are history, not deadlines.
    With `relative` false (the entry has no date of its own) only dates with a year count.
    """
    best: tuple[date, str] | None = None
    for sentence in _dated_sentences(text):
        if not rules.any_deadline_cue.search(sentence):
            continue
        if rules.any_deadline_exclude.search(sentence):
            continue
        for found in _dates_in(sentence, on, relative):
            if found >= on and (best is None or found < best[0]):
                best = (found, sentence.strip())
    return (best[0], best[1]) if best else (None, "")


def _dated_sentences(text: str) -> Iterator[str]:
    """The sentences of `text` (split as `_SENTENCE_END` splits) that hold a date spot, in
    order. Most entries have none (a version or a pull request number is no date): one search
    settles them, and a long entry's other sentences are never read."""
    low = plain_lowercase(text)
    if low is None:
        month_day, digit_spot, day_after_word = _SPOTS_ANY_CASE
        found = {m.start() for m in digit_spot.finditer(text)}
        if day_after_word.search(text):
            found.update(m.end() - 1 for m in month_day.finditer(text))
    else:
        found = set(_spots(low))
    if not found:
        return
    spots = sorted(found)
    start, i = 0, 0
    # Sentence ends are found as far as the last spot's sentence, not to the end of the text.
    ends = chain(((m.start(), m.end()) for m in _SENTENCE_END.finditer(text)), ((len(text), 0),))
    for end, after in ends:
        while spots[i] < start:
            i += 1
            if i == len(spots):
                return
        if spots[i] < end:
            yield text[start:end]
        start = after


def _spots(low: str) -> Iterator[int]:
    """Where date spots are in a lowercased text. `_MONTH_DAY` spots are found from the digits
    instead of the letters (digits after a word are few, letters are most of a text): a digit
    after one to three white spaces whose word, before an optional ".", holds a month's first
    letters."""
    for m in _SPOTS.finditer(low):
        digit = m.start()
        if m.lastgroup is None:  # a digit spot
            yield digit
            continue
        end = digit - 1
        while low[end].isspace():  # `_DAY_AFTER_WORD` saw 1 to 3, then a letter or a "."
            end -= 1
        if low[end] == ".":
            end -= 1
        start = end
        while start >= 0 and "a" <= low[start] <= "z":
            start -= 1
        if _MONTH_NAME.search(low, start + 1, end + 1):
            yield digit


def _dates_in(sentence: str, on: date, relative: bool) -> Iterator[date]:
    for form in _DATE_FORMS:
        for m in form.finditer(sentence):
            groups = m.groupdict()
            if not relative and not (groups.get("year") or groups.get("iy") or groups.get("qy")):
                continue
            found = _to_date(groups, on)
            if found is not None:
                yield found
    if not relative:
        return
    for m in _RELATIVE.finditer(sentence):
        n = int(m.group("n") or m.group("n2"))
        unit = (m.group("unit") or m.group("unit2")).lower()
        yield _add(on, n, unit)


def _to_date(g: Mapping[str, str | None], on: date) -> date | None:
    try:
        if g.get("iy"):
            return date(int(g["iy"] or 0), int(g["im"] or 0), int(g["id"] or 0))
        if g.get("q"):
            q, year = int(g["q"] or 0), int(g["qy"] or 0)
            last = q * 3
            return date(year, last, calendar.monthrange(year, last)[1])
        month_name = (g.get("month") or "").lower().rstrip(".")
        month = _MONTHS.get(month_name) or _MONTHS.get(month_name[:3])
        if month is None:
            return None
        day = int(g.get("day") or 0)
        if g.get("year"):
            return date(int(g["year"] or 0), month, day)
        candidate = date(on.year, month, day)
        return candidate if candidate >= on else date(on.year + 1, month, day)
    except ValueError:
        return None  # "February 30" and other impossible dates


def _add(on: date, n: int, unit: str) -> date:
    if unit == "day":
        return on + timedelta(days=n)
    if unit == "week":
        return on + timedelta(weeks=n)
    month0 = on.month - 1 + n
    year, month = on.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def mentions_date(text: str) -> bool:
    """`text` names a date or a relative period."""
    if not _DIGIT.search(text):
        return False
    return any(form.search(text) for form in _DATE_FORMS) or bool(_RELATIVE.search(text))
