"""The shortcuts in radar.text that keep a page of 50,000 headings under 2 s (issue 13, item 8)
give exactly what the full computations give: slugify's ASCII path, and find_date skipping
the month-name patterns when ASCII text names no month."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from radar import text as T
from radar.text import find_date, normalize_text, slugify

WORDS = (
    *("2024-05-01", "2024/05/01", "12", "3rd", "of", "de", "Released:", "v1.2.3", "2024"),
    *("March", "mar", "MAY", "Sept.", "sept", "June", "jun", "august", "Aug", "out", "set"),
    *("Monday,", "tues", "Release", "notes", "Section", "marchx", "xmay", "_may", "9may"),
    *("März", "février", "août", "déc", "İ", "ǅ", "\u00a0", "—", "12th", "1999", "2200"),
)
texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join)


def _slugify_reference(s: str, max_length: int = T.MAX_SLUG) -> str:
    # slugify before the ASCII shortcut.
    s = unicodedata.normalize("NFKD", normalize_text(s))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    slug = re.sub(r"[^\w]+", "-", s).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def _find_date_reference(s: str) -> tuple[date | datetime, int, int] | None:
    # find_date before the month shortcut: every pattern on every text.
    text = normalize_text(s)
    best: tuple[date | datetime, int, int] | None = None
    for name, pattern in T._DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = T._date_from_match(name, match)
            if value is not None:
                if best is None or match.start() < best[1]:
                    best = (value, match.start(), match.end())
                break
    return best


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_text_slugify_shortcut_is_exact(text: str) -> None:
    assert slugify(text) == _slugify_reference(text)


@settings(max_examples=1000, deadline=None)
@given(text=texts)
def test_text_find_date_shortcut_is_exact(text: str) -> None:
    assert find_date(text) == _find_date_reference(text)


def test_text_find_date_still_reads_month_names() -> None:
    assert find_date("Released March 5, 2024") is not None
    assert find_date("5 mai 2024") is not None
    assert find_date("Tuesday, 13th of August 2024") is not None
    assert find_date("2024-05-01 Release 7") == (date(2024, 5, 1), 0, 10)
