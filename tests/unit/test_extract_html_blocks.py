"""The one-walk HTML reader (issue 15) gives the blocks and text the old reader gave.

The reference below is the reader as it was before: `lxml.html` elements, the main content
found by XPath, a walk of its own with each heading and top-level list item read again by a
separate `element_text`, and no inline tags unwrapped. Generated pages mix every construct
the rules treat specially: headings with anchors in links, nested and top-level list items,
chrome in and out of articles, dropped tags, <time> dates, images with alt text, tails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from radar.dates import parse_date
from radar.extract import htmlblocks
from radar.extract.blocks import Block
from radar.extract.htmlblocks import html_blocks
from radar.htmltext import BLOCK_TAGS, DROP_TAGS, html_to_text, parse_html
from radar.text import normalize_text

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CHROME = frozenset({"header", "footer", "aside"})


# --- the reference: the reader as it was ---------------------------------------------------


def _ref_root(html: str) -> Any:
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    return lxml.html.fromstring(html.encode(), parser=parser)


def _ref_element_text(root: Any, source_breaks: bool = True) -> str:
    def own(text: str) -> str:  # the source's line breaks are spaces unless kept
        return text if source_breaks else text.replace("\n", " ")

    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if entering:
            if tag in DROP_TAGS or not tag:
                if el is not root and el.tail:
                    parts.append(own(el.tail))
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(own(el.text))
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el))
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            elif tag == "img" and el.get("alt"):
                parts.append(el.get("alt", ""))
            if el is not root and el.tail:
                parts.append(own(el.tail))
    lines = (normalize_text(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _ref_main(root: Any) -> Any:
    for query in ("//main", "//*[@role='main']"):
        found = root.xpath(query)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def _inside_list_item(el: Any, main: Any) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is main:
            return False
        if ancestor.tag == "li":
            return True
    return False


def _ref_walk(root: Any) -> Iterator[tuple[str, Any]]:
    stack: list[tuple[str, Any]] = [("start", root)]
    while stack:
        event, el = stack.pop()
        if event != "start":
            yield event, el
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if el is not root:
            stack.append(("tail", el))
        chrome = (
            tag in _CHROME
            and el is not root
            and not any(a.tag in ("article", "section") for a in el.iterancestors())
        )
        if not tag or tag in DROP_TAGS or chrome:
            continue
        yield "start", el
        if tag in _HEADINGS or (tag == "li" and not _inside_list_item(el, root)):
            continue
        stack.append(("end", el))
        stack.extend(("start", child) for child in reversed(el))


def _ref_anchor(heading: Any) -> str:
    anchor = heading.get("id") or ""
    if not anchor:
        for child in heading.iter("a"):
            anchor = child.get("id") or child.get("name") or ""
            if anchor:
                break
    return str(anchor)


def _ref_blocks(html: str) -> list[Block]:
    main = _ref_main(_ref_root(html))
    blocks: list[Block] = []
    buffer: list[str] = []
    pending: list[date | datetime] = []

    def flush(bold: bool = False) -> None:
        text = normalize_text("".join(buffer))
        if text:
            blocks.append(Block(text, date=pending[0] if pending else None, bold=bold))
            pending.clear()
        buffer.clear()

    for event, el in _ref_walk(main):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "tail":
            if el.tail:
                buffer.append(el.tail)
            continue
        if event == "end":
            if tag in BLOCK_TAGS:
                flush(_ref_bold(el, main))
            continue
        if tag in _HEADINGS:
            flush()
            text = normalize_text(_ref_element_text(el))
            blocks.append(Block(text, _HEADINGS[tag], _ref_anchor(el)))
        elif tag == "li" and not _inside_list_item(el, main):
            flush()
            # A line per nested block; the source's own line breaks are spaces.
            blocks.append(Block(_ref_element_text(el, source_breaks=False), item=True))
        else:
            if tag in BLOCK_TAGS:
                flush()
            if tag == "time":
                value = parse_date(el.get("datetime", "")) or parse_date(el.text_content())
                if value is not None:
                    pending.append(value)
            if el.text:
                buffer.append(el.text)
    flush()
    return blocks


_INLINE = frozenset(htmlblocks._INLINE_TAGS)


def _ref_bold(el: Any, main: Any) -> bool:
    """The later change for bold headings (`boldheads`): a <p> that is one <strong> or <b>,
    with only inline tags inside, and no other text of its own, is marked bold."""
    children = list(el)
    return (
        el.tag == "p"
        and el is not main
        and len(children) == 1
        and children[0].tag in ("strong", "b")
        and not (el.text or "").strip(" \t\r\n")
        and not (children[0].tail or "").strip(" \t\r\n")
        and all(d.tag in _INLINE for d in children[0].iterdescendants())
    )


# --- generated pages -----------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        *("Release", "fix", "2024-05-01", "May 3, 2024", "v1.2.3", "Änderung", "“q”"),
        *("\u200b", "e\u0301", "&amp;", "  ", "\n", "\t", "x\u00a0y", "Released: Jan 5, 2025"),
    ]
)
TAGS = (
    *("p", "div", "section", "article", "ul", "ol", "li", "h2", "h3", "h4", "table", "tr"),
    *("td", "blockquote", "pre", "br", "header", "footer", "aside", "nav", "script", "dl"),
    *("dd", "button", "main", "a", "code", "strong", "em", "span", "b", "time", "img"),
    *("small", "sup", "font", "q", "x-custom"),
)
ATTRS = (
    *("", ' id="intro"', ' id="sec-3"', ' name="anchor"', ' id=""', ' role="main"'),
    *(' datetime="2024-02-03"', ' datetime="2024-02-03T10:00:00Z"', ' alt="a picture"'),
)
# A page is a run of opening tags, closing tags and words, balanced or not: the parser makes a
# tree of whatever comes (cheaper to generate than nested elements, and hostile as pages are).
# The constructs with rules of their own are drawn as often as all other tags together.
SPECIAL = (
    *("<h2>", "</h2>", '<h3 id="v3">', "<li>", "</li>", "<ul>", "</ul>", '<a name="n1">', "</a>"),
    *('<img alt="pic">', "<img> ", '<time datetime="2024-02-03">', "<time>", "</time>", " "),
    *("<article>", "</article>", "<header>", "</header>", "<nav>", "</nav>", "<p>", "</p>"),
    *("<p><strong>", "</strong></p>", "<p><b>", "</b></p>"),  # bold paragraphs (boldheads)
)
pieces = (
    st.sampled_from(SPECIAL)
    | st.sampled_from([f"<{tag}{attrs}>" for tag in TAGS for attrs in ATTRS])
    | st.sampled_from([f"</{tag}>" for tag in TAGS])
    | WORDS
)
pages = st.builds(
    "{}{}{}".format,
    st.sampled_from(["", "<!DOCTYPE html><html><body>", "<html><head><title>T</title></head>"]),
    st.lists(pieces, min_size=1, max_size=40).map("".join),
    st.sampled_from(["", "</body></html>", "<!-- c --></body></html>", "<body>b</body>"]),
)


@settings(max_examples=400, deadline=None)
@given(html=pages)
def test_extract_html_blocks_one_walk_gives_the_reference_blocks(html: str) -> None:
    root = parse_html(html)
    if root is None:
        return
    assert html_blocks(root) == _ref_blocks(html)


@settings(max_examples=400, deadline=None)
@given(html=pages)
def test_extract_html_blocks_html_to_text_gives_the_reference_text(html: str) -> None:
    root = parse_html(html)
    expected = "" if root is None else _ref_element_text(_ref_root(html))
    assert html_to_text(html) == expected


def test_extract_html_blocks_reads_a_heading_anchor_from_its_link() -> None:
    root = parse_html('<main><h2><a name="v2"></a>Version 2</h2><p>Text <a id="x">here</a></p>')
    assert root is not None
    assert html_blocks(root) == [Block("Version 2", 2, "v2"), Block("Text here")]


def test_extract_html_blocks_keeps_the_space_between_inline_elements() -> None:
    # A tail that is only a space still separates words inside a paragraph.
    root = parse_html("<main><h2>T</h2><p>a<img> <time>x</time> <img>b<q-x> </q-x>c</p></main>")
    assert root is not None
    assert html_blocks(root) == [Block("T", 2), Block("a x b c")]


def test_extract_html_parser_is_reused_within_a_thread_only() -> None:
    # A parser per call cost twice the parse of a feed item's description (issue 15); a
    # parser must not be shared by threads parsing at the same time.
    import threading

    from radar import htmltext

    parse_html("<p>a</p>")
    mine = htmltext._parser()
    assert htmltext._parser() is mine
    other: list[object] = []
    worker = threading.Thread(target=lambda: other.append(htmltext._parser()))
    worker.start()
    worker.join()
    assert other and other[0] is not mine


def test_extract_html_reused_parser_carries_nothing_over() -> None:
    fresh = html_to_text("<p>one <b>two</b></p><p>three")
    html_to_text("<html><head><title>x</title></head><body><div><p>unclosed <i>a")
    html_to_text(b"\xff\xfe broken \x00 <<<>>> &bogus;")
    assert html_to_text("<p>one <b>two</b></p><p>three") == fresh == "one two\nthree"


def test_extract_html_blocks_reads_deep_nesting_without_recursion() -> None:
    # The walk keeps its own stack of open elements: 5,000 nested <div>s (deeper than Python's
    # recursion limit; built in lxml, as its parser caps the depth it reads) are one paragraph
    # each, in document order.
    import lxml.etree

    depth = 5000
    root = lxml.etree.Element("main")
    lxml.etree.SubElement(root, "h2").text = "Deep"
    el = root
    for i in range(depth):
        el = lxml.etree.SubElement(el, "div")
        el.text = f"x{i}"
    blocks = html_blocks(root, root)
    assert blocks == [Block("Deep", 2), *(Block(f"x{i}") for i in range(depth))]


def test_extract_html_blocks_reads_a_list_item_with_children_whole_between_leaves() -> None:
    # Leaves are read in one visit and a list item with children whole: tails after both
    # still land in the next paragraph.
    root = parse_html(
        "<main><h2>T</h2><p>one</p>tail one<ul><li>a<ul><li>b</li></ul>c</li><li>d</li></ul>"
        "tail two<section>s</section></main>"
    )
    assert root is not None
    assert html_blocks(root) == [
        Block("T", 2),
        Block("one"),
        Block("tail one"),
        Block("a\nb\nc", item=True),  # a line per nested block
        Block("d", item=True),
        Block("tail two"),
        Block("s"),
    ]


def test_extract_html_blocks_marks_a_paragraph_that_is_only_bold() -> None:
    root = parse_html(
        "<main><h2>8.0</h2><p><strong>Feature <a href='#'>level</a> 196</strong></p>"
        "<p><strong>Note:</strong> run-in text</p><p><b>a</b> and <b>b</b></p>"
        "<p>plain</p></main>"
    )
    assert root is not None
    assert [(b.text, b.bold) for b in html_blocks(root)] == [
        ("8.0", False),
        ("Feature level 196", True),
        ("Note: run-in text", False),
        ("a and b", False),
        ("plain", False),
    ]


def test_html_blocks_normalise_leaf_text_that_is_not_normal_yet() -> None:
    # Leaf paragraphs, headings and items whose text is normal are kept as they are; the
    # others (double spaces, a backtick, a curly quote, a line break, only spaces) still are
    # normalised, and a paragraph normalised to nothing makes no block.
    root = parse_html(
        "<main><h2>Two  spaces</h2><p>a `tick`</p><p>We’ve\nwrapped</p><p> </p>"
        "<ul><li>\u00a0item\u00a0</li></ul><p>plain</p></main>"
    )
    assert root is not None
    assert [(b.text, b.level, b.item) for b in html_blocks(root)] == [
        ("Two spaces", 2, False),
        ("a 'tick'", 0, False),
        ("We've wrapped", 0, False),
        ("item", 0, True),
        ("plain", 0, False),
    ]
