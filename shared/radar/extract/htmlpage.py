"""Changelog pages in HTML -> blocks -> entries (the splitting rules live in `blocks`).

The page is parsed with lxml (bs4 costs 20 ms on a 100 KB page; lxml about 1 ms) and walked
iteratively, so hostile nesting cannot exhaust the stack. Per-source CSS selectors (bs4 +
soupsieve, only when a source sets them) override the heuristics:

- `content`: the element holding the entries (default: <main>, role=main, a lone <article>,
  else <body>); the usual heading rules then apply inside it.
- `entry` (+ optional `title`, `date`, `content` inside each entry): each match is one entry.
- `row` (e.g. `table tr`): each match is one entry; the cell that is a date dates it (Twitch
  release notes keep dates in table cells).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from radar.dates import date_key, find_date, parse_date
from radar.errors import ExtractError
from radar.extract.blocks import Block, split_entries
from radar.extract.common import decode_body_utf8, make_item, require_items, unique_keys
from radar.htmltext import BLOCK_TAGS, DROP_TAGS, element_text, parse_html
from radar.model import FetchResult, Item, Source
from radar.text import normalize_text, slugify

if TYPE_CHECKING:
    import lxml.etree

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PAGE_CHROME = frozenset({"header", "footer", "aside"})
_LISTS = frozenset({"ul", "ol"})
ROW_KEY_WORDS = 8


def extract_changelog_html(source: Source, result: FetchResult) -> list[Item]:
    """Entries of an HTML changelog page."""
    text, utf8 = decode_body_utf8(result)
    selectors = dict(source.selectors)
    page_url = result.url or source.url
    if "row" in selectors:
        items = _rows(text, selectors["row"], page_url)
        return require_items(items, f"no row matching {selectors['row']!r} has a date or text")
    if "entry" in selectors:
        items = _selected_entries(text, selectors, page_url)
        return require_items(items, f"nothing matches the entry selector {selectors['entry']!r}")
    if "content" in selectors:
        text, utf8 = _select_html(text, selectors["content"]), None
    # The bytes when they are the text's UTF-8: parse_html would encode the text back to them.
    root = parse_html(text if utf8 is None else utf8)
    if root is None:
        raise ExtractError("the HTML page could not be parsed")
    content = main_content(root)
    rows = table_entries(content, page_url)
    if rows:
        return rows
    items = split_entries(html_blocks(root, content), page_url)
    return require_items(items, "the HTML page has no headings with text under them")


# A page is a reference table (scopes, permissions, limits) rather than prose when its tables
# hold at least this many rows, several per heading, and each row names itself in its first cell.
MIN_TABLE_ROWS = 8
ROWS_PER_HEADING = 3
MAX_NAME_WORDS = 6


def table_entries(content: lxml.etree._Element, page_url: str) -> list[Item]:
    """One entry per table row, keyed by the name in its first cell, on pages that are tables.

    Empty when the page is not one: too few rows, rows that do not name themselves uniquely,
    or headings enough that the tables are just part of entries written as prose.
    """
    if sum(1 for _ in content.iter("tr")) < MIN_TABLE_ROWS:
        return []  # most pages (a count in C, where the XPath below costs a parse of its own)
    rows = content.xpath(".//tr[td]")
    if len(rows) < MIN_TABLE_ROWS:
        return []
    headings = sum(1 for h in content.iter(*_HEADINGS) if h is not content)
    if len(rows) < ROWS_PER_HEADING * headings:
        return []
    named: list[tuple[str, list[str], date | datetime | None]] = []
    for row in rows:
        cells = [normalize_text(element_text(c)) for c in row.xpath("./td|./th")]
        published = next((d for d in map(parse_date, cells) if d is not None), None)
        cells = [c for c in cells if c and parse_date(c) is None]
        if not cells:
            continue
        named.append((cells[0], cells[1:], published))
    names = [name for name, _, _ in named]
    if len(set(names)) < 0.9 * len(names) or any(
        len(name.split()) > MAX_NAME_WORDS for name in names
    ):
        return []  # first cells are sentences or repeat: not a table of named things
    return unique_keys(
        make_item(name, name, " ".join(rest), page_url, published)
        for name, rest, published in named
    )


# --- heuristics -----------------------------------------------------------------------------


def main_content(root: lxml.etree._Element) -> lxml.etree._Element:
    """<main>, else role=main, else a lone <article>, else <body>, else the root."""
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
    return body if body is not None else root


# Inline elements carry nothing but their text: they are unwrapped (in C) before the walk,
# which then visits half as many elements. Links go too, once headings have taken their anchors.
_INLINE_TAGS = (
    *("a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em"),
    *("font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike"),
    *("strong", "sub", "sup", "tt", "u", "var"),
)
_SECTIONING = frozenset({"article", "section"})
# What the walk does on meeting an element outside headings and list items, by tag.
_BLOCK, _HEADING, _ITEM, _DROP, _CHROME, _SECTION, _TIME, _OTHER = range(8)
_KIND: dict[str, int] = {
    **dict.fromkeys(BLOCK_TAGS, _BLOCK),
    **dict.fromkeys(_HEADINGS, _HEADING),
    "li": _ITEM,
    **dict.fromkeys(DROP_TAGS, _DROP),
    **dict.fromkeys(_PAGE_CHROME, _CHROME),
    **dict.fromkeys(_SECTIONING, _SECTION),
    "time": _TIME,
}


def html_blocks(root: lxml.etree._Element, main: lxml.etree._Element | None = None) -> list[Block]:
    """The main content of a page as headings, paragraphs and top-level list items.

    One walk in document order. Headings and top-level list items are read whole (their text
    as `element_text` gives it); other text gathers into paragraphs that block elements end.
    Site chrome (a <header>, <footer> or <aside> outside any <article> or <section>) and the
    `DROP_TAGS` are skipped. Rewrites the tree in place (inline elements unwrapped): pass a
    tree parsed for this call.
    """
    import lxml.etree

    main = main_content(root) if main is None else main
    anchors = _heading_anchors(main)
    lxml.etree.strip_tags(main, *_INLINE_TAGS)
    blocks: list[Block] = []
    buffer: list[str] = []  # the paragraph being read
    dates: list[date | datetime] = []  # <time> dates read since the last paragraph
    parts: list[str] = []  # the heading or list item being read, while `whole` is set
    whole: Any = None
    skipped: Any = None  # an element already read, or not to be read: only its tail is left
    # Open <article>/<section> elements, counting those above `main`: chrome is only chrome
    # outside all of them.
    sections = int(any(a.tag in _SECTIONING for a in main.iterancestors()))
    kinds, block_tags, drop_tags = _KIND, BLOCK_TAGS, DROP_TAGS  # locals: this loop is hot
    levels, normal, add = _HEADINGS, normalize_text, blocks.append
    # Blocks made straight from their fields: a page makes hundreds, and the NamedTuple's
    # keyword defaults cost more than the tuple.
    new = tuple.__new__

    def flush() -> None:
        text = normal("".join(buffer))
        if text:
            add(new(Block, (text, 0, "", False, dates[0] if dates else None)))
            dates.clear()
        buffer.clear()

    walker = lxml.etree.iterwalk(main, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if whole is not None:  # inside a heading or list item: `element_text`'s rules
                if tag in drop_tags or tag.__class__ is not str:
                    walker.skip_subtree()
                    skipped = el
                    continue
                if tag in block_tags:
                    parts.append("\n")
                text = el.text
                if text:
                    parts.append(text)
                continue
            kind = kinds.get(tag, _OTHER)
            if kind == _CHROME:
                # A header inside an article is that entry's title block; a page header is
                # site chrome.
                kind = _DROP if not sections and el is not main else _BLOCK
            elif kind == _ITEM and el is main and not _top_item(el):
                kind = _BLOCK  # a list item inside another, made the main content
            if kind in (_BLOCK, _SECTION):
                if buffer:
                    flush()
                if kind == _SECTION:
                    sections += 1
                elif not len(el):
                    # No children (most paragraphs once inline tags are gone): the paragraph
                    # is its text, read here rather than at its end.
                    text = el.text
                    if text:
                        text = normal(text)
                        if text:
                            add(new(Block, (text, 0, "", False, dates[0] if dates else None)))
                            dates.clear()
                    skipped = el
                    continue
                text = el.text
                if text and (buffer or not text.isspace()):
                    buffer.append(text)
            elif kind in (_HEADING, _ITEM):
                # A <li> met here is a top-level one: a list item's children are read whole.
                if buffer:
                    flush()
                if len(el):
                    whole = el
                    parts.append(el.text or "")
                    continue
                text = normal(el.text or "")
                if kind == _ITEM:
                    add(new(Block, (text, 0, "", True, None)))
                else:
                    anchor = str(el.get("id") or anchors.get(el, ""))
                    add(new(Block, (text, levels[tag], anchor, False, None)))
                skipped = el
            elif kind == _DROP or tag.__class__ is not str:
                walker.skip_subtree()
                skipped = el
            else:
                if kind == _TIME:
                    value = parse_date(el.get("datetime", "")) or parse_date("".join(el.itertext()))
                    if value is not None:
                        dates.append(value)
                text = el.text
                if text and (buffer or not text.isspace()):
                    buffer.append(text)
            continue
        # event == "end"
        if el is skipped:
            skipped = None
        elif whole is not None:
            if el is whole:
                add(_whole_block(el, normal("".join(parts)), anchors))
                whole = None
                parts.clear()
            elif el.tag in block_tags:
                parts.append("\n")
            elif el.tag == "img" and el.get("alt"):
                parts.append(el.get("alt", ""))
        else:
            tag = el.tag
            if buffer and tag in block_tags:
                flush()
            if tag in _SECTIONING:
                sections -= 1
        text = el.tail
        if text and el is not main:
            if whole is not None:
                parts.append(text)
            elif buffer or not text.isspace():  # the spaces between blocks start nothing
                buffer.append(text)
    flush()
    return blocks


def _whole_block(el: Any, text: str, anchors: dict[Any, str]) -> Block:
    """The block of a heading or a top-level list item, given its text."""
    if el.tag == "li":
        return Block(text, item=True)
    return Block(text, _HEADINGS[el.tag], str(el.get("id") or anchors.get(el, "")))


def _top_item(li: Any) -> bool:
    # `main` itself is a list item: read whole unless it sits inside another one.
    return not any(a.tag == "li" for a in li.iterancestors())


def _heading_anchors(main: Any) -> dict[Any, str]:
    """Each heading's first link anchor (`<h2><a id="x">`), found before links are unwrapped."""
    anchors: dict[Any, str] = {}
    # Headings first, then their links: a page has far fewer headings than links.
    for heading in main.iter(*_HEADINGS):
        for link in heading.iter("a"):
            anchor = link.get("id") or link.get("name")
            if anchor:
                anchors[heading] = anchor
                break
    return anchors


