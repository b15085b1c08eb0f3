"""What `blocks.split_entries` reads from a page's texts, worked out once per page: dates, slugs
and the URLs of headings.

A page is split by reading each heading several times (as a date, as a dated title, as the first
line of the section above, for its key and for its URL); `PageTexts` keeps each reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from radar.dates import date_alone, find_date, numeric_dates, plain_date
from radar.extract.common import anchor_url, one_match, page_anchor, with_anchor
from radar.extract.dotteddates import dotted_dates
from radar.text import slugify
from radar.versions import search_version

if TYPE_CHECKING:
    from radar.extract.blocks import Block

_FOUR_DIGITS = re.compile(r"\d{4}")
_NOT_DIGITS = bytes(c for c in range(256) if not 0x30 <= c <= 0x39)


def _few_digits(text: str) -> bool:
    """ASCII text with fewer than four digits (most titles), where no date can be read: every
    date format has a four-digit year, and normalising ASCII cannot make one. Told in C; a
    regex call cost more than this whole test."""
    return text.isascii() and len(text.encode().translate(None, _NOT_DIGITS)) < 4


_NOT_DIGITS_OR_NEWLINE = _NOT_DIGITS.replace(b"\n", b"")


def _few_digits_each(texts: list[str]) -> list[bool]:
    """`_few_digits` of each of `texts` (a page's headings), their digits counted in one
    translate of their join: a call per heading cost three times as much."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a text with a line break of its own
        return [_few_digits(text) for text in texts]
    # (A lone surrogate, which a page may hold, passes as three bytes that are no digit.)
    raw = joined.encode("utf-8", "surrogatepass")
    digits = raw.translate(None, _NOT_DIGITS_OR_NEWLINE).split(b"\n")
    return [len(d) < 4 and t.isascii() for d, t in zip(digits, texts, strict=True)]


# A numeric date inside a heading ("1.2.0 (15.01.2025)", "v3.4 - 03/02/2024"): the shape
# `numeric_dates` reads, standing apart from other numbers.
_NUMERIC_INSIDE = re.compile(r"(?<![\w./-])\d{1,2}([./-])\d{1,2}\1\d{4}(?!\w|[./-]\d)")


def _numeric_inside(texts: Iterable[str]) -> dict[str, tuple[str, int, int]]:
    """The headings among `texts` that hold one numeric date beside other words, each with
    that date as written and its span in the normal text. A date that is the heading's
    version ("Release 15.01.2025": a dotted run of numbers reads as one) is left as it is."""
    out: dict[str, tuple[str, int, int]] = {}
    for text in texts:
        found = one_match(_NUMERIC_INSIDE, text)
        if found is None:
            continue
        norm, match = found
        if match.start() == 0 and match.end() == len(norm):
            continue  # the whole heading: `numeric_dates` reads it as it stands
        version = search_version(norm)
        if version is not None and version.start < match.end() and match.start() < version.end:
            continue
        out[text] = (match.group(), match.start(), match.end())
    return out


def _no_year(text: str) -> bool:
    """ASCII text with no four digits in a row: no date can be read in it either."""
    return _few_digits(text) or (text.isascii() and _FOUR_DIGITS.search(text) is None)


class PageTexts:
    """One page's URL, and what was read from its texts: each heading's date, slug and URL
    are worked out once per page (a heading is read as a date, as a dated title and as the
    first line of the section above; reading dates is most of the time splitting takes)."""

    __slots__ = ("_alone", "_anchored", "_found", "_links", "_slugs", "normal", "url")

    def __init__(
        self,
        url: str | None,
        normal: bool = False,
        links: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self.url = url
        self.normal = normal  # the blocks' texts are normal (`split_entries`)
        self._links: Callable[[], Mapping[str, str]] | Mapping[str, str] | None = links
        self._anchored = page_anchor(url) if url else None
        self._found: dict[str, tuple[date | datetime, int, int] | None] = {}
        self._alone: dict[str, date | datetime | None] = {}
        self._slugs: dict[str, str] = {}

    # Lookups by `in`, not try/except: most texts of a page are read once, and raising
    # KeyError on each first reading cost more than the reading.
    def find_date(self, text: str) -> tuple[date | datetime, int, int] | None:
        if text in self._found:
            return self._found[text]
        # Every date format has a four-digit year, and in ASCII text normalising cannot make
        # one: most titled headings end here, without find_date's normalising.
        found = None if _no_year(text) else find_date(text)
        self._found[text] = found
        return found

    def parse_date(self, text: str) -> date | datetime | None:
        if text in self._alone:
            return self._alone[text]
        value = self._alone[text] = date_alone(text, self.find_date(text))
        return value

    def heading_dates(
        self, blocks: Sequence[Block], headings: Sequence[int]
    ) -> dict[int, date | datetime | None]:
        """Each heading (by index) read as a date when it is only a date, else None: the first
        reading of every heading, in one loop (most are titles with no year, told at once)."""
        alone, found = self._alone, self._found
        out: dict[int, date | datetime | None] = {}
        # The headings read as no date that may still hold one (not few digits), gathered in
        # this loop: a second pass testing every heading's digits cost as much as the first.
        undated: dict[str, list[int]] = {}  # text -> its headings
        value: date | datetime | None
        texts = [blocks[i].text for i in headings]
        for i, text, few in zip(headings, texts, _few_digits_each(texts), strict=True):
            if text in alone:
                value = out[i] = alone[text]
                if text in undated:
                    undated[text].append(i)
                elif value is None and not few:
                    undated[text] = [i]  # (a text cached before this loop: rare)
                continue
            if few:  # a title ("Voice State Endpoints"): no date, found or alone
                out[i] = alone[text] = found[text] = None
                continue
            value = plain_date(text)
            if value is not None:
                # A heading that is just "2024-05-01" or "August 13, 2024" (most date
                # headings): such text is normal, and find_date reads it first this way, as
                # the whole text.
                found[text] = (value, 0, len(text))
            else:
                value = date_alone(text, self.find_date(text))
                if value is None:
                    undated[text] = [i]
            out[i] = alone[text] = value
        if undated:
            # "15/01/2025": which number is the day, the page's other headings tell.
            inside = _numeric_inside(undated)
            dates = numeric_dates({*undated, *(written for written, _, _ in inside.values())})
            for text, indexes in undated.items():
                value = dates.get(text)
                if value is not None:
                    alone[text] = value
                    found[text] = (value, 0, len(text))
                    for i in indexes:
                        out[i] = value
                elif text in inside and inside[text][0] in dates:
                    # "1.2.0 (15.01.2025)": found, not alone; `date_in_heading` reads it.
                    written, start, end = inside[text]
                    found[text] = (dates[written], start, end)
            # "3.7 (16.04.22)": a two-digit year, day first, behind the version; found too.
            for text, at in dotted_dates(t for t in undated if found.get(t) is None).items():
                found[text] = at
        return out

    def slugify(self, text: str, block: bool = False) -> str:
        """`slugify(text)`; `block`: `text` is a block's text (normal when `self.normal`)."""
        slug = self._slugs.get(text)
        if slug is None:
            slug = self._slugs[text] = slugify(text, normal=block and self.normal)
        return slug

    def item_link(self, item: Block) -> str:
        """The target of the link a list item opens with: its block's own (Markdown), else
        the page's reading of its items' links, asked for on the first call (HTML: the walk
        unwrapped them). "" when it has none."""
        if item.link or self._links is None:
            return item.link
        if callable(self._links):
            self._links = self._links()
        return self._links.get(item.text, "")

    def heading_url(self, heading: Block) -> str | None:
        """The page's clean URL pointing at `heading` (its anchor, else its slug)."""
        if self._anchored is None:
            return None
        # A bold paragraph made a heading (`boldheads`) has no anchor to point at.
        anchor = heading.anchor or ("" if heading.bold else self.slugify(heading.text, block=True))
        return with_anchor(self._anchored, anchor) if anchor else anchor_url(self.url, "")
