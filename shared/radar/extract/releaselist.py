"""A release index: a list whose items each name one release and its date, an entry per item.

Project sites built with Jekyll or Hugo (CGAL's "Releases" page, a "News" archive of release
posts) list their releases as

    <ul>
      <li><a href="/2023/07/28/cgal553/">CGAL 5.5.3</a> (July 2023)</li>
      <li><a href="/2023/02/28/cgal552/">CGAL 5.5.2</a> (February 2023)</li>
    </ul>

where a reader counts a release per item: its version, its date (here a month), and the page
its link opens. `datedbullets` does not read these: its items open with their date. The list
is told by its structure: at least two top-level items, and every one of them only a release
line, a short name, the version, then the date at the end ("CGAL 5.5.3 (July 2023)", "Version
2.1.0 - 12 March 2024"). An item that says more ("Drop support for Node 14.0 (April 2023)")
is a change, and the list is left as it is. Each item is keyed by its version, as a release
heading is, and linked to the item's own link (`PageTexts.item_link`), else to the section's
heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar.extract.common import make_item
from radar.extract.headtitles import date_in_heading
from radar.model import Item
from radar.text import normalize_text
from radar.versions import search_version

if TYPE_CHECKING:
    from radar.extract.blocks import Block
    from radar.extract.pagetexts import PageTexts

MIN_RELEASES = 2
# A release line is short: a name of a few words before the version ("CGAL", "Foo SDK
# Version"), then the date; and one line, with no nested items.
MAX_NAME_WORDS = 3
MAX_LINE_CHARS = 80
# Told before any version or date is read: a line with a digit, a dot and no line break.
_CANDIDATE = re.compile(r"[^\n]*\d\.\d[^\n]*\Z")


def split_release_list(
    body: Sequence[Block], first: Block, heading: Block, page: PageTexts
) -> tuple[tuple[Block, ...], list[Item]] | None:
    """The section's blocks that are not its release lines, and an entry per release line;
    None unless its top-level items (`first` the first) are at least two and all release
    lines."""
    text = first.text
    if len(text) > MAX_LINE_CHARS or "." not in text or _CANDIDATE.match(text) is None:
        return None  # most lists: their first item is no release line
    items = [i for i, b in enumerate(body) if b.item]
    if len(items) < MIN_RELEASES:
        return None
    entries: list[Item] = []
    fallback = page.heading_url(heading)
    for i in items:
        block = body[i]
        entry = _release(block, page, fallback)
        if entry is None:
            return None
        entries.append(entry)
    done = frozenset(items)
    return tuple(b for i, b in enumerate(body) if i not in done), entries


def _release(block: Block, page: PageTexts, fallback: str | None) -> Item | None:
    text = normalize_text(block.text)  # (find_date's span is in the normal text)
    if len(text) > MAX_LINE_CHARS or "\n" in text:
        return None
    version = search_version(text)
    found = page.find_date(text)
    if version is None or found is None or found[1] < version.end:
        return None  # the date after the version, as a release line writes it
    if len(text[: version.start].split()) > MAX_NAME_WORDS:
        return None
    published, title = date_in_heading(text, found)
    if published is None:
        return None  # a date in the middle of the line: a deadline, not the release's
    key = version.number.lower()
    link = page.item_link(block)
    if link:
        return make_item(key, title, text, link, published, base=page.url)
    return make_item(key, title, text, fallback, published, url_is_clean=True)
