"""Changelogs in reStructuredText (Sphinx `whats_new.rst`, `CHANGES.rst`, `HISTORY.rst`) -> entries.

A small line scanner, not docutils: docutils takes ~3 s on a 1 MB file, reports every Sphinx role
(`:class:`, `:issue:`) as an error, and would be a new dependency. The scanner only needs what
splits a changelog into entries and what a reader of the rendered page sees:

- Section titles by adornment (underline only, or overline and underline); levels follow the
  order in which each adornment style first appears, as in docutils. A `.. _label:` target right
  before a title is its anchor.
- Everything else is a block of text with the markup a reader never sees removed: roles reduced
  to their shown text (`:class:`~a.B`` -> `B`), inline markup and link targets dropped, comments
  and directive options dropped, admonition bodies kept.

Entries are the sections at the level where most titles carry a version or a date. Inside one,
a run of "pseudo-headings" (a paragraph that is only an emphasised date, or "Released 6.1.0")
starts an entry of its own, which old changelogs use instead of titles. Identity (the key) is
the version in the title, else its date, else its slug: never a position, and never the date
line under a title, so a placeholder ("*Released TBD*") filled in later keeps the key.

Linear in the size of the page: every regex below only scans up to the next delimiter.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from radar.errors import ExtractError
from radar.extract.blocks import Block
from radar.extract.common import decode_body, make_item, require_items, unique_keys
from radar.model import FetchResult, Item, Source
from radar.text import as_datetime, find_date, normalize_text, slugify

_ADORNMENT_CHARS = frozenset(string.punctuation)
# docutils reads an underline shorter than its title as text when it is this short.
_MIN_SHORT_UNDERLINE = 4
MAX_LEVEL = 6
# A date line or pseudo-heading is a short paragraph, never a sentence.
MAX_MARKER_CHARS = 80
# Control characters (other than whitespace) in the first 64 KB that make a body binary.
_BINARY_PROBE = 65536
_BINARY_CHARS = tuple(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v")
_SNIFF_CHARS = 65536
_RST_SIGNS = re.compile(
    r"^\.\.[ \t]+(?:_[^:\n]+:|[\w:-]+::|\|[^|\n]+\|)|:[a-z][\w:-]*:`[^`\n]+`|``[^`\n]+``|"
    r"`[^`\n]+ <[^>\n]+>`__?",
    re.MULTILINE,
)
_MD_SIGNS = re.compile(r"^#{1,6}[ \t]+\S|^(?:```|~~~)|\]\([^)\s]+\)|^\[[^\]\n]+\]:\s", re.MULTILINE)
# Characters that may start markup inside a paragraph; a line with none of them is plain text.
_PLAIN = re.compile(r"[\\`*|_\[:]")

_BULLET = re.compile(r"^(?:[-*+\u2022\u2023\u2043]|\d+[.)]|\(\d+\)|#[.)]|[a-zA-Z][.)])\s+")
_FIELD = re.compile(r"^:([^:`\s][^:`]*):(?:\s+|$)")
_OPTION = re.compile(r"^:[\w-]+:(?:\s|$)")
_EXPLICIT = re.compile(r"^\.\.(?:\s|$)")
_DIRECTIVE = re.compile(r"^\.\.\s+([\w.:+-]+?)::(?:\s+(.*))?$")
_TARGET = re.compile(r"^\.\.\s+_(`[^`]+`|[^:`]+):(?:\s*(.*))?$")
_SUBSTITUTION = re.compile(r"^\.\.\s+\|([^|]+)\|\s+([\w.:+-]+)::\s*(.*)$")
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
# Sphinx adds "()" to the shown name of functions and methods (add_function_parentheses).
_CALLABLE_ROLES = frozenset({"func", "meth", "py:func", "py:meth", "c:func", "cpp:func"})

# One pass over a paragraph: the first alternative that matches at a position wins, so the
# content of a literal or a role is never read again as markup. Every alternative's content
# stops at the next delimiter, which keeps the pass linear on hostile input.
_INLINE = re.compile(
    r"""
    \\(?P<esc>.)                                                      # backslash escape
  | (?<![\w\\])``(?P<lit>(?:[^`]|`(?!`))+)``(?![\w])                  # ``literal``
  | (?<![\w\\`]):(?P<role>[A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):
      `(?P<rtext>[^`]+)`(?![\w`])                                     # :role:`text`
  | (?<![\w\\`])`(?P<itext>[^`]+)`
      (?::(?P<srole>[A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):|__?)?(?![\w`])  # `text`, `x`_
  | (?<![\w\\*])\*\*(?P<strong>(?:[^*\\]|\\.|\*(?!\*))+)(?<=\S)\*\*(?![\w*])  # **strong**
  | (?<![\w\\*])\*(?P<em>(?:[^*\\]|\\.)+)(?<=\S)\*(?![\w*])          # *emphasis*
  | (?<![\w\\|])\|(?P<subst>[^|\s](?:[^|]*[^|\s])?)\|(?:__?)?(?![\w|])  # |substitution|
  | (?<![\w\\])\[(?P<fnote>\#[\w-]*|\*|\d+|[A-Za-z][\w.-]*)\]_(?![\w])  # [1]_ [#x]_ [CIT]_
  | (?<![\w\\`])(?P<ref>[A-Za-z0-9]+(?:[-.+][A-Za-z0-9]+|_(?=[A-Za-z0-9]))*)__?(?![\w])  # ref_
    """,
    re.VERBOSE | re.DOTALL,
)
_EXPLICIT_TITLE = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]*)>$", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_STRONG_PARAGRAPH = re.compile(r"^\*{1,2}[^*\s](?:.*[^*\s])?\*{1,2}$", re.DOTALL)

_VERSION = r"v?\d+(?:\.\d+)+(?:[-.]?(?:alpha|beta|dev|post|pre|rc|a|b|c)\.?\d*)*"
_VERSION_IN_TITLE = re.compile(rf"(?<![\w.-])({_VERSION})(?![\w.]*\w)", re.IGNORECASE)
_LABELLED_NUMBER = re.compile(r"\b(?:version|release|v)\s*(\d+)\b(?!\.\d)", re.IGNORECASE)
_VERSION_ONLY = re.compile(rf"^{_VERSION}$", re.IGNORECASE)
_MARKER_LABEL = re.compile(
    r"^(?:released|release\s+date|release|version|date|published|tagged)\b\s*:?\s*(?:on\b)?\s*",
    re.IGNORECASE,
)
_MARKER_NOISE = re.compile(r"[\s()\[\],:|-]+|\bon\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Node:
    """One block of the page, with what the splitter needs beyond the `Block`."""

    block: Block
    # The paragraph is one emphasised or strong phrase ("**2017-06-18**"): a pseudo-heading.
    emphasised: bool = False


@dataclass(frozen=True, slots=True)
class _Marker:
    """A date line or pseudo-heading: a paragraph that is only a version and/or a date."""

    version: str | None
    day: date | datetime | None


def extract_changelog_rst(source: Source, result: FetchResult) -> list[Item]:
    """Entries of a reStructuredText changelog: one per version or date section."""
    text = decode_body(result)
    head = text[:_BINARY_PROBE]
    if sum(head.count(ch) for ch in _BINARY_CHARS) > len(head) // 100:
        raise ExtractError("the body is binary data, not reStructuredText")
    try:
        nodes = _scan(text)
        items = _split(nodes, source.url, result.fetched_at)
    except (RecursionError, ValueError, IndexError) as exc:  # a last line of defence
        raise ExtractError(f"the reStructuredText could not be read: {exc}") from exc
    if not items and not any(n.block.level for n in nodes):
        raise ExtractError("no entries found: the reStructuredText has no section titles")
    return require_items(
        items, "the reStructuredText has no version or date sections with text under them"
    )


def rst_blocks(text: str) -> list[Block]:
    """The page as section titles (with level and anchor), paragraphs and top-level list items."""
    return [n.block for n in _scan(text)]


def looks_like_rst(text: str) -> bool:
    """Whether `text` is reStructuredText rather than Markdown or HTML (a cheap structural look).

    Titles underlined with `=` or `-` say nothing (Markdown's setext headings look the same).
    RST signs: explicit markup (`.. _label:`, `.. note::`), roles, ```literals```, `` `x <url>`_ ``
    links, and titles with an overline or another adornment. Markdown signs: `# ` headings,
    `[x](y)` links, fenced code. A leading `<` is HTML.
    """
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return False
    lines = head.splitlines()
    rst = 2 * len(_RST_SIGNS.findall(head))
    md = 2 * len(_MD_SIGNS.findall(head))
    for i, line in enumerate(lines):
        if not _is_adornment(line):
            continue
        if _title_at(lines, i) is not None:
            rst += 3  # an overlined title
        elif line[0] not in "=-" and i and lines[i - 1].strip() and _title_at(lines, i - 1):
            rst += 3  # a title underlined with a character Markdown has no use for
    return rst > md and rst >= 2


# --- scanning -------------------------------------------------------------------------------


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
                nodes.append(_Node(Block(shown, item=is_item)))
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
    """What a reader sees of some lines: paragraphs joined with spaces, markup removed.

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
    return normalize_text(" ".join(part for part in out if part))


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


def _inline(text: str, subs: dict[str, str]) -> str:
    """`text` with inline markup reduced to what a reader sees."""
    if not any(ch in text for ch in "\\`*|_["):
        return normalize_text(text)
    return normalize_text(_INLINE.sub(lambda m: _shown(m, subs), text))


def _shown(match: re.Match[str], subs: dict[str, str]) -> str:
    group = match.lastgroup
    value = match.group(group) if group else match.group(0)
    if group == "esc":
        return "" if value.isspace() else value
    if group == "lit":
        return value
    if group == "rtext":
        return _role_text(match.group("role"), value)
    if group in ("itext", "srole"):
        return _role_text(match.group("srole") or "", match.group("itext"))
    if group in ("strong", "em"):
        return _ESCAPE.sub(r"\1", value)
    if group == "subst":
        return subs.get(value, "")
    if group == "fnote":
        # A footnote shows as a superscript number; a citation as its label in brackets.
        return "" if value[0] in "#*" or value.isdigit() else f"[{value}]"
    return value  # a named reference (`name_`) shows its name


def _role_text(role: str, content: str) -> str:
    """What Sphinx shows for `:role:`content`` (or a hyperlink reference's text)."""
    content = _ESCAPE.sub(r"\1", content).strip()
    explicit = _EXPLICIT_TITLE.match(content)
    if explicit and explicit.group("title"):
        return explicit.group("title")
    if explicit:
        content = explicit.group("target")  # `<https://...>`_ shows the URL
    content = content.lstrip("!")
    if content.startswith("~"):
        content = content[1:].rsplit(".", 1)[-1]
    if role.lower() in _CALLABLE_ROLES and content and not content.endswith(")"):
        content += "()"
    return content


# --- splitting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    title: str
    body: tuple[Block, ...]
    heading: Block
    published: date | datetime | None


def _split(nodes: Sequence[_Node], page_url: str | None, fetched_at: datetime | None) -> list[Item]:
    titles = {i: _title_identity(n.block.text) for i, n in enumerate(nodes) if n.block.level}
    entries: list[_Entry] = []
    if not titles:
        # No titles at all: pseudo-headings are the only structure there is.
        entries = _pseudo_entries(list(nodes), None, None, fetched_at)
    else:
        level, starts = _entry_level(nodes, titles)
        for start, end in _sections(nodes, level, starts):
            heading, body = nodes[start].block, list(nodes[start + 1 : end])
            entries.extend(_section_entries(heading, titles[start], body, fetched_at))
    items = [_item(entry, page_url) for entry in entries]
    return unique_keys(items)


def _entry_level(nodes: Sequence[_Node], titles: dict[int, _Marker]) -> tuple[int, frozenset[int]]:
    """The title level of entries, and titles above it that are entries too (by identity)."""
    released = Counter(nodes[i].block.level for i, t in titles.items() if t.version or t.day)
    if released:
        best = max(released.values())
        level = min(lvl for lvl, count in released.items() if count == best)
        # A release title one level too high (a common slip) is still an entry.
        starts = frozenset(
            i for i, t in titles.items() if nodes[i].block.level < level and (t.version or t.day)
        )
        return level, starts
    # No title names a version or a date: the highest level with several distinct titles.
    texts: dict[int, set[str]] = {}
    counts: Counter[int] = Counter()
    for i in titles:
        block = nodes[i].block
        texts.setdefault(block.level, set()).add(block.text)
        counts[block.level] += 1
    for lvl in sorted(texts):
        if counts[lvl] > 1 and len(texts[lvl]) > 1:
            return lvl, frozenset()
    return min(texts), frozenset()


def _sections(nodes: Sequence[_Node], level: int, starts: frozenset[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, node in enumerate(nodes):
        lvl = node.block.level
        if lvl and (lvl <= level or i in starts):
            if start is not None:
                out.append((start, i))
            start = i if lvl == level or i in starts else None
    if start is not None:
        out.append((start, len(nodes)))
    return out


def _section_entries(
    heading: Block, title: _Marker, body: list[_Node], fetched_at: datetime | None
) -> list[_Entry]:
    pseudo = _pseudo_entries(body, heading, title, fetched_at)
    if pseudo:
        return pseudo
    published = _not_after(title.day, fetched_at)
    first = _marker(body[0]) if body else None
    if first is not None and first.version is None:
        # The date line under the title ("*Released 2020-03-30*", ":Date: ...").
        published = published or _not_after(first.day, fetched_at)
        body = body[1:]
    blocks = tuple(n.block for n in body)
    if not _has_content(blocks):
        return []
    return [_Entry(_key(title.version, published, heading.text), heading.text, blocks, heading,
                   published)]  # fmt: skip


def _pseudo_entries(
    nodes: list[_Node], heading: Block | None, title: _Marker | None, fetched_at: datetime | None
) -> list[_Entry]:
    """Entries started by pseudo-headings ("**2017-06-18**" then "*Released 6.1.0*").

    Fewer than two pseudo-headings is not this pattern (one is a section's own date line), and
    then nothing is returned.
    """
    groups: list[tuple[list[tuple[_Node, _Marker]], list[Block]]] = []
    lead: list[Block] = []
    for node in nodes:
        marker = _marker(node)
        if marker is not None:
            if not groups or groups[-1][1] or _clashes(groups[-1][0], marker):
                groups.append(([], []))
            groups[-1][0].append((node, marker))
        elif groups:
            groups[-1][1].append(node.block)
        else:
            lead.append(node.block)
    if len(groups) < 2:
        return []
    out: list[_Entry] = []
    if heading is not None and title is not None and _has_content(lead):
        published = _not_after(title.day, fetched_at)
        key = _key(title.version, published, heading.text)
        out.append(_Entry(key, heading.text, tuple(lead), heading, published))
    for n, (markers, body) in enumerate(groups):
        if not _has_content(body):
            continue
        version = next((m.version for _, m in markers if m.version), None)
        day = _not_after(next((m.day for _, m in markers if m.day), None), fetched_at)
        named = next((node for node, m in markers if m.version), markers[0][0])
        text = named.block.text
        if n == 0 and version is None and heading and title and title.version and not out:
            # "Version 2.0" whose first lines are its date: that part is the title's own entry.
            version, text = title.version, heading.text
        anchor_of = heading or Block(text, level=1)
        out.append(_Entry(_key(version, day, text), text, tuple(body), anchor_of, day))
    return out


def _key(version: str | None, day: date | datetime | None, title: str) -> str:
    """Identity: the version, else the date, else the title's slug (never a position).

    "v1.3.0" and "1.3.0" are one release, so a title that gains or loses the "v" keeps its key.
    """
    if version:
        return version.lower().removeprefix("v")
    return _day(day) or slugify(title) or "entry"


def _clashes(markers: list[tuple[_Node, _Marker]], new: _Marker) -> bool:
    has_version = any(m.version for _, m in markers)
    has_day = any(m.day for _, m in markers)
    return bool((new.version and has_version) or (new.day and has_day))


def _marker(node: _Node) -> _Marker | None:
    """The version and/or date of a paragraph that is nothing else, or None.

    A plain paragraph needs a label ("Released 6.1.0", "Date: 2020-03-30"); an emphasised one
    ("**2017-06-18**", "*v6.1.0*") does not.
    """
    block = node.block
    if block.level or block.item or len(block.text) > MAX_MARKER_CHARS:
        return None
    text = block.text.strip(" .()[]")
    label = _MARKER_LABEL.match(text)
    if label is None and not node.emphasised:
        return None
    rest = text[label.end() :] if label else text
    day: date | datetime | None = None
    found = find_date(rest)
    if found is not None:
        day, start, end = found
        rest = normalize_text(rest)
        rest = rest[:start] + " " + rest[end:]
    rest = _MARKER_NOISE.sub(" ", rest).strip()
    version: str | None = None
    if rest:
        if _VERSION_ONLY.match(rest) or (label and rest.isdigit()):
            version = rest
        else:
            return None
    if version is None and day is None:
        return None
    return _Marker(version, day)


def _title_identity(title: str) -> _Marker:
    """The version a title names ("v1.3.0", "Version 12.4.2", "Release 5") and its date."""
    text = normalize_text(title)
    found = find_date(text)
    day = found[0] if found else None
    if found is not None:
        text = text[: found[1]] + " " + text[found[2] :]  # "2020.01.15" is a date, not a version
    match = _VERSION_IN_TITLE.search(text)
    if match:
        return _Marker(match.group(1), day)
    labelled = _LABELLED_NUMBER.search(text)
    return _Marker(labelled.group(1) if labelled else None, day)


def _not_after(
    value: date | datetime | None, fetched_at: datetime | None
) -> date | datetime | None:
    """`value`, unless it is after the fetch (a planned date, or a typo): then no date."""
    if value is None or fetched_at is None:
        return value
    when = as_datetime(value)
    limit = fetched_at if fetched_at.tzinfo else as_datetime(fetched_at)
    return value if when is not None and limit is not None and when <= limit else None


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _has_content(blocks: Sequence[Block]) -> bool:
    return any(b.text and not b.level for b in blocks)


def _item(entry: _Entry, page_url: str | None) -> Item:
    anchor = entry.heading.anchor or _html_id(entry.heading.text)
    url = f"{page_url.split('#', 1)[0]}#{anchor}" if page_url and anchor else page_url
    text = " ".join(b.text for b in entry.body if b.text)
    return make_item(entry.key, entry.title, text, url, entry.published)
