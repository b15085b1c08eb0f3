"""Which literal keys a text's words hold, found in one pass of an Aho-Corasick automaton.

A key is a word's start ("deprecat") or a whole word ("for "), each standing for the patterns it
is a key of (matcher.py). The text is scanned in a form where every character that is not an
ASCII letter, digit or "_" is a space, with a space at each end, and keys are looked for with a
space before them (and after, for a whole word): a key occurs there exactly where a word of the
text starts with it, or is it. One C pass over the text replaces splitting it into words, a set
of them and a lookup of each, and a key may span words ("now include"); a second pass over the
lead alone tells which keys are in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

import ahocorasick

# Runs of ASCII letters, digits and "_" are the words keys are made of; in a text's UTF-8 bytes
# every other byte becomes a space (a word that holds other letters splits into more words,
# never fewer). Translating bytes costs far less than finding the runs with a regex.
_NOT_WORD = bytes(
    b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789_" else 32 for b in range(256)
)
_VALUE = itemgetter(1)
_NONE: frozenset[int] = frozenset()


def scan_form(low: str) -> str:
    """The form of a lowercased text that keys are found in (see the module's docstring). For
    an ASCII text, a word starts at index i of `low` where one starts at index i + 1 of it."""
    if not low.isascii():
        # The three characters a case-insensitive ASCII pattern matches though their lowercase
        # is no ASCII letter (lowercase.py): "ı" and "ſ" are an "i" and an "s" to such a
        # pattern, and "İ" lowercases to "i" and a combining dot. Read as those letters, the
        # keys of a pattern that matches them are found; deleting every combining dot only
        # finds more. Three passes in C cost less than one of str.translate's.
        low = low.replace("ı", "i").replace("ſ", "s").replace("\u0307", "")
    # "surrogatepass": a lone surrogate (from a lenient decode) is a non-word like any other.
    scanned = low.encode("utf-8", "surrogatepass").translate(_NOT_WORD)
    return f" {scanned.decode('ascii')} "


def has_word(scanned: str, word: str) -> bool:
    """Whether the scan form `scanned` holds `word` as a whole word."""
    return f" {word} " in scanned


class Scanner:
    """An automaton of keys, each standing for a set of patterns; built once per rule set."""

    def __init__(self, keyed: Iterable[tuple[int, Iterable[str]]]) -> None:
        """`keyed`: (pattern, its keys); a key ending in a space is a whole word, any other a
        word's start."""
        by_key: dict[str, set[int]] = {}
        for pattern, keys in keyed:
            for key in keys:
                by_key.setdefault(f" {key}", set()).add(pattern)
        self._automaton = ahocorasick.Automaton()
        for key, patterns in by_key.items():
            # A frozenset: its hash is kept, so the sets found in a text dedupe cheaply.
            self._automaton.add_word(key, frozenset(patterns))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key
        self._longest = max(map(len, by_key), default=0)

    def patterns_in(self, scanned: str) -> frozenset[int]:
        """The patterns any key found in the scan form `scanned` stands for."""
        if self._empty:
            return _NONE
        # Iterated, deduped and joined in C: no Python step per key found.
        return _NONE.union(*set(map(_VALUE, self._automaton.iter(scanned))))

    def lead_and_all(self, scanned: str, lead_end: int) -> tuple[frozenset[int], frozenset[int]]:
        """(patterns of the keys found in the words that start before `lead_end` of the text,
        patterns of all keys found) for the scan form `scanned` of an ASCII text. The first
        answer is told only for keys of one word: a key of several may reach past the lead."""
        if self._empty:
            return _NONE, _NONE
        # The first space at or after the lead's end in `scanned` ends the last word starting
        # in the lead (a word at text index i starts at i + 1 here).
        cut = scanned.find(" ", min(lead_end, len(scanned) - 1)) + 1
        found = self._automaton.iter
        lead = _NONE.union(*set(map(_VALUE, found(scanned, 0, cut))))
        # The rest from as far back as a key that ends past the lead may start (a key found in
        # both counts once).
        rest = set(map(_VALUE, found(scanned, max(0, cut + 1 - self._longest))))
        return lead, lead.union(*rest)
