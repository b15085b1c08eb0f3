"""The Markdown inline rules on hostile lines: linear time, the same text as before; the rules
and the token walk give the text the pre-issue-15 ones gave."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar.dates import parse_date
from radar.extract import markdown, markdown_inline, mdplain
from radar.extract.blocks import Block
from radar.extract.headtitles import is_label
from radar.extract.markdown import markdown_blocks
from radar.extract.markdown_inline import _kept, inline_text
from radar.htmltext import html_to_text
from radar.text import normalize_text
from tests.support.corpus import CORPUS

# Each took seconds (16 KB of "`": 44 s) when a failed try rescanned the rest of the line.
HOSTILE = {
    "brackets": "[" * 16_384,
    "bracket-words": "[a" * 8_192,
    "images": "![" * 8_192,
    "open-images": "![a](" * 3_000,
    "backticks": "`" * 16_384,
    "strong-never-closed": "**a " * 4_000,
    "underscores-never-closed": "__a " * 4_000,
}


@pytest.mark.parametrize("line", list(HOSTILE.values()), ids=list(HOSTILE))
def test_extract_markdown_inline_hostile_line_is_fast(line: str) -> None:
    start = time.perf_counter()
    inline_text(line)
    assert time.perf_counter() - start < 1.0  # about 3 ms now; generous for a busy machine


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("See [the docs](https://x.y/a_(b)) now", "See the docs now"),
        ("![logo](a.png) and [ref][1]", "logo and ref"),
        ("**bold** and *em* and _u_ and __s__ ~~x~~", "bold and em and u and s x"),
        ("`code` and ``a ` b``", "code and a ' b"),
        ("**a **b and [x", "**a **b and [x"),
        ("snake_case_name", "snake_case_name"),
        # a code span is literal: tags, entities and emphasis inside it stay as written
        ("Move the `<noscript>` code to `<body>`.", "Move the <noscript> code to <body>."),
        ("`PATCH /scheduled_messages/<int:id>`: new", "PATCH /scheduled_messages/<int:id>: new"),
        ("`&lt;` and &lt; and `**kwargs*`", "&lt; and < and **kwargs*"),
        ("[`video.list`](https://x.y/v) <b>now</b>", "video.list now"),
    ],
)
def test_extract_markdown_inline_keeps_what_it_extracts(raw: str, text: str) -> None:
    assert inline_text(raw) == text


# --- the rules and the token walk as they were before issue 15 ------------------------------
#
# The checks are now what a rule's changing branch needs ("](" for a link), the code span and
# emphasis rules open with their marker, links read their target atomically, whole-match
# groups are taken with itemgetter and the token walk tests the frequent kinds first. None of
# it may change a block's text: these references are the old rules and walk, verbatim.

_REFERENCE_RULES: tuple[tuple[str, re.Pattern[str], Any], ...] = (
    ("\\", re.compile(r"\\\r?\n"), " "),
    ("[", re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\Z|!\[[^\]]*"), _kept(1)),
    (
        "[",
        re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[[^\]]*"),
        _kept(1),
    ),
    ("[", re.compile(r"\[([^\]]+)\]\[[^\]]*\]|\[[^\]]*"), _kept(1)),
    ("<", re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    ("<", re.compile(r"</?[A-Za-z][^<>]*>"), " "),
    ("*", re.compile(r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*|\*\*(?=\S).*", re.S), _kept(2)),
    ("_", re.compile(r"(__)(?=\S)(.+?)(?<=\S)__|__(?=\S).*", re.S), _kept(2)),
    (
        "*",
        re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w*])\*(?=\S).*", re.S),
        _kept(1),
    ),
    (
        "_",
        re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)|(?<!\w)_(?=\S).*", re.S),
        _kept(1),
    ),
    ("~", re.compile(r"~~(.+?)~~|~~.*", re.S), _kept(1)),
    ("\\", re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),
)


# The one change since: a code span is literal (CommonMark), so its content is kept apart from
# the other rules (a tag, entity or emphasis inside backticks stays as written) and put back
# after them; a link whose text holds a code span is still a link.
_REFERENCE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def _reference_inline(raw: str) -> str:
    if markdown_inline._MARKUP.search(raw):
        codes: list[str] = []
        if "`" in raw:
            mark = lambda m: f"\ue000{codes.append(m[2]) or len(codes)}\ue001"  # noqa: E731
            raw = _REFERENCE_CODE.sub(mark, raw)
        for trigger, pattern, repl in _REFERENCE_RULES:
            if trigger in raw:
                raw = pattern.sub(repl, raw)
        if "&" in raw:
            raw = html.unescape(raw)
        for n, code in enumerate(codes, 1):
            raw = raw.replace(f"\ue000{n}\ue001", code, 1)
    return normalize_text(raw)


def _reference_piece(tok: Any, quote_depth: int) -> str:
    if tok.type == "inline":
        content = tok.content
        if quote_depth:
            content = markdown._CALLOUT.sub("", content, count=1)
        return _reference_inline(content)
    if tok.type in ("fence", "code_block"):
        return normalize_text(tok.content)
    if tok.type == "html_block":
        return normalize_text(html_to_text(tok.content))
    return ""


def _reference_date_line(
    tok: Any, blocks: list[Block], quote_depth: int, item_parts: list[str] | None
) -> bool:
    """Issue 17's one change to the walk: a paragraph right under a heading whose first line is
    a date line ("Release Date: ...", then the text on the next line) gives that line a block
    of its own."""
    return (
        tok.type == "inline"
        and not quote_depth
        and item_parts is None
        and bool(blocks)
        and blocks[-1].level > 0
        and "\n" in tok.content
        and parse_date(_reference_inline(tok.content.split("\n", 1)[0])) is not None
    )


def _reference_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    list_depth = quote_depth = heading_level = 0
    item_parts: list[str] | None = None
    text = markdown.FRONT_MATTER.sub("", text, count=1)
    text = markdown._SHORTCODE.sub("", markdown._LABEL_SHORTCODE.sub(r"(\1)", text))
    single, start, grouped = -1, 0, False  # for group names, the later change (below)
    for tok in markdown._parser().parse(text):
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            if list_depth == 1:
                # The later change for group names (`mdplain.name_the_group`): a one-item
                # list of a short line right before another list is a line, not an item;
                # the list after it holds the group's items and names nothing itself.
                grouped = (
                    not grouped
                    and single >= 0
                    and single == len(blocks) - 1
                    and blocks[single].item
                    and bool(blocks[single].text)
                    and is_label(blocks[single].text)
                )
                if grouped:
                    blocks[single] = Block(blocks[single].text)
                start = len(blocks)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if not list_depth:
                single = start if len(blocks) - start == 1 else -1
        elif kind == "list_item_open" and list_depth == 1:
            item_parts = []
        elif kind == "list_item_close" and list_depth == 1 and item_parts is not None:
            blocks.append(Block("\n".join(item_parts), item=True))  # a line per nested block
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
            match = mdplain.HEADING_ANCHOR.search(tok.content)
            raw = tok.content[: match.start()] if match else tok.content
            anchor = match.group(1) if match else ""
            blocks.append(Block(_reference_inline(raw), level=heading_level, anchor=anchor))
        else:
            if _reference_date_line(tok, blocks, quote_depth, item_parts):
                first, rest = tok.content.split("\n", 1)
                blocks.append(Block(_reference_inline(first)))
                tok = tok.copy(content=rest)
            piece = _reference_piece(tok, quote_depth)
            if piece and item_parts is not None:
                item_parts.append(piece)
            elif piece:
                bold = tok.type == "inline" and not quote_depth and _reference_bold(tok.content)
                blocks.append(Block(piece, bold=bold))
    return blocks


def _reference_bold(content: str) -> bool:
    """The later change for bold headings (`boldheads`): a paragraph that is only strong text,
    on one line, is marked bold: it opens with `**` or `__`, the first such marker after it
    is the one that ends the line, and no space stands inside either marker."""
    line = content.strip(" \t")
    mark = line[:2]
    return (
        mark in ("**", "__")
        and "\n" not in line
        and len(line) > 4
        and line.find(mark, 2) == len(line) - 2
        and not line[2].isspace()
        and not line[-3].isspace()
    )


MARKUP = st.sampled_from(
    [
        *("[", "]", "(", ")", "](", "][", "![", "`", "``", "```", "*", "**", "_", "__", "~~"),
        *("\\", "\\\n", "<", ">", "<b>", "</i>", "<https://a.b/c>", "&amp;", "&#42;", '"t"'),
        *(" ", "  ", "\n", "a", "b c", "x_y", "é", "https://u.v/w_(x)", "{#anchor}", "> danger"),
    ]
)


@settings(max_examples=1500, deadline=None)
@given(raw=st.lists(MARKUP, max_size=24).map("".join))
def test_extract_markdown_inline_rules_give_what_the_old_rules_gave(raw: str) -> None:
    assert inline_text(raw) == _reference_inline(raw)


LINES = st.sampled_from(
    [
        *("# T", "## 2024-05-01 {#d}", "### [1.2.3](u) - x", "- item", "  - nested", "1. one"),
        *("> quote", "> info", "> - q", "```", "code", "<div>", "</div>", "a | b", "--|--", ""),
        *("note", "warning", "[!TIP]"),  # a callout's label line, outside a quote: kept
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.tuples(LINES, st.lists(MARKUP, max_size=6).map("".join)).map("".join), max_size=30
    )
)
def test_extract_markdown_token_walk_gives_the_old_blocks(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert _unlinked(markdown_blocks(text, presplit=False)) == _reference_blocks(text)


def test_extract_markdown_token_walk_reads_the_corpus_as_before() -> None:
    pages = sorted(CORPUS.glob("*/*.md")) + sorted(CORPUS.glob("*/*.mdx"))
    if not pages:
        pytest.skip(f"corpus not found at {CORPUS}")
    for page in pages[::7]:
        text = page.read_text(errors="replace")
        assert _unlinked(markdown_blocks(text, presplit=False)) == _reference_blocks(text), (
            page.name
        )


def _unlinked(blocks: list[Block]) -> list[Block]:
    # The reference walk predates `Block.link` (an item's opening link, which it never read).
    return [b._replace(link="") if b.link else b for b in blocks]


def test_extract_markdown_callout_label_is_dropped_only_inside_quotes() -> None:
    text = "# T\n\n> info\n> careful\n\nnote\nplain after the quote\n"
    assert markdown_blocks(text, presplit=False) == [
        Block("T", level=1),
        Block("careful"),
        Block("note plain after the quote"),
    ]
