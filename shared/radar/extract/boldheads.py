"""Bold paragraphs a page writes as headings, made headings before it is split into entries.

Some changelogs title their parts with a paragraph that is only bold text instead of a heading:
Zulip's API changelog writes `## Changes in Zulip 8.0`, then `**Feature level 196**` over that
level's list, `**Feature level 195**` over its own, and so on. Such a paragraph is read as a
heading one level below the heading it stands under, when the page shows it is one:

- two or more of them stand under one heading (a lone bold line in a post is emphasis), each
  followed by blocks of its own (two bold lines in a row are emphasis too);
- each is short and no sentence (`**Note:** ...` or a bold sentence is not a heading);
- none of them is a release's section name (`**Bug fixes**`, `**Added**`): those are parts of
  the one release the classifier reads them in, as they always were;
- a date right under its heading dates that heading (`**Release Date: May 1, 2024**`), unless
  its siblings are dates too.

A lone one still counts when it is numbered like a run elsewhere on the page (a release with a
single `**Feature level 185**`). A bold version followed only by a separator and a date
(`**v0.1.5** - 2024-05-13`, `**1.2.0** (2024-01-01)`, `**v0.1.6 - 0.1.7** - 2024-07-02`) counts
as a bold paragraph too: changelogs written without headings (VS Code extensions, READMEs'
"Version history") open each release with such a line, and a run of them is that page's
releases even where their shapes differ (a range among single versions).

What the headings become is then `blocks`' business: under a date each is an entry, under a
release they stay its parts unless they are a numbered run (`numbered`): feature levels,
versions or dates, each an entry of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING

from radar.classify.headings import line_part
from radar.dates import find_date, parse_date
from radar.versions import find_version

if TYPE_CHECKING:
    from radar.extract.blocks import Block

MIN_SIBLINGS = 2
MAX_HEADING_WORDS = 10
MAX_HEADING_CHARS = 80
# A number as a label writes it ("196", "8.0", "2024-05-01" is three).
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_BOLD = attrgetter("bold")
_YEAR = re.compile(r"\d{4}")
_DIGIT_DOT_DIGIT = re.compile(r"\d\.\d")
# A Markdown paragraph that is only strong text, on one line ("**Feature level 196**"), not
# "**Note:** text" or "**a** and **b**": no closing marker may come before the end.
_MARKDOWN_BOLD = re.compile(r"[ \t]*(\*\*|__)(?=\S)(?:(?!\1)[^\n])+(?<=\S)\1[ \t]*")
# A release line of a changelog without headings: a bold version (or range of versions), then
# only a separator and a date, the date in brackets or not. The date is checked by `_is_date`.
_VERSION = r"[vV]?\d+(?:\.\d+)+(?:[-+.]?[0-9A-Za-z]+)*"
_BOLD_RELEASE = re.compile(
    rf"[ \t]*(\*\*|__)(?:{_VERSION})(?:[ \t]*[-–][ \t]*{_VERSION})?\1"
    r"[ \t]*(?:[-–—:|,][ \t]*)?[(\[]?[ \t]*(\w[^\n*_()\[\]]*?)[ \t]*[)\]]?[ \t]*"
)


def markdown_bold(raw: str) -> bool:
    """Whether a Markdown paragraph's source `raw` is only strong text: `Block.bold`."""
    if raw[:2] not in ("**", "__"):
        return False
    if _MARKDOWN_BOLD.fullmatch(raw) is not None:
        return True
    release = _BOLD_RELEASE.fullmatch(raw)
    return release is not None and _is_date(release.group(2))


