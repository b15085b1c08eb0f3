"""Entry bodies: components rendered back to Markdown, and that Markdown read into text.

`segments` turns a component's children back into Markdown flows (a block component's body
is its own flow; inline components keep only their text). `read_markdown` then takes the
first heading and the readable text of an entry body.

Entry bodies are read line by line (headings, lists, fences, then `inline_text`) rather than
with markdown-it: MDX has no indented code blocks, so the light reading is exact enough, and
markdown-it alone costs ~25 ms per 100 KB.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from radar.extract.markdown_inline import inline_text
from radar.extract.mdplain import HEADING_ANCHOR
from radar.extract.mdx.tags import Node


def segments(node: Node, out: list[str], dedent: bool) -> None:
    """The Markdown flows of `node`: a block component's body is its own flow (segment)."""
    current: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            current.append(child)
        elif child.block:
            _flush(current, out, dedent)
            current = []
            title = child.text_attr("title")
            if title:
                out.append(title)
            segments(child, out, dedent)
        else:
            _inline(child, current)
    _flush(current, out, dedent)


def _inline(node: Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        else:
            _inline(child, out)


def _flush(parts: list[str], out: list[str], dedent: bool) -> None:
    if not parts:
        return
    segment = "".join(parts)
    if not segment.strip():
        return
    out.append(_dedent(segment) if dedent else segment)


def _dedent(segment: str) -> str:
    """`segment` without the indentation its lines share (the text after a tag is its own line)."""
    first, _, rest = segment.partition("\n")
    lines = rest.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    body = "\n".join(line[cut:] for line in lines)
    return f"{first.strip()}\n{body}" if first.strip() else body


# --- reading an entry's Markdown ------------------------------------------------------------

_ATX = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_BARE_ATX = re.compile(r"#{1,6}$")
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE_MARKER = re.compile(r"^(?:>[ \t]?)+")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})")
_RULE = re.compile(r"(?:[-*_][ \t]*){3,}$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?$")
# The inline rules run over up to this many characters at once: one call per entry is what
# keeps dense pages fast, and the cap keeps a huge hostile paragraph from going quadratic
# (the rules scan ahead from every emphasis marker).
MAX_INLINE_CHARS = 4000


class Body(NamedTuple):
    heading: str  # the first heading, as plain text
    text: str


def read_markdown(markdown: str) -> Body:
    """The first heading and readable text of a component body (MDX: indenting is not code)."""
    heading = ""
    pieces: list[str] = []
    batch: list[str] = []  # Markdown lines waiting for the inline rules
    size = 0
    fence = ""
    # `batch` takes lines up to MAX_INLINE_CHARS at once; the adding is written out in the
    # loop (a nested function cost a call per line).
    limit = MAX_INLINE_CHARS

    last = ""  # the previous line, for setext headings
    for raw in markdown.split("\n"):
        line = raw.strip()
        if fence:
            if line.startswith(fence) and not line.strip(fence[0]):
                fence = ""
            elif line:
                if batch:
                    pieces.append(inline_text("\n".join(batch)))
                    batch.clear()
                    size = 0
                pieces.append(line)  # code stays as written
            continue
        previous, last = last, line
        if not line:
            if size > limit and batch:
                pieces.append(inline_text("\n".join(batch)))
                batch.clear()
                size = 0
            batch.append("")
            size += 1
            continue
        first = line[0]
        if first in "`~" and _FENCE_OPEN.match(line):
            fence = line[: len(line) - len(line.lstrip(first))]
            continue
        if first == "#" and (atx := _ATX.match(line) or _BARE_ATX.match(line)):
            title = atx.group(2) if atx.lastindex else ""
            anchor = HEADING_ANCHOR.search(title)
            title = title[: anchor.start()] if anchor else title
            if not heading:
                heading = inline_text(title)
            for added in ("", title, ""):
                if size + len(added) > limit and batch:
                    pieces.append(inline_text("\n".join(batch)))
                    batch.clear()
                    size = 0
                batch.append(added)
                size += len(added) + 1
            continue
        if first in "=-" and _SETEXT.match(line) and previous and batch:
            if not heading and not _LIST_MARKER.match(previous):
                heading = inline_text(batch[-1])
            continue
        # A rule is only marker characters and spaces, a table's rule holds a "|": cheap tests
        # first, as most lines opening with "-" are bullets.
        if first in "-*_|:" and (
            (not line.strip("-*_ \t") and _RULE.match(line))
            or ("|" in line and _TABLE_RULE.match(line))
        ):
            continue
        if first == ">":
            line = _QUOTE_MARKER.sub("", line, count=1)
            if not line:
                continue
        if line[0] in "-*+0123456789" and (marker := _LIST_MARKER.match(line)):
            line = line[marker.end() :]
        if "|" in line and line.count("|") >= 2:
            line = line.strip("|").replace("|", " ")
        if size + len(line) > limit and batch:
            pieces.append(inline_text("\n".join(batch)))
            batch.clear()
            size = 0
        batch.append(line)
        size += len(line) + 1
    if batch:
        pieces.append(inline_text("\n".join(batch)))
    return Body(heading, " ".join(p for p in pieces if p))
