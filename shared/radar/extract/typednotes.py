"""A date written as typed notes (Google's release notes: Meet, Chat, Cloud), an entry per note.

Under one date heading, each note opens with a type line ("Feature", "Announcement",
"Change"), often a short product line ("**Meet API**") and then the note's text:

    ## February 07, 2025
    Announcement
    **Meet API**
    **Developer Preview**: You can now pre-configure auto-recording ...
    Feature
    **Meet API**
    **Generally Available**: All meeting participants can now query ...

A date with one note stays one entry, keyed by the date, its list inside it. A date with two or
more is an entry per note, keyed by the date and the note's type ("2025-02-07-feature"), and by
a position only when the date repeats a type ("2025-07-25-feature-2"): keys from the note's
type, not its text, stay when a note's wording is edited.

The types are Google's fixed set, matched whole: a line that is exactly "Feature" or
"Deprecated" over a note's text. Any short label would also take a product name over its list
("Bot API 4.9" over its changes), which is that list's lead, not a note's type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from radar.extract.headtitles import NOTE_TYPES, dated_title, is_label
from radar.extract.pagetexts import PageTexts
from radar.extract.sections import Block, has_content, section_item
from radar.model import Item


def _is_type_line(block: Block) -> bool:
    return not block.level and not block.item and not block.bold and block.text in NOTE_TYPES


def typed_notes(body: Sequence[Block]) -> list[list[Block]] | None:
    """`body`'s notes, when the date opens with a type line over text, each note a type line
    and the blocks up to the next one; None for a date written otherwise.

    The product lines a page writes bold may have been made sub-headings (`boldheads` does so
    for two under one date): they are lines of their note here, with their heading level
    dropped. A date with any other sub-heading is written in sections, not typed notes."""
    if len(body) < 2 or not _is_type_line(body[0]):
        return None
    if any(b.level and not b.bold for b in body):
        return None
    notes: list[list[Block]] = []
    for block in body:
        if _is_type_line(block):
            notes.append([])
        line = block._replace(level=0) if block.level else block
        notes[-1].append(line)
    if not all(has_content(note[1:]) for note in notes):
        return None  # a type line with nothing under it is no note ("Other" as a sentence's end)
    return notes


def note_entries(
    notes: Sequence[Sequence[Block]],
    prefix: str,
    heading: Block,
    published: date | datetime | None,
    page: PageTexts,
) -> list[Item]:
    """An entry per note of a date with several (see the module docstring for keys)."""
    url = page.heading_url(heading)
    seen: Counter[str] = Counter()
    out: list[Item] = []
    for note in notes:
        kind = note[0].text
        seen[kind] += 1
        slug = kind.lower().replace(" ", "-")
        key = f"{prefix}{slug}" if seen[kind] == 1 else f"{prefix}{slug}-{seen[kind]}"
        title = dated_title(note) or kind
        out.append(section_item(key, title, note, url, published, page.normal))
    return out


# A note's text opens with a sentence, not a sub-title over the list.
_SENTENCE_ENDS = frozenset(".:!?")


def opens_with_a_note(body: Sequence[Block]) -> bool:
    """Whether a date's text opens as a note in any page's words: a label line ("Feature",
    "Highlights", a product's name) over a sentence that says the change. A list below is that
    note's content (the methods it covers, the samples it adds), not entries of its own. A
    label right over the list ("Bot API 4.9" over its changes) opens no note: the list splits.
    (`typed_notes` reads Google's fixed note types, which may be several to a date.)"""
    if len(body) < 2:
        return False
    label, note = body[0], body[1]
    return (
        not label.level
        and not label.item
        and bool(label.text)
        and is_label(label.text)
        and not note.level
        and not note.item
        and not note.bold
        and note.text[-1:] in _SENTENCE_ENDS  # a sentence, not a sub-title over the list
    )
