"""Rule patterns that are a few words or phrases, read so that an ASCII text's words decide them.

`privacy`, `adds?\\b`, `deprecat(?:e|ed|es|ing|ion)\\b`, `decommission\\w*` and `monetiz\\w+`
match (as rule patterns do: from a word start, ignoring case) exactly where a word of the text
starts with one of a few literals, or is one of them. In an ASCII text the words a matcher reads
(runs of letters, digits and "_" of the lowercase text) are the words `\\b` sees, so for such a
pattern the words decide the match and where it first starts: no regex has to run (matcher.py).

`rate limits?` or `now (?:include|contain)s?` are phrases: a text that matches holds one of
them, its words with only separators between, so the whole phrase is a narrower key than the
first literal ("now" starts many entries, "now include" few), found by a scan that reads
several words at once (scanner.py); the regex still decides. Only for ASCII texts: there `\\d`
is a digit 0-9, `\\w` a letter, digit or "_", and no "ı" or "ſ" matches an "i" or an "s".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from radar.classify.literals import group_end

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_DIGITS = frozenset("0123456789")
# What may stand between the words of a phrase: characters that are no word character and mean
# themselves, escapes of such, and classes of them (`[- ]`); each is read as a space.
_SEPARATORS = frozenset(" -:,;/'’\"!&")
_SEPARATOR_ESCAPES = frozenset({r"\s", r"\.", r"\(", r"\)", r"\-", r"\/", r"\!", r"\?"})
_SEPARATOR_CLASSES = ("[- ]", "[ -]", "[-_ ]")
# Text that means itself: word characters and separators, none of them quantified.
_PLAIN = re.compile(r"[A-Za-z0-9_ \-:,;/'’\"!&]+")
_SPACES = re.compile(r"[^a-z0-9_]")
# What no finite set of texts is made of (`\d+` and `\w*` are read only at the end).
_UNREAD = re.compile(r"(?<!\\)[*+{.^$]|\\[wWbBSDAZ]|\(\?[^:]")
# More texts than this and the pattern is left to its literal keys (no rule comes close).
_MOST = 64


@dataclass(frozen=True, slots=True)
class AsciiKeys:
    """How an ASCII text's words select a pattern (see the module's docstring)."""

    # Every text a match starts with, separators as spaces (a trailing space: a word ends
    # there): a scan of a text whose other characters are spaces finds one where it matches.
    phrases: tuple[str, ...]
    # True when each is one word: a word holding one is a match, and no regex need run.
    decides: bool


def ascii_keys(source: str) -> AsciiKeys | None:
    """The words that select `source` in an ASCII text; None when it is not read.

    Read: letters, digits, `\\d` and "_"; white space and punctuation between words; `(?:a|b)`
    groups; `?` after a character or a group; `|`; and at the very end `\\b` (whole words),
    `\\w*`, `\\w+` or `\\d+` (a prefix, then anything, something or digits)."""
    texts = _texts(source)
    if texts is None:
        return None
    phrases, whole = texts
    ends = tuple(sorted(p + " " if whole else p for p in phrases))
    return AsciiKeys(ends, not any(" " in p for p in phrases))


def word_set(source: str) -> tuple[tuple[str, bool], ...] | None:
    """(literal, whole) pairs such that `source` matches an ASCII text exactly where a word of
    its lowercase starts with a literal (`whole` false) or is one; None when it is not so."""
    read = ascii_keys(source)
    if read is None or not read.decides:
        return None
    return tuple((k.rstrip(), k.endswith(" ")) for k in read.phrases)


def _texts(source: str) -> tuple[set[str], bool] | None:
    """Every text `source` matches (lowercase, separators as spaces), and whether a whole word
    must end it; None when not read."""
    body, whole = source, False
    if body.endswith(r"\b"):
        body, whole = body[:-2], True
    elif body.endswith(r"\w*"):
        body = body[:-3]
    elif body.endswith(r"\d+"):
        body = body[:-1]  # one digit, then maybe more: a word that starts so
    longer = body.endswith(r"\w+")  # `introduc\w+`: a word that starts so and goes on
    if longer:
        body = body[:-3]
    if _UNREAD.search(body):
        return None  # a repeat, `.`, an anchor, a look-around or a class escape: not read
    if body is not source and len(_split(body) or ()) != 1:
        return None  # a `\b` after `a|b` ends only `b`: not read here
    texts = _expand(body)
    if not texts or any(t[0] not in _WORD for t in texts if t) or "" in texts:
        return None
    if longer:
        # One more word character of any kind: in an ASCII text's lowercase, one of `_WORD`.
        if any(t.endswith(" ") for t in texts):
            return None
        texts = {t + ch for t in texts for ch in _WORD}
    return texts, whole


def _expand(s: str) -> set[str] | None:
    """Every text `s` matches; None when `s` is not read or holds too many."""
    alternatives = _split(s)
    if alternatives is None:
        return None
    out: set[str] = set()
    for alternative in alternatives:
        texts = _sequence(alternative)
        if texts is None:
            return None
        out |= texts
        if len(out) > _MOST:
            return None
    return out


def _sequence(s: str) -> set[str] | None:
    """The texts of one alternative: runs of plain text joined first, so that only groups and
    optional parts multiply the texts."""
    if _PLAIN.fullmatch(s):  # most rule patterns: one text, no parsing
        return {_SPACES.sub(" ", s.lower())}
    pieces: list[set[str]] = []
    run: list[str] = []
    i, n = 0, len(s)
    while i < n:
        plain = _PLAIN.match(s, i)
        # A run of plain text, less its last character when a quantifier follows that.
        end = plain.end() - (plain.end() < n and s[plain.end()] in "?*+{") if plain else i
        if end > i:
            run.append(_SPACES.sub(" ", s[i:end].lower()))
            i = end
            continue
        inner, i = _atom(s, i)
        if inner is None:
            return None
        if i < n and s[i] == "?":
            inner = inner | {""}
            i += 1
        if i < n and s[i] in "*+{?":
            return None  # `??`, or a repeat: not a finite set of texts
        if len(inner) == 1 and "" not in inner:
            run.append(next(iter(inner)))
            continue
        pieces.extend(({"".join(run)}, inner))
        run = []
    pieces.append({"".join(run)})
    texts = {""}
    for piece in pieces:
        texts = {t + p for t in texts for p in piece}
        if len(texts) > _MOST:
            return None
    return texts


def _atom(s: str, i: int) -> tuple[set[str] | None, int]:
    """The texts of the group, character, escape or class at `s[i]`, and where it ends."""
    ch = s[i]
    if ch == "(":
        end = group_end(s, i) if s.startswith("(?:", i) else -1
        if end < 0:
            return None, i
        return _expand(s[i + 3 : end]), end + 1
    if ch.lower() in _WORD:
        return {ch.lower()}, i + 1
    if s.startswith(r"\d", i):
        return set(_DIGITS), i + 2
    if ch in _SEPARATORS:
        return {" "}, i + 1
    if s[i : i + 2] in _SEPARATOR_ESCAPES:
        return {" "}, i + 2
    if s.startswith(_SEPARATOR_CLASSES, i):
        return {" "}, s.index("]", i) + 1
    return None, i


def _split(s: str) -> list[str] | None:
    """`s` split at its top-level `|`; None when its parentheses do not pair or it holds an
    escape or class not read here."""
    if "|" not in s and "\\" not in s and "[" not in s:
        return [s] if s.count("(") == s.count(")") else None
    parts: list[str] = []
    depth, begin, i = 0, 0, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            if s[i : i + 2] != r"\d" and s[i : i + 2] not in _SEPARATOR_ESCAPES:
                return None
            i += 2
            continue
        if ch == "[":
            if not s.startswith(_SEPARATOR_CLASSES, i):
                return None
            i = s.index("]", i) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            parts.append(s[begin:i])
            begin = i + 1
        i += 1
    if depth != 0:
        return None
    parts.append(s[begin:])
    return parts
