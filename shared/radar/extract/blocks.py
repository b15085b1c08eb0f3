"""Changelog pages as a flat list of blocks, and the one splitter that turns blocks into entries.

Both the Markdown and the HTML extractor reduce a page to `Block`s (headings with their level
and anchor, paragraphs, top-level list items) and call `split_entries`, so the rules below hold
for both formats:

- Split at dated headings (`## 2026-11-12`, `<h3>November 12, 2026</h3>`). A date heading right
  under a titled heading (`## Title` then `#### August 13, 2024`) dates that titled section,
  which is then the entry.
- Under a heading that is only a date, several sub-headings (or several top-level bullets when
  there are no sub-headings) each become their own entry; so does a lone sub-heading when the
  date's own text is only a table of contents of its sub-headings (`toc`), which is no entry.
- Version changelogs split at every heading that names a version (`## [2.6.1] - 2024-09-15`,
  `### [5.0.5](…) (2021-09-03)`, `## Devvit 0.11.4: Title`), whatever its level, so a patch
  release written one level down (beside `### Bug Fixes`) is still its own entry (and one
  written a level up with text of its own, `# [3.5.7]` under a `#` title, too); other
  headings below the versions' level are sections of the entry above, unless they are a
  numbered run (Zulip's "Feature level 196", "Feature level 195"): then each is an entry.
- A list whose items each open with their own date, under a heading that is not a date or a
  version, gives an entry per item (`datedbullets`); the rest of the section stays its entry.
- Paragraphs that are only bold text and act as headings are read as headings one level below
  the heading above them (`boldheads`).
- Other pages split at the highest heading level that occurs more than once with distinct
  titles. Sections with no text are skipped (`## Unreleased` with nothing under it).
- Identity (the key): the version for version entries, date + heading slug for dated entries,
  else the heading's anchor, else its slug. Keys never depend on position, so insertions,
  reordering and text edits keep them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

from radar.dates import date_key
from radar.extract.boldheads import bold_paragraphs_as_headings, numbered
from radar.extract.common import make_item, unique_keys, words_slug
from radar.extract.datedbullets import split_dated_bullets
from radar.extract.headtitles import date_in_heading, dated_title, first_line, shorten
from radar.extract.pagetexts import PageTexts
from radar.extract.releaseheads import (
    release_sections,
    release_starts,
    sections_under_releases,
    subject_headings,
    without_section_headings,
)
from radar.extract.toc import contents_level, is_contents, sub_level, top_subheadings
from radar.model import Item
from radar.text import normalize_text
from radar.versions import clashing_versions, find_version, full_version

# Anchors a CMS numbers by position ("section-3", "h_12") would change when an entry is
# inserted above, so they are not used as identity.
_POSITIONAL_ANCHOR = re.compile(r"^(?:[a-z]{0,10}[-_]?)?\d+$", re.IGNORECASE)
# Lead-in text under a date that still allows splitting its bullets into entries.
MAX_LEAD_CHARS = 200
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


class _Section(NamedTuple):  # a NamedTuple for the reason Block is one
    heading: Block
    body: tuple[Block, ...]
    # The heading read as a date when it is only a date (else None), worked out once per page:
    # reading dates is most of the time a page with thousands of headings takes.
    date: date | datetime | None = None


def split_entries(
    blocks: Sequence[Block], page_url: str | None, *, normal: bool = False
) -> list[Item]:
    """Entries of a page given as blocks (see the module docstring for the rules).

    `normal`: every block's text is a `normalize_text` result (the HTML reader's are), so an
    entry's text, their join, is taken as it is.
    """
    headings: Sequence[int] = [i for i, b in enumerate(blocks) if b.level]
    if not headings:
        return []
    blocks, headings = bold_paragraphs_as_headings(blocks, headings)
    page = PageTexts(page_url, normal)
    pure = page.heading_dates(blocks, headings)  # (texts only: the levels may still move)
    blocks = sections_under_releases(blocks, headings, pure)
    dated = [i for i in headings if pure[i] is not None]
    attached = [
        i
        for i in dated  # (the dated headings are half a page's or fewer)
        if i > 0 and 0 < blocks[i - 1].level < blocks[i].level and pure[i - 1] is None
    ]
    if attached and len(attached) > len(dated) - len(attached):
        level = _most_common([blocks[i - 1].level for i in attached])
        starts = frozenset(i - 1 for i in attached)
        return _entries(_sections(blocks, level, starts, pure, headings), page, split_dates=False)
    if dated:
        level = _most_common([blocks[i].level for i in dated])
        starts = frozenset(i for i in dated if blocks[i].level < level)
        return _entries(_sections(blocks, level, starts, pure, headings), page, split_dates=True)
    versions = {i: v for i in headings if (v := find_version(blocks[i].text))}
    versioned = list(versions)
    if versioned:
        level = _version_level([blocks[i].level for i in versioned])
        starts = release_starts(blocks, versioned, level)
        # An emptied section ("## Unreleased" after a release is cut) stays an entry: its
        # heading is still there, and dropping it would read as a removal, then an addition.
        sections = _sections(blocks, level, starts, pure, headings)
        clashing = clashing_versions(versions.values())
        items = _entries(sections, page, False, keep_empty=True, clashing=clashing)
        return items if any(i.text for i in items) else []
    level = _undated_level(blocks, headings)
    return _entries(_sections(blocks, level, pure=pure, headings=headings), page, False)


def _version_level(levels: list[int]) -> int:
    """The highest heading level that names a version more than once (a page title naming one
    version, `# Changelog 2.x`, is not where the entries are)."""
    counts = Counter(levels)
    return min((level for level, n in counts.items() if n > 1), default=min(levels))


def _most_common(levels: list[int]) -> int:
    counts = Counter(levels)
    best = max(counts.values())
    return min(level for level, n in counts.items() if n == best)


def _undated_level(blocks: Sequence[Block], headings: Sequence[int]) -> int:
    titles: dict[int, list[str]] = {}
    for i in headings:
        titles.setdefault(blocks[i].level, []).append(blocks[i].text)
    for level in sorted(titles):
        if len(titles[level]) > 1 and len(set(titles[level])) > 1:
            return level
    return min(titles)


def _sections(
    blocks: Sequence[Block],
    level: int,
    starts: frozenset[int] = frozenset(),
    pure: Mapping[int, date | datetime | None] = _NO_DATES,
    headings: Sequence[int] | None = None,
) -> list[_Section]:
    """Sections at heading `level`, plus sections at the headings in `starts` (indices).

    `starts` lets an entry whose heading has the wrong level (`#` or `###` among `##` entries,
    a common slip) stay an entry: its date shows it is one. `pure`: the headings (by index)
    that are only a date, and that date. `headings`: the indices of `blocks`' headings, when
    the caller has them (only headings start sections: the other blocks are not visited).
    """
    if headings is None:
        headings = [i for i, b in enumerate(blocks) if b.level]
    new = tuple.__new__  # a section made from its fields: the NamedTuple's call cost twice as much
    out: list[_Section] = []
    start: int | None = None
    for i in headings:
        block_level = blocks[i].level
        starting = i in starts
        if block_level <= level or starting:
            if start is not None:
                out.append(
                    new(_Section, (blocks[start], tuple(blocks[start + 1 : i]), pure.get(start)))
                )
            start = i if block_level == level or starting else None
    if start is not None:
        out.append(new(_Section, (blocks[start], tuple(blocks[start + 1 :]), pure.get(start))))
    return out


def _entries(
    sections: list[_Section],
    page: PageTexts,
    split_dates: bool,
    *,
    keep_empty: bool = False,
    clashing: frozenset[str] = frozenset(),
) -> list[Item]:
    items: list[Item] = []
    for section in sections:
        items.extend(_section_entries(section, page, split_dates, keep_empty, clashing))
    return unique_keys(items)


def _section_entries(
    section: _Section,
    page: PageTexts,
    split_dates: bool,
    keep_empty: bool = False,
    clashing: frozenset[str] = frozenset(),
) -> list[Item]:
    """`clashing`: the versions two of the page's release headings share."""
    heading, body, published = section  # (one unpacking: three attribute reads cost more)
    title = heading.text
    is_date_heading = published is not None
    if published is None:
        found = page.find_date(title)
        if found is not None:
            published, title = date_in_heading(title, found)
    in_title = published is not None and not is_date_heading  # "## June 2026: New in preview"
    if published is None and body:
        # A date heading or a date line right under the heading dates the section.
        first = body[0]
        published = page.parse_date(first.text) if not first.item else None
        if published is not None:
            body = body[1:]
        else:
            published = next((b.date for b in body[:3] if b.date), None)
    if not _has_content(body) and not (keep_empty and heading.level):
        return []
    prefix = "" if published is None else date_key(published) + "-"
    if is_date_heading and split_dates:
        split = _split_date_section(body, prefix, heading, published, page)
        if split:
            return split
    # Every version has a dot: most titles are told without find_version's two calls.
    version = find_version(heading.text) if "." in heading.text else None
    if is_date_heading:
        key = prefix.rstrip("-")
        title = dated_title(without_section_headings(body)) or heading.text
    elif version:
        key = full_version(heading.text) or version if version in clashing else version
        parts = _numbered_parts(body)
        if parts is not None:
            body = body[: parts[0]]  # the release's own text, before its numbered parts
        title = _version_title(title, version, body)
        if parts is not None:
            url = page.heading_url(heading)
            release = [_item(key, title, body, url, published, page.normal)]
            release = release if _has_content(body) else []
            return release + _numbered_entries(parts[1], url, published, page)
    else:
        dated: list[Item] = []
        # Both rules below need a list item (most sections of a page have none: two calls
        # saved per section).
        listed = False
        for block in body:
            if block.item:
                listed = True
                break
        if listed:
            # A titled section that opens with a table of its sub-headings ("Breaking changes
            # (recent and upcoming)" over links to four changes) lists separate items: an
            # entry each.
            level = contents_level(body)
            if level is not None:
                return _split_at_subheadings(body, level, prefix, heading, published, page, True)
            # A list of items that each open with a date: an entry per item (`datedbullets`).
            bullets = split_dated_bullets(body, heading, page)
            if bullets is not None:
                body, dated = bullets
        anchor = _stable_anchor(heading.anchor)
        own = title == heading.text  # (no date taken off it)
        key = prefix + page.slugify(title, own) if prefix or not anchor else anchor
        key = key or "entry"
        url = page.heading_url(heading)
        if not dated:
            level = subject_headings(heading, in_title, body)
            if level is not None:
                return _subject_entries(body, level, key, title, url, published, page)
        if dated and not _has_content(body):
            return dated
        return [_item(key, title, body, url, published, page.normal, own and page.normal), *dated]
    return [_item(key, title, body, page.heading_url(heading), published, page.normal)]


