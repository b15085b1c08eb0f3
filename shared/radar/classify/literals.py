"""What a rule pattern's source says about the text its matches hold, read from the source.

A match of `rate limits?` starts with "rate limit" and holds the whole word "rate"; a match of
`(?:may|might) deprecate` holds a word that starts with "deprecate". matcher.py indexes patterns
by these, so a text is searched only for the patterns it can match. Each answer is a necessary
condition (never wrong about a match), and "unknown" (empty) where a pattern's shape is not
read: such a pattern is always tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_QUANTIFIERS = frozenset("?*{+")
_BOUNDS = re.compile(r"\{\d*(?:,\d*)?\}")  # `{3}`, `{0,40}`, `{2,}`
# Characters that stand for themselves in a regex and are unchanged by lowercasing.
_PLAIN = frozenset(" :,;'’\"-/@#%&=<>!~`")


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
    for alternative in split_top(source):
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
    for alternative in split_top(source):
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
    end = group_end(s, 0)
    if end < 0 or (end + 1 < len(s) and s[end + 1] in _QUANTIFIERS):
        return []
    after = _leading_text(s[end + 1 :])
    heads: list[str] = []
    for alternative in split_top(s[3:end]):
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
    alternatives = split_top(source)
    if len(alternatives) != 1:
        return frozenset()
    runs = _runs(_after_lookbehind(alternatives[0]))
    return frozenset(r.rstrip() for r in runs or () if r.endswith(" "))


def _after_lookbehind(s: str) -> str:
    """`s` past the lookbehinds it opens with (they match no text): "" when one is unread."""
    while s.startswith(("(?<=", "(?<!")):
        end = group_end(s, 0)
        if end < 0:
            return ""
        s = s[end + 1 :]
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
            # `\s*` may match nothing: the word may go on ("word\s*x" matches "wordx")
            sure = ch == "\\" and _past_quantifier(s, i + 2) == i + 2
            ends_word = (sure and escape in ("s", "b", "W")) or (
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
            if _past_quantifier(s, i) > i:  # `\s*`, `\s{0,3}`: maybe no break at all
                i, anchored = _past_quantifier(s, i), False
        elif ch in "([":
            end = group_end(s, i) if ch == "(" else s.find("]", i + 2)
            if end < 0:
                return None
            i, anchored = _past_quantifier(s, end + 1), False
        elif ch in _QUANTIFIERS:
            # A quantifier as a whole: the digits of `{0,40}` are no text of the match.
            i, anchored = max(_past_quantifier(s, i), i + 1), False
        else:
            # A literal space or punctuation ends a word; `.`, `$`, `^` and quantifiers do not say.
            anchored = ch not in ".^$?*+{}|" and ch.lower() not in _LITERAL
            i += 1
    if run:
        runs.append("".join(run))
    return runs


def _past_quantifier(s: str, i: int) -> int:
    """Index past the quantifier at `i` (`?`, `*`, `+`, `{m}`, `{m,n}`, and a lazy `?` after
    it), or `i` when none starts there (a `{` that is not one is a literal, as `re` reads it)."""
    if i >= len(s):
        return i
    if s[i] in "?*+":
        i += 1
    else:
        found = _BOUNDS.match(s, i)
        if found is None:
            return i
        i = found.end()
    return i + 1 if i < len(s) and s[i] == "?" else i


def _leading_group(s: str) -> list[str]:
    """The alternatives of a leading `(?:a|b|c)` group, each continued by literal text after it."""
    if not s.startswith("(?:"):
        return []
    end = group_end(s, 0)
    if end < 0 or (end + 1 < len(s) and s[end + 1] in _QUANTIFIERS):
        return []
    starts = []
    for alternative in split_top(s[3:end]):
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


def group_end(s: str, start: int) -> int:
    """Index of the `)` closing the group opened at `start`, or -1."""
    depth = 0
    for i, ch in _marks(s, start):
        if ch == "[":
            return -1  # a class that never closes
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_top(body: str) -> list[str]:
    """`body` split at `|` outside nested groups and character classes."""
    parts: list[str] = []
    depth, begin = 0, 0
    for i, ch in _marks(body, 0):
        if ch == "[":
            break  # a class that never closes: the rest is its text
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(body[begin:i])
            begin = i + 1
    parts.append(body[begin:])
    return parts


def _marks(s: str, start: int) -> Iterator[tuple[int, str]]:
    """(index, character) of every `(`, `)` and `|` of the pattern source `s` from `start`, past
    escapes and character classes; a class that never closes ends them with its `[`."""
    i = start
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = s.find("]", i + 2)
            if close < 0:
                yield i, ch
                return
            i = close + 1
            continue
        if ch in "()|":
            yield i, ch
        i += 1
