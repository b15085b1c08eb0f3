"""radar.classify.lowercase: where a case-insensitive ASCII pattern may run on a lowercase text."""

from __future__ import annotations

import re
import string
import sys

from radar.classify.lowercase import lowers_plainly, plain_lowercase

# One group per ASCII letter: which letter (if any) a character matches, ignoring case.
_LETTER = re.compile("|".join(f"(?P<{c}>{c})" for c in string.ascii_lowercase), re.IGNORECASE)


def test_lowercase_matches_as_ignoring_case_for_every_character_but_three() -> None:
    unlike = []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        low = ch.lower()
        found = _LETTER.fullmatch(ch)
        letter = found.lastgroup if found else None
        # Same length, and an ASCII letter matches it ignoring case exactly when it is its
        # lowercase; nothing but a letter lowercases to a letter, digit, space or punctuation.
        plain = len(low) == 1 and letter == (low if low in string.ascii_lowercase else None)
        if low in string.printable and low not in string.ascii_lowercase:
            plain = plain and low == ch
        if not plain:
            unlike.append(ch)
    assert unlike == ["İ", "ı", "ſ"]
    assert all(not lowers_plainly(f"a{ch}b") for ch in unlike)


def test_plain_lowercase_is_the_lowercase_or_none() -> None:
    assert plain_lowercase("Deprecated ON March 5") == "deprecated on march 5"
    assert plain_lowercase("Dıscontinued") is None
    assert plain_lowercase("İstanbul") is None