def _version_title(title: str, version: str, body: Sequence[Block]) -> str:
    lead = first_line(_text_blocks(body))
    if lead and normalize_text(title).lstrip("vV").strip(" :-–—") == version:
        return f"{title}: {lead}"  # a bare version says nothing: "0.20.38: Add X" does
    return title


def _numbered_parts(body: Sequence[Block]) -> tuple[int, list[_Section]] | None:
    """A release's parts when its sub-headings are a numbered run (Zulip's feature levels,
    patch versions): where the first starts in `body`, and the parts. A lone one counts when
    it is a bold paragraph made a heading, which `boldheads` does only for a numbered run
    the page shows elsewhere. None for other sub-headings (the release's sections)."""
    found = top_subheadings(body)
    if found is None:
        return None
    level, subs, first = found
    if not (len(subs) > 1 or subs[0].bold) or not numbered([b.text for b in subs]):
        return None
    return first, _sections(body[first:], level)


def _numbered_entries(
    parts: Sequence[_Section], url: str | None, published: date | datetime | None, page: PageTexts
) -> list[Item]:
    """An entry per numbered part of a release, with the release's date; a bold paragraph
    made a heading has no anchor of its own, so it links to its release."""
    out: list[Item] = []
    for part in parts:
        if not _has_content(part.body):
            continue
        text = part.heading.text
        version = find_version(text)
        key = version or page.slugify(text, block=True) or "entry"
        title = _version_title(text, version, part.body) if version else text
        link = url if part.heading.bold else page.heading_url(part.heading)
        out.append(_item(key, title, part.body, link, published, page.normal, page.normal))
    return out