# --- selector overrides (bs4 + soupsieve) ---------------------------------------------------


def _soup(html: str) -> Any:
    from bs4 import BeautifulSoup  # only sources with selectors pay for bs4

    return BeautifulSoup(html, "lxml")


def _select_html(html: str, css: str) -> str:
    found = _css(_soup(html), css, "content")
    if not found:
        raise ExtractError(f"nothing on the page matches the content selector {css!r}")
    return "".join(str(el) for el in found)


def _css(soup: Any, css: str, name: str) -> list[Any]:
    try:
        return list(soup.select(css))
    except Exception as exc:  # soupsieve raises its own SelectorSyntaxError
        raise ExtractError(f"the {name!r} selector {css!r} is not valid CSS: {exc}") from None


def _tag_text(tag: Any) -> str:
    root = parse_html(str(tag))
    return "" if root is None else normalize_text(element_text(root))


def _tag_date(tag: Any) -> date | datetime | None:
    for time in tag.find_all("time") if hasattr(tag, "find_all") else ():
        value = parse_date(str(time.get("datetime") or "")) or parse_date(time.get_text())
        if value is not None:
            return value
    return None


def _selected_entries(html: str, selectors: dict[str, str], page_url: str) -> list[Item]:
    soup = _soup(html)
    items: list[Item] = []
    for entry in _css(soup, selectors["entry"], "entry"):
        title_el = _first(entry, selectors.get("title")) or entry.find(list(_HEADINGS))
        title = _tag_text(title_el) if title_el is not None else ""
        date_el = _first(entry, selectors.get("date"))
        published = None
        if date_el is not None:
            published = parse_date(str(date_el.get("datetime") or "")) or _found(_tag_text(date_el))
        published = published or _tag_date(entry) or _found(title)
        content_el = _first(entry, selectors.get("content")) or entry
        text = _tag_text(content_el)
        if title and text.startswith(title):
            text = text[len(title) :]
        if not title and not text:
            continue
        anchor = str(entry.get("id") or (title_el.get("id") if title_el is not None else "") or "")
        key = _dated_key(published, title or " ".join(text.split()[:ROW_KEY_WORDS]), anchor)
        url = f"{page_url.split('#', 1)[0]}#{anchor}" if anchor else page_url
        items.append(make_item(key, title or text[:120], text, url, published))
    return unique_keys(items)


