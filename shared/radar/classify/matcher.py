"""Which of many rule patterns occur in a text, without running every pattern over it.

Most rule patterns hold a literal that starts a word ("deprecat", "rate limit", "an error will
be returned", "(?:may|might) deprecate"): a text can only match where one of its words starts
with that literal. One scan of the text's words through a trie of those literals gives the few
patterns worth running; the rest cannot match and are never tried. Patterns without a literal
start (a user's `\\w+ api`) are always tried, so the answer is the same as running them all.
A pattern that opens with a literal ("rate limit" in `rate limits?`) is then tried only where
that literal occurs, found by a substring search, instead of at every character of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from radar.classify.lowercase import lowers_plainly

# Literals are made of these characters, so a text's words are read as runs of them (faster
# than `\w+`; a word that holds other letters splits into more candidates, never fewer).
_WORD = re.compile(r"[a-z0-9_]+")
_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_QUANTIFIERS = frozenset("?*{+")
# Characters that stand for themselves in a regex and are unchanged by lowercasing.
_PLAIN = frozenset(" :,;'’\"-/@#%&=<>!~`")
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
        # Nested dicts, one level per character; _PREFIX/_WHOLE keys hold pattern indexes.
        self._trie: dict[str, Any] = {}
        always: list[int] = []
        for i, source in enumerate(sources):
            starts = literal_starts(source)
            if not starts:
                always.append(i)
                continue
            for start in starts:
                word, whole = (start[:-1], True) if start.endswith(" ") else (start, False)
                node: dict[str, Any] = self._trie
                for ch in word:
                    node = node.setdefault(ch, {})
                node.setdefault(_WHOLE if whole else _PREFIX, []).append(i)
        self._always = frozenset(always)
        self._required = tuple(required_words(source) for source in sources)
        self._memo: dict[str, tuple[int, ...]] = {}

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match somewhere in `text` (a superset, never less)."""
        return self.candidates_in_lowercase(text.lower())

    def candidates_in_lowercase(self, text: str) -> set[int]:
        """`candidates` of a text the caller has lowercased already."""
        words = set(_WORD.findall(text))
        found = set(self._always)
        memo = self._memo
        for word in words:
            ends = memo.get(word)
            if ends is None:
                ends = self._walk(word)
                if len(memo) < _MEMO_WORDS:
                    memo[word] = ends
            if ends:
                found.update(ends)
        # A pattern whose other whole words are missing cannot match ("for you" without "you").
        required = self._required
        return {i for i in found if required[i] <= words}

    def _walk(self, word: str) -> tuple[int, ...]:
        """The patterns whose literal is a prefix of `word`, or all of it for whole words."""
        out: list[int] = []
        node = self._trie
        for ch in word:
            child = node.get(ch)
            if child is None:
                return tuple(out) if out else _NONE
            node = child
            out.extend(node.get(_PREFIX, ()))
        out.extend(node.get(_WHOLE, ()))
        return tuple(out) if out else _NONE


def literal_starts(source: str) -> list[str]:
    """Literal word prefixes one of which a match of `source` must contain; [] when unknown.

    A key ending in a space is a whole word (the pattern has a space, `\\b` or punctuation after
    it); other keys are prefixes of a word.

    For each top-level alternative: the longest literal run that starts a word (at the start,
    or after a space, punctuation, `\\s` or `\\b`), else the alternatives of a leading `(?:a|b)`
    group. The longest run is usually the rarest word, so common words ("an", "is", "new") in
    a phrase do not make the pattern a candidate for every text.
    """
    starts: list[str] = []
    for alternative in _split_top(source):
        keys = _alternative_keys(alternative)
        if not keys:
            return []
        starts.extend(keys)
    return starts


def leading_literals(source: str) -> tuple[str, ...]:
    """The literal texts a match of `source` starts with, one of which each match starts with
    ("rate limits?": "rate limit"; "(?:may|might) deprecate": "may deprecate", "might
    deprecate"); () when one alternative has none. A match starts where one of them occurs, so
    it is tried only there (found by a fast substring search), and not at all if there is none."""
    heads: list[str] = []
    for alternative in _split_top(source):
        found = _heads_of(alternative)
        if not found:
            return ()
        heads.extend(found)
    return tuple(heads)


def _heads_of(s: str) -> list[str]:
    """The leading literal texts of one alternative: its own; after a lookbehind (which matches
    no text), the rest's; or one for each alternative of a leading `(?:a|b)` group, continued by
    the literal text after the group where that alternative is all literal. [] when unknown."""
    text = _leading_text(s)
    if text:
        return [text]
    if s.startswith(("(?<=", "(?<!")):
        rest = _after_lookbehind(s)
        return _heads_of(rest) if rest else []
    if not s.startswith("(?:"):
        return []
    end = _group_end(s, 0)
    if end < 0 or (end + 1 < len(s) and s[end + 1] in _QUANTIFIERS):
        return []
    after = _leading_text(s[end + 1 :])
    heads: list[str] = []
    for alternative in _split_top(s[3:end]):
        head = _leading_text(alternative)
        if not head:
            return []
        heads.append(head + after if len(head) == len(alternative) else head)
    return heads


