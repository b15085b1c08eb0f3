"""Titles and dates read from a section's heading and first lines (see `blocks`).

A version or titled heading may carry its date at either end ("1.2.0 - 2024-05-01"); a dated
entry is titled by its first line; a bare version by its first line after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from radar.classify.headings import Part, line_part
from radar.extract.pointers import is_pointer
from radar.text import normalize_text
from radar.versions import is_version

if TYPE_CHECKING:
    from radar.extract.blocks import Block

MAX_DERIVED_TITLE = 120
# Who cut the release, after its date: "2.0.10 (2019-05-31) - @mojavelinux" (the Asciidoctor
# projects' changelogs). A handle, not words: the date is still at the heading's end.
_BY_HANDLE = re.compile(r"[)\]]?[ \t]*[-–—][ \t]*@[\w-]+")
# The types of Google's release notes (developers.google.com, cloud.google.com), each a line of
# its own over its note: what `typednotes` splits a date at.
NOTE_TYPES = frozenset(
    {
        "Announcement",
        "Breaking",
        "Change",
        "Changed",
        "Deprecated",
        "Feature",
        "Fixed",
        "Issue",
        "Known issue",
        "Libraries",
        "Non-breaking",
        "Other",
        "Security",
    }
)
# A line that only labels what follows: a few words, no sentence's end ("X API v2", "Docs").
MAX_LABEL_WORDS = 5
MAX_LABEL_CHARS = 40


def date_in_heading(
    text: str, found: tuple[date | datetime, int, int] | None
) -> tuple[date | datetime | None, str]:
    """A date at either end of a heading ("1.2.0 - 2024-05-01", "[2024-05-01] Title"), given
    `find_date(text)`."""
    if found is None:
        return None, text
    value, start, end = found
    norm = normalize_text(text)
    before, after = norm[:start].rstrip(), norm[end:].lstrip()
    if "@" in after and _BY_HANDLE.fullmatch(after):
        after = after[:1] if after[:1] in ")]" else ""  # the bracket only: no title word
    if before[-1:].isalpha() or before[-1:] == ":":
        # GNU NEWS's "(released 2014-08-23)": a word saying what the date is, in its bracket.
        said = _DATE_WORD.search(before)
        before = before if said is None else before[: said.start() + 1]
    tag = ""
    if after.endswith("]") and after.strip(")]"):
        # "(16.11.21) [Windows, macOS]", Keep a Changelog's "- 2014-12-13 [YANKED]": a
        # bracketed tag after the date is the title's, and the date still ends the heading.
        tagged = _TAG_AFTER.fullmatch(after)
        if tagged is not None:
            tag, after = tagged[1], ""
    # (A colon may end the heading: "version 2.10.0 (08/18/2011):", Pidgin's ChangeLog.)
    at_end = not after.strip(")]:") and (not before or before[-1] in "-–—|(:[," or _slash(before))
    at_start = start == 0 or not before.strip("([")
    # Right after the version that opens the heading, the date is the release's whatever
    # follows it, nothing ("[2.0.0] 2024-1-5") or a signature ("v0.8.7 2003-11-23 Timo
    # Sirainen", GNU-style NEWS).
    if not (at_end or at_start or (before and _bare_version(before))):
        return None, text  # a date in the middle is a deadline, not the entry's date
    # "[2.6.0] - 2024-07-09" (Keep a Changelog): the title is the version, not "2.6.0]".
    title = unwrapped(before.rstrip(" -–—|(:[,/").lstrip(" -–—|:,"))
    rest = (title + " " + (tag or after.strip(" -–—|)]:,"))).strip()
    return value, rest or norm


# Words that say what a date in a heading's brackets is: "(released 2014-08-23)", "(released
# on ...)", "(release date: ...)", "(published ...)", "(updated ...)".
_DATE_WORD = re.compile(
    r"[(\[]\s*(?:released?(?:\s+on|\s+date)?|published(?:\s+on)?|updated(?:\s+on)?)\s*:?$",
    re.IGNORECASE,
)
_TAG_AFTER = re.compile(r"[)\]]?\s*(\[[^\[\]]+\])")


def _slash(before: str) -> bool:
    """git-extras' History.md: "1.8.2 / 2016-12-11" (`git changelog`), a slash set apart by a
    space, not one inside a word ("and/or")."""
    return before[-2:] in (" /", "\t/")


# What may come before the version in a release heading whose date follows it.
_RELEASE_WORD = re.compile(r"(?:version|release)\s+", re.IGNORECASE)


def _bare_version(text: str) -> bool:
    """Whether `text` is only a release's version ("[2.0.0]", "v1.2", "Version 3.1"): a date
    right after it is the release's ("[2.0.0] 2024-1-5"), with no separator between them."""
    return is_version(_RELEASE_WORD.sub("", unwrapped(text), count=1))


def unwrapped(text: str) -> str:
    """`text` without the brackets around all of it ("[2.6.0]", "(beta)"), nested ones too
    ("[[0.7.1]]": a reference link written around a Keep a Changelog version)."""
    while len(text) > 1 and (text[0], text[-1]) in (("[", "]"), ("(", ")")):
        text = text[1:-1].strip()
    return text


def dated_title(body: Sequence[Block]) -> str:
    """A dated entry's title: its first line, or, when that line is a paragraph that only
    labels what follows (a product tag such as "X API v2" over "Today, we added ..."), the
    label and the line after it. A heading or list item there is a title as it stands.
    Paragraphs that only lead into the entry ("This update contains the following changes:",
    "Note: This is a deprecation announcement.") are passed over for the line they lead to,
    except a list's introduction, which says what the list is: "The following features have
    been added to the CLI: `twitch api` ..." keeps it with the first item."""
    lines = [b for b in body if b.text]
    while len(lines) > 1 and not lines[0].level and not lines[0].item and leads_in(lines[0].text):
        if lines[0].text.endswith(":") and lines[1].item:
            return shorten(f"{lines[0].text} {lines[1].text}")
        lines = lines[1:]
    if not lines:
        return ""
    first = lines[0]
    if len(lines) > 1 and not first.level and not first.item and is_label(first.text):
        # A typed note's type over a product line ("Feature" over "Meet API"): the product
        # names no change either, the line after both does. The type stays, as it says what
        # kind of note this is. (Only under a note's type: a label over a short sub-title,
        # "Bot API 5.1" over "Added two new update types", keeps the sub-title.)
        said = lines[1]
        if first.text in NOTE_TYPES and len(lines) > 2 and _plain_label(lines[1]):
            said = lines[2]
        return shorten(f"{first.text}: {said.text}")
    return shorten(first.text)


def _plain_label(block: Block) -> bool:
    return not block.level and not block.item and is_label(block.text)


# A side note's label opening a short paragraph: "Note: This is a deprecation announcement."
_SIDE_NOTE = re.compile(r"(?:note|important|warning|caution|tip|reminder)\s*:\s", re.IGNORECASE)
MAX_SIDE_NOTE_CHARS = 60


def leads_in(line: str) -> bool:
    """A paragraph that introduces what follows rather than saying it: one that ends in a
    colon (a list's introduction), or a short side note."""
    if line.endswith(":"):
        return True
    return len(line) <= MAX_SIDE_NOTE_CHARS and _SIDE_NOTE.match(line) is not None


def is_label(line: str) -> bool:
    return (
        len(line) <= MAX_LABEL_CHARS
        and len(line.split()) <= MAX_LABEL_WORDS
        and line[-1] not in ".!?:;,"
    )


def version_title(title: str, version: str, body: Sequence[Block]) -> str:
    """A release's title: its heading, and its first change when the heading is only its
    version (`version`, as `find_version` reads the heading, or that version with a SemVer
    tail `find_version` leaves off: "2021.01.07-1")."""
    # "Version 21.12", "Release 3.1": the word says nothing the version does not; nor does
    # the product's name every release of its page repeats ("Synapse 1.121.0", "Hubzilla 10.0").
    bare = _LEADING_RELEASE_WORD.sub("", normalize_text(title), count=1)
    bare = bare.lstrip("vV").strip(" :-–—")
    if bare != version and not is_version(bare, semver=True):
        named = _PRODUCT_NAME.match(bare)
        bare = bare[named.end() :].lstrip("vV") if named else ""
        if bare != version and not is_version(bare, semver=True):
            return title
    lead = _first_change([b for b in _headline_section(body) if not b.level and b.text])
    return f"{title}: {lead}" if lead else title  # a bare version says nothing: "0.20.38: Add X"


_LEADING_RELEASE_WORD = re.compile(r"(?:version|release)\s+", re.IGNORECASE)
# A name before the version: a word or two of letters ("Hubzilla ", "Mastodon Server "), maybe
# after "Changes in" ("Changes in RiotX 0.1.0", "Changes in [0.14.2]").
_PRODUCT_NAME = re.compile(r"(?:changes (?:in|for) )?(?:[A-Za-z][A-Za-z&'+-]*\s+){0,2}", re.I)
# What a release's title names first, by its sections' parts: a breaking change, then a new
# feature, then whatever section comes first (fixes, chores, docs alike).
_HEADLINE_RANK = {Part.BREAKING: 0, Part.FEATURES: 1}


def _headline_section(body: Sequence[Block]) -> Sequence[Block]:
    """The part of a release's `body` its title is read from: all of it, unless the release
    is written in named sections ("### Bug Fixes" over "### Features", semantic-release's
    order) and a later one is graver than the first: then that section's blocks, so a
    release that adds features is not titled by a fix. Only headings and bold lines name a
    section (`line_part`); a release with text before its first section keeps its lead."""
    starts: list[tuple[int, int]] = []  # (index, rank) of each named section
    for i, b in enumerate(body):
        if b.level or b.bold:
            part = line_part(b.text)
            if part is not None:
                starts.append((i, _HEADLINE_RANK.get(part, 2)))
    if len(starts) < 2 or any(b.text and not b.level for b in body[: starts[0][0]]):
        return body
    best = min(range(len(starts)), key=lambda n: starts[n][1])  # the first of the gravest
    if starts[best][1] >= starts[0][1]:
        return body  # the first section is already the gravest: the title as it always was
    end = starts[best + 1][0] if best + 1 < len(starts) else len(body)
    return body[starts[best][0] + 1 : end]


def _first_change(lines: Sequence[Block]) -> str:
    """The first line, or the first item of the list a short lead-in line introduces
    ("Changes since rc.4:" over the list of changes, or a group's name, "Commands" over its
    items): the lead-in names no change."""
    while len(lines) > 1 and not lines[0].item and is_pointer(lines[0].text):
        lines = lines[1:]  # "Upgrade instructions are available at https://...": no change
    if len(lines) > 1 and lines[1].item and not lines[0].item:
        lead = lines[0].text.removesuffix(":").rstrip()  # ("Changes since beta.1 :")
        if lead and is_label(lead):
            return shorten(lines[1].text)
    return first_line(lines)


def first_line(body: Sequence[Block]) -> str:
    for b in body:
        if b.text:
            return shorten(b.text)
    return ""


def shorten(text: str) -> str:
    # A list item keeps a line per nested item; a title reads it as one line, as it always has.
    line = text.replace("\n", " ").strip()
    if len(line) <= MAX_DERIVED_TITLE:
        return line
    cut = line[:MAX_DERIVED_TITLE].rsplit(" ", 1)[0]
    return cut + "…"
