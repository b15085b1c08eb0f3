"""Scanned blocks -> changelog entries: the entry level, pseudo-headings, keys and items.

Entries are the sections at the level where most titles carry a version or a date; inside one,
a run of pseudo-headings ("**2017-06-18**", "*Released 6.1.0*") starts entries of its own. The
key is the version, else the date, else the title's slug.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from radar.dates import as_datetime, date_key, find_date
from radar.extract.blocks import Block
from radar.extract.common import FUTURE_SLACK, make_item, unique_keys
from radar.extract.dotteddates import dotted_dates
from radar.extract.headtitles import date_in_heading, version_title
from radar.extract.rst.releaseroles import release_role_entries
from radar.extract.rst.scan import MAX_MARKER_CHARS, _html_id, _Node
from radar.model import Item
from radar.text import normalize_text, slugify
from radar.versions import is_version, search_version

_LABELLED_NUMBER = re.compile(r"\b(?:version|release|v)\s*(\d+)\b(?!\.\d)", re.IGNORECASE)
_MARKER_LABEL = re.compile(
    # The release's kind may come first: "*Bugfix release, released on March 31th, 2016*".
    r"^(?:(?:[a-z]+\s+){0,2}release,\s*)?"
    r"(?:released|release\s+date|release|version|date|published|tagged)\b\s*:?\s*(?:on\b)?\s*",
    re.IGNORECASE,
)
_MARKER_NOISE = re.compile(r"[\s()\[\],:|-]+|\bon\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Marker:
    """A date line or pseudo-heading: a paragraph that is only a version and/or a date."""

    version: str | None
    day: date | datetime | None


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    title: str
    body: tuple[Block, ...]
    heading: Block
    published: date | datetime | None


def _split(nodes: Sequence[_Node], page_url: str | None, fetched_at: datetime | None) -> list[Item]:
    if any(n.release for n in nodes):
        return unique_keys([_item(e, page_url) for e in _release_entries(nodes, fetched_at)])
    titles = {i: _title_identity(n.block.text) for i, n in enumerate(nodes) if n.block.level}
    entries: list[_Entry] = []
    if not titles:
        # No titles at all: pseudo-headings are the only structure there is.
        entries = _pseudo_entries(list(nodes), None, None, fetched_at)
    else:
        level, starts = _entry_level(nodes, titles)
        for start, end in _sections(nodes, level, starts):
            heading, body = nodes[start].block, list(nodes[start + 1 : end])
            entries.extend(_section_entries(heading, titles[start], body, fetched_at))
    items = [_item(entry, page_url) for entry in entries]
    return unique_keys(items)


def _release_entries(nodes: Sequence[_Node], fetched_at: datetime | None) -> list[_Entry]:
    """A `releases` page's entries: one per release line, keyed and titled by its version."""
    out: list[_Entry] = []
    for release in release_role_entries(nodes):
        if not _has_content(release.body):
            continue  # a release line at the list's end, with nothing under it yet
        heading = Block(release.version, level=1)
        published = _not_after(release.day, fetched_at)
        key = _key(release.version, published, release.version)
        out.append(_Entry(key, release.version, release.body, heading, published))
    return out


def _entry_level(nodes: Sequence[_Node], titles: dict[int, _Marker]) -> tuple[int, frozenset[int]]:
    """The title level of entries, and titles above it that are entries too (by identity)."""
    released = Counter(nodes[i].block.level for i, t in titles.items() if t.version or t.day)
    if released:
        best = max(released.values())
        level = min(lvl for lvl, count in released.items() if count == best)
        # A release title one level too high (a common slip) is still an entry.
        starts = frozenset(
            i for i, t in titles.items() if nodes[i].block.level < level and (t.version or t.day)
        )
        return level, starts
    # No title names a version or a date: the highest level with several distinct titles.
    texts: dict[int, set[str]] = {}
    counts: Counter[int] = Counter()
    for i in titles:
        block = nodes[i].block
        texts.setdefault(block.level, set()).add(block.text)
        counts[block.level] += 1
    for lvl in sorted(texts):
        if counts[lvl] > 1 and len(texts[lvl]) > 1:
            return lvl, frozenset()
    return min(texts), frozenset()