def _split_date_section(
    body: Sequence[Block],
    prefix: str,
    heading: Block,
    published: date | datetime | None,
    page: PageTexts,
) -> list[Item]:
    found = sub_level(body)
    if found is not None:
        level, subs, contents = found
        if release_sections(subs):
            return []  # a dated release written in sections: one entry
        # A lead that only lists the sub-headings (`toc`) is no entry, and a lone sub-heading
        # under it is the date's entry, as each of several would be.
        if len(subs) > 1 or contents:
            return _split_at_subheadings(body, level, prefix, heading, published, page, contents)
        return []
    bullets = [b for b in body if b.item]
    lead = " ".join(b.text for b in body if not b.item)
    if len(bullets) < 2 or len(lead) > MAX_LEAD_CHARS:
        return []
    out = []
    url = page.heading_url(heading)  # once: a date can hold hundreds of bullets
    for b in bullets:
        key = prefix + words_slug(b.text)
        # The lead-in ("Bot API 9.5") is context every bullet of the date shares.
        block = Block(f"{lead} {b.text}" if lead else b.text)
        out.append(_item(key, shorten(b.text), [block], url, published))
    return out


def _split_at_subheadings(
    body: Sequence[Block],
    level: int,
    prefix: str,
    heading: Block,
    published: date | datetime | None,
    page: PageTexts,
    contents: bool = False,
) -> list[Item]:
    """`contents`: the lead before the first sub-heading is a table of contents (no entry)."""
    out: list[Item] = []
    lead = []
    i = 0
    while i < len(body) and body[i].level != level:
        lead.append(body[i])
        i += 1
    if _has_content(lead) and not contents:
        title = first_line(lead) or heading.text
        url = page.heading_url(heading)
        out.append(_item(prefix.rstrip("-"), title, lead, url, published, page.normal))
    for sub in _sections(body[i:], level):
        if _has_content(sub.body):
            key = prefix + page.slugify(sub.heading.text, block=True)
            # A bold paragraph made a heading has no anchor of its own: it links to its date.
            url = page.heading_url(heading if sub.heading.bold else sub.heading)
            text = sub.heading.text
            out.append(_item(key, text, sub.body, url, published, page.normal, page.normal))
    return out


