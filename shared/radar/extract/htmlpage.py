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

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from radar.errors import ExtractError
from radar.extract.blocks import Block, split_entries
from radar.extract.common import decode_body, make_item, require_items, unique_keys
from radar.model import FetchResult, Item, Source
from radar.text import (
    BLOCK_TAGS,
    DROP_TAGS,
    element_text,
    find_date,
    normalize_text,
    parse_date,
    parse_html,
    slugify,
)

if TYPE_CHECKING:
    import lxml.html

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PAGE_CHROME = frozenset({"header", "footer", "aside"})
_LISTS = frozenset({"ul", "ol"})
ROW_KEY_WORDS = 8


def extract_changelog_html(source: Source, result: FetchResult) -> list[Item]:
    """Entries of an HTML changelog page."""
    text = decode_body(result)
    selectors = dict(source.selectors)
    page_url = result.url or source.url
    if "row" in selectors:
        items = _rows(text, selectors["row"], page_url)
        return require_items(items, f"no row matching {selectors['row']!r} has a date or text")
    if "entry" in selectors:
        items = _selected_entries(text, selectors, page_url)
        return require_items(items, f"nothing matches the entry selector {selectors['entry']!r}")
    if "content" in selectors:
        text = _select_html(text, selectors["content"])
    root = parse_html(text)
    if root is None:
        raise ExtractError("the HTML page could not be parsed")
    rows = table_entries(main_content(root), page_url)
    if rows:
        return rows
    items = split_entries(html_blocks(root), page_url)
    return require_items(items, "the HTML page has no headings with text under them")


# A page is a reference table (scopes, permissions, limits) rather than prose when its tables
# hold at least this many rows, several per heading, and each row names itself in its first cell.
MIN_TABLE_ROWS = 8
ROWS_PER_HEADING = 3
MAX_NAME_WORDS = 6


def table_entries(content: lxml.html.HtmlElement, page_url: str) -> list[Item]:
    """One entry per table row, keyed by the name in its first cell, on pages that are tables.

    Empty when the page is not one: too few rows, rows that do not name themselves uniquely,
    or headings enough that the tables are just part of entries written as prose.
    """
    rows = content.xpath(".//tr[td]")
    headings = len(content.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"))
    if len(rows) < max(MIN_TABLE_ROWS, ROWS_PER_HEADING * headings):
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


def main_content(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """<main>, else role=main, else a lone <article>, else <body>, else the root."""
    for query in ("//main", "//*[@role='main']"):
        found = root.xpath(query)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def html_blocks(root: lxml.html.HtmlElement) -> list[Block]:
    """The main content of a page as headings, paragraphs and top-level list items."""
    main = main_content(root)
    blocks: list[Block] = []
    buffer: list[str] = []
    pending_date: list[date | datetime] = []

    def flush() -> None:
        text = normalize_text("".join(buffer))
        if text:
            blocks.append(Block(text, date=pending_date[0] if pending_date else None))
            pending_date.clear()
        buffer.clear()

    for event, el in _walk(main):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "tail":
            if el.tail:
                buffer.append(el.tail)
            continue
        if event == "end":
            if tag in BLOCK_TAGS:
                flush()
            continue
        # event == "start"
        if tag in _HEADINGS:
            flush()
            blocks.append(Block(normalize_text(element_text(el)), _HEADINGS[tag], _anchor(el)))
        elif tag == "li" and not _inside_list_item(el, main):
            flush()
            blocks.append(Block(normalize_text(element_text(el)), item=True))
        else:
            if tag in BLOCK_TAGS:
                flush()
            if tag == "time":
                value = parse_date(el.get("datetime", "")) or parse_date(el.text_content())
                if value is not None:
                    pending_date.append(value)
            if el.text:
                buffer.append(el.text)
    flush()
    return blocks


def _walk(root: lxml.html.HtmlElement) -> Iterator[tuple[str, Any]]:
    """Document-order events without recursion: start, end, then the element's tail.

    Headings, top-level list items and dropped tags are reported at "start" only (the caller
    reads their whole text at once); their children are not walked.
    """
    stack: list[tuple[str, Any]] = [("start", root)]
    while stack:
        event, el = stack.pop()
        if event != "start":
            yield event, el
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if el is not root:
            stack.append(("tail", el))
        if (
            not tag
            or tag in DROP_TAGS
            or (tag in _PAGE_CHROME and el is not root and _is_chrome(el))
        ):
            continue
        yield "start", el
        if tag in _HEADINGS or (tag == "li" and not _inside_list_item(el, root)):
            continue
        stack.append(("end", el))
        stack.extend(("start", child) for child in reversed(el))


def _is_chrome(el: Any) -> bool:
    # A header inside an article is that entry's title block; a page header is site chrome.
    return not any(a.tag in ("article", "section") for a in el.iterancestors())


def _inside_list_item(el: Any, main: Any) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is main:
            return False
        if ancestor.tag == "li":
            return True
    return False


def _anchor(heading: Any) -> str:
    anchor = heading.get("id") or ""
    if not anchor:
        for child in heading.iter("a"):
            anchor = child.get("id") or child.get("name") or ""
            if anchor:
                break
    return str(anchor)


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
        day = published.date() if isinstance(published, datetime) else published
        return f"{day.isoformat()}-{slugify(title)}".rstrip("-")
    return anchor or slugify(title) or "entry"
