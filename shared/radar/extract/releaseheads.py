"""Headings put right before a page is split into entries: where a changelog's releases start.

Two layouts hide them from the splitter (blocks.py): a plain-text NEWS or ChangeLog has no
headings at all, only lines that open with a version; and a Keep a Changelog file may write its
sections at the release's own level ("## [9.1.1]" then "## Changed"), which would make each
section an entry of its own and leave the release empty. `release_starts` tells which version
headings start an entry when releases are written at more than one level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from radar.classify.headings import PART_OF, UNRELEASED, line_part
from radar.extract.toc import top_subheadings
from radar.versions import find_version

if TYPE_CHECKING:
    from radar.extract.blocks import Block

# A heading that opens with its version ("[5.0.5](…)", "v2.1", "Version 3.0.1"): a release even
# below the usual level; one that only mentions a version there ("Upgrade to React 18.2") is not.
LEADING_VERSION = re.compile(r"^[\[(]?\s*(?:v|version\s+|release\s+)?\d+\.\d", re.IGNORECASE)
# A plain-text changelog's release line ("version 2021.12.17", "1.4.0 (2021-03-02)"): a short
# paragraph of its own that opens with the version.
MAX_RELEASE_LINE_WORDS = 6
_NO_DATES: Mapping[int, object] = MappingProxyType({})
# The release notes' section names (Keep a Changelog, release-please, changesets, towncrier).
_SECTION_NAMES = frozenset(name.lower() for name in PART_OF)
# The longest text `UNRELEASED` matches ("[Unreleased]"; `re` folds case a character for a
# character, so no match is longer).
_UNRELEASED_CHARS = len("[unreleased]")
# Sections dated release notes also have, which no convention names: what to watch for, what
# to do before upgrading ("Known Issues", "Upgrade Notes", "Compatibility").
_NOTE_SECTIONS = frozenset(
    {"known issues", "notes", "upgrade notes", "highlights", "compatibility"}
)
# WordPress plugin readmes and WooCommerce changelog.txt files: "= 1.2.1 - 2022-07-01 =" lines
# under "== Changelog ==" (or a "*** Plugin Changelog ***" title). A page is read this way only
# when it has such a release line. The search looks for it after a newline (the text gets one
# in front), not at "^": `re` then jumps from newline to newline, 6x faster on a 100 KB page.
_WP_RELEASE = re.compile(r"\n[ \t]*=+[ \t]*(?:v|version[ \t]+)?\d+\.\d[^\n]*=[ \t]*$", re.I | re.M)
_WP_LINE = re.compile(r"(=+|\*{3})[ \t]*([^=*\s](?:.*[^=*\s])?)[ \t]*(?:=+|\*{3})")
_WP_MAX_LINE = 200  # longer lines are text, and the line pattern stays cheap
# A readme section whose release lines are releases ("Changelog", "Release Notes", "Version
# History"); "Upgrade Notice" also has "= 1.2.1 =" lines, which are notes on a release.
_WP_LOG_SECTION = re.compile(r"chang|release|version|history", re.I)


def release_lines_as_headings(blocks: Sequence[Block]) -> list[Block]:
    """`blocks` of a page with no headings (a plain-text NEWS or ChangeLog), each paragraph
    that is only a release line made a heading, so the page splits into its releases. A list
    item that is only a release line ("* 5.0.2" over "- Remove ...") is one too when text
    follows it; a run of them is a list of versions, not releases."""
    lines = [not b.level and _version_line(b.text) for b in blocks]
    return [
        b._replace(level=2, text=b.text.rstrip(" :"))  # "4.1.1:" names the release "4.1.1"
        if lines[i] and (not b.item or (i + 1 < len(blocks) and not lines[i + 1]))
        else b
        for i, b in enumerate(blocks)
    ]


def sections_under_releases(
    blocks: Sequence[Block], headings: Sequence[int], dates: Mapping[int, object] = _NO_DATES
) -> Sequence[Block]:
    """`blocks` with each section heading written at its release's level ("## Added" after
    "## [9.1.0]", or after "## 2016-12-03") moved one level under the release; `headings` are
    the indexes of the headings, `dates` the headings that are only a date (a value that is
    not None). Only a run of section names right after a version or date heading moves (its
    note may come first: "## [8.0.0]", a paragraph, "## Added"); the first other heading ends
    it."""
    named = [i for i in headings if blocks[i].text.strip(" :").lower() in _SECTION_NAMES]
    if not named:
        return blocks  # most pages: no heading is a section's name, and no version is read
    moved: list[Block] | None = None
    release = 0  # the level of the release the headings since belong to (0: none)
    for i in headings[: headings.index(named[-1]) + 1]:
        heading = blocks[i]
        if release and heading.level <= release:
            if heading.text.strip(" :").lower() in _SECTION_NAMES:
                if moved is None:
                    moved = list(blocks)
                moved[i] = heading._replace(level=release + 1)
                continue
            release = 0
        text = heading.text
        if not release and dates.get(i) is not None:
            release = heading.level  # a date heading is a dated release
            continue
        # Outside a release, a heading with no dot and over 12 characters opens none (no
        # version, no "[Unreleased]"): most headings are passed over without a call.
        if not release and "." not in text and len(text) > _UNRELEASED_CHARS:
            continue
        if _opens_release(text, release):
            release = heading.level
    return blocks if moved is None else moved


def _opens_release(text: str, release: int) -> bool:
    """Whether a heading starts a release, `release` being the level of the one it is under
    (0: none). Under a release, only a heading that opens with its version does: Mastodon's
    `# [3.5.7]` is followed by `## [3.5.6]`, whose `## Fixed` belongs to 3.5.6, not to 3.5.7
    ("### Upgrade to React 18.2" under a release only mentions a version)."""
    if release:
        return LEADING_VERSION.match(text) is not None
    return find_version(text) is not None or UNRELEASED.fullmatch(text) is not None


def release_starts(blocks: Sequence[Block], versioned: Sequence[int], level: int) -> frozenset[int]:
    """The version headings (indexes `versioned`) that start an entry when releases are at
    heading `level`: those at that level, those below it that open with their version (a
    patch release written beside `### Bug Fixes`), and those above it that open with their
    version and have text of their own before the next release (Mastodon's newest release,
    `# [3.5.7]` among `## [3.5.6]`..., under a `#` title). A heading above the releases with
    no text of its own groups them (`# v2.0` over `## 2.0.1`): no entry."""
    starts = []
    for i in versioned:
        block_level = blocks[i].level
        if block_level == level:
            starts.append(i)
        elif LEADING_VERSION.match(blocks[i].text) is None:
            continue
        elif block_level > level or _own_text(blocks, i, level):
            starts.append(i)
    return frozenset(starts)


def _own_text(blocks: Sequence[Block], start: int, level: int) -> bool:
    """Whether the heading at `start` has text before the next heading at `level` or above."""
    for block in blocks[start + 1 :]:
        if block.level and block.level <= level:
            return False
        if block.text and not block.level:
            return True
    return False


def wordpress_release_headings(text: str) -> str:
    """`text` with a WordPress readme's (or changelog.txt's) release lines ("= 1.2.1 =",
    "= 1.2.1 - 2022-07-01 =", "= 2.0 (2023-01-05) =") written as Markdown `##` headings, and
    its section and title lines ("== Changelog ==", "=== Plugin ===", "*** Changelog ***") as
    `#` headings, so each release is an entry like a Markdown changelog's. `text` as it is
    when it has no release line. A release line under another readme section ("== Upgrade
    Notice ==") is left as text: that section is not an entry (and a readme with releases
    only there is left as it is).
    """
    if _WP_RELEASE.search("\n" + text) is None:
        return text
    lines = text.split("\n")
    in_log = True  # a file that starts with its releases (changelog.txt) is all changelog
    releases = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith(("=", "***")) or len(stripped) > _WP_MAX_LINE:
            continue
        wrapped = _WP_LINE.fullmatch(stripped)
        if wrapped is None:
            continue
        marks, inner = wrapped.groups()
        if _is_release_line(inner):
            if in_log:
                lines[i] = "## " + inner
                releases += 1
        elif marks != "=":
            lines[i] = "# " + inner
            if marks == "==":  # a readme section; "===" and "***" title the whole file
                in_log = _WP_LOG_SECTION.search(inner) is not None
    return "\n".join(lines) if releases else text


def _version_line(text: str) -> bool:
    """A line that is only a release's version, with a date or a word or two ("4.1.1:",
    "1.2.1 - 2022-07-01")."""
    return len(text.split()) <= MAX_RELEASE_LINE_WORDS and LEADING_VERSION.match(text) is not None


def _is_release_line(text: str) -> bool:
    return _version_line(text) or UNRELEASED.fullmatch(text) is not None


def release_sections(subheadings: Sequence[Block]) -> bool:
    """Whether headings under a date are the sections of one release ("Improvements", "Bug
    Fixes", "Known Issues" under "Release 2023-06-29"), not entries of their own."""
    return all(_names_a_section(b.text) for b in subheadings)


def subject_headings(heading: Block, dated: bool, body: Sequence[Block]) -> int | None:
    """The level of the subjects a titled section is written in, when each is an entry: "##
    June 2026: New in preview only" (a release, `dated` by its title) or "## Breaking changes"
    (one section of a release) over "### Area | Sub-area" headings that name no section. A
    lone subject counts too: such a section grows a subject at a time over its month, and
    its first subject keeps its key when the second comes. None when the section is neither,
    has no sub-headings, or its sub-headings are the release's sections ("### Added", "###
    Known Issues"): one entry. (The caller asks only of a section with a sub-heading.)"""
    if not dated:
        # Named exactly as a convention's section ("Breaking changes"), not by `line_part`'s
        # words: the check runs for every titled section with a sub-heading.
        name = heading.text.strip(" :").lower()
        if name not in _SECTION_NAMES and name not in _NOTE_SECTIONS:
            return None
    found = top_subheadings(body)
    if found is None or release_sections(found[1]):
        return None
    return found[0]


def _names_a_section(text: str) -> bool:
    name = text.strip(" :").lower()
    return name in _SECTION_NAMES or name in _NOTE_SECTIONS or line_part(text) is not None


def without_section_headings(body: Sequence[Block]) -> Sequence[Block]:
    """A dated release's blocks without its headings when its top ones are its sections
    (`release_sections`): its title is then its first change, not "Improvements" (nor a
    component heading under it, "User Interface (UI)")."""
    found = top_subheadings(body)
    if found is None or not release_sections(found[1]):
        return body
    return [b for b in body if not b.level]
