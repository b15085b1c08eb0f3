"""An HTML page's main content as a flat list of blocks: one walk over the parsed tree.

`htmlpage` splits the blocks into entries (with `blocks.split_entries`); this module only reads
the tree. The walk goes down the children lists in C (`iter(element)`) and handles an element
whole when it is a leaf (most elements once inline tags are unwrapped), so a paragraph costs
one visit rather than a start and an end event. Iterative, not recursive, so hostile nesting
cannot exhaust the stack.

A <table> whose rows each carry a date (a "What's new" table) is read by `datedrows`, the
rule the Markdown reader applies to the same page: its cells then make no blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from radar.dates import parse_date
from radar.extract.blocks import Block
from radar.extract.datedrows import DatedTable, dated_table
from radar.extract.htmlheadings import HEADINGS, dates_above_notices, heading_anchors
from radar.htmltext import BLOCK_TAGS, DROP_TAGS, drop_tree, element_text
from radar.text import normalize_lines, normalize_text

if TYPE_CHECKING:
    import lxml.etree

_PAGE_CHROME = frozenset({"header", "footer", "aside"})


# Site chrome that pages without <main> build from <div>s, told by the class or id every site
# gives it ("footer_wrap", "site-footer", "navbar", "sidebar", "cookie-banner"). Whole words of
# the attribute only: "footnotes" or "navbar-less-content" are content.
_CHROME_WORDS = ("footer", "navbar", "sidebar", "breadcrumb", "cookie", "site-header")
_CHROME_NAME = re.compile(
    rf"(?:^|[\s_-])(?:{'|'.join(_CHROME_WORDS)})s?(?=[\s_]|$|-(?:wrap|inner|"
    r"container|columns?|links?|nav|menu|top|main|static|banner|bar|consent|notice)\b)",
    re.IGNORECASE,
)
# The same words as a pre-filter in C, on class and id alike; `_CHROME_NAME` then decides.
_CHROME_XPATH = ".//*[{}]".format(
    " or ".join(f"contains(@class, '{w}') or contains(@id, '{w}')" for w in _CHROME_WORDS)
)


def main_content(root: lxml.etree._Element) -> lxml.etree._Element:
    """<main>, else role=main, else a lone <article>, else <body> without the chrome its
    classes name (`_CHROME_NAME`, dropped from the tree), else the root."""
    doc = root.getroottree().getroot()  # the whole document, as "//main" searches it
    found = next(doc.iter("main"), None)
    if found is not None:
        return found
    found = next((el for el in doc.iter() if el.get("role") == "main"), None)
    if found is not None:
        return found
    articles = doc.iter("article")
    first, second = next(articles, None), next(articles, None)
    if first is not None and second is None:
        return first
    body = root.find("body")
    found = body if body is not None else root
    for el in found.xpath(_CHROME_XPATH):  # an XPath in C; few elements match it
        named = _CHROME_NAME.search(f"{el.get('class', '')} {el.get('id', '')}")
        if named and not any(a.tag in _SECTIONING for a in el.iterancestors()):
            drop_tree(el)  # keeps its tail; a no-op on the root
    return found


# Inline elements carry nothing but their text: they are unwrapped (in C) before the walk,
# which then visits half as many elements. Links go too, once headings have taken their anchors.
_INLINE_TAGS = (
    *("a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em"),
    *("font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike"),
    *("strong", "sub", "sup", "tt", "u", "var"),
)
_SECTIONING = frozenset({"article", "section"})
# What the walk does on meeting an element outside headings and list items, by tag. The first
# three are the elements read in one visit when they have no children (most of a page).
_BLOCK, _HEADING, _ITEM, _DROP, _CHROME, _SECTION, _TIME, _OTHER = range(8)
_KIND: dict[str, int] = {
    **dict.fromkeys(BLOCK_TAGS, _BLOCK),
    **dict.fromkeys(HEADINGS, _HEADING),
    "li": _ITEM,
    **dict.fromkeys(DROP_TAGS, _DROP),
    **dict.fromkeys(_PAGE_CHROME, _CHROME),
    **dict.fromkeys(_SECTIONING, _SECTION),
    "time": _TIME,
}


def html_blocks(
    root: lxml.etree._Element,
    main: lxml.etree._Element | None = None,
    *,
    tables: list[DatedTable] | None = None,
) -> list[Block]:
    """The main content of a page as headings, paragraphs and top-level list items.

    One walk in document order. Headings and top-level list items are read whole (their text
    as `element_text` gives it); other text gathers into paragraphs that block elements end.
    Site chrome (a <header>, <footer> or <aside> outside any <article> or <section>) and the
    `DROP_TAGS` are skipped. Rewrites the tree in place (inline elements unwrapped): pass a
    tree parsed for this call.
    `tables`: where tables of dated rows go (`datedrows`), their cells then left out of the
    blocks; without it every table is read as text, as before.
    """
    import lxml.etree

    main = main_content(root) if main is None else main
    anchors = heading_anchors(main)
    dates_above_notices(main)
    bold = _bold_paragraphs(main)  # read before <strong> is unwrapped
    lxml.etree.strip_tags(main, *_INLINE_TAGS)
    blocks: list[Block] = []
    buffer: list[str] = []  # the paragraph being read
    first_date: date | datetime | None = None  # the first <time> date since the last paragraph
    # Open <article>/<section> elements, counting those above `main`: chrome is only chrome
    # outside all of them.
    sections = int(any(a.tag in _SECTIONING for a in main.iterancestors()))
    kinds, block_tags, normal, add = _KIND, BLOCK_TAGS, normalize_text, blocks.append
    # Blocks made straight from their fields: a page makes hundreds, and the NamedTuple's
    # keyword defaults cost more than the tuple.
    new = tuple.__new__

    def flush() -> None:
        nonlocal first_date
        text = normal("".join(buffer))
        if text:
            add(new(Block, (text, 0, "", False, first_date, False, "")))
            first_date = None
        buffer.clear()

    # The element whose children are being read, and the iterator over them; the stack holds
    # the same pair for each open ancestor. `main` is read as the lone child of no element.
    parent: Any = None
    children: Iterator[Any] = iter((main,))
    stack: list[tuple[Any, Iterator[Any]]] = []
    while True:
        for el in children:
            tag = el.tag
            kind = kinds.get(tag, _OTHER)
            if kind <= _ITEM and not len(el) and el is not main:
                # A paragraph, heading or list item with no children (most elements once
                # inline tags are gone): its block is its text, read in this one visit.
                if buffer:
                    flush()
                text = el.text or ""
                # Text that is normal already (most of a page) is kept without the call:
                # normalize_text's own first test, inline, as a call per block cost a sixth
                # of the walk's normalising.
                if text and not (
                    text.isascii()
                    and text.isprintable()
                    and "  " not in text
                    and text.strip() == text
                    and "`" not in text
                ):
                    text = normal(text)
                if kind == _BLOCK:
                    if text:
                        strong = bool(bold) and el in bold
                        add(new(Block, (text, 0, "", False, first_date, strong, "")))
                        first_date = None
                elif kind == _HEADING:
                    anchor = el.get("id") or (anchors.get(el, "") if anchors else "")
                    add(new(Block, (text, HEADINGS[tag], anchor, False, None, False, "")))
                else:  # a top-level list item (one inside another is read with it, whole)
                    add(new(Block, (text, 0, "", True, None, False, "")))
                # Its tail, as below (no paragraph is open: the block ended it).
                text = el.tail
                if text and not text.isspace():
                    buffer.append(text)
                continue
            if kind == _CHROME:
                # A header inside an article is that entry's title block; a page header
                # is site chrome.
                kind = _DROP if not sections and el is not main else _BLOCK
            elif kind == _ITEM and el is main and not _top_item(el):
                kind = _BLOCK  # a list item inside another, made the main content
            if kind in (_BLOCK, _SECTION):
                if buffer:
                    flush()
                if kind == _BLOCK and not len(el):
                    text = el.text
                    text = normal(text) if text else ""
                    if text:
                        add(new(Block, (text, 0, "", False, first_date, False, "")))
                        first_date = None
                elif tag == "table" and tables is not None and _dated(el, blocks, tables):
                    pass  # its rows are entries (`datedrows`): only its tail is left
                else:
                    if kind == _SECTION:
                        sections += 1
                    text = el.text
                    if text and (buffer or not text.isspace()):
                        buffer.append(text)
                    stack.append((parent, children))
                    parent, children = el, iter(el)
                    break
            elif kind in (_HEADING, _ITEM):
                # With children (or `main` itself): read whole.
                if buffer:
                    flush()
                if len(el):
                    # A list item keeps a line per nested item or paragraph, as Markdown's do.
                    if kind == _ITEM:
                        text = normalize_lines(element_text(el, tidy=False, source_breaks=False))
                    else:
                        text = normal(element_text(el, tidy=False))
                    add(_whole_block(el, text, anchors))
                else:
                    add(_whole_block(el, normal(el.text or ""), anchors))
            elif kind != _DROP and tag.__class__ is str:
                if kind == _TIME:
                    value = parse_date(el.get("datetime", "")) or parse_date("".join(el.itertext()))
                    if value is not None and first_date is None:
                        first_date = value
                text = el.text
                if text and (buffer or not text.isspace()):
                    buffer.append(text)
                if len(el):
                    stack.append((parent, children))
                    parent, children = el, iter(el)
                    break
            # The element is read (or dropped): only its tail is left. (Most tails are the
            # line breaks between blocks, which start nothing.)
            text = el.tail
            if text and (buffer or not text.isspace()) and el is not main:
                buffer.append(text)
        else:
            # All of `parent`'s children are read: its end.
            if parent is None:
                break
            tag = parent.tag
            if buffer and tag in block_tags:
                flush()
            if tag in _SECTIONING:
                sections -= 1
            text = parent.tail
            if text and parent is not main and (buffer or not text.isspace()):
                buffer.append(text)
            parent, children = stack.pop()
    flush()
    return blocks


def _dated(table: Any, blocks: list[Block], tables: list[DatedTable]) -> bool:
    """Whether `table` is a table of dated rows (then added to `tables`); `blocks`: the page's
    blocks above it."""
    found = dated_table(table_rows(table), (blocks,))
    if found is not None:
        tables.append(found)
    return found is not None


def table_rows(table: Any) -> list[list[str]]:
    """A <table>'s rows as cell texts, the header row first (blank labels when it has none),
    all as wide as the widest: a cell spanning columns or rows fills each slot it covers
    (a date spanning three rows dates each of them), and a row of a table nested in a cell
    is that cell's text, not a row. Empty when the table has no cells."""
    grid: list[list[str]] = []
    header = False
    spans: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = tr.xpath("./td|./th")
        if not grid:
            header = bool(cells) and (
                tr.getparent().tag == "thead" or all(c.tag == "th" for c in cells)
            )
        row: list[str] = []
        for cell in cells:
            while len(row) in spans and len(row) < MAX_COLUMNS:
                row.append(_spanned(spans, len(row)))
            text = normalize_text(element_text(cell))
            down = _span(cell.get("rowspan"))
            for _ in range(min(_span(cell.get("colspan")), MAX_COLUMNS - len(row))):
                if down > 1:
                    spans[len(row)] = (down - 1, text)
                row.append(text)
        while len(row) in spans and len(row) < MAX_COLUMNS:
            row.append(_spanned(spans, len(row)))
        if row:
            grid.append(row)
    if not grid:
        return []
    width = max(map(len, grid))
    for row in grid:
        row.extend([""] * (width - len(row)))
    return grid if header else [[""] * width, *grid]


