"""Changelogs in reStructuredText (Sphinx `whats_new.rst`, `CHANGES.rst`, `HISTORY.rst`) -> entries.

A small line scanner, not docutils: docutils takes ~3 s on a 1 MB file, reports every Sphinx role
(`:class:`, `:issue:`) as an error, and would be a new dependency. The scanner only needs what
splits a changelog into entries and what a reader of the rendered page sees:

- Section titles by adornment (underline only, or overline and underline); levels follow the
  order in which each adornment style first appears, as in docutils. A `.. _label:` target right
  before a title is its anchor.
- Everything else is a block of text with the markup a reader never sees removed: roles reduced
  to their shown text (`:class:`~a.B`` -> `B`), inline markup and link targets dropped, comments
  and directive options dropped, admonition bodies kept.

Entries are the sections at the level where most titles carry a version or a date. Inside one,
a run of "pseudo-headings" (a paragraph that is only an emphasised date, or "Released 6.1.0")
starts an entry of its own, which old changelogs use instead of titles. Identity (the key) is
the version in the title, else its date, else its slug: never a position, and never the date
line under a title, so a placeholder ("*Released TBD*") filled in later keeps the key.

Linear in the size of the page: every regex below only scans up to the next delimiter.
"""

from __future__ import annotations

import re

from radar.errors import ExtractError
from radar.extract.blocks import Block
from radar.extract.common import decode_body, require_items
from radar.extract.rst.entries import _split
from radar.extract.rst.scan import _is_adornment, _scan, _title_at
from radar.model import FetchResult, Item, Source

__all__ = ["extract_changelog_rst", "looks_like_rst", "rst_blocks"]

# Control characters (other than whitespace) in the first 64 KB that make a body binary.
_BINARY_PROBE = 65536
_BINARY_CHARS = tuple(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v")
_SNIFF_CHARS = 65536
_RST_SIGNS = re.compile(
    r"^\.\.[ \t]+(?:_[^:\n]+:|[\w:-]+::|\|[^|\n]+\|)|:[a-z][\w:-]*:`[^`\n]+`|``[^`\n]+``|"
    r"`[^`\n]+ <[^>\n]+>`__?",
    re.MULTILINE,
)
_MD_SIGNS = re.compile(r"^#{1,6}[ \t]+\S|^(?:```|~~~)|\]\([^)\s]+\)|^\[[^\]\n]+\]:\s", re.MULTILINE)


def extract_changelog_rst(source: Source, result: FetchResult) -> list[Item]:
    """Entries of a reStructuredText changelog: one per version or date section."""
    text = decode_body(result)
    head = text[:_BINARY_PROBE]
    if sum(head.count(ch) for ch in _BINARY_CHARS) > len(head) // 100:
        raise ExtractError("the body is binary data, not reStructuredText")
    try:
        nodes = _scan(text)
        items = _split(nodes, source.url, result.fetched_at)
    except (RecursionError, ValueError, IndexError) as exc:  # a last line of defence
        raise ExtractError(f"the reStructuredText could not be read: {exc}") from exc
    if not items and not any(n.block.level for n in nodes):
        raise ExtractError("no entries found: the reStructuredText has no section titles")
    return require_items(
        items, "the reStructuredText has no version or date sections with text under them"
    )


def rst_blocks(text: str) -> list[Block]:
    """The page as section titles (with level and anchor), paragraphs and top-level list items."""
    return [n.block for n in _scan(text)]


def looks_like_rst(text: str) -> bool:
    """Whether `text` is reStructuredText rather than Markdown or HTML (a cheap structural look).

    Titles underlined with `=` or `-` say nothing (Markdown's setext headings look the same).
    RST signs: explicit markup (`.. _label:`, `.. note::`), roles, ```literals```, `` `x <url>`_ ``
    links, and titles with an overline or another adornment. Markdown signs: `# ` headings,
    `[x](y)` links, fenced code. A leading `<` is HTML.
    """
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return False
    lines = head.splitlines()
    rst = 2 * len(_RST_SIGNS.findall(head))
    md = 2 * len(_MD_SIGNS.findall(head))
    for i, line in enumerate(lines):
        if not _is_adornment(line):
            continue
        if _title_at(lines, i) is not None:
            rst += 3  # an overlined title
        elif line[0] not in "=-" and i and lines[i - 1].strip() and _title_at(lines, i - 1):
            rst += 3  # a title underlined with a character Markdown has no use for
    return rst > md and rst >= 2
