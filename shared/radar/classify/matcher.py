"""Which of many rule patterns occur in a text, without running every pattern over it.

Most rule patterns hold a literal that starts a word ("deprecat", "rate limit", "an error will
be returned", "(?:may|might) deprecate"): a text can only match where one of its words starts
with that literal. One scan of the text's words through a trie of those literals gives the few
patterns worth running; the rest cannot match and are never tried. Patterns without a literal
start (a user's `\\w+ api`) are always tried, so the answer is the same as running them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_WORD = re.compile(r"\w+")
_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_QUANTIFIERS = frozenset("?*{+")
# Trie keys (never a character): patterns whose literal is a prefix of a word ending here, and
# patterns whose literal is a whole word ending here ("for you" needs the word "for").
_PREFIX, _WHOLE = "prefix", "whole"


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

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match somewhere in `text` (a superset, never less)."""
        found = set(self._always)
        trie = self._trie
        for word in set(_WORD.findall(text.lower())):
            node = trie
            for ch in word:
                child = node.get(ch)
                if child is None:
                    break
                node = child
                ends = node.get(_PREFIX)
                if ends:
                    found.update(ends)
            else:
                ends = node.get(_WHOLE)
                if ends:
                    found.update(ends)
        return found


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


def _alternative_keys(s: str) -> list[str]:
    if s.startswith(("(?<=", "(?<!")):
        end = _group_end(s, 0)
        if end < 0:
            return []
        s = s[end + 1 :]
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
                return []
            i, anchored = end + 1, False
            if i < len(s) and s[i] in _QUANTIFIERS:
                i += 1
        else:
            # A literal space or punctuation ends a word; `.`, `$`, `^` and quantifiers do not say.
            anchored = ch not in ".^$?*+{}|" and ch.lower() not in _LITERAL
            i += 1
    if run:
        runs.append("".join(run))
    if runs:
        return [max(runs, key=lambda r: len(r.rstrip()))]
    return _leading_group(s)


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
