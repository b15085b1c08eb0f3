"""A section's table of contents: a list of the section's own sub-headings, which is not content.

Microsoft's release notes open each `## Month YYYY` with "See below for ... updates during this
calendar month." and a list of links to the month's `### Subject` headings, then the subjects.
Read as text, that list made an entry of its own for every month, and a month with a single
subject took it in (the entry titled by the lead-in sentence). The links' targets are gone from
the blocks (`inline_text` keeps a link's text), so the list is told by what a table of contents
is: every item names a sub-heading of the same section, as its link's text does, under at most
one short lead-in line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from radar.extract.blocks import Block

# A lead-in line over the list ("See below for Bing Ads API updates during this calendar
# month."); a longer paragraph is the section's own text.
MAX_LEAD_IN_CHARS = 200


def is_contents(lead: Sequence[Block], subheadings: Sequence[Block]) -> bool:
    """Whether `lead`, the blocks of a section before its first sub-heading, is only a table of
    contents of `subheadings`: list items that each name one of them, after at most one short
    lead-in paragraph."""
    texts = [b for b in lead if b.text]
    if texts and not texts[0].item:
        if len(texts[0].text) > MAX_LEAD_IN_CHARS:
            return False
        texts = texts[1:]
    if not texts or not all(b.item for b in texts):
        return False
    names = {_name(b.text) for b in subheadings}
    return all(_name(b.text) in names for b in texts)


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def top_subheadings(body: Sequence[Block]) -> tuple[int, list[Block], int] | None:
    """The level of `body`'s top sub-headings (the highest level among its headings), those
    sub-headings, and where the first of them is in `body`; None without sub-headings."""
    levels = [b.level for b in body if b.level]
    if not levels:
        return None
    level = min(levels)
    subs = [b for b in body if b.level == level]
    first = next(i for i, b in enumerate(body) if b.level == level)
    return level, subs, first


def sub_level(body: Sequence[Block]) -> tuple[int, list[Block], bool] | None:
    """The level of `body`'s top sub-headings, those sub-headings, and whether the text before
    the first of them is only a table of contents of them; None without sub-headings."""
    found = top_subheadings(body)
    if found is None:
        return None
    level, subs, first = found
    return level, subs, is_contents(body[:first], subs)