# A span or a width past these is a page's error or a hostile one ("colspan=1000000"): the
# grid stays as small as the page.
_MAX_SPAN = 1000
MAX_COLUMNS = 64


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _spanned(spans: dict[int, tuple[int, str]], column: int) -> str:
    """The text of the cell above that spans down into `column`, one row fewer left."""
    left, text = spans[column]
    if left > 1:
        spans[column] = (left - 1, text)
    else:
        del spans[column]
    return text


def _whole_block(el: Any, text: str, anchors: dict[Any, str]) -> Block:
    """The block of a heading or a top-level list item, given its text."""
    if el.tag == "li":
        return Block(text, item=True)
    return Block(text, HEADINGS[el.tag], str(el.get("id") or anchors.get(el, "")))


def _bold_paragraphs(main: Any) -> set[Any]:
    """The <p>s that are one <strong> or <b> and nothing else: `Block.bold`. Found from the
    bold elements (a fifth of the time an XPath over every <p> took)."""
    found = set()
    for bold in main.iter("strong", "b"):
        # Its tail first: most bold text has more text after it in its paragraph (emphasis),
        # told without reading the parent.
        if (bold.tail or "").strip(XML_SPACE):
            continue
        p = bold.getparent()
        if p is not None and p.tag == "p" and len(p) == 1 and not (p.text or "").strip(XML_SPACE):
            found.add(p)
    return found


XML_SPACE = " \t\r\n"  # what a page's markup may put between tags without meaning text


def _top_item(li: Any) -> bool:
    # `main` itself is a list item: read whole unless it sits inside another one.
    return not any(a.tag == "li" for a in li.iterancestors())
