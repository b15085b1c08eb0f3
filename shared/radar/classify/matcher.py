"""Which of many rule patterns occur in a text, without running every pattern over it.

Most rule patterns hold a literal that starts a word ("deprecat", "rate limit", "an error will
be returned", "(?:may|might) deprecate"): a text can only match where one of its words starts
with that literal. One scan of the text's words through a trie of those literals gives the few
patterns worth running; the rest cannot match and are never tried. Patterns without a literal
start (a user's `\\w+ api`) are always tried, so the answer is the same as running them all.
A pattern that opens with a literal ("rate limit" in `rate limits?`) is then tried only where
that literal occurs, found by a substring search, instead of at every character of the text.
What a pattern's matches start with and hold is read from its source (literals.py). In an
ASCII text the words decide more (wordsets.py): a pattern that is a set of words matches where
a word holds one, with no regex run, and a set of phrases is keyed by narrower words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from radar.classify.literals import leading_literals, literal_starts, required_words
from radar.classify.lowercase import lowers_plainly
from radar.classify.wordsets import ascii_keys

# Literals are made of ASCII letters, digits and "_", so a text's words are read as runs of
# them (a word that holds other letters splits into more candidates, never fewer): in the
# text's UTF-8 bytes every other byte becomes a space and the rest split at spaces, which
# costs less than finding the runs with a regex.
_NOT_WORD = bytes(
    b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789_" else 32 for b in range(256)
)
# Trie keys (never a character): patterns whose literal is a prefix of a word ending here, and
# patterns whose literal is a whole word ending here ("for you" needs the word "for").
_PREFIX, _WHOLE = "prefix", "whole"
# Words remembered with their patterns: the words of change logs repeat ("added", "the", "api"),
# so after the first entries most words cost one lookup instead of a walk down the trie. Bounded
# so a long-lived process keeps a fixed size; words past the bound are walked every time.
_MEMO_WORDS = 50_000
_NONE: tuple[int, ...] = ()
_NOWHERE = 1 << 62  # past the end of any text
# Anchored attempts at a literal's occurrences before one search of the rest: a search that
# ignores case tries every position, slower than a dozen substring searches and anchored tries.
_TRIES = 32


class Matcher:
    """Patterns and their index: where each pattern first matches a text.

    A pattern is compiled by `compile` the first time the index selects it for a text: most
    rule patterns never match the texts of a run (compiling all 300 built-in ones costs more
    than classifying a few entries), and a run where nothing changed compiles none. `compile`
    must be safe for any of `sources` (the rules check each is linear-time when they load).
    """

    def __init__(self, sources: Sequence[str], compile: Callable[[str], re.Pattern[str]]) -> None:
        self._sources = tuple(sources)
        self._compile = compile
        # Filled in as patterns are first selected; workers that race compile one twice, alike.
        self._regexes: list[re.Pattern[str] | None] = [None] * len(self._sources)
        self._index = PatternIndex(self._sources)
        self._heads = tuple(leading_literals(source) for source in self._sources)
        # A pattern's one leading literal ("" when it has none or several: found in any text).
        self._single_heads = tuple(h[0] if len(h) == 1 else "" for h in self._heads)

    def _regex(self, i: int) -> re.Pattern[str]:
        regex = self._regexes[i]
        if regex is None:
            regex = self._regexes[i] = self._compile(self._sources[i])
        return regex

    def first_matches(
        self, text: str, among: Iterable[int] | None = None
    ) -> Iterator[tuple[int, int]]:
        """(pattern index, start of its first match) for every pattern matching `text`; only
        the patterns in `among` are tried when given (a part of a text can only match what the
        whole matched)."""
        low = text.lower()
        # A literal found in the lowercased text is where the pattern can match, unless
        # lowercasing changed a length ("İ" becomes two characters) or a letter matches unlike
        # its lowercase ("ſ" is an "s" to the pattern): then every pattern is searched.
        same = len(low) == len(text) and lowers_plainly(text)
        regexes, heads = self._regexes, self._heads
        for i in self._index.candidates_in_lowercase(low) if among is None else among:
            regex = regexes[i] or self._regex(i)
            found = _first(regex, heads[i], text, low) if same else regex.search(text)
            if found is not None:
                yield i, found.start()

    def hits(
        self, text: str, lead_end: int, among: frozenset[int] | None = None
    ) -> tuple[set[int], set[int]]:
        """(patterns whose first match starts before `lead_end`, patterns matching anywhere):
        what `first_matches` tells, where the words alone decide a pattern that is a set of
        words (wordsets.py) and its regex is not run; only patterns in `among` when given."""
        low = text.lower()
        ascii_text = text.isascii()
        candidates: Iterable[int]
        if among is None and ascii_text:  # words read from bytes are `\b`'s words in ASCII
            lead, found = self._index.lead_and_candidates(low, lead_end)
            exact = self._index.exact
            anywhere = found & exact
            lead &= anywhere
            candidates = found - exact
        else:
            # A part of a text tries the few patterns the whole matched, each by its regex.
            lead, anywhere = set(), set()
            candidates = self._index.candidates_in_lowercase(low) if among is None else among
        same = ascii_text or (len(low) == len(text) and lowers_plainly(text))  # see above
        regexes, heads, single = self._regexes, self._heads, self._single_heads
        for i in candidates:
            if same:
                if single[i] not in low:
                    continue  # most candidates of a part: no call at all
                found_at = _first(regexes[i] or self._regex(i), heads[i], text, low)
            else:
                found_at = (regexes[i] or self._regex(i)).search(text)
            if found_at is not None:
                anywhere.add(i)
                if found_at.start() < lead_end:  # the first match is the earliest
                    lead.add(i)
        return lead, anywhere


def _first(
    regex: re.Pattern[str], heads: tuple[str, ...], text: str, low: str
) -> re.Match[str] | None:
    """The first match of `regex` in `text`, whose lowercase is `low` (same length), given the
    literals a match starts with (none: unknown)."""
    if len(heads) != 1:
        if not heads:
            return regex.search(text)
        # A match starts at one of its leading literals: tried at each, earliest first.
        at = min(_find(low, head, 0) for head in heads)
        for _ in range(_TRIES):
            if at == _NOWHERE:
                return None
            found = regex.match(text, at)
            if found is not None:
                return found
            at = min(_find(low, head, at + 1) for head in heads)
        return None if at == _NOWHERE else regex.search(text, at)
    # One leading literal: the pattern is tried where it occurs; a literal that occurs often
    # ("pr" in "improve") hands over to one search from a later occurrence.
    head = heads[0]
    at = low.find(head)
    for _ in range(_TRIES):
        if at < 0:
            return None
        found = regex.match(text, at)
        if found is not None:
            return found
        at = low.find(head, at + 1)
    return None if at < 0 else regex.search(text, at)


def _find(text: str, literal: str, start: int) -> int:
    at = text.find(literal, start)
    return at if at >= 0 else _NOWHERE


class PatternIndex:
    """Built once per rule set from regex sources; `candidates` runs per text."""

    def __init__(self, sources: Sequence[str]) -> None:
        # Two tries of literals: `_any` for every text; `_ascii` for ASCII texts, where a
        # pattern that is a set of words (wordsets.py) is indexed by those words, so a word that
        # holds one is a match, not a candidate. (In other texts "ı" or "İ" match an "i":
        # such a pattern is found by its literal_starts and run, as every other.)
        self._any, self._ascii = _Trie(), _Trie()
        always: list[int] = []
        exact: list[int] = []
        ascii_required: dict[int, frozenset[str]] = {}
        for i, source in enumerate(sources):
            starts = literal_starts(source)
            if not starts:
                always.append(i)
                continue
            self._any.add(starts, i)
            read = ascii_keys(source)
            if read is None:
                self._ascii.add(starts, i)
                continue
            self._ascii.add(read.keys, i)
            ascii_required[i] = read.required
            if read.decides:
                exact.append(i)
        self._always = frozenset(always)
        # Patterns an ASCII text's words decide.
        self.exact = frozenset(exact)
        self._required = tuple(
            frozenset(w.encode("ascii") for w in required_words(source)) for source in sources
        )
        self._ascii_required = tuple(
            required | {w.encode("ascii") for w in ascii_required.get(i, ())}
            for i, required in enumerate(self._required)
        )

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match somewhere in `text` (a superset, never less)."""
        return self.candidates_in_lowercase(text.lower())

    def candidates_in_lowercase(self, text: str) -> set[int]:
        """`candidates` of a text the caller has lowercased already."""
        # "surrogatepass": a lone surrogate (from a lenient decode) is a non-word like any other.
        words = set(text.encode("utf-8", "surrogatepass").translate(_NOT_WORD).split())
        found = self._any.patterns_of(words)
        found |= self._always
        # A pattern whose other whole words are missing cannot match ("for you" without "you").
        required = self._required
        return {i for i in found if required[i] <= words}

    def lead_and_candidates(self, low: str, lead_end: int) -> tuple[set[int], set[int]]:
        """For an ASCII text's lowercase: the `exact` patterns that match a word starting before
        `lead_end` (and others, unchecked), and the candidates: every `exact` pattern in them
        matches the text."""
        scanned = low.encode("ascii").translate(_NOT_WORD)
        cut = lead_end
        if 0 < cut < len(scanned) and scanned[cut - 1] != 32:  # 32: a space
            # The word the lead ends in starts in the lead: all of it is read.
            cut = scanned.find(b" ", cut)
            if cut < 0:
                cut = len(scanned)
        lead_words = set(scanned[:cut].split())
        words = set(scanned[cut:].split())
        lead = self._ascii.patterns_of(lead_words)
        found = self._ascii.patterns_of(words - lead_words)
        found |= lead
        found |= self._always
        words |= lead_words
        required = self._ascii_required
        return lead, {i for i in found if required[i] <= words}


