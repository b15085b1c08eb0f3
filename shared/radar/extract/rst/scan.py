"""The line scanner: a reStructuredText page -> blocks (section titles, paragraphs, list items).

Titles are found by their adornment (underline, or overline and underline) and get levels in
the order each style first appears; a `.. _label:` target right before a title is its anchor.
Directives, comments, options, tables and literal blocks are read line by line (`_render`) and
reduced to the text a reader sees; inline markup in that text goes through `inline`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from radar.extract.blocks import Block
from radar.extract.rst.inline import _inline
from radar.text import normalize_lines, normalize_text

_ADORNMENT_CHARS = frozenset(string.punctuation)
# docutils reads an underline shorter than its title as text when it is this short.
_MIN_SHORT_UNDERLINE = 4
MAX_LEVEL = 6
# A date line or pseudo-heading is a short paragraph, never a sentence.
MAX_MARKER_CHARS = 80
# Characters that may start markup inside a paragraph; a line with none of them is plain text.
_PLAIN = re.compile(r"[\\`*|_\[:]")

_BULLET = re.compile(r"^(?:[-*+\u2022\u2023\u2043]|\d+[.)]|\(\d+\)|#[.)]|[a-zA-Z][.)])\s+")
_FIELD = re.compile(r"^:([^:`\s][^:`]*):(?:\s+|$)")
_OPTION = re.compile(r"^:[\w-]+:(?:\s|$)")
_EXPLICIT = re.compile(r"^\.\.(?:\s|$)")
_DIRECTIVE = re.compile(r"^\.\.\s+([\w.:+-]+?)::(?:\s+(.*))?$")
_TARGET = re.compile(r"^\.\.\s+_(`[^`]+`|[^:`]+):(?:\s*(.*))?$")
_SUBSTITUTION = re.compile(r"^\.\.\s+\|([^|]+)\|\s+([\w.:+-]+)::\s*(.*)$")
# A release line of the Sphinx `releases` extension: "* :release:`1.11.5 <2014-03-13>`".
_RELEASE_ROLE = re.compile(r"[-*+]\s+:release:`\s*([^`<\s]+)\s*<([^>`]+)>\s*`\s*")
_TABLE_BORDER = re.compile(r"^[=+\-|:\s]*[=+-]{3,}[=+\-|:\s]*$")
_WORD_SEP = re.compile(r"[^a-z0-9]+")

# Directives whose body a reader never sees as prose (navigation, images, raw markup, settings).
_HIDDEN_DIRECTIVES = frozenset(
    {
        "toctree",
        "image",
        "figure",
        "raw",
        "include",
        "literalinclude",
        "meta",
        "contents",
        "sectnum",
        "header",
        "footer",
        "highlight",
        "currentmodule",
        "module",
        "default-role",
        "role",
        "index",
        "tabularcolumns",
        "autosummary",
        "graphviz",
        "plot",
        "mermaid",
        "target-notes",
        "title",
    }
)
# Directives whose argument is shown as text (a title or a version), not as a setting.
_SHOWN_ARGUMENT = frozenset(
    {
        "admonition",
        "versionadded",
        "versionchanged",
        "deprecated",
        "versionremoved",
        "rubric",
        "topic",
        "sidebar",
        "seealso",
        "note",
        "warning",
        "tip",
        "hint",
        "important",
        "caution",
        "danger",
        "attention",
        "error",
    }
)
_CODE_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "parsed-literal", "doctest"})
_STRONG_PARAGRAPH = re.compile(r"^\*{1,2}[^*\s](?:.*[^*\s])?\*{1,2}$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Node:
    """One block of the page, with what the splitter needs beyond the `Block`."""

    block: Block
    # The paragraph is one emphasised or strong phrase ("**2017-06-18**"): a pseudo-heading.
    emphasised: bool = False
    # A `releases` release line's version and date as written ("1.11.5", "2014-03-13").
    release: tuple[str, str] | None = None


def _scan(text: str) -> list[_Node]:
    lines = [line.rstrip() for line in text.expandtabs(8).splitlines()]
    substitutions = _substitutions(lines)
    styles: dict[tuple[str, bool], int] = {}
    nodes: list[_Node] = []
    anchor = ""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        title = _title_at(lines, i)
        if title is not None:
            heading, style, i = title
            level = styles.setdefault(style, len(styles) + 1)
            shown = _inline(heading, substitutions)
            nodes.append(_Node(Block(shown, level=min(level, MAX_LEVEL), anchor=anchor)))
            anchor = ""
            continue
        indent = _indent(line)
        stripped = line.lstrip()
        if _is_adornment(line) and _blank(lines, i - 1) and _blank(lines, i + 1):
            i += 1  # a transition (horizontal rule)
            continue
        if _EXPLICIT.match(stripped):
            end = _indented_end(lines, i + 1, indent)
            target = _TARGET.match(stripped)
            if target and not (target.group(2) or "").strip() and end == i + 1:
                # An internal target names whatever follows it: the next title, if one does.
                anchor = anchor or _html_id(target.group(1).strip("`"))
            elif _DIRECTIVE.match(stripped):  # comments, targets, footnotes show nothing here
                shown = _render(lines[i:end], substitutions)
                if shown:
                    nodes.append(_Node(Block(shown)))
                    anchor = ""
            i = end
            continue
        if _BULLET.match(stripped) or _FIELD.match(stripped):
            end = _indented_end(lines, i + 1, indent)
            shown = _render(lines[i:end], substitutions)
            if shown:
                is_item = indent == 0 and bool(_BULLET.match(stripped))
                role = _RELEASE_ROLE.fullmatch(stripped) if ":release:" in stripped else None
                release = (role.group(1), role.group(2).strip()) if role and is_item else None
                nodes.append(_Node(Block(shown, item=is_item), release=release))
                anchor = ""
            i = end
            continue
        # A paragraph: lines at its indent, up to a blank line, a title or a list.
        end = i + 1
        while end < n and lines[end] and _indent(lines[end]) == indent:
            if _title_at(lines, end) is not None:
                break
            end += 1
        own = lines[i:end]
        raw = " ".join(part.strip() for part in own)
        plain = not _PLAIN.search(raw) and not _TABLE_BORDER.match(raw)
        shown = normalize_text(raw) if plain else _render(own, substitutions)
        # What the paragraph owns: a definition, a literal block or a quote indented under it.
        deeper = _indented_end(lines, end, indent)
        if shown:
            emphasised = len(raw) <= MAX_MARKER_CHARS and bool(_STRONG_PARAGRAPH.match(raw))
            nodes.append(_Node(Block(shown), emphasised=emphasised))
            anchor = ""
        if deeper > end:
            literal = raw.endswith("::")
            shown = _render(lines[end:deeper], substitutions, literal=literal)
            if shown:
                nodes.append(_Node(Block(shown)))
        i = deeper
    return nodes


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _blank(lines: Sequence[str], i: int) -> bool:
    return i < 0 or i >= len(lines) or not lines[i]


def _is_adornment(line: str) -> bool:
    return len(line) >= 2 and line[0] in _ADORNMENT_CHARS and line == line[0] * len(line)


def _title_at(lines: Sequence[str], i: int) -> tuple[str, tuple[str, bool], int] | None:
    """(title, adornment style, index after it) when a section title starts at line `i`."""
    line = lines[i]
    n = len(lines)
    if not line or line[0].isspace() or (i + 1 < n and not lines[i + 1] and line[0].isalnum()):
        return None
    if _is_adornment(line):
        if i + 2 < n and lines[i + 1].strip() and lines[i + 2] == line:
            title = lines[i + 1].strip()
            if not _is_adornment(title) and len(line) >= min(len(title), _MIN_SHORT_UNDERLINE):
                return title, (line[0], True), i + 3
        return None
    if i + 1 >= n or not _is_adornment(lines[i + 1]):
        return None
    under = lines[i + 1]
    if len(under) < len(line.strip()) and len(under) < _MIN_SHORT_UNDERLINE:
        return None
    if _EXPLICIT.match(line) or (line[0] in "-*+\u2022" and line[1:2] == " "):
        return None
    return line.strip(), (under[0], False), i + 2


def _indented_end(lines: Sequence[str], start: int, indent: int) -> int:
    """The index after the lines from `start` that are blank or indented more than `indent`."""
    end = last = start
    while end < len(lines) and (not lines[end] or _indent(lines[end]) > indent):
        end += 1
        if lines[end - 1]:
            last = end
    return last


def _html_id(label: str) -> str:
    """The HTML id docutils gives a label (`_vp1p3p0` -> `vp1p3p0`, `Whats_New` -> `whats-new`)."""
    return _WORD_SEP.sub("-", label.casefold()).strip("-")


def _substitutions(lines: Sequence[str]) -> dict[str, str]:
    """`|name|` -> its text, for `.. |name| replace:: text` (definitions may follow their use)."""
    out: dict[str, str] = {}
    for line in lines:
        if line.startswith(".. |"):
            match = _SUBSTITUTION.match(line)
            if match and match.group(2) in ("replace", "unicode"):
                shown = _inline(match.group(3), {}) if match.group(2) == "replace" else ""
                out.setdefault(match.group(1).strip(), shown)
    return out


def _render(lines: Sequence[str], subs: dict[str, str], *, literal: bool = False) -> str:
    """What a reader sees of some lines: a line per paragraph or list item, markup removed.

    Nested blocks are read line by line with a few thresholds (no recursion): the body of a
    comment or a hidden directive is skipped, a directive's options are dropped, and a literal
    block (after `::` or in `.. code-block::`) is kept as it is.
    """
    if len(lines) == 1 and not literal and not _EXPLICIT.match(lines[0].lstrip()):
        return _one_line(lines[0].strip(), subs)  # most list items: the loop below is 4x slower
    out: list[str] = []
    paragraph: list[str] = []
    skip_above: int | None = None  # skip lines indented more than this (comment bodies)
    options_above: int | None = None  # drop `:option:` lines right after a directive
    literal_above: int | None = -1 if literal else None  # keep lines indented more than this
    for line in lines:
        if not line.strip():
            if paragraph:
                out.append(_paragraph_text(paragraph, subs))
                paragraph = []
            options_above = None
            continue
        indent = _indent(line)
        if skip_above is not None:
            if indent > skip_above:
                continue
            skip_above = None
        stripped = line.strip()
        if options_above is not None:
            if indent > options_above and _OPTION.match(stripped):
                continue
            options_above = None
        if literal_above is not None:
            if indent > literal_above:
                out.append(stripped)
                continue
            literal_above = None
        if _EXPLICIT.match(stripped):
            if paragraph:
                out.append(_paragraph_text(paragraph, subs))
                paragraph = []
            directive = _DIRECTIVE.match(stripped)
            name = directive.group(1).lower().rsplit(":", 1)[-1] if directive else ""
            if not directive or name in _HIDDEN_DIRECTIVES:
                skip_above = indent  # a comment, a target, a footnote mark-up or a hidden body
                continue
            argument = (directive.group(2) or "").strip()
            if name in _SHOWN_ARGUMENT and argument:
                paragraph.append(argument)
            if name in _CODE_DIRECTIVES:
                literal_above = indent
            options_above = indent
            continue
        if _TABLE_BORDER.match(stripped):
            continue
        if stripped.startswith("|") and not stripped.startswith("||"):
            stripped = stripped.strip("|").replace(" | ", " ")  # line blocks, grid table rows
        stripped = _BULLET.sub("", stripped, count=1)
        field = _FIELD.match(stripped)
        if field:
            stripped = f"{field.group(1)}: {stripped[field.end() :]}".rstrip()
        if paragraph and (_BULLET.match(line.lstrip()) or field):
            out.append(_paragraph_text(paragraph, subs))
            paragraph = []
        paragraph.append(stripped)
        if stripped.endswith("::"):
            out.append(_paragraph_text(paragraph, subs))
            paragraph = []
            literal_above = indent
    if paragraph:
        out.append(_paragraph_text(paragraph, subs))
    # A line per paragraph or nested item ("Bug fixes" over its fixes), as blocks keep.
    return normalize_lines("\n".join(out))


def _one_line(line: str, subs: dict[str, str]) -> str:
    if _TABLE_BORDER.match(line):
        return ""
    line = _BULLET.sub("", line, count=1)
    field = _FIELD.match(line)
    if field:
        line = f"{field.group(1)}: {line[field.end() :]}"
    return _paragraph_text([line], subs)


def _paragraph_text(lines: list[str], subs: dict[str, str]) -> str:
    text = " ".join(lines)
    if text.endswith("::"):
        # "Example::" shows "Example:"; "Example ::" and a bare "::" show nothing of it.
        text = text[:-1] if len(text) > 2 and not text[-3].isspace() else text[:-2].rstrip()
    return _inline(text, subs)
