"""Markdown blocks built without the parser: a heading's block, a date line under it, and
the plain sections of a large page (a heading, plain paragraphs and one-line bullets), each
exactly as markdown-it would give them (`markdown._sections_blocks` reads the rest with it;
tests/unit/test_extract_markdown_large compares both ways).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from radar.dates import parse_date
from radar.extract.headtitles import is_label
from radar.extract.markdown_inline import inline_text, opening_link
from radar.extract.sections import Block
from radar.text import normalize_text

if TYPE_CHECKING:
    from markdown_it.token import Token

HEADING_ANCHOR = re.compile(r"\s*\{#([\w.:-]+)[^}]*\}\s*$")
# A heading's permalink written before its text, as a page scraped to Markdown keeps it: a link
# to the heading's own fragment with the title glued after it ("[Anchor to Gift cards](/docs/
# x#gift-cards)Gift cards"), or one with no words ("[¶](#gift-cards) Gift cards"). Its text is
# no part of the title, and the fragment is the heading's anchor. (The link's text is read
# greedily up to "](": a scraper may leave brackets in it, "for ,[object Object]".)
# (Each character of the link's text is read by one alternative only: no backtracking blow-up.)
_PERMALINK = re.compile(
    r"\[(?:[^\]\n]|\](?!\())*\]\([^()\s#]*#([\w.:-]+)\)(?=\S)"  # glued: "[Anchor to X](#x)X"
    r"|\[\W*\]\([^()\s#]*#([\w.:-]+)\)\s*(?=\S)"  # no words: "[¶](#x) X"
)


def date_line_block(paragraph: str) -> Block | None:
    """The first line of a paragraph right under a heading, as a block of its own, when it is
    a date line ("**Release Date: February 16, 2024**" with the text on the next line): the
    entry's date, as if a blank line followed it. None for any other first line."""
    first = inline_text(paragraph.split("\n", 1)[0])
    return Block(first) if parse_date(first) is not None else None


def heading_block(raw: str, level: int) -> Block:
    match = HEADING_ANCHOR.search(raw) if "{#" in raw else None
    anchor = match.group(1) if match else ""
    raw = raw[: match.start()] if match else raw
    if raw.startswith("[") and "](" in raw:
        link = _PERMALINK.match(raw)
        if link is not None:
            anchor, raw = anchor or link.group(1) or link.group(2), raw[link.end() :]
    return Block(inline_text(raw), level=level, anchor=anchor)


# A heading markdown-it reads as `#`s, spaces and the text itself: no tabs, no closing `#`s.
_PLAIN_HEADING = re.compile(r"(#{1,6}) +([^\s#]|\S[^\t]*[^\s#]) *")
# A line that can only be paragraph text: up to three spaces, then a letter or digit that does
# not start an ordered-list item (nothing else opens a block with a letter or digit), a `[`
# (a link; sections with a "]:" that could define a reference are never plain) or a code span's
# backtick (three would open a fence).
_PLAIN_START = r"(?![0-9]{1,9}[.)](?:[ \t]|$))(?:[^\W_]|\[|`(?!``))"
_PLAIN_LINE = re.compile(r" {0,3}" + _PLAIN_START)
# A one-line bullet whose text is a plain line: `- `, `* ` or `+ ` at the start of the line.
_PLAIN_BULLET = re.compile(r"[-*+] " + _PLAIN_START)
_BLANK = re.compile(r"[ \t]*")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")


def is_plain(section: str) -> bool:
    """Whether `section` is a plain heading, plain paragraphs and plain one-line bullets only
    (told from its lines alone, before any of its text is read)."""
    if "]:" in section:
        return False  # a link reference definition, which gives no text, may be there
    lines = section.split("\n")
    first = 1 if _PLAIN_HEADING.fullmatch(lines[0]) else 0
    after_item = False  # the line before is a bullet: a plain line would continue its text
    in_list = False  # a bullet came before: an indented line may belong to it
    for line in lines[first:]:
        if _BLANK.fullmatch(line):
            after_item = False
        elif _PLAIN_BULLET.match(line):
            after_item = in_list = True
        elif not _PLAIN_LINE.match(line) or after_item or (in_list and line[0] == " "):
            return False
    return True