class _Trie:
    """Literals by their bytes, and the patterns each literal is a key of."""

    def __init__(self) -> None:
        # Nested dicts, one level per byte of a literal (ASCII: one per character); _PREFIX and
        # _WHOLE keys hold pattern indexes.
        self._root: dict[int | str, Any] = {}
        self._memo: dict[bytes, tuple[int, ...]] = {}

    def add(self, keys: Iterable[str], pattern: int) -> None:
        """Index `pattern` by `keys` (a key ending in a space is a whole word)."""
        for key in keys:
            word, whole = (key[:-1], True) if key.endswith(" ") else (key, False)
            node: dict[int | str, Any] = self._root
            for byte in word.encode("ascii"):
                node = node.setdefault(byte, {})
            node.setdefault(_WHOLE if whole else _PREFIX, []).append(pattern)

    def patterns_of(self, words: set[bytes]) -> set[int]:
        """The patterns any of `words` holds a key of."""
        found: set[int] = set()
        memo = self._memo
        for word in words:
            ends = memo.get(word)
            if ends is None:
                ends = self._walk(word)
                if len(memo) < _MEMO_WORDS:
                    memo[word] = ends
            if ends:
                found.update(ends)
        return found

    def _walk(self, word: bytes) -> tuple[int, ...]:
        """The patterns whose key is a prefix of `word`, or all of it for whole words."""
        out: list[int] = []
        node = self._root
        for byte in word:
            child = node.get(byte)
            if child is None:
                return tuple(out) if out else _NONE
            node = child
            out.extend(node.get(_PREFIX, ()))
        out.extend(node.get(_WHOLE, ()))
        return tuple(out) if out else _NONE
