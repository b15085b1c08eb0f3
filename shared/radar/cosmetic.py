"""Is an edit one a reader would notice? Casing, punctuation, whitespace and typo fixes are not.

Radar keeps such edits in an entry's history (kind COSMETIC) but never announces them. The rule
is structural, not a word list, and matches how the corpus truth grades edits:

- equal after normalising (casefold, URLs dropped, punctuation and whitespace ignored, a word
  split or joined such as "Webviews" / "Web views"): formatting;
- at most `MAX_TYPO_WORDS` words changed, each within two character edits of the word it
  replaces, or a doubled word or an article added or dropped: a typo.

A changed number is never cosmetic ("30 days" -> "60 days" is news), nor is a changed date.
"""

from __future__ import annotations

import difflib
import hashlib
import re

from radar.text import within_edits

MAX_TYPO_WORDS = 3
MAX_CHAR_EDITS = 2
_ARTICLES = frozenset({"a", "an", "the"})
# Run on casefolded text only (`_words`), so without IGNORECASE: case-blind, `re` tried the
# pattern at every character; case-sensitive, it skips to the h's and w's (3x faster). The
# same matches: casefolded text has no capitals, and no long s standing for an "s".
_URL = re.compile(r"(?:https?://|www\.)\S+")
# Letters and digits: an underscore is markup (RST references, Markdown emphasis), not a word.
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")


def is_cosmetic(old: str, new: str) -> bool:
    """Whether changing `old` to `new` (an entry's title and text) is formatting or a typo."""
    a, b = _words(old), _words(new)
    if a == b or "".join(a) == "".join(b):
        return True
    changed = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changed += max(i2 - i1, j2 - j1)
        if changed > MAX_TYPO_WORDS:
            return False
        if tag == "replace":
            if not _replaced_by_typos(a[i1:i2], b[j1:j2]):
                return False
        elif not _negligible(a if tag == "delete" else b, i1 if tag == "delete" else j1,
                             i2 if tag == "delete" else j2):  # fmt: skip
            return False
    return True


def label_only(old: str, new: str, labels: tuple[str, ...]) -> bool:
    """Whether `old` became `new` only by dropping or adding whole `labels` (an entry's keys),
    each as one run of words: an entry relabelled, not rewritten."""
    runs = {tuple(_words(label)) for label in labels} - {()}
    a, b = _words(old), _words(new)
    if a == b:
        return False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" or tuple(a[i1:i2] if tag == "delete" else b[j1:j2]) not in runs:
            return False
    return True


def retitled(old_title: str, new_title: str, text: str) -> bool:
    """Whether a title changed only by words the entry's own (unchanged) text holds: retitled
    from its own words (a bare "2.6.0" now followed by its first item), not rewritten."""
    a, b = _words(old_title), _words(new_title)
    if a == b:
        return False
    words = set(_words(text))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal" and not words.issuperset(a[i1:i2] + b[j1:j2]):
            return False
    return True


def shape_digest(text: str) -> str:
    """Digest of `text`'s words only: equal for texts that differ in formatting alone."""
    joined = "".join(_words(text))
    return hashlib.blake2b(joined.encode(), digest_size=12).hexdigest()


def _words(text: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", text.casefold()))


def _replaced_by_typos(old: list[str], new: list[str]) -> bool:
    if "".join(old) == "".join(new):
        return True  # a word split or joined
    if len(old) != len(new):
        return False
    return all(_typo(x, y) for x, y in zip(old, new, strict=True))


def _typo(x: str, y: str) -> bool:
    if (_DIGIT.search(x) or _DIGIT.search(y)) and x != y:
        return False
    return within_edits(x, y, MAX_CHAR_EDITS)


def _negligible(words: list[str], start: int, end: int) -> bool:
    """Words inserted or deleted that change nothing: articles, or a doubled word."""
    for i in range(start, end):
        word = words[i]
        doubled = (i > 0 and words[i - 1] == word) or (i + 1 < len(words) and words[i + 1] == word)
        if word not in _ARTICLES and not doubled:
            return False
    return True