def _subject_entries(
    body: Sequence[Block],
    level: int,
    key: str,
    title: str,
    url: str | None,
    published: date | datetime | None,
    page: PageTexts,
) -> list[Item]:
    """A titled section's subjects (`releaseheads.subject_headings`), an entry each, keyed by
    their anchor or by the section's key and their slug: the same subject ("Files") under the
    month's GA and preview sections is two entries. The section's own text before them, unless
    it only lists them, stays the section's entry ("These changes require special attention")."""
    first = next(i for i, b in enumerate(body) if b.level == level)
    lead = body[:first]
    out: list[Item] = []
    if _has_content(lead) and not is_contents(lead, [b for b in body if b.level == level]):
        out.append(_item(key, title, lead, url, published, page.normal))
    for sub in _sections(body[first:], level):
        if not _has_content(sub.body):
            continue
        heading = sub.heading
        anchor = _stable_anchor(heading.anchor)
        sub_key = anchor or f"{key}-{page.slugify(heading.text, block=True)}"
        link = url if heading.bold else page.heading_url(heading)
        out.append(
            _item(sub_key, heading.text, sub.body, link, published, page.normal, page.normal)
        )
    return out


def _item(
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


def _stable_anchor(anchor: str) -> str:
    return "" if not anchor or _POSITIONAL_ANCHOR.match(anchor) else anchor


def _text_blocks(body: Sequence[Block]) -> list[Block]:
    return [b for b in body if not b.level]


def _has_content(body: Sequence[Block]) -> bool:
    # Sub-headings alone ("## Unreleased" under "# Changelog") are not an entry. A plain
    # loop: a generator's setup cost more than the usual first block that ends it.
    for b in body:  # noqa: SIM110
        if b.text and not b.level:
            return True
    return False
