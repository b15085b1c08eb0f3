"""A page's headings made ready for the walk (`htmlblocks`): each one's anchor, its permalink
glyph taken out, and a date paragraph set under it that a notice box had pushed down.
"""

from __future__ import annotations

import re
from typing import Any

from radar.dates import parse_date
from radar.htmltext import drop_tree

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def heading_anchors(main: Any) -> dict[Any, str]:
    """Each heading's first link anchor (`<h2><a id="x">`), found before links are unwrapped."""
    anchors: dict[Any, str] = {}
    # Headings first, then their links: a page has far fewer headings than links. A heading
    # with no children (most) has no link to look through.
    permalinks = []
    for heading in main.iter(*HEADINGS):
        if len(heading):
            for link in heading.iter("a"):
                anchor = link.get("id") or link.get("name")
                if anchor:
                    anchors[heading] = anchor
                    break
            permalinks += [a for a in heading.iter("a") if _permalink(a)]
    for link in permalinks:
        drop_tree(link)  # (its tail stays)
    return anchors


# The glyph of a heading's permalink: Sphinx's "¶" (`headerlink`), MkDocs' `toc.permalink`,
# "§", "#" and "🔗" of other generators. It is no part of the heading's text: left in, it
# would end "4.3.1 (2016-10-06)¶", hiding the date that ends the heading.
_PERMALINK_GLYPHS = frozenset({"¶", "§", "#", "🔗"})


def _permalink(link: Any) -> bool:
    """Whether `link` (in a heading) is a permalink: an in-page link whose whole text is a
    glyph."""
    return (
        link.get("href", "").startswith("#")
        and "".join(link.itertext()).strip() in _PERMALINK_GLYPHS
    )


# A notice box: an <aside>, or an admonition (Sphinx's, MkDocs', Docusaurus' class).
_ADMONITION = re.compile(r"(?:^|\s)admonition(?:\s|$)")


def dates_above_notices(main: Any) -> None:
    """A notice box set between a heading and the paragraph that dates it ("Version 5 is no
    longer supported" above "27 Nov 2017", a docs page's deprecation notice) is moved after
    that paragraph: the date reads as the line under the heading, as on other entries."""
    for notice in main.iter("aside", "div"):  # (by tag, in C: an XPath cost 20x more)
        heading, dated = notice.getprevious(), notice.getnext()
        if (
            dated is not None
            and dated.tag == "p"
            and heading is not None
            and heading.tag in HEADINGS
            and (notice.tag == "aside" or _ADMONITION.search(notice.get("class", "")))
            and parse_date("".join(dated.itertext())) is not None
        ):
            notice.addprevious(dated)
