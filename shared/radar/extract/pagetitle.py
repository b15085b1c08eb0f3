"""The page's own title written at its releases' level: no entry.

A page's title is dropped without a rule when it is the only heading at its level: the page
splits one level down. conventional-changelog (standard-version, lerna) writes a minor or major
release at `#`, the level of the file's `# Change Log` title, and its patches at `##`:

    # Change Log

    All notable changes to this project will be documented in this file.

    # [5.1.0](https://github.com/o/r/compare/v5.0.0...v5.1.0) (2018-04-16)

The releases are then split at `#`, and the title with its preface would be an undated entry
that looks new on a first run. The title is told by what it says and where it stands: the
page's first heading, naming the page ("Change Log", "Release Notes", "History", "What's new",
alone or with the product's name: "Botfuel Dialog Changelog", "Changelog - Foo"), and with
only a preface under it (paragraphs: no list item, no sub-heading) before the first release.
"""

from __future__ import annotations

import re

from radar.extract.sections import Block, Section
from radar.versions import find_version

# What a changelog page calls itself.
_PAGE_NAMES = (
    r"change\s?log|changes|release\s+notes|release\s+history|version\s+history|history|news"
    r"|what['’]s\s+new|updates"
)
# The name alone, after the product's name ("Botfuel Change Log"), or before it after a
# separator ("Changelog - Pine Script Extension", "Release Notes: Foo"); a heading that goes on
# in words ("Changes to the payments API") names something else.
_PAGE_TITLE = re.compile(
    rf"(?:[^\n:|–—]{{0,60}}\s)?(?:{_PAGE_NAMES})"
    rf"|(?:{_PAGE_NAMES})\s*(?:[:|–—]|\s-)\s*[^\n]{{1,60}}",
    re.IGNORECASE,
)


def without_page_title(sections: list[Section], first: Block) -> list[Section]:
    """`sections` without the first when it is the page's title (see the module docstring);
    `first`: the page's first heading."""
    if len(sections) < 2:
        return sections  # a page that is its title's section only keeps it
    heading, body, _ = sections[0]
    if heading is not first or _PAGE_TITLE.fullmatch(heading.text) is None:
        return sections
    if find_version(heading.text) is not None:
        return sections  # "Foo 2.0 Release Notes": a release's notes
    for block in body:
        if block.level or block.item:
            return sections  # a list or sections under it: the title holds entries' text
    return sections[1:]
