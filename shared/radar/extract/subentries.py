"""Entries inside one section of a page (see `blocks`): a release's numbered parts (Zulip's
feature levels), a date's sub-headings or bullets, and a titled section's subjects, an entry each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from radar.extract.boldheads import numbered
from radar.extract.common import words_slug
from radar.extract.headtitles import first_line, shorten, version_title
from radar.extract.pagetexts import PageTexts
from radar.extract.pointers import fold_pointers
from radar.extract.releaseheads import release_sections
from radar.extract.sections import (
    Block,
    Section,
    has_content,
    section_item,
    sections_at,
    stable_anchor,
)
from radar.extract.toc import is_contents, sub_level, top_subheadings
from radar.extract.typednotes import note_entries, opens_with_a_note, typed_notes
from radar.model import Item
from radar.versions import find_version

# Lead-in text under a date that still allows splitting its bullets into entries.
MAX_LEAD_CHARS = 200


def numbered_parts(body: Sequence[Block]) -> tuple[int, list[Section]] | None:
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
    return first, sections_at(body[first:], level)


def numbered_entries(
    parts: Sequence[Section], url: str | None, published: date | datetime | None, page: PageTexts
) -> list[Item]:
    """An entry per numbered part of a release, with the release's date; a bold paragraph
    made a heading has no anchor of its own, so it links to its release."""
    out: list[Item] = []
    for part in parts:
        if not has_content(part.body):
            continue
        text = part.heading.text
        version = find_version(text)
        key = version or page.slugify(text, block=True) or "entry"
        title = version_title(text, version, part.body) if version else text
        link = url if part.heading.bold else page.heading_url(part.heading)
        out.append(section_item(key, title, part.body, link, published, page.normal, page.normal))
    return out


def split_date_section(
    body: Sequence[Block],
    prefix: str,
    heading: Block,
    published: date | datetime | None,
    page: PageTexts,
) -> list[Item]:
    # Typed notes first: their bold product lines may have been made sub-headings.
    notes = typed_notes(body)
    if notes is not None:
        return note_entries(notes, prefix, heading, published, page) if len(notes) > 1 else []
    found = sub_level(body)
    if found is not None:
        level, subs, contents = found
        if release_sections(subs):
            return []  # a dated release written in sections: one entry
        # A lead that only lists the sub-headings (`toc`) is no entry, and a lone sub-heading
        # under it is the date's entry, as each of several would be.
        if len(subs) > 1 or contents:
            return split_at_subheadings(body, level, prefix, heading, published, page, contents)
        return []
    if opens_with_a_note(body):
        return []  # the list is the note's content
    # A pointer line after an item ("See Tags for more details.") is that item's reference.
    folded = fold_pointers(body)
    bullets = [(b, pointer) for b, pointer in folded if b.item]
    lead = " ".join(b.text for b, _ in folded if not b.item)
    if len(bullets) < 2 or len(lead) > MAX_LEAD_CHARS:
        return []
    out = []
    url = page.heading_url(heading)  # once: a date can hold hundreds of bullets
    for b, pointer in bullets:
        key = prefix + words_slug(b.text)
        # The lead-in ("Bot API 9.5") is context every bullet of the date shares.
        text = f"{b.text}\n{pointer}" if pointer else b.text
        block = Block(f"{lead} {text}" if lead else text)
        out.append(section_item(key, shorten(b.text), [block], url, published))
    return out


def split_at_subheadings(
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
    if has_content(lead) and not contents:
        title = first_line(lead) or heading.text
        url = page.heading_url(heading)
        out.append(section_item(prefix.rstrip("-"), title, lead, url, published, page.normal))
    for sub in sections_at(body[i:], level):
        if has_content(sub.body):
            key = prefix + page.slugify(sub.heading.text, block=True)
            # A bold paragraph made a heading has no anchor of its own: it links to its date.
            url = page.heading_url(heading if sub.heading.bold else sub.heading)
            text = sub.heading.text
            out.append(section_item(key, text, sub.body, url, published, page.normal, page.normal))
    return out


def subject_entries(
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
    if has_content(lead) and not is_contents(lead, [b for b in body if b.level == level]):
        out.append(section_item(key, title, lead, url, published, page.normal))
    for sub in sections_at(body[first:], level):
        if not has_content(sub.body):
            continue
        heading = sub.heading
        anchor = stable_anchor(heading.anchor)
        sub_key = anchor or f"{key}-{page.slugify(heading.text, block=True)}"
        link = url if heading.bold else page.heading_url(heading)
        out.append(
            section_item(sub_key, heading.text, sub.body, link, published, page.normal, page.normal)
        )
    return out
