"""Changelog pages in HTML -> blocks (`htmlblocks`) -> entries (the splitting rules: `blocks`).

The page is parsed with lxml (bs4 costs 20 ms on a 100 KB page; lxml about 1 ms) and walked
iteratively, so hostile nesting cannot exhaust the stack. Per-source CSS selectors (bs4 +
soupsieve, only when a source sets them) override the heuristics:

- `content`: the element holding the entries (default: <main>, role=main, a lone <article>,
  else <body>); the usual heading rules then apply inside it.
- `entry` (+ optional `title`, `date`, `content` inside each entry): each match is one entry.
- `row` (e.g. `table tr`): each match is one entry; the cell that is a date dates it (Twitch
  release notes keep dates in table cells).

Without selectors, a table whose rows each carry a date gives an entry per row (`datedrows`, as
for the same page in Markdown), and a page made of big tables of named things an entry per row
(`table_entries`); a page where both could apply is a changelog: its dated tables win.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from radar.dates import date_key, find_date, parse_date
from radar.errors import ExtractError
from radar.extract.blocks import split_entries
from radar.extract.common import decode_body, make_item, require_items, unique_keys, utf8_body
from radar.extract.datedrows import DatedTable
from radar.extract.datedrows import table_entries as dated_entries
from radar.extract.htmlblocks import XML_SPACE, html_blocks, main_content
from radar.extract.htmlheadings import HEADINGS
from radar.htmltext import element_text, parse_html
from radar.model import FetchResult, Item, Source
from radar.text import normalize_lines, normalize_text, slugify

if TYPE_CHECKING:
    import lxml.etree

ROW_KEY_WORDS = 8


def extract_changelog_html(source: Source, result: FetchResult) -> list[Item]:
    """Entries of an HTML changelog page."""
    selectors = dict(source.selectors)
    page_url = result.url or source.url
    if "row" in selectors:
        items = _rows(decode_body(result), selectors["row"], page_url)
        return require_items(items, f"no row matching {selectors['row']!r} has a date or text")
    if "entry" in selectors:
        items = _selected_entries(decode_body(result), selectors, page_url)
        return require_items(items, f"nothing matches the entry selector {selectors['entry']!r}")
    html: str | bytes
    if "content" in selectors:
        html = _select_html(decode_body(result), selectors["content"])
    else:
        # The bytes when they are the text's UTF-8: parse_html would encode the text back to
        # them (and the text itself is never read).
        utf8 = utf8_body(result)
        html = decode_body(result) if utf8 is None else utf8
    root = parse_html(html)
    if root is None:
        raise ExtractError("the HTML page could not be parsed")
    content = main_content(root)
    rows = table_entries(content, page_url)
    tables: list[DatedTable] = []
    blocks = html_blocks(root, content, tables=tables)
    if rows and not tables:
        # A reference table. With a table of dated rows, the page is a changelog whose rows
        # are keyed by date and title, as the same page in Markdown (which has no reference
        # rule) gives them: those win. (A table of dated rows under a dated heading is that
        # entry's details: no table here, and the reference rule reads the page as before.)
        return rows
    # A release index's items link to their releases: read from a tree of their own, only
    # when a page has one (`releaselist`).
    items = split_entries(blocks, page_url, normal=True, links=lambda: item_links(parse_html(html)))
    if tables:
        items = unique_keys([*items, *dated_entries(tables, page_url)])
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
    headings = sum(1 for h in content.iter(*HEADINGS) if h is not content)
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
        title_el = _first(entry, selectors.get("title")) or entry.find(list(HEADINGS))
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


# How deep an item's opening link may sit: `<li><b><a href>`, `<li><p><strong><a href>`.
_LINK_DEPTH = 3


def item_links(root: lxml.etree._Element | None) -> dict[str, str]:
    """Each list item of a page that opens with a link, by the item's text as its block has it:
    the link's target (`PageTexts.item_link`). Read from a tree of its own, only for a page
    whose list items are read as a release index: the walk unwraps links, and looking for them
    in every page's items cost a tenth of the walk (206 items on the bench page)."""
    links: dict[str, str] = {}
    if root is None:
        return links
    for li in main_content(root).iter("li"):
        el = li
        for _ in range(_LINK_DEPTH):
            if not len(el) or (el.text or "").strip(XML_SPACE):
                break  # text first, or no element at all
            el = el[0]
            if el.tag == "a":
                href = el.get("href")
                if href:
                    text = normalize_lines(element_text(li, tidy=False, source_breaks=False))
                    links.setdefault(text, href)
                break
    return links
