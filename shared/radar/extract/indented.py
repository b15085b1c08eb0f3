"""Plain-text changelogs whose releases are lines over indented items, rewritten as Markdown.

Friendica's CHANGELOG, GNU-style NEWS files and older projects' ChangeLogs write each release
as a line at column 0 ("Version 2023.05 (2023-05-23)", "1.2.0 (2020-01-01)", "* Noteworthy
changes in release 1.2 (2020-01-01) [stable]") with its changes indented under it, groups
indented less than their items. Markdown reads such a release as one paragraph (indented lines
after a paragraph line continue it), so the page has no entry. `indented_release_headings`
writes each release line as a `##` heading and the lines under it as nested list items, which
the rest of the Markdown extractor already reads (a group line over its items is a scope).
"""

from __future__ import annotations

import re
from itertools import pairwise

# Both first tests look for a line after a newline (the text gets one in front), not at "^":
# `re` then jumps from newline to newline. A Markdown heading at column 0 (ATX, or a setext
# underline) says the page is Markdown: most pages stop there, in microseconds. An indented one
# is a line of a release ("  # of users now counted").
_HEADING = re.compile(r"\n(?:#{1,6}(?:[ \t\n]|\Z)|(?:=+|-{2,})[ \t]*(?:\n|\Z))")
# A column-0 line that opens with a version or has one after a few words.
_CANDIDATE = re.compile(r"\n(?:\* )?(?:[A-Za-z]\S* ){0,4}v?\d+\.\d")
# A release line: an optional outline star, at most a few words, the version, then at most a
# few words more (a date, "(unreleased)", "[stable]"); never a sentence.
_RELEASE = re.compile(
    r"(?:\*[ \t]+)?((?:[A-Za-z][\w'-]*[ \t]+){0,4}v?\d+(?:\.\d+)+[\w.+-]*(?:[ \t]+\S+){0,4})"
    r"[ \t]*:?[ \t]*"
)
MIN_RELEASES = 2
MAX_RELEASE_LINE_CHARS = 120  # "* Noteworthy changes in release 9.4 (2023-08-29) [stable]": 56
# GNU's "(2023-08-29) [stable]": the tag goes before the date, which dates a heading at its end.
_TAG_AFTER_DATE = re.compile(r"(\([^()]*\))[ \t]*(\[[^\[\]]*\])$")
# A bullet or an outline star in front of an item ("- Fix ...", "** Bug fixes").
_MARKER = re.compile(r"(?:[-+•]|\*+)[ \t]+")
# What would open another block at the start of a list item's text (a heading, a quote, a
# list, a fence, a link definition): escaped, so each line stays text.
_BLOCK_START = re.compile(r"#{1,6}(?:[ \t]|$)|>|[-+*](?:[ \t]|$)|`{3}|~{3}|\[[^\]]*\]:")
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")


def indented_release_headings(text: str) -> str:
    """`text` with its release lines as `##` headings and the lines under each as nested
    Markdown list items, when it is a plain-text changelog of this layout: no Markdown
    heading, and at least two release lines each followed by indented lines. Any other page
    comes back as it is."""
    padded = "\n" + text
    if _HEADING.search(padded) is not None or _CANDIDATE.search(padded) is None:
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heads = {i: m for i, line in enumerate(lines) if (m := _release_line(line)) is not None}
    bounds = [*heads, len(lines)]
    releases = list(pairwise(bounds))  # (release line, end of its lines)
    if sum(_has_indented(lines[a + 1 : b]) for a, b in releases) < MIN_RELEASES:
        return text
    out = lines[: bounds[0]]  # what comes before the first release (a stray line) as it was
    for start, end in releases:
        title = _TAG_AFTER_DATE.sub(r"\2 \1", heads[start].group(1).rstrip())
        out += ["", "## " + title, ""]
        out += [
            "  " * depth + "- " + _escaped(item) for depth, item in _items(lines[start + 1 : end])
        ]
    return "\n".join([*out, ""])


def _release_line(line: str) -> re.Match[str] | None:
    """A release line at column 0 (group 1: the heading it makes); None for any other line."""
    if not line or line[0] in " \t" or len(line) > MAX_RELEASE_LINE_CHARS:
        return None  # (a long line is text, and the pattern backtracks on a hostile one)
    return _RELEASE.fullmatch(line)


def _has_indented(body: list[str]) -> bool:
    """Whether a release's lines have an indented one: its items, or the paragraphs under a
    GNU NEWS section line ("** Bug fixes" at column 0)."""
    return any(line[:1] in (" ", "\t") and line.strip() for line in body)


def _items(body: list[str]) -> list[tuple[int, str]]:
    """A release's lines as (depth, text) list items: a line indented more than the one
    above it is nested under it. A wrapped line (indented to the text of the bullet above
    it) continues that item; so does a line of a paragraph when the release is written in
    paragraphs (`_in_paragraphs`)."""
    rows = [_row(line) for line in body]
    paragraphs = _in_paragraphs(rows)
    items: list[tuple[int, str]] = []
    stack: list[int] = []  # the indents of the open items, outermost first
    previous: tuple[int, int, bool] | None = None  # indent, text column, bullet
    for row in rows:
        if row is None:
            previous = None
            continue
        indent, column, bullet, line = row
        if previous is not None and not bullet and items:
            wrapped = previous[2] and indent == previous[1]
            if wrapped or (paragraphs and not previous[2] and indent == previous[0]):
                depth, above = items[-1]
                items[-1] = (depth, above + " " + line)
                continue
        while stack and stack[-1] >= indent:
            stack.pop()
        items.append((len(stack), line))
        stack.append(indent)
        previous = (indent, column, bullet)
    return items


def _row(line: str) -> tuple[int, int, bool, str] | None:
    """(indent, text column, bullet, text) of a line; None for a blank line."""
    expanded = line.expandtabs(8).rstrip()
    text = expanded.lstrip()
    if not text:
        return None
    indent = len(expanded) - len(text)
    marker = _MARKER.match(text)
    if marker is None:
        return indent, indent, False, text
    return indent, indent + marker.end(), True, text[marker.end() :]


def _in_paragraphs(rows: list[tuple[int, int, bool, str] | None]) -> bool:
    """Whether the release is written in paragraphs (GNU NEWS): two runs of two or more
    lines at one indent with only blank lines between them. One change a line (Friendica)
    has none: its runs are split by their group lines, not by blank lines."""
    runs: list[tuple[int, int, bool]] = []  # indent, lines, blank line before
    blank = False
    for row in rows:
        if row is None:
            blank = True
            continue
        indent, _, bullet, _ = row
        if runs and not blank and not bullet and runs[-1][0] == indent:
            runs[-1] = (indent, runs[-1][1] + 1, runs[-1][2])
        else:
            runs.append((indent, 1, blank) if not bullet else (-1, 1, blank))
        blank = False
    return any(a[0] == b[0] >= 0 and a[1] > 1 and b[1] > 1 and b[2] for a, b in pairwise(runs))


def _escaped(item: str) -> str:
    """`item` as list item text that Markdown reads as a line of text, whatever it opens
    with (a backslash escape, which the inline reader drops)."""
    if _BLOCK_START.match(item):
        return "\\" + item
    ordered = _ORDERED_START.match(item)
    if ordered is not None:
        return ordered.group(1) + "\\" + item[len(ordered.group(1)) :]
    return item
