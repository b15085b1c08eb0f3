"""A page's blocks and sections, and the entry made of one section: the records and helpers
`blocks` (which splits a page) and `subentries` (which splits a section) share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

from radar.extract.common import make_item
from radar.model import Item

# Anchors a CMS numbers by position ("section-3", "h_12") would change when an entry is
# inserted above, so they are not used as identity.
_POSITIONAL_ANCHOR = re.compile(r"^(?:[a-z]{0,10}[-_]?)?\d+$", re.IGNORECASE)
_NO_DATES: Mapping[int, date | datetime | None] = MappingProxyType({})


class Block(NamedTuple):
    """One block of a page: a heading (level 1-6) or content (level 0).

    An immutable record like the frozen dataclasses elsewhere, but a NamedTuple: a page makes
    a thousand of these, and a frozen dataclass's `__init__` cost four times as much.
    """

    text: str
    level: int = 0
    anchor: str = ""
    item: bool = False  # a top-level list item
    date: date | datetime | None = None  # a machine-readable date inside it (<time datetime>)
    # A paragraph that is only strong text ("**Feature level 196**"), which a page may use as a
    # heading (`boldheads`); it keeps the mark when it is made one.
    bold: bool = False
    # The target of the link a top-level list item opens with (`<li><a href="/2023/07/cgal553/">
    # CGAL 5.5.3</a> (July 2023)`): where a release index's item points (`releaselist`).
    link: str = ""


class Section(NamedTuple):  # a NamedTuple for the reason Block is one
    heading: Block
    body: tuple[Block, ...]
    # The heading read as a date when it is only a date (else None), worked out once per page:
    # reading dates is most of the time a page with thousands of headings takes.
    date: date | datetime | None = None


def sections_at(
    blocks: Sequence[Block],
    level: int,
    starts: frozenset[int] = frozenset(),
    pure: Mapping[int, date | datetime | None] = _NO_DATES,
    headings: Sequence[int] | None = None,
) -> list[Section]:
    """Sections at heading `level`, plus sections at the headings in `starts` (indices).

    `starts` lets an entry whose heading has the wrong level (`#` or `###` among `##` entries,
    a common slip) stay an entry: its date shows it is one. `pure`: the headings (by index)
    that are only a date, and that date. `headings`: the indices of `blocks`' headings, when
    the caller has them (only headings start sections: the other blocks are not visited).
    """
    if headings is None:
        headings = [i for i, b in enumerate(blocks) if b.level]
    # Each section's body a slice of a tuple, which is a tuple already: of a list, it was a
    # list copied again into one.
    blocks = blocks if blocks.__class__ is tuple else tuple(blocks)
    new = tuple.__new__  # a section made from its fields: the NamedTuple's call cost twice as much
    out: list[Section] = []
    start: int | None = None
    above: set[int] = set()  # the levels above `level` seen so far
    for i in headings:
        block_level = blocks[i].level
        starting = i in starts
        if block_level <= level or starting:
            if start is not None:
                out.append(
                    new(Section, (blocks[start], tuple(blocks[start + 1 : i]), pure.get(start)))
                )
            start = i if block_level == level or starting else None
            if start is None and block_level < level:
                if out and block_level not in above and _leads_content(blocks, i, level):
                    # A heading above the entries' level among them, over content of its own
                    # rather than over entries ("# Major updates" over "### Added" lists,
                    # between "## Upgrade instructions" and "## Thank you"): an entry too, or
                    # its text would be in none. Not a group's heading ("# 2024" over "## March
                    # 3"), nor a sibling of the section the entries are in (a readme's
                    # "== Upgrade Notice ==" after its "== Changelog =="): the page's own parts.
                    start = i
                above.add(block_level)
    if start is not None:
        out.append(new(Section, (blocks[start], tuple(blocks[start + 1 :]), pure.get(start))))
    return out


def _leads_content(blocks: Sequence[Block], heading: int, level: int) -> bool:
    """Whether text stands under `heading` before the next heading at `level` or above."""
    for b in blocks[heading + 1 :]:
        if b.level:
            if b.level <= level:
                return False
        elif b.text:
            return True
    return False


def section_item(
    key: str,
    title: str,
    body: Sequence[Block],
    url: str | None,
    published: date | datetime | None,
    normal: bool = False,
    normal_title: bool = False,
) -> Item:
    text = "\n".join([b.text for b in body if b.text])  # a line per block
    return make_item(
        key,
        title,
        text,
        url,
        published,
        url_is_clean=True,
        text_is_normal=normal,
        title_is_normal=normal_title,
    )


def stable_anchor(anchor: str) -> str:
    return "" if not anchor or _POSITIONAL_ANCHOR.match(anchor) else anchor


def has_content(body: Sequence[Block]) -> bool:
    # Sub-headings alone ("## Unreleased" under "# Changelog") are not an entry. A plain
    # loop: a generator's setup cost more than the usual first block that ends it.
    for b in body:  # noqa: SIM110
        if b.text and not b.level:
            return True
    return False
