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

This module picks the page's sections and makes each one's entry; the entries inside one section
(numbered parts, a date's sub-headings or bullets, subjects) are `subentries`', and the records
both use (`Block`, `Section`) are in `sections`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from radar.dates import date_key, version_date
from radar.extract.boldheads import bold_paragraphs_as_headings
from radar.extract.common import unique_keys
from radar.extract.datedbullets import split_dated_bullets
from radar.extract.headtitles import date_in_heading, dated_title, version_title
from radar.extract.pagetexts import PageTexts
from radar.extract.pagetitle import without_page_title
from radar.extract.releaseheads import (
    release_starts,
    sections_under_releases,
    subject_headings,
    without_section_headings,
)
from radar.extract.sections import Block as Block  # (where the extractors import it from)
from radar.extract.sections import Section, has_content, section_item, sections_at, stable_anchor
from radar.extract.subentries import (
    numbered_entries,
    numbered_parts,
    split_at_subheadings,
    split_date_section,
    subject_entries,
)
from radar.extract.toc import sub_level
from radar.model import Item
from radar.versions import clashing_versions, find_version, full_version


def split_entries(
    blocks: Sequence[Block],
    page_url: str | None,
    *,
    normal: bool = False,
    links: Callable[[], Mapping[str, str]] | None = None,
) -> list[Item]:
    """Entries of a page given as blocks (see the module docstring for the rules).

    `normal`: every block's text is a `normalize_text` result (the HTML reader's are), so an
    entry's text, their join, is taken as it is. `links`: the page's list items' links by
    their text, read when first needed (`PageTexts.item_link`).
    """
    headings: Sequence[int] = [i for i, b in enumerate(blocks) if b.level]
    if not headings:
        return []
    blocks, headings = bold_paragraphs_as_headings(blocks, headings)
    page = PageTexts(page_url, normal, links)
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
        return _entries(sections_at(blocks, level, starts, pure, headings), page, split_dates=False)
    if dated:
        level = _most_common([blocks[i].level for i in dated])
        starts = frozenset(i for i in dated if blocks[i].level < level)
        sections = sections_at(blocks, level, starts, pure, headings)
        sections = without_page_title(sections, blocks[headings[0]])
        return _entries(sections, page, split_dates=True)
    versions = {i: v for i in headings if (v := find_version(blocks[i].text))}
    versioned = list(versions)
    if versioned:
        level = _version_level([blocks[i].level for i in versioned])
        starts = release_starts(blocks, versioned, level)
        # An emptied section ("## Unreleased" after a release is cut) stays an entry: its
        # heading is still there, and dropping it would read as a removal, then an addition.
        sections = sections_at(blocks, level, starts, pure, headings)
        sections = without_page_title(sections, blocks[headings[0]])
        clashing = clashing_versions(versions.values())
        items = _entries(sections, page, False, keep_empty=True, clashing=clashing)
        return items if any(i.text for i in items) else []
    level = _undated_level(blocks, headings)
    return _entries(sections_at(blocks, level, pure=pure, headings=headings), page, False)


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


def _entries(
    sections: list[Section],
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
    section: Section,
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
    # A heading that is only a CalVer version naming a day ("## v20240413") dates its release;
    # the version stays its key, as a release's does.
    named = version_date(title) if published is None else None
    if not has_content(body) and not (keep_empty and heading.level):
        return []
    if named is not None:
        published, prefix = named, ""
    else:
        prefix = "" if published is None else date_key(published) + "-"
    if is_date_heading and split_dates:
        split = split_date_section(body, prefix, heading, published, page)
        if split:
            return split
    # Every version has a dot: most titles are told without find_version's two calls.
    version = find_version(heading.text) if "." in heading.text else None
    if is_date_heading:
        key = prefix.rstrip("-")
        title = dated_title(without_section_headings(body)) or heading.text
    elif version:
        key = full_version(heading.text) or version if version in clashing else version
        parts = numbered_parts(body)
        if parts is not None:
            body = body[: parts[0]]  # the release's own text, before its numbered parts
        title = version_title(title, version, body)
        if parts is not None:
            url = page.heading_url(heading)
            release = [section_item(key, title, body, url, published, page.normal)]
            release = release if has_content(body) else []
            return release + numbered_entries(parts[1], url, published, page)
    else:
        dated: list[Item] = []
        # The rules below need a list item, a sub-heading, or a list item before the first
        # sub-heading (a table of contents): told in one loop, as most sections of a page have
        # neither, and their calls are saved.
        listed = subs = contents = False
        for block in body:
            if block.level:
                if not subs:
                    subs, contents = True, listed
                if listed:
                    break
            if block.item:  # (a release line made a heading is still an item)
                listed = True
                if subs:
                    break
        if listed:
            # A titled section that opens with a table of its sub-headings ("Breaking changes
            # (recent and upcoming)" over links to four changes) lists separate items: an
            # entry each (`contents`: a list item stands before the first sub-heading, which
            # `sub_level` then tells is a table of them).
            toc = sub_level(body) if contents else None
            if toc is not None and toc[2]:
                return split_at_subheadings(body, toc[0], prefix, heading, published, page, True)
            # A list of items that each open with a date: an entry per item (`datedbullets`).
            bullets = split_dated_bullets(body, heading, page)
            if bullets is not None:
                body, dated = bullets
        anchor = stable_anchor(heading.anchor)
        own = title == heading.text  # (no date taken off it)
        key = prefix + page.slugify(title, own) if prefix or not anchor else anchor
        key = key or "entry"
        if named is not None:
            title = version_title(title, title.lstrip("vV"), body)  # "v20240413: Removed X"
        url = page.heading_url(heading)
        if subs and not dated:
            level = subject_headings(heading, in_title, body)
            if level is not None:
                return subject_entries(body, level, key, title, url, published, page)
        if dated and not has_content(body):
            return dated
        return [
            section_item(key, title, body, url, published, page.normal, own and page.normal),
            *dated,
        ]
    return [section_item(key, title, body, page.heading_url(heading), published, page.normal)]
