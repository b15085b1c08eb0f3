"""When a case-insensitive pattern of ASCII letters can be run on a text's lowercase instead.

`re.IGNORECASE` costs: a pattern that starts with a few words tried at every position runs
several times slower than the same pattern, case-sensitive, on the lowercased text. The two agree
for every character but three: "İ" lowercases to two characters (positions shift), and "ı" and
"ſ" match "i" and "s" ignoring case yet lowercase to themselves. (Checked for every code point by
tests/unit/test_classify_lowercase.py.)
"""

from __future__ import annotations

import re

_UNLIKE = re.compile("[İıſ]")


def lowers_plainly(text: str) -> bool:
    """Whether a pattern of lowercase ASCII letters, digits, `\\s`, `\\d` and punctuation matches
    `text`'s lowercase where, and only where, the same pattern with IGNORECASE matches `text`
    (same positions): true unless `text` holds one of the characters where the two differ."""
    # An ASCII text holds none of them: a flag of the string, no scan.
    return text.isascii() or _UNLIKE.search(text) is None


def plain_lowercase(text: str) -> str | None:
    """`text` lowercased when it `lowers_plainly`, else None."""
    return text.lower() if lowers_plainly(text) else None