def _sections(nodes: Sequence[_Node], level: int, starts: frozenset[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, node in enumerate(nodes):
        lvl = node.block.level
        if lvl and (lvl <= level or i in starts):
            if start is not None:
                out.append((start, i))
            start = i if lvl == level or i in starts else None
    if start is not None:
        out.append((start, len(nodes)))
    return out


def _section_entries(
    heading: Block, title: _Marker, body: list[_Node], fetched_at: datetime | None
) -> list[_Entry]:
    pseudo = _pseudo_entries(body, heading, title, fetched_at)
    if pseudo:
        return pseudo
    published = _not_after(title.day, fetched_at)
    first = _marker(body[0]) if body else None
    if first is not None and first.version is None:
        # The date line under the title ("*Released 2020-03-30*", ":Date: ...").
        published = published or _not_after(first.day, fetched_at)
        body = body[1:]
    blocks = tuple(n.block for n in body)
    if not _has_content(blocks):
        return []
    key = _key(title.version, published, heading.text)
    named = _release_title(heading.text, title.version, blocks) if title.version else heading.text
    return [_Entry(key, named, blocks, heading, published)]


def _release_title(text: str, version: str, body: Sequence[Block]) -> str:
    """A release's title as the Markdown reader gives it: the heading without its date, and
    its first change when the rest is only the version ("1.3.3 (2023-09-07)" -> "1.3.3: Revert
    changed logging"; "Version 13.0" -> "Version 13.0: ...")."""
    _, rest = date_in_heading(text, find_date(text))
    return version_title(rest, version, body)


def _pseudo_entries(
    nodes: list[_Node], heading: Block | None, title: _Marker | None, fetched_at: datetime | None
) -> list[_Entry]:
    """Entries started by pseudo-headings ("**2017-06-18**" then "*Released 6.1.0*").

    Fewer than two pseudo-headings is not this pattern (one is a section's own date line), and
    then nothing is returned.
    """
    groups: list[tuple[list[tuple[_Node, _Marker]], list[Block]]] = []
    lead: list[Block] = []
    for node in nodes:
        marker = _marker(node)
        if marker is not None:
            if not groups or groups[-1][1] or _clashes(groups[-1][0], marker):
                groups.append(([], []))
            groups[-1][0].append((node, marker))
        elif groups:
            groups[-1][1].append(node.block)
        else:
            lead.append(node.block)
    if len(groups) < 2:
        return []
    out: list[_Entry] = []
    if heading is not None and title is not None and _has_content(lead):
        published = _not_after(title.day, fetched_at)
        key = _key(title.version, published, heading.text)
        out.append(_Entry(key, heading.text, tuple(lead), heading, published))
    for n, (markers, body) in enumerate(groups):
        if not _has_content(body):
            continue
        version = next((m.version for _, m in markers if m.version), None)
        day = _not_after(next((m.day for _, m in markers if m.day), None), fetched_at)
        named = next((node for node, m in markers if m.version), markers[0][0])
        text = named.block.text
        if n == 0 and version is None and heading and title and title.version and not out:
            # "Version 2.0" whose first lines are its date: that part is the title's own entry.
            version, text = title.version, heading.text
        anchor_of = heading or Block(text, level=1)
        out.append(_Entry(_key(version, day, text), text, tuple(body), anchor_of, day))
    return out


def _key(version: str | None, day: date | datetime | None, title: str) -> str:
    """Identity: the version, else the date, else the title's slug (never a position).

    "v1.3.0" and "1.3.0" are one release, so a title that gains or loses the "v" keeps its key.
    """
    if version:
        return version.lower().removeprefix("v")
    return _day(day) or slugify(title) or "entry"


def _clashes(markers: list[tuple[_Node, _Marker]], new: _Marker) -> bool:
    has_version = any(m.version for _, m in markers)
    has_day = any(m.day for _, m in markers)
    return bool((new.version and has_version) or (new.day and has_day))


def _marker(node: _Node) -> _Marker | None:
    """The version and/or date of a paragraph that is nothing else, or None.

    A plain paragraph needs a label ("Released 6.1.0", "Date: 2020-03-30"); an emphasised one
    ("**2017-06-18**", "*v6.1.0*") does not.
    """
    block = node.block
    if block.level or block.item or len(block.text) > MAX_MARKER_CHARS:
        return None
    text = block.text.strip(" .()[]")
    label = _MARKER_LABEL.match(text)
    if label is None and not node.emphasised:
        return None
    rest = text[label.end() :] if label else text
    day: date | datetime | None = None
    found = find_date(rest)
    if found is not None:
        day, start, end = found
        rest = normalize_text(rest)
        rest = rest[:start] + " " + rest[end:]
    rest = _MARKER_NOISE.sub(" ", rest).strip()
    version: str | None = None
    if rest:
        if is_version(rest, whole_word=True) or (label and rest.isdigit()):
            version = rest
        else:
            return None
    if version is None and day is None:
        return None
    return _Marker(version, day)


def _title_identity(title: str) -> _Marker:
    """The version a title names ("v1.3.0", "Version 12.4.2", "Release 5") and its date."""
    text = normalize_text(title)
    found = find_date(text) or dotted_dates([text]).get(text)  # ("1.37 - 2017.02.24")
    day = found[0] if found else None
    if found is not None:
        text = text[: found[1]] + " " + text[found[2] :]  # "2020.01.15" is a date, not a version
    # A whole word: "python-3.12" or "3.13.x" in a title names no release of this project.
    version = search_version(text, whole_word=True)
    if version is not None:
        return _Marker(version.written, day)
    labelled = _LABELLED_NUMBER.search(text)
    return _Marker(labelled.group(1) if labelled else None, day)


def _not_after(
    value: date | datetime | None, fetched_at: datetime | None
) -> date | datetime | None:
    """`value`, unless it is more than a day after the fetch (a day ahead is the page's time
    zone; more is a planned date, or a typo): then no date."""
    if value is None or fetched_at is None:
        return value
    when = as_datetime(value)
    limit = as_datetime(fetched_at)
    return (
        value if when is not None and limit is not None and when <= limit + FUTURE_SLACK else None
    )


def _day(value: date | datetime | None) -> str:
    return "" if value is None else date_key(value)


def _has_content(blocks: Sequence[Block]) -> bool:
    return any(b.text and not b.level for b in blocks)


def _item(entry: _Entry, page_url: str | None) -> Item:
    anchor = entry.heading.anchor or _html_id(entry.heading.text)
    url = f"{page_url.split('#', 1)[0]}#{anchor}" if page_url and anchor else page_url
    text = "\n".join(b.text for b in entry.body if b.text)  # a line per block
    return make_item(entry.key, entry.title, text, url, entry.published)
