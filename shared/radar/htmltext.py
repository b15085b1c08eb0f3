"""HTML to text: a lenient parse (lxml), then the readable text with its block breaks.

Pure functions. lxml is imported where it is used: the differ imports radar.text, never this.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from radar.text import normalize_text

if TYPE_CHECKING:
    import lxml.etree

# Elements whose content is never part of what a reader of the entry sees.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "nav",
        "noscript",
        "template",
        "iframe",
        "svg",
        "head",
        "title",
        "object",
        "embed",
        "canvas",
        "select",
        "button",
        "form",
    }
)
# Elements that end a line of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "thead",
        "tbody",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "details",
        "summary",
        "address",
        "caption",
        "td",
        "th",
    }
)


def parse_html(html: str | bytes) -> lxml.etree._Element | None:
    """Parse HTML leniently (lxml); None when there is nothing to parse.

    The root is chosen as `lxml.html.fromstring` chooses it: the <html> element of a whole
    document (or of a fragment with a <head>), the element itself when the fragment is one
    element, else the <body> holding the fragment. Plain lxml elements, not `lxml.html`'s:
    their Python class lookup cost more than the parse on every element a walk touched.
    """
    import lxml.etree  # imported here: the differ uses this module and never needs lxml

    if isinstance(html, str):
        # lxml refuses str input that declares an encoding; bytes let it read the declaration.
        html = html.encode("utf-8")
    if not html.strip():
        return None
    try:
        doc = lxml.etree.fromstring(html, parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return None
    if doc is None:
        return None
    # Children by tag in C (`iterchildren`): ElementPath's find cost more than a feed item's
    # whole parse.
    if _FULL_HTML.match(html) or next(doc.iterchildren("head"), None) is not None:
        return doc
    bodies = list(doc.iterchildren("body"))
    if not bodies:
        return doc
    body = bodies[0]
    for other in bodies[1:]:  # "<body>a</body><body>b</body>": one body, as lxml.html makes it
        if other.text:
            if len(body):
                body[-1].tail = (body[-1].tail or "") + other.text
            else:
                body.text = (body.text or "") + other.text
        body.extend(other)
        drop_tree(other)
    if len(body) == 1 and not (body.text or "").strip() and not (body[0].tail or "").strip():
        return body[0]
    return body


_PARSERS = threading.local()


def _parser() -> lxml.etree.HTMLParser:
    """This thread's HTML parser: a new one per call cost twice the parse of a feed item's
    description (lxml sets a parser up on its first use). One per thread, since a parser is
    not to be shared between threads while it parses."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        import lxml.etree

        parser = _PARSERS.parser = lxml.etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
        )
    return parser


# lxml.html's test for "a whole document" (else the input is read as a fragment).
_FULL_HTML = re.compile(rb"^\s*<(?:html|!doctype)", re.IGNORECASE)


def drop_tree(el: lxml.etree._Element) -> None:
    """Remove `el` and its children, keeping its tail text (lxml.html's `drop_tree`)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def element_text(
    root: lxml.etree._Element, *, tidy: bool = True, source_breaks: bool = True
) -> str:
    """Visible text of an element: dropped tags skipped, a newline after each block element.

    Iterative (lxml's walk, no recursion), so deeply nested hostile markup cannot exhaust the
    stack. `tidy=False` leaves lines untrimmed and blank lines in, for a caller that
    normalises the whole text anyway. `source_breaks=False`: the line breaks of the HTML
    source are spaces, as a browser shows them, so only block elements start lines.
    """
    import lxml.etree

    # A block's break is marked by NUL (no text in lxml's tree can hold one) when the source's
    # own breaks are to become spaces.
    block_break = "\n" if source_breaks else "\x00"
    parts: list[str] = []
    skipped = None  # a dropped element: only its tail is read
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag.__class__ is not str or tag in DROP_TAGS:
                walker.skip_subtree()
                skipped = el
                continue
            if tag in BLOCK_TAGS:
                parts.append(block_break)
            text = el.text
            if text:
                parts.append(text)
            continue
        if el is skipped:
            skipped = None
        elif tag in BLOCK_TAGS:
            parts.append(block_break)
        elif tag == "img":
            alt = el.get("alt")
            if alt:
                parts.append(alt)
        if el is not root:
            text = el.tail
            if text:
                parts.append(text)
    text = "".join(parts)
    if not source_breaks:
        text = text.replace("\n", " ").replace("\x00", "\n")
    return _tidy_lines(text) if tidy else text


def html_to_text(html: str | bytes) -> str:
    """Plain text of an HTML fragment or page: scripts, styles and navigation dropped.

    Paragraphs and other blocks are separated by newlines; whitespace inside a line is collapsed.
    """
    root = parse_html(html)
    return "" if root is None else element_text(root)


def _tidy_lines(text: str) -> str:
    lines = (normalize_text(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- URLs -----------------------------------------------------------------------------------
