"""Changelog pages in Markdown -> blocks -> entries (the splitting rules live in `blocks`).

markdown-it-py finds the block structure (headings, paragraphs, lists, code, quotes). Its inline
pass is switched off: it triples the parse time on a 100 KB page and entries only need readable
text, which `inline_text` gets by dropping link targets, emphasis markers and tags.

A table whose rows each carry a date (a "What's new" table) gives an entry per row
(`datedrows`); other tables are read as before, a block per cell. DocFX pages (every
learn.microsoft.com page) lay content out with directive lines (`:::row:::`,
`::: zone pivot="..."`): layout, dropped like front matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from radar.extract.asciidoc import asciidoc_text
from radar.extract.blocks import Block, split_entries
from radar.extract.boldheads import markdown_bold
from radar.extract.common import decode_body, require_items, unique_keys
from radar.extract.datedrows import DatedTable, dated_table, table_entries
from radar.extract.debian import debian_text
from radar.extract.indented import indented_release_headings
from radar.extract.markdown_inline import inline_text, opening_link
from radar.extract.mdplain import (
    date_line_block,
    heading_block,
    is_plain,
    name_the_group,
    open_at_end,
    plain_blocks,
)
from radar.extract.releaseheads import release_lines_as_headings, wordpress_release_headings
from radar.htmltext import html_to_text
from radar.model import FetchResult, Item, Source
from radar.text import normalize_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FRONT_MATTER = re.compile(
    r"\A\ufeff?(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S
)
# Hugo shortcodes: a bare word (`{{<required>}}`, `{{%removed%}}`) is a label a reader sees, so
# it stays as "(removed)"; shortcodes with arguments (`relref`, `caption-link`) are plumbing.
_LABEL_SHORTCODE = re.compile(r"\{\{[<%]\s*([A-Za-z][\w-]*)\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
# A paragraph of link reference definitions only ("[0.7.0]: https://…/compare/0.6.0...0.7.0"):
# a label CommonMark rejects ("[[0.7.1]]: …") makes it and every definition after it a
# paragraph, which read as text put a keep-a-changelog's compare links into its last release.
_LINK_DEFINITIONS = re.compile(r"(?:[ \t]*\[[^\n]+\]:[ \t]*<?[^\s<>]+>?[ \t]*(?:\n|\Z))+")
# A DocFX directive line: `:::row:::`, `:::column span="2":::`, `:::image ... :::` (closed), or
# `::: zone pivot="x"` / `::: moniker-end` (a space after the colons). A Docusaurus admonition
# (`:::note`, then `:::`) is neither: its label is left as it was.
_DIRECTIVE = re.compile(
    r"^[ \t]*:::(?:[ \t]*[A-Za-z][\w-]*(?:[ \t][^\n]*)?:::|[ \t]+[A-Za-z][\w-]*(?:[ \t][^\n]*)?)"
    r"[ \t]*$",
    re.M,
)
# Discord-style callouts (`> danger`) and GitHub alerts (`> [!NOTE]`) open with a label line.
_CALLOUT = re.compile(
    r"^\s*(?:\[!\w+\]|info|warn|warning|danger|preview|note|tip|important|caution)\s*\n",
    re.IGNORECASE,
)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.disable("inline")  # see the module docstring
    return md


def extract_changelog_markdown(source: Source, result: FetchResult) -> list[Item]:
    """Entries of a Markdown changelog or docs page."""
    text = asciidoc_text(debian_text(decode_body(result)))  # (plain-text dialects, as Markdown)
    text = indented_release_headings(wordpress_release_headings(text))
    tables: list[DatedTable] = []
    blocks = markdown_blocks(text, tables=tables)
    items = split_entries(blocks, source.url)
    if not items and not any(b.level for b in blocks):
        items = split_entries(release_lines_as_headings(blocks), source.url)
    if tables:
        items = unique_keys([*items, *table_entries(tables, source.url)])
    return require_items(
        items, "the Markdown has no headings with text under them to split into entries"
    )


def markdown_blocks(
    text: str, *, presplit: bool | None = None, tables: list[DatedTable] | None = None
) -> list[Block]:
    """The page as headings, paragraphs and top-level list items (front matter dropped).

    Pages of PRESPLIT_CHARS or more are cut at their top-level `#` headings and read section
    by section (`_sections_blocks`): the same blocks, in a fraction of the time. `presplit`
    forces either way (tests compare the two).
    `tables`: where tables of dated rows go (`datedrows`), their cells then left out of the
    blocks; without it every table is read a block per cell.
    """
    text = FRONT_MATTER.sub("", text, count=1)
    text = _SHORTCODE.sub("", _LABEL_SHORTCODE.sub(r"(\1)", text))
    if ":::" in text:
        text = _DIRECTIVE.sub("", text)  # the line stays, empty: a directive ends a paragraph
    auto = presplit is None
    if presplit is None:
        presplit = len(text) >= PRESPLIT_CHARS
    if presplit:
        return _sections_blocks(text, auto=auto, tables=tables)
    return _token_blocks(_parser().parse(text), tables)


def _token_blocks(
    tokens: Sequence[Token],
    tables: list[DatedTable] | None = None,
    before: Sequence[Block] = (),
) -> list[Block]:
    """`tables`: see `markdown_blocks`; `before`: the page's blocks above `tokens` (a table
    under a dated heading stays in its entry)."""
    blocks: list[Block] = []
    # A top-level table while it is read: its rows' cell texts, and where its blocks start.
    rows: list[list[str]] | None = None
    row: list[str] | None = None
    table_start = 0
    list_depth = 0
    list_start, single = 0, -1  # where the top-level list began; a one-item list's item
    grouped = False  # the top-level list holds the items of a group named above it
    quote_depth = 0
    heading_level = 0
    item_parts: list[str] | None = None  # text of the current top-level list item
    item_link = ""  # the link it opens with (`Block.link`)
    for tok in tokens:
        kind = tok.type  # most frequent kinds first: this loop sees every token of the page
        if kind == "inline":
            if heading_level:
                blocks.append(heading_block(tok.content, heading_level))
                continue
            content = tok.content
            if quote_depth:
                content = _CALLOUT.sub("", content, count=1)
            elif item_parts is None and blocks and blocks[-1].level and "\n" in content:
                date_line = date_line_block(content)
                if date_line is not None:
                    blocks.append(date_line)
                    content = content.split("\n", 1)[1]
            if "]:" in content and row is None and _LINK_DEFINITIONS.fullmatch(content):
                continue  # link targets, as markdown-it would have dropped them
            piece = inline_text(content)
            if row is not None:
                row.append(piece)
            if (
                piece
                and content[0] in "*_"  # most paragraphs end here, without a call
                and item_parts is None
                and not quote_depth
                and markdown_bold(content)
            ):
                blocks.append(Block(piece, bold=True))
                continue
        elif kind == "paragraph_open" or kind == "paragraph_close":
            continue
        elif kind == "heading_open":
            heading_level = int(tok.tag[1:])
            continue
        elif kind == "heading_close":
            heading_level = 0
            continue
        elif kind == "list_item_open":
            if list_depth == 1:
                item_parts, item_link = [], ""
            continue
        elif kind == "list_item_close":
            if list_depth == 1 and item_parts is not None:
                # A line per paragraph or nested item ("Bug fixes" over its fixes), as blocks.
                blocks.append(Block("\n".join(item_parts), item=True, link=item_link))
                item_parts = None
            continue
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            list_depth += 1
            if list_depth == 1:
                grouped = single >= 0 and not grouped and name_the_group(blocks, single)
                list_start = len(blocks)
            continue
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            list_depth -= 1
            if not list_depth:
                single = list_start if len(blocks) - list_start == 1 else -1
            continue
        elif kind == "blockquote_open":
            quote_depth += 1
            continue
        elif kind == "blockquote_close":
            quote_depth -= 1
            continue
        elif kind == "fence" or kind == "code_block":
            piece = normalize_text(tok.content)
        elif kind == "html_block":
            piece = normalize_text(html_to_text(tok.content))
        elif kind == "tr_open":
            if rows is not None:
                row = []
            continue
        elif kind == "tr_close":
            if rows is not None and row is not None:
                rows.append(row)
            row = None
            continue
        elif kind == "table_open":
            if tables is not None and item_parts is None and not quote_depth:
                rows, table_start = [], len(blocks)
            continue
        elif kind == "table_close":
            if rows is not None and tables is not None:
                # (The table's own blocks are cells, never headings: `blocks` can be passed
                # whole as what is above it.)
                table = dated_table(rows, (before, blocks))
                if table is not None:
                    tables.append(table)
                    del blocks[table_start:]  # its cells: the rows' entries say them
            rows = None
            continue
        else:
            continue  # no text of its own (hr, a table's cells' structure, ...)
        if not piece:
            continue
        if item_parts is not None:
            if not item_parts and kind == "inline" and content[0] in "[*_":
                item_link = opening_link(content)
            item_parts.append(piece)
        else:
            blocks.append(Block(piece))
    return blocks


# --- large pages: section by section ---------------------------------------------------------
#
# markdown-it takes ~35 us a line; a 2 MB page with 50,000 headings took seconds. A `#` heading
# at the start of a line ends every open paragraph, list, quote and table (CommonMark), so the
# page can be cut before each one and the pieces read alone, with two exceptions: a fenced code
# block or an HTML block still open at the cut would have swallowed the heading. A piece whose
# parse ends inside one is read again with the sections after it until it closes. A section
# that is only a heading, plain paragraphs and one-line bullets (most of a long changelog) needs
# no parser at all: its blocks are built here exactly as markdown-it would give them
# (tests/unit/test_extract_markdown_large compares both ways on generated and real pages).
# Pages from 8 KiB are read this way: on a 100 KB changelog the plain sections skip about a
# third of markdown-it's parse (issue 15); below that the saving is too small to matter.

PRESPLIT_CHARS = 8 * 1024
# A page under LARGE_CHARS with less than this share of plain sections is parsed whole: the
# few plain ones save less than parsing the rest in many pieces costs (an API docs page of
# code samples and tables: 16% slower read in pieces).
LARGE_CHARS = 256 * 1024
MIN_PLAIN_SHARE = 0.1
_NEWLINES = re.compile(r"\r\n?")
_CUT = re.compile(r"^#{1,6}(?:[ \t]|$)", re.M)


def _sections_blocks(
    text: str, *, auto: bool = False, tables: list[DatedTable] | None = None
) -> list[Block]:
    """`auto`: parse a page under 256 KiB whole when it is mostly markup (see MIN_PLAIN_SHARE).
    `tables`: see `markdown_blocks`."""
    # markdown-it's own first step (line ends, NUL), so lines here are its lines.
    text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")
    cuts = [0, *(m.start() for m in _CUT.finditer(text) if m.start()), len(text)]
    sections = [text[cuts[i] : cuts[i + 1]] for i in range(len(cuts) - 1)]
    plain = [is_plain(section) for section in sections]
    parser = _parser()
    if auto and len(text) < LARGE_CHARS:
        plain_chars = sum(len(s) for s, is_plain in zip(sections, plain, strict=True) if is_plain)
        if plain_chars < MIN_PLAIN_SHARE * len(text):
            return _token_blocks(parser.parse(text), tables)
    blocks: list[Block] = []
    first, last = 0, len(sections)  # sections first..last-1 are still to read
    while first < last:
        if plain[first]:
            blocks.extend(plain_blocks(sections[first]))
            first += 1
            continue
        # The run of sections that need markdown-it goes to it as one piece: a parse has a
        # fixed cost, which a page of many short sections with markup paid once per heading.
        # While a fence or HTML block is open at the piece's end (a `# comment` line in a
        # code block was taken for a heading), take twice as many sections, so a fence that
        # never closes costs about two parses of the page, not one per heading.
        run = first + 1
        while run < last and not plain[run]:
            run += 1
        size = run - first
        while True:
            stop = min(first + size, last)
            piece = text[cuts[first] : cuts[stop]]
            tokens = parser.parse(piece)
            if stop == last or not open_at_end(tokens, piece):
                break
            size *= 2
        blocks.extend(_token_blocks(tokens, tables, blocks))
        first = stop
    return blocks