def _rows(html: str, css: str, page_url: str) -> list[Item]:
    soup = _soup(html)
    items: list[Item] = []
    for row in _css(soup, css, "row"):
        cells = row.find_all(["td", "th"]) or [row]
        if all(c.name == "th" for c in cells):
            continue  # the table's header row
        texts = [_tag_text(c) for c in cells]
        published = _tag_date(row)
        rest: list[str] = []
        for text in texts:
            value = parse_date(text) if published is None else None
            if value is not None:
                published = value
            elif text:
                rest.append(text)
        if not rest:
            continue
        body = " ".join(rest)
        words = " ".join(body.split()[:ROW_KEY_WORDS])
        link = row.find("a", href=True)
        url = str(link["href"]) if link is not None else page_url
        items.append(
            make_item(
                _dated_key(published, words, ""), rest[0][:120], body, url, published, base=page_url
            )
        )
    return unique_keys(items)


def _first(entry: Any, css: str | None) -> Any:
    if not css:
        return None
    found = _css(entry, css, "entry part")
    return found[0] if found else None


def _found(text: str) -> date | datetime | None:
    found = find_date(text)
    return found[0] if found else None


def _dated_key(published: date | datetime | None, title: str, anchor: str) -> str:
    if published is not None:
        return f"{date_key(published)}-{slugify(title)}".rstrip("-")
    return anchor or slugify(title) or "entry"