def bold_paragraphs_as_headings(
    blocks: Sequence[Block], headings: Sequence[int]
) -> tuple[Sequence[Block], Sequence[int]]:
    """`blocks` with the bold paragraphs that act as headings made headings one level below
    the heading above them (see the module docstring), and the indexes of its headings then;
    `blocks` and `headings` themselves when there are none. `headings`: the indexes of
    `blocks`' headings."""
    bold = list(compress(range(len(blocks)), map(_BOLD, blocks)))  # in C: most pages have none
    runs: dict[int, list[int]] = {}  # heading -> its bold paragraphs that qualify
    vetoed: set[int] = set()  # headings with a section name among their bold paragraphs
    sections: dict[str, bool] = {}  # text -> whether it is a section name (names repeat)
    for i in bold:
        block = blocks[i]
        above = bisect_right(headings, i) - 1
        if block.level or above < 0 or not _heading_like(block.text):
            continue
        section = sections.get(block.text)
        if section is None:
            section = sections[block.text] = line_part(block.text) is not None
        if section:
            vetoed.add(headings[above])
        elif i + 1 < len(blocks) and _own_content(blocks[i + 1]):
            runs.setdefault(headings[above], []).append(i)
    for heading, run in runs.items():
        if _names_a_release(heading, run, blocks):
            vetoed.add(heading)
    for heading in vetoed:
        runs.pop(heading, None)
    runs = {h: _without_date_line(h, run, blocks) for h, run in runs.items()}
    sequences = {
        _shape(blocks[i].text)
        for run in runs.values()
        if len(run) >= MIN_SIBLINGS and numbered([blocks[i].text for i in run])
        for i in run
    }
    out: list[Block] | None = None
    made: list[int] = []
    for heading, run in runs.items():
        if len(run) >= MIN_SIBLINGS or (run and _shape(blocks[run[0]].text) in sequences):
            out = list(blocks) if out is None else out
            level = blocks[heading].level + 1
            for i in run:
                out[i] = blocks[i]._replace(level=level)
            made.extend(run)
    if out is None:
        return blocks, headings
    # The new headings' indexes merged in (none was a heading): a pass over every block to
    # find them again cost more.
    return out, sorted([*headings, *made])


def numbered(texts: Sequence[str]) -> bool:
    """Whether `texts` are a numbered run: the same words, each with its own numbers
    ("Feature level 196", "Feature level 195"; "1.2.1", "1.2.0")."""
    shape = _shape(texts[0]) if texts else ""
    if "#" not in shape or any(_shape(text) != shape for text in texts[1:]):
        return False  # most sub-headings: names, not numbers
    numbers = [tuple(_NUMBER.findall(text)) for text in texts]
    return len(set(numbers)) == len(numbers)


def _shape(text: str) -> str:
    return _NUMBER.sub("#", text.casefold())


def _heading_like(text: str) -> bool:
    return (
        len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and text[-1] not in ".!?;,"
    )


def _names_a_release(heading: int, run: list[int], blocks: Sequence[Block]) -> bool:
    """Whether a paragraph up to the run's last names a release ("Bot API 5.1" under "March 9,
    2021") while the run is no numbered one: the section is that release, and its bold
    paragraphs are its parts ("Improved Invite Links", "And More"), as under a version heading.
    A run of dated release lines ("v0.1.5 - 2024-05-13") is the page's releases, not parts."""
    texts = [blocks[i].text for i in run]
    if numbered(texts) or all(_release_line(text) for text in texts):
        return False
    for i in range(heading + 1, run[-1] + 1):
        text = blocks[i].text
        # Every version holds a digit, a dot and a digit: a search for that alone is a third
        # of find_version's on a paragraph, and most paragraphs have none.
        if not blocks[i].item and _DIGIT_DOT_DIGIT.search(text) and find_version(text):
            return True
    return False


def _own_content(block: Block) -> bool:
    """Whether `block`, right after a bold paragraph, is text of its own: not a heading, nor
    another bold paragraph that could be one."""
    return not block.level and not (block.bold and _heading_like(block.text))


def _without_date_line(heading: int, run: list[int], blocks: Sequence[Block]) -> list[int]:
    """`run` without its first paragraph when that is a date right under the heading (the
    heading's date line), unless the whole run is dates (a page dated by bold paragraphs)."""
    first = run[0]
    if first != heading + 1 or not _is_date(blocks[first].text):
        return run
    if len(run) > 1 and all(_is_date(blocks[i].text) for i in run[1:]):
        return run
    return run[1:]


def _release_line(text: str) -> bool:
    """Whether a bold paragraph's text is a version and a date only ("v0.1.5 - 2024-05-13")."""
    version = find_version(text) if _DIGIT_DOT_DIGIT.search(text) else None
    if version is None or not _YEAR.search(text):
        return False
    found = find_date(text)
    return found is not None and found[1] > text.find(version)


def _is_date(text: str) -> bool:
    # Every date format has a four-digit year: most bold titles are told without parsing.
    return _YEAR.search(text) is not None and parse_date(text) is not None
