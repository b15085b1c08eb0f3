"""Is a regular expression safe to run on scraped text? The check classification rules pass at load.

Python's `re` backtracks: a pattern that can match the same text in many ways takes time
exponential in the length of a hostile line. The check is syntactic and errs on the safe side:
it refuses some harmless patterns (`(?:x(?:a|aa))+`), never a known exponential shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def nonlinear(pattern: str) -> str:
    """Why `pattern` could backtrack badly, or "" when it is safe to run on scraped text.

    Refused: backreferences and conditionals; a repeated group (`*`, `+`, `{m,n}`) whose body
    holds a quantifier (`(a+)+`, `(aa?)*`); a repeated group with an alternation whose branches
    can match the same text (`(a|aa)*`). Only branches that are fixed literals starting with
    different letters (`(ab|cd)*`) are told apart by one character, so only those may repeat.
    """
    if re.search(r"\\[1-9]|\(\?P=|\(\?\(", pattern):
        return "backreferences are not allowed"
    stack: list[_Group] = []
    top = _Group()
    tokens = _tokens(pattern)
    for index, (kind, text) in enumerate(tokens):
        group = stack[-1] if stack else top
        if kind == "open":
            stack.append(_Group())
        elif kind == "alt":
            group.branches.append("")
        elif kind == "atom":
            group.add_atom(text)
        elif kind == "quant":
            group.quantified = True
            group.literal = False
        elif kind == "close" and stack:
            inner = stack.pop()
            parent = stack[-1] if stack else top
            after = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
            repeated = after[0] == "quant" and after[1] == "repeat"
            if repeated and inner.quantified:
                return "nested quantifiers are not allowed (they can take exponential time)"
            if repeated and inner.alternates and not inner.distinct_literals():
                return (
                    "a repeated group whose alternatives can match the same text (like "
                    "(a|aa)*) can take exponential time; repeat only literals that start "
                    "with different characters"
                )
            parent.quantified |= inner.quantified or after[0] == "quant"
            parent.nested_alternates |= inner.alternates
            parent.literal = False
    return ""


@dataclass(slots=True)
class _Group:
    """What `_nonlinear` needs to know about one group of a pattern."""

    branches: list[str] = field(default_factory=lambda: [""])
    quantified: bool = False  # a quantifier anywhere inside
    literal: bool = True  # every branch is plain characters (no classes, groups, quantifiers)
    nested_alternates: bool = False  # a group inside has alternatives

    @property
    def alternates(self) -> bool:
        return self.nested_alternates or len(self.branches) > 1

    def add_atom(self, text: str) -> None:
        if text:
            self.branches[-1] += text
        else:
            self.literal = False

    def distinct_literals(self) -> bool:
        if not self.literal or not all(self.branches):
            return False
        firsts = [b[0].casefold() for b in self.branches]
        return len(set(firsts)) == len(firsts)


_ESCAPE_CLASSES = frozenset("dDwWsSbBAZ0123456789xuUNg")
_COUNT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """The pattern as (kind, text) tokens: open, close, alt, quant ("repeat" or "once") and
    atom (text is the literal character, or "" for a class, anchor or escape sequence)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1 : i + 2]
            out.append(("atom", "" if not nxt or nxt in _ESCAPE_CLASSES else nxt))
            i += 2
        elif ch == "[":
            i = _class_end(pattern, i)
            out.append(("atom", ""))
        elif ch == "(":
            i, opens = _group_start(pattern, i)
            if opens:
                out.append(("open", ""))
        elif ch == ")":
            out.append(("close", ""))
            i += 1
        elif ch == "|":
            out.append(("alt", ""))
            i += 1
        elif ch in "*+?" or (ch == "{" and _COUNT.match(pattern, i)):
            if ch == "{":
                m = _COUNT.match(pattern, i)
                assert m is not None
                low, comma, high = m.group(1), "," in m.group(0), m.group(2)
                bound = (high or "") if comma else low
                once = bool(bound) and int(bound) <= 1
                i = m.end()
            else:
                once = ch == "?"
                i += 1
            if i < n and pattern[i] in "?+":  # lazy or possessive: the same repetition
                i += 1
            out.append(("quant", "once" if once else "repeat"))
        else:
            out.append(("atom", "" if ch in ".^$" else ch))
            i += 1
    return out


def _class_end(pattern: str, i: int) -> int:
    """Index just after the character class that starts at `pattern[i]` ("[")."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":  # a leading "]" is a literal
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_start(pattern: str, i: int) -> tuple[int, bool]:
    """Index just after a group's opening, and whether it opens a group with a body."""
    if pattern[i + 1 : i + 2] != "?":
        return i + 1, True
    rest = pattern[i + 2 :]
    if rest.startswith("#"):  # a comment: skip it whole
        end = pattern.find(")", i)
        return (len(pattern) if end < 0 else end + 1), False
    if rest.startswith("P<"):
        end = pattern.find(">", i)
        return (len(pattern) if end < 0 else end + 1), True
    for prefix in ("<=", "<!", ":", "=", "!", ">"):
        if rest.startswith(prefix):
            return i + 2 + len(prefix), True
    flags = re.match(r"[aiLmsux-]*([:)])", rest)
    if flags is None:
        return i + 2, True
    # (?i) sets flags and has no body; (?i:...) is a group.
    return i + 2 + flags.end(), flags.group(1) == ":"
