"""Changelog pages in Markdown -> blocks -> entries (the splitting rules live in `blocks`).

markdown-it-py finds the block structure (headings, paragraphs, lists, code, quotes). Its inline
pass is switched off: it triples the parse time on a 100 KB page and entries only need readable
text, which `_inline_text` gets by dropping link targets, emphasis markers and tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from radar.extract.blocks import Block, split_entries
from radar.extract.common import decode_body, require_items
from radar.model import FetchResult, Item, Source
from radar.text import html_to_text, normalize_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S
)
# Hugo shortcodes: a bare word (`{{<required>}}`, `{{%removed%}}`) is a label a reader sees, so
# it stays as "(removed)"; shortcodes with arguments (`relref`, `caption-link`) are plumbing.
_LABEL_SHORTCODE = re.compile(r"\{\{[<%]\s*([A-Za-z][\w-]*)\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
_HEADING_ANCHOR = re.compile(r"\s*\{#([\w.:-]+)[^}]*\}\s*$")
# Discord-style callouts (`> danger`) and GitHub alerts (`> [!NOTE]`) open with a label line.
_CALLOUT = re.compile(
    r"^\s*(?:\[!\w+\]|info|warn|warning|danger|preview|note|tip|important|caution)\s*\n",
    re.IGNORECASE,
)

# (character that must be present, pattern, replacement): the check skips most regexes per line.
#
# Each rule runs in linear time, whatever the line holds. A lazy "opener ... closer" pattern is
# tried from every opener, and a line with many openers and no closer (16 KB of `[`, `**a `
# repeated) made each try scan to the end of the line: quadratic, seconds per line. Where a
# failed try proves that every later opener fails too (or every opener up to some point), a
# last alternative consumes that stretch unchanged (`_kept`): the same output, one scan.
# Code spans follow CommonMark (the closing run of backticks is exactly as long as the opening
# one): the old `(`+)(.+?)\1` was cubic on a run of backticks.
_Rule = tuple[str, re.Pattern[str], "str | Callable[[re.Match[str]], str]"]


def _kept(group: int) -> Callable[[re.Match[str]], str]:
    """A replacement: `group` when the rule matched, the text as it was when a fallback did."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(group)
        return match.group(0) if found is None else found

    return replace


_INLINE_RULES: tuple[_Rule, ...] = (
    ("\\", re.compile(r"\\\r?\n"), " "),  # hard line break
    # image -> alt text; no `)` left: no later image can close either
    ("[", re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\Z|!\[[^\]]*"), _kept(1)),
    (  # link; a failed try fails for every `[` before the same `]`
        "[",
        re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[[^\]]*"),
        _kept(1),
    ),
    ("[", re.compile(r"\[([^\]]+)\]\[[^\]]*\]|\[[^\]]*"), _kept(1)),  # reference link
    ("<", re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolink
    ("<", re.compile(r"</?[A-Za-z][^<>]*>"), " "),  # inline HTML tag
    ("`", re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S), r"\2"),  # code span
    # strong and emphasis: whether a closer fits depends only on where it is, so when the first
    # opener finds none, no later one can: the rest of the line is kept as it is.
    ("*", re.compile(r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*|\*\*(?=\S).*", re.S), _kept(2)),
    ("_", re.compile(r"(__)(?=\S)(.+?)(?<=\S)__|__(?=\S).*", re.S), _kept(2)),
    (
        "*",
        re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w*])\*(?=\S).*", re.S),
        _kept(1),
    ),
    ("_", re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)|(?<!\w)_(?=\S).*", re.S), _kept(1)),
    ("~", re.compile(r"~~(.+?)~~|~~.*", re.S), _kept(1)),  # strikethrough
    ("\\", re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # backslash escape
)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.disable("inline")  # see the module docstring
    return md


def extract_changelog_markdown(source: Source, result: FetchResult) -> list[Item]:
    """Entries of a Markdown changelog or docs page."""
    text = decode_body(result)
    blocks = markdown_blocks(text)
    items = split_entries(blocks, source.url)
    return require_items(
        items, "the Markdown has no headings with text under them to split into entries"
    )


def markdown_blocks(text: str) -> list[Block]:
    """The page as headings, paragraphs and top-level list items (front matter dropped)."""
    text = _FRONT_MATTER.sub("", text, count=1)
    text = _SHORTCODE.sub("", _LABEL_SHORTCODE.sub(r"(\1)", text))
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    list_depth = 0
    quote_depth = 0
    heading_level = 0
    item_parts: list[str] | None = None  # text of the current top-level list item
    for tok in tokens:
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open" and list_depth == 1:
            item_parts = []
        elif kind == "list_item_close" and list_depth == 1 and item_parts is not None:
            blocks.append(Block(normalize_text(" ".join(item_parts)), item=True))
            item_parts = None
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "heading_open":
            heading_level = int(tok.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline" and heading_level:
            raw = tok.content
            match = _HEADING_ANCHOR.search(raw)
            anchor = match.group(1) if match else ""
            raw = raw[: match.start()] if match else raw
            blocks.append(Block(_inline_text(raw), level=heading_level, anchor=anchor))
        else:
            piece = _content_text(tok, quote_depth)
            if not piece:
                continue
            if item_parts is not None:
                item_parts.append(piece)
            else:
                blocks.append(Block(piece))
    return blocks


def _content_text(tok: object, quote_depth: int) -> str:
    kind = getattr(tok, "type", "")
    content: str = getattr(tok, "content", "")
    if kind == "inline":
        if quote_depth:
            content = _CALLOUT.sub("", content, count=1)
        return _inline_text(content)
    if kind in ("fence", "code_block"):
        return normalize_text(content)
    if kind == "html_block":
        return normalize_text(html_to_text(content))
    return ""


_MARKUP = re.compile(r"[\\\[`*_<~&]")


def _inline_text(raw: str) -> str:
    if _MARKUP.search(raw):  # most lines have no markup at all
        for trigger, pattern, repl in _INLINE_RULES:
            if trigger in raw:
                raw = pattern.sub(repl, raw)
        if "&" in raw:
            raw = html.unescape(raw)
    return normalize_text(raw)