def _leading_text(s: str) -> str:
    """The literal text `s` opens with: word characters, spaces and plain punctuation, up to
    the first character that a quantifier makes optional or that a regex gives a meaning to."""
    out: list[str] = []
    for i, ch in enumerate(s):
        low = ch.lower()
        if low not in _LITERAL and ch not in _PLAIN:
            break
        if i + 1 < len(s) and s[i + 1] in _QUANTIFIERS:
            break
        out.append(low)
    return "".join(out)


def required_words(source: str) -> frozenset[str]:
    """Whole words every match of `source` contains ("for you": for, you); empty when unknown.

    A text without one of them cannot match, whichever word the trie found."""
    alternatives = _split_top(source)
    if len(alternatives) != 1:
        return frozenset()
    runs = _runs(_after_lookbehind(alternatives[0]))
    return frozenset(r.rstrip() for r in runs or () if r.endswith(" "))


def _after_lookbehind(s: str) -> str:
    if s.startswith(("(?<=", "(?<!")):
        end = _group_end(s, 0)
        return s[end + 1 :] if end >= 0 else ""
    return s


def _alternative_keys(s: str) -> list[str]:
    if s.startswith(("(?<=", "(?<!")):
        s = _after_lookbehind(s)
        if not s:
            return []
    runs = _runs(s)
    if runs is None:
        return []
    if runs:
        return [max(runs, key=lambda r: len(r.rstrip()))]
    return _leading_group(s)


def _runs(s: str) -> list[str] | None:
    """The literal runs that start a word, outside groups (a trailing space: a whole word);
    None when the pattern cannot be read."""
    runs: list[str] = []
    run: list[str] = []
    anchored, i = True, 0
    while i < len(s):
        ch = s[i]
        quantified = i + 1 < len(s) and s[i + 1] in _QUANTIFIERS
        if ch.lower() in _LITERAL and not quantified:
            if run or anchored:
                run.append(ch.lower())
            i += 1
            continue
        if run:
            escape = s[i + 1 : i + 2] if ch == "\\" else ""
            ends_word = (ch == "\\" and escape in ("s", "b", "W")) or (
                ch != "\\"
                and ch not in "()[].^$?*+{}|"
                and ch.lower() not in _LITERAL
                and not quantified  # "server-?side": the word may go on
            )
            runs.append("".join(run) + (" " if ends_word else ""))
            run = []
        if ch == "\\":
            escape = s[i + 1 : i + 2]
            anchored = escape in ("s", "b", "W") or (
                escape != "" and escape.lower() not in _LITERAL
            )
            i += 2
        elif ch in "([":
            end = _group_end(s, i) if ch == "(" else s.find("]", i + 2)
            if end < 0:
                return None
            i, anchored = end + 1, False
            if i < len(s) and s[i] in _QUANTIFIERS:
                i += 1
        else:
            # A literal space or punctuation ends a word; `.`, `$`, `^` and quantifiers do not say.
            anchored = ch not in ".^$?*+{}|" and ch.lower() not in _LITERAL
            i += 1
    if run:
        runs.append("".join(run))
    return runs


def _leading_group(s: str) -> list[str]:
    """The alternatives of a leading `(?:a|b|c)` group, each continued by literal text after it."""
    if not s.startswith("(?:"):
        return []
    end = _group_end(s, 0)
    if end < 0 or (end + 1 < len(s) and s[end + 1] in _QUANTIFIERS):
        return []
    starts = []
    for alternative in _split_top(s[3:end]):
        head = _leading_literal(alternative)
        if not head:
            return []
        if head == alternative.lower():
            head += _leading_literal(s[end + 1 :])
        starts.append(head)
    return starts


def _leading_literal(s: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(s):
        low = ch.lower()
        if low not in _LITERAL:
            break
        if i + 1 < len(s) and s[i + 1] in _QUANTIFIERS:
            break
        out.append(low)
    return "".join(out)


def _group_end(s: str, start: int) -> int:
    """Index of the `)` closing the group opened at `start`, or -1."""
    depth = 0
    i = start
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = s.find("]", i + 2)
            if close < 0:
                return -1
            i = close + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _split_top(body: str) -> list[str]:
    """`body` split at `|` outside nested groups and character classes."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = body.find("]", i + 2)
            i = close + 1 if close > 0 else len(body)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts
