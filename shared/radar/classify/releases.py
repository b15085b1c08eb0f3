"""Version releases read by their sections, so a release is filed by its most important part.

The sections are the conventions' (classify/headings.py). An entry's text has a line per
block (heading, paragraph, list item): sections start at heading lines and an item never runs
past its line. Text stored flattened to one line (before line breaks were kept, and MDX's) is
read by the conventions' exact section names where they start a run of text, its items told
apart by the conventions' own markers (`scope: text (#12) (abc1234)`, changesets' credits). A
digest ("Weekly Updates") is read the same way: its title names a period, so its subject is in
its lines. Nothing here knows a particular project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from radar.classify.headings import (
    MAX_HEADING_CHARS,
    PART_OF,
    UNAMBIGUOUS,
    UNRELEASED,
    Part,
    heading_regex,
    line_part,
)
from radar.classify.items import ITEM_VERB
from radar.classify.markers import MARKER_STARTS as _MARKER_STARTS
from radar.classify.markers import marker_part
from radar.dates import version_date
from radar.versions import find_version

_STARTS = heading_regex(n for names in UNAMBIGUOUS.values() for n in names)
_ANY = heading_regex(PART_OF)
# A digest's title names a period, not a subject ("Weekly Updates", "June Product Updates",
# "Launch Week Highlights", "Release notes"): its lines are read like a release's items.
_DIGEST_TITLE = re.compile(
    r"(?:(?:weekly|monthly|daily|product|platform|launch|week|month|new|latest|recent|our"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|q[1-4]|\d{4}|\d{1,2}(?:st|nd|rd|th)?)[\s,-]+)*"
    r"(?:updates?|highlights|changelogs?|change ?log|release notes|what(?:'|’)?s new|roundup"
    r"|digest|news)",
    re.IGNORECASE,
)
# "Full Changelog: v1.2.0...v1.3.0" or a compare link before the first section, and the line a
# GitHub release page opens with ("v0.75.0 View release on GitHub"): the page's, not the notes'.
_PREAMBLE = re.compile(
    r"^(?:(?:Full Changelog:?\s+\S+|[\w.@/-]+\s+View release on GitHub)(?:\s+|$)){0,2}"
)
# A product update that lists several changes under one title ("Groups Devices can now ...
# Improvements Manual file formatting: ..."): a heading after its lead, before a capital
# (each name opens with its letter, then looks back: tried only where those letters are).
_EMBEDDED = re.compile(
    r"(?:I(?<=\S I)mprovements|B(?<=\S B)ug [Ff]ixes|E(?<=\S E)nhancements)(?= [A-Z])"
)
# changesets' GitHub credit before each item: "#2260 6ec885992 Thanks @dev! - ".
_CREDIT = re.compile(r"(?:#\d+\s+)?(?:[0-9a-f]{7,40}\s+)?Thanks\s+@[\w.-]+!\s*-?\s*")
_SENTENCE_MARK = re.compile(r"[.!?:;,]")

# Where one item ends: a release-please commit hash, a changesets "#12 (@user)" credit, a list
# bullet the flattening kept, the end of a sentence, or (in lists flattened without marks) the
# start of the next item: a capitalised verb or a Conventional Commits type ("feat: ...").
_ITEM_END = re.compile(
    # Every end starts at a "(" or at white space: a pattern that opens with one of them is
    # tried only there, not at every position of the text.
    r"[\s(](?:(?<=\()\s*[0-9a-f]{7,40}\s*\)\s*|(?<=\()@[\w.-]+\)\s*"
    r"|(?<=\s)(?:(?<=\)\s)(?<!\(\)\s)\s*(?=[^\s(])|[-*•]\s+|(?<=[.!?]\s)\s*(?=[A-Z])"
    rf"|(?<!:\s)\s*(?=[A-Z])(?={ITEM_VERB}[\s:])"
    r"|\s*(?=(?i:[bcdfprst]))(?=(?i:feat|fix|docs|chore|refactor|perf|test|build|ci|style|revert)"
    r"(?:\([^)]{0,40}\))?!?:)))"
)
_NOTHING_CHANGED = re.compile(
    r"\bno (?:functional|behaviou?ral|behaviou?r|user-facing|api) changes?\b"
    r"|\b(?:documentation|docs|maintenance)(?: and (?:documentation|docs|maintenance))? only\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Release:
    """A release's text by part (section), in the order the release lists them."""

    parts: tuple[tuple[Part, str], ...]
    # Keep a Changelog's "[Unreleased]": what it removes is removed later, with the next release.
    unreleased: bool = False

    def items(self) -> Iterator[tuple[Part, str]]:
        """Every item (list entry or sentence) with the part it is filed under: its section's,
        or the one a marker it opens with names ("⚠️ Removed X", ":sparkles: Add Y")."""
        for part, text in self.parts:
            for item in _items(text):
                if item[:1] in _MARKER_STARTS:
                    marked = marker_part(item)
                    if marked is not None:
                        yield marked
                        continue
                yield part, item


def read_release(title: str, text: str) -> Release | None:
    """`text` split into its sections when the entry is a release that has them, else None."""
    body = text[_PREAMBLE.match(text).end() :]  # type: ignore[union-attr]
    unreleased = UNRELEASED.fullmatch(title.strip()) is not None
    digest = _DIGEST_TITLE.fullmatch(title.strip()) is not None
    if "\n" in body:
        return _read_lines(title, body, unreleased=unreleased, digest=digest)
    sections = _STARTS.match(body) or _EMBEDDED.search(body)
    if not (unreleased or digest or _names_version(title) or sections):
        return None
    matches = list(_ANY.finditer(body))
    if not matches:
        return Release(((Part.NOTES, body.strip()),), unreleased)
    lead = body[: matches[0].start()].strip()
    # "Patch Fixes", "Windsurf Features": a word or two before a section name qualify it.
    if len(lead.split()) <= 2 and not _SENTENCE_MARK.search(lead):
        lead = ""
    parts: list[tuple[Part, str]] = [(Part.NOTES, lead)] if lead else []
    for m, nxt in zip(matches, [*matches[1:], None], strict=True):
        end = nxt.start() if nxt else len(body)
        parts.append((PART_OF[m.group(1)], body[m.end() : end].strip(" :")))
    return Release(tuple(parts), unreleased)


def _names_version(title: str) -> bool:
    """The title names a release: a version ("2.1.0", "v0.7"), or a CalVer day ("v20240413")."""
    if find_version(title):
        return True
    head = title.split(None, 1)[0].rstrip(":") if title.strip() else ""
    return version_date(head) is not None


def _read_lines(title: str, body: str, *, unreleased: bool, digest: bool) -> Release | None:
    """`read_release` for text with a line per block: sections start at heading lines."""
    # "What's Changed", "Release Notes": a heading that names the whole release, not a part.
    lines = [
        line
        for line in body.split("\n")
        if len(line) > MAX_HEADING_CHARS or not _DIGEST_TITLE.fullmatch(line.strip(" :#"))
    ]
    heads = [(i, part) for i, line in enumerate(lines) if (part := line_part(line)) is not None]
    # Not titled as a release, it is one when it opens with a section, or holds a fixes or
    # improvements section after its lead (a product update listing several changes).
    sections = bool(heads) and (
        heads[0][0] == 0 or any(part in (Part.IMPROVED, Part.FIXES) for _, part in heads)
    )
    if not (unreleased or digest or _names_version(title) or sections):
        return None
    if not heads:
        return Release(((Part.NOTES, "\n".join(lines)),), unreleased)
    first = heads[0][0]
    parts = [(Part.NOTES, "\n".join(lines[:first]))] if first else []
    ends = [i for i, _ in heads[1:]] + [len(lines)]
    parts += [
        (part, "\n".join(lines[i + 1 : end])) for (i, part), end in zip(heads, ends, strict=True)
    ]
    return Release(tuple(parts), unreleased)


def says_nothing_changed(release: Release) -> bool:
    """The release says of itself that it changes nothing callers use ("Maintenance and
    documentation only; no functional changes"): its other words describe docs or upkeep."""
    return any(_NOTHING_CHANGED.search(text) for _, text in release.parts)


def _items(text: str) -> list[str]:
    if "\n" in text:  # a line per block: an item never runs past its line
        return [item for line in text.split("\n") for item in _line_items(line)]
    return _line_items(text)


def _line_items(text: str) -> list[str]:
    if "Thanks @" in text:  # a credit is the changelog's; it ends the item before it
        text = _CREDIT.sub(" • ", text)
    return [i.strip(" -*•") for i in _ITEM_END.split(text) if i and i.strip(" -*•")]