def plain_blocks(section: str) -> list[Block]:
    """The blocks of a section `is_plain` accepts, exactly as markdown-it would give them."""
    lines = section.split("\n")
    blocks: list[Block] = []
    first = 0
    heading = _PLAIN_HEADING.fullmatch(lines[0])
    if heading is not None:
        blocks.append(heading_block(heading.group(2), len(heading.group(1))))
        first = 1
    paragraph: list[str] = []
    marker, list_start = "", 0  # the bullet of the list being read ("" outside one)
    grouped = False  # that list holds the items of a group named just above it
    for line in (*lines[first:], ""):
        bullet = _PLAIN_BULLET.match(line) is not None
        if not bullet and not _BLANK.fullmatch(line):
            paragraph.append(line)
            continue
        if paragraph:  # a blank line or a bullet ends a paragraph
            raw = _md_trim("\n".join(paragraph))
            if len(paragraph) > 1 and blocks and blocks[-1].level:
                date_line = date_line_block(raw)
                if date_line is not None:
                    blocks.append(date_line)
                    raw = _md_trim(raw.split("\n", 1)[1])
            piece = inline_text(raw)
            if piece:
                blocks.append(Block(piece))
            paragraph = []
            marker = ""  # (a paragraph ends the list before it)
        if bullet and line[0] != marker:  # another bullet starts another list
            grouped = bool(marker) and not grouped and name_the_group(blocks, list_start)
            marker, list_start = line[0], len(blocks)
        if bullet:  # as `markdown._token_blocks` makes a top-level item of one paragraph
            piece = inline_text(_md_trim(line[2:]))
            link = opening_link(line[2:]) if line[2] == "[" else ""  # (a plain bullet's)
            blocks.append(Block(normalize_text(piece), item=True, link=link))
    return blocks


def name_the_group(blocks: list[Block], start: int) -> bool:
    """Called where a list starts right after the one that started at `start`: when that one
    was a single short item ("* Changes in this version", "* Admin" over "- Add X": CommonMark
    starts a new list at another bullet), it names the group of items below it, a line of its
    own rather than an item, as a lead-in over a list is (`headtitles`). Whether it did: the
    list starting is then the group's, and names nothing itself ("- Add X" over "* Core")."""
    block = blocks[start] if start == len(blocks) - 1 else None
    if block is not None and block.item and block.text and is_label(block.text):
        blocks[start] = Block(block.text)
        return True
    return False


def open_at_end(tokens: Sequence[Token], section: str) -> bool:
    """Whether a fenced code or HTML block may still be open where `section` ends."""
    lines = section.split("\n")
    if lines[-1] == "":
        lines.pop()  # markdown-it counts "a\n" as one line
    for tok in tokens:
        if tok.type not in ("fence", "html_block") or not tok.map or tok.map[1] < len(lines):
            continue
        # It reaches the end: fine only for a fence closed on the last line.
        begin, end = tok.map
        closer = _CLOSING_FENCE.fullmatch(lines[end - 1]) if end - begin > 1 else None
        if not (
            tok.type == "fence"
            and closer is not None
            and closer.group(1)[0] == tok.markup[:1]
            and len(closer.group(1)) >= len(tok.markup)
        ):
            return True
    return False


def _md_trim(text: str) -> str:
    # The whitespace markdown-it trims from a paragraph (CommonMark's set, not Python's).
    return text.strip(_md_trim_chars())


@cache
def _md_trim_chars() -> str | None:
    from markdown_it.common import utils

    return getattr(utils, "MD_TRIM_CHARS", None)
