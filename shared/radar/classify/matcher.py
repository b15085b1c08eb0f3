"""Which of many rule patterns occur in a text, without running every pattern over it.

Most rule patterns hold a literal that starts a word ("deprecat", "rate limit", "an error will
be returned", "(?:may|might) deprecate"): a text can only match where one of its words starts
with that literal. One pass of an automaton of those literals over the text (scanner.py) gives
the few patterns worth running; the rest cannot match and are never tried. Patterns without a
literal start (a user's `\\w+ api`) are always tried, so the answer is the same as running them
all. A pattern that opens with a literal ("rate limit" in `rate limits?`) is then tried only
where that literal occurs, found by a substring search, instead of at every character of the
text. What a pattern's matches start with and hold is read from its source (literals.py). In an
ASCII text the words decide more (wordsets.py): a pattern that is a set of words matches where
a word holds one, with no regex run, and a set of phrases is a candidate only where a whole
phrase is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from radar.classify.literals import leading_literals, literal_starts, required_words
from radar.classify.lowercase import lowers_plainly
from radar.classify.scanner import Scanner, scan_form
from radar.classify.unspaced import holds_unspaced, opens_unspaced
from radar.classify.wordsets import ascii_keys

_NOWHERE = 1 << 62  # past the end of any text
# Required words this long or shorter are not looked for in ASCII texts (see PatternIndex).
_SHORT = 3
_NO_WORDS: frozenset[str] = frozenset()
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
            lead, anywhere, candidates = self._index.read_ascii(low, lead_end)
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
        # Two automata of literals: `_any` for every text; `_ascii` for ASCII texts, where a
        # pattern that is a set of words (wordsets.py) is keyed by those words, so a word that
        # holds one is a match, not a candidate, and a set of phrases by its whole phrases.
        # (In other texts "ı" or "İ" match an "i": such a pattern is found by its
        # literal_starts and run, as every other.)
        any_keys: list[tuple[int, Iterable[str]]] = []
        ascii_keys_: list[tuple[int, Iterable[str]]] = []
        always: list[int] = []
        exact: list[int] = []
        read: set[int] = set()
        unspaced: list[int] = []
        for i, source in enumerate(sources):
            starts = literal_starts(source)
            if not starts:
                # One in a script without spaces can only match a text that holds its script.
                (unspaced if opens_unspaced(source) else always).append(i)
                continue
            any_keys.append((i, starts))
            ascii_read = ascii_keys(source)
            if ascii_read is None:
                ascii_keys_.append((i, starts))
                continue
            read.add(i)
            ascii_keys_.append((i, ascii_read.phrases))
            if ascii_read.decides:
                exact.append(i)
        self._always = frozenset(always)
        self._unspaced = frozenset(unspaced)
        # Patterns an ASCII text's words decide, and the others.
        self.exact = frozenset(exact)
        self._inexact = frozenset(range(len(sources))) - self.exact
        # Whole words a pattern's matches hold ("for you": for, you): a text without one of
        # them is not a candidate, whichever key found it. Each word is a key of its own that
        # stands for a negative token, so the one scan finds the words with the patterns.
        required = [required_words(source) for source in sources]
        tokens = {w: -1 - n for n, w in enumerate(sorted(frozenset().union(*required)))}
        self._needs = tuple(frozenset(map(tokens.__getitem__, words)) for words in required)
        # In an ASCII text a phrase holds its words; and a short word ("to", "the", "a") is in
        # most texts, so its key costs more scan results than the regex runs it saves.
        ascii_required = [
            _NO_WORDS if i in read else frozenset(w for w in words if len(w) > _SHORT)
            for i, words in enumerate(required)
        ]
        self._ascii_needs = tuple(
            frozenset(map(tokens.__getitem__, words)) for words in ascii_required
        )
        self._any = Scanner([*any_keys, *_word_keys(tokens, required)])
        self._ascii = Scanner([*ascii_keys_, *_word_keys(tokens, ascii_required)])

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match somewhere in `text` (a superset, never less)."""
        return self.candidates_in_lowercase(text.lower())

    def candidates_in_lowercase(self, text: str) -> set[int]:
        """`candidates` of a text the caller has lowercased already."""
        found = self._any.patterns_in(scan_form(text))
        needs = self._needs
        candidates = {i for i in found if i >= 0 and needs[i] <= found} | self._always
        if self._unspaced and not text.isascii() and holds_unspaced(text):
            candidates |= self._unspaced
        return candidates

    def read_ascii(self, low: str, lead_end: int) -> tuple[set[int], set[int], list[int]]:
        """For an ASCII text's lowercase: the `exact` patterns that match a word starting before
        `lead_end`, those that match anywhere, and the other candidates (a regex decides)."""
        lead, found = self._ascii.lead_and_all(scan_form(low), lead_end)
        exact = self.exact  # each keyed by words: the lead's keys are found
        # An `exact` pattern found matches, so it holds its required words: not checked.
        needs = self._ascii_needs
        candidates = [i for i in found & self._inexact if needs[i] <= found]
        candidates.extend(self._always)
        return set(lead & exact), set(found & exact), candidates


def _word_keys(
    tokens: dict[str, int], words: Sequence[frozenset[str]]
) -> list[tuple[int, list[str]]]:
    """(token, its key) of every word in `words`: a whole word."""
    return [(tokens[w], [f"{w} "]) for w in sorted(frozenset().union(*words))]
