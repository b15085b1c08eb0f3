"""A list whose items each open with their own date, under a heading that is not a date: an
entry per item (see `blocks`).

A platform's "What's new" page (Microsoft Teams) writes its latest updates as

    ## Latest updates
    * ***September 29, 2022***: Apps can now use the new meeting stage API.
    * ***September 20, 2022***: The bot SDK supports adaptive cards 1.5.

where a reader counts an entry per item, dated by its date; the heading splitter would see one
undated section. The list is told by its structure: at least two top-level items, and every
top-level item of the section, open with a date followed by ":", "-", "–" or "—". Each item is
then an entry dated by that date, titled and written by the text after it, keyed by date + the
first words of that text (as bullets under a date heading are), so an item added on the same
day leaves the others' keys alone. The rest of the section (a lead paragraph) stays the
section's entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from radar.dates import date_key
from radar.extract.common import make_item, words_slug
from radar.extract.headtitles import shorten
from radar.extract.releaselist import split_release_list
from radar.model import Item
from radar.text import normalize_text

if TYPE_CHECKING:
    from radar.extract.blocks import Block
    from radar.extract.pagetexts import PageTexts

MIN_DATED_ITEMS = 2
# What follows an item's opening date: a separator, then the item's own text.
_AFTER_DATE = re.compile(r"\s*[:\-–—]\s*(?=\S)")
# Told before any date is parsed: an item that opens with a date has a separator soon after
# ("September 29, 2022:", "2024-05-01 -"); no date written out is longer than this.
_SEPARATED_LEAD = re.compile(r"[^\n:–—-]{0,40}[:\-–—]")


def split_dated_bullets(
    body: Sequence[Block], heading: Block, page: PageTexts
) -> tuple[tuple[Block, ...], list[Item]] | None:
    """The section's blocks that are not its dated items, and an entry per dated item; None
    when its top-level items are not all dated (or fewer than two are)."""
    for first in body:  # a plain loop, not a generator: this runs for every titled section
        if first.item:
            break
    else:
        return None  # most sections: no list
    if _SEPARATED_LEAD.match(first.text) is None:
        # Or a release index, whose items name their release first (`releaselist`).
        return split_release_list(body, first, heading, page)
    items = [i for i, b in enumerate(body) if b.item]
    if len(items) < MIN_DATED_ITEMS:
        return None
    read: list[tuple[date | datetime, str]] = []
    for i in items:
        found = _opening_date(body[i].text, page)
        if found is None:
            # Most lists: their first item already ends here.
            return split_release_list(body, first, heading, page) if i == items[0] else None
        read.append(found)
    entries: list[Item] = []
    above = heading
    dated = dict(zip(items, read, strict=True))
    for i, block in enumerate(body):
        if block.level:
            above = block  # an item links to the nearest heading over it
        if i not in dated:
            continue
        published, text = dated[i]
        key = f"{date_key(published)}-{words_slug(text)}"
        url = page.heading_url(above)
        entries.append(make_item(key, shorten(text), text, url, published, url_is_clean=True))
    rest = tuple(b for i, b in enumerate(body) if i not in dated)
    return rest, entries


def _opening_date(text: str, page: PageTexts) -> tuple[date | datetime, str] | None:
    """The date an item opens with, and the item's text after it and its separator (its
    nested items' lines kept)."""
    first, newline, nested = text.partition("\n")
    found = page.find_date(first)
    if found is None or found[1] != 0:
        return None
    norm = normalize_text(first)  # find_date's span is in the normal text
    after = _AFTER_DATE.match(norm, found[2])
    if after is None:
        return None
    return found[0], norm[after.end() :] + newline + nested
