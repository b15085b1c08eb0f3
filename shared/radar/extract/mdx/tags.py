"""The JSX scanner: one pass over an MDX page into a tree of components (`Node`) and text.

Tags with their attributes (quoted strings, `{…}` string and object literals, spreads),
`{…}` expressions, ES module lines, HTML comments, code fences and code spans are recognised
here; expressions, ESM and comments are dropped, code stays as written for the body reader.
This is its own module because it is the only part that knows JSX syntax: the rest of the
extractor works on the finished tree.

Linear time: every scan that fails (an unclosed `{`, quote or code span) marks the text it
looked at, and no scan starts again inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from radar.errors import ExtractError
from radar.text import normalize_text

# Deeper nesting than this is not a page anyone writes by hand; refusing it keeps the
# recursive rendering far from Python's recursion limit.
MAX_DEPTH = 64
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)

# What the scan stops at: constructs that open a line, then constructs anywhere in it. One
# alternation of all of them took 10x longer to search: `re` tried every branch at every
# character, where a search for their first characters alone (`_TRIGGER`) runs in C.
_LINE_SPECIAL = re.compile(
    r"^(?:(?P<fence>[ \t]*(?:`{3,}|~{3,}))|(?P<esm>(?:import|export)(?=[ \t{*])))", re.M
)
_TRIGGER = re.compile(r"[`<{\\]")
_INLINE_SPECIAL = re.compile(
    r"(?P<tick>`+)"
    r"|(?P<comment><!--)"
    r"|(?P<tag></?[A-Za-z]|</?>)"
    r"|(?P<brace>\{)"
    r"|(?P<esc>\\[\\`{}<>])"
)
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
_TAG_NAME = re.compile(r"[A-Za-z][\w.:-]*")
_CLOSE_TAG = re.compile(r"</([A-Za-z][\w.:-]*)?\s*>")
_ATTR_STEP = re.compile(r"\s*(?:(/?>)|([A-Za-z_$][\w$.:-]*)(\s*=\s*)?|(\{))")
_QUOTED = {
    '"': re.compile(r'"((?:[^"\n]|\n(?![ \t]*\n))*)"'),
    "'": re.compile(r"'((?:[^'\n]|\n(?![ \t]*\n))*)'"),
}
_BRACE_STEP = re.compile(r"""[{}"'`]|/\*|//|\n[ \t]*\n""")
_JS_STRING = {
    '"': re.compile(r'"(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"'(?:[^'\\\n]|\\.)*'"),
    "`": re.compile(r"`(?:[^`\\]|\\.)*`", re.S),
}
_JS_PAIR = re.compile(
    r"""([A-Za-z_$][\w$]*|"[^"\n]*"|'[^'\n]*')\s*:\s*"""
    r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
)
_JS_ESCAPE = re.compile(r"\\(.)", re.S)
_ESM_END = re.compile(r"\n[ \t]*\n")

AttrValue = str | dict[str, str] | None


@dataclass(slots=True)
class Node:
    name: str
    attrs: dict[str, AttrValue]
    block: bool  # the tag opens its line: its body is its own Markdown flow
    children: list[str | Node] = field(default_factory=list)

    def text_attr(self, name: str) -> str | None:
        value = self.attrs.get(name)
        return normalize_text(value) if isinstance(value, str) else None


@cache
def _fence_close(char: str, length: int) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(char)}{{{length},}}[ \t]*$", re.M)


@cache
def _tick_close(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")


class Scanner:
    """One pass over the page: text, components, and the JSX/ESM noise dropped."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = Node("", {}, block=True)
        self.stack: list[Node] = [self.root]
        self.open_names: dict[str, int] = {}
        self.at_line_start = True
        # Scans that start before this position are not tried: an earlier one failed over it.
        self.literal_until = 0
        self.para_end = -1  # cached end of the paragraph the scan is in
        self.failed_ticks: set[tuple[int, int]] = set()
        self.failed_fences: dict[str, int] = {}
        self.comment_failed = False
        # The next line construct (fence, ES module line) at or after the scan, looked up again
        # only once the scan has passed it.
        self.line_special = _LINE_SPECIAL.search(text)

    def _next_special(self, pos: int) -> re.Match[str] | None:
        """The first construct at or after `pos`: the leftmost, a line's one on a tie (as one
        alternation with the line constructs first would find it)."""
        text = self.text
        line = self.line_special
        if line is not None and line.start() < pos:
            line = self.line_special = _LINE_SPECIAL.search(text, pos)
        limit = line.start() + 1 if line is not None else len(text)
        trigger = _TRIGGER.search(text, pos, limit)
        while trigger is not None:
            found = _INLINE_SPECIAL.match(text, trigger.start())
            if found is not None:
                return line if line is not None and line.start() <= found.start() else found
            trigger = _TRIGGER.search(text, trigger.start() + 1, limit)
        return line

    def run(self) -> Node:
        text, pos = self.text, 0
        while True:
            m = self._next_special(pos)
            if m is None:
                self._add(text[pos:])
                return self.root
            start, kind = m.start(), m.lastgroup
            self._add(text[pos:start])
            if start < self.literal_until and kind in ("tag", "brace", "tick"):
                self._add(m.group())
                pos = m.end()
                continue
            if kind == "fence":
                pos = self._fence(m)
            elif kind == "esm":
                pos = self._esm(m)
            elif kind == "tick":
                pos = self._code_span(m)
            elif kind == "comment":
                pos = self._comment(m)
            elif kind == "tag":
                pos = self._tag(start)
            elif kind == "brace":
                pos = self._expression(start)
            else:  # an escaped character stays for `inline_text` to unescape
                self._add(m.group())
                pos = m.end()

    def _add(self, piece: str) -> None:
        if not piece:
            return
        self.stack[-1].children.append(piece)
        newline = piece.rfind("\n")
        if newline >= 0:
            rest = piece[newline + 1 :]
            self.at_line_start = not rest or rest.isspace()
        else:
            self.at_line_start = self.at_line_start and piece.isspace()

    def _consumed(self, end: int) -> int:
        self.at_line_start = False
        return end

    def _paragraph_end(self, pos: int) -> int:
        if self.para_end < pos:
            blank = _BLANK_LINE.search(self.text, pos)
            self.para_end = blank.start() if blank else len(self.text)
        return self.para_end

    def _fence(self, m: re.Match[str]) -> int:
        marker = m.group().lstrip(" \t")
        char, length = marker[0], len(marker)
        line_end = self.text.find("\n", m.end())
        if line_end >= 0 and length < self.failed_fences.get(char, 1 << 30):
            close = _fence_close(char, length).search(self.text, line_end + 1)
            if close is not None:
                self._add(self.text[m.start() : close.end()])
                return self._consumed(close.end())
            self.failed_fences[char] = length  # no closing fence this long anywhere below
        self._add(m.group())
        return m.end()

    def _esm(self, m: re.Match[str]) -> int:
        if len(self.stack) > 1:  # ES module lines only exist at the top level
            self._add(m.group())
            return m.end()
        end = _ESM_END.search(self.text, m.end())
        self.at_line_start = True
        return end.start() + 1 if end else len(self.text)

    def _code_span(self, m: re.Match[str]) -> int:
        length, start = len(m.group()), m.end()
        limit = self._paragraph_end(start)
        if (length, limit) not in self.failed_ticks:
            close = _tick_close(length).search(self.text, start, limit)
            if close is not None:
                self._add(self.text[m.start() : close.end()])
                return close.end()
            self.failed_ticks.add((length, limit))
        self._add(m.group())
        return m.end()

    def _comment(self, m: re.Match[str]) -> int:
        end = -1 if self.comment_failed else self.text.find("-->", m.end())
        if end < 0:
            self.comment_failed = True
            self._add(m.group())
            return m.end()
        return self._consumed(end + 3)

    def _expression(self, start: int) -> int:
        end = _match_brace(self.text, start)
        if end < 0:
            self.literal_until = max(self.literal_until, -end)
            self._add("{")
            return start + 1
        return self._consumed(end)

    def _tag(self, start: int) -> int:
        text = self.text
        if text.startswith("<>", start) or text.startswith("</>", start):
            return self._consumed(start + (2 if text[start + 1] == ">" else 3))
        if text[start + 1] == "/":
            close = _CLOSE_TAG.match(text, start)
            if close is None:
                self._add("<")
                return start + 1
            self._close(close.group(1) or "")
            return self._consumed(close.end())
        parsed = _parse_open_tag(text, start)
        if isinstance(parsed, int):
            self.literal_until = max(self.literal_until, parsed)
            self._add("<")
            return start + 1
        name, attrs, self_closing, end = parsed
        node = Node(name, attrs, block=self.at_line_start)
        self.stack[-1].children.append(node)
        if not self_closing and name.lower() not in _VOID_TAGS:
            if len(self.stack) > MAX_DEPTH:
                raise ExtractError(
                    f"the MDX nests components more than {MAX_DEPTH} deep; "
                    "this does not look like a changelog page"
                )
            self.stack.append(node)
            self.open_names[name] = self.open_names.get(name, 0) + 1
        return self._consumed(end)

    def _close(self, name: str) -> None:
        if not self.open_names.get(name):
            return  # a stray closing tag: MDX would refuse the page; we skip the tag
        while len(self.stack) > 1:
            node = self.stack.pop()
            self.open_names[node.name] -= 1
            if node.name == name:
                return


def _parse_open_tag(text: str, start: int) -> tuple[str, dict[str, AttrValue], bool, int] | int:
    """The tag at `start` as (name, attributes, self-closing, end), or how far it was read."""
    name_match = _TAG_NAME.match(text, start + 1)
    if name_match is None:
        return start + 1
    name = name_match.group()
    attrs: dict[str, AttrValue] = {}
    pos = name_match.end()
    while True:
        step = _ATTR_STEP.match(text, pos)
        if step is None or (step.end() == pos and not step.group(1)):
            return pos
        ending, attr, equals, spread = step.group(1, 2, 3, 4)
        if ending:
            return name, attrs, ending == "/>", step.end()
        if spread:
            end = _match_brace(text, step.end() - 1)
            if end < 0:
                return -end
            pos = end
            continue
        pos = step.end()
        if not equals:
            attrs.setdefault(attr, None)  # a boolean attribute
            continue
        quote = text[pos : pos + 1]
        if quote in _QUOTED:
            value = _QUOTED[quote].match(text, pos)
            if value is None:
                return _paragraph_limit(text, pos)
            attrs.setdefault(attr, value.group(1))
            pos = value.end()
        elif quote == "{":
            end = _match_brace(text, pos)
            if end < 0:
                return -end
            attrs.setdefault(attr, _expression_value(text[pos + 1 : end - 1]))
            pos = end
        else:
            return pos


def _paragraph_limit(text: str, pos: int) -> int:
    blank = _BLANK_LINE.search(text, pos)
    return blank.start() if blank else len(text)


def _match_brace(text: str, start: int) -> int:
    """The end of the `{…}` expression at `start`, or minus how far it was read when unclosed.

    Strings, template literals and comments are skipped; an expression never spans a blank line.
    """
    depth, pos = 0, start
    while True:
        m = _BRACE_STEP.search(text, pos)
        if m is None:
            return -len(text)
        tok = m.group()
        if tok == "{":
            depth += 1
            pos = m.end()
        elif tok == "}":
            depth -= 1
            if depth == 0:
                return m.end()
            pos = m.end()
        elif tok in _JS_STRING:
            string = _JS_STRING[tok].match(text, m.start())
            if string is None:
                return -_paragraph_limit(text, m.start())
            pos = string.end()
        elif tok == "/*":
            end = text.find("*/", m.end())
            if end < 0:
                return -len(text)
            pos = end + 2
        elif tok == "//":
            end = text.find("\n", m.end())
            pos = end if end >= 0 else len(text)
        else:  # a blank line
            return -m.start()


def _expression_value(source: str) -> AttrValue:
    """A JS attribute expression as a string (a string literal) or a dict (an object literal)."""
    source = source.strip()
    quote = source[:1]
    if quote in _JS_STRING:
        m = _JS_STRING[quote].fullmatch(source)
        return _js_unescape(source[1:-1]) if m else None
    if quote == "{":
        pairs: dict[str, str] = {}
        for key, value in _JS_PAIR.findall(source):
            pairs.setdefault(key.strip("\"'"), _js_unescape(value[1:-1]))
        return pairs
    return None


def _js_unescape(s: str) -> str:
    return _JS_ESCAPE.sub(lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
