"""Cross-source dedup: one announcement seen in several sources becomes one group.

A platform often says the same thing in its changelog and in its newsroom or developer blog.
Briefings show such changes once, with every link. Two changes belong together when they are on
the same platform, their effective dates are within a window, and their words are similar
(token-set Jaccard on normalised title and text, the title counting separately). Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from radar.classify import severity_rank
from radar.model import Change, ChangeKind

DEFAULT_WINDOW = timedelta(days=3)
DEFAULT_THRESHOLD = 0.5
_WORD = re.compile(r"[^\W_]+")
# Words that say nothing about which announcement this is.
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "new",
        "now",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "this",
        "to",
        "we",
        "will",
        "with",
        "you",
        "your",
    ]
)


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """Changes that report the same announcement; `primary` is the one briefings lead with."""

    primary: Change
    others: tuple[Change, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        return (self.primary, *self.others)

    @property
    def links(self) -> tuple[str, ...]:
        """Every distinct URL of the group, primary first."""
        seen: dict[str, None] = {}
        for c in self.changes:
            if c.url:
                seen.setdefault(c.url, None)
        return tuple(seen)


def latest_per_entry(changes: Sequence[Change]) -> list[Change]:
    """One change per entry (source and entry key), in the order of each entry's latest change.

    An entry added on Monday and edited on Tuesday and Thursday is one item for a reader: its
    latest title and text; "new" when it was added in these changes (no diff then), else its
    latest edit with that diff; the most urgent severity among its changes with that change's
    category, the earliest deadline, and the first time Radar saw any of them.
    """
    by_entry: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        by_entry.setdefault((change.source_id, change.entry_key), []).append(change)
    merged: list[tuple[Change, Change]] = []  # (the entry's latest change, the merged change)
    for members in by_entry.values():
        latest = max(members, key=lambda c: (c.detected_at, c.id))
        if len(members) == 1:
            merged.append((latest, latest))
            continue
        urgent = min(members, key=lambda c: (severity_rank(c.severity), -c.detected_at.timestamp()))
        dated = [c for c in members if c.deadline is not None]
        soonest = min(dated, key=lambda c: c.deadline or date.max) if dated else None
        added = latest.kind is not ChangeKind.REMOVED and any(
            c.kind is ChangeKind.ADDED for c in members
        )
        one = replace(
            latest,
            kind=ChangeKind.ADDED if added else latest.kind,
            diff="" if added else latest.diff,
            category=urgent.category,
            severity=urgent.severity,
            deadline=soonest.deadline if soonest else None,
            deadline_text=soonest.deadline_text if soonest else "",
            detected_at=min(c.detected_at for c in members),
        )
        merged.append((latest, one))
    order = {id(c): i for i, c in enumerate(changes)}
    return [one for latest, one in sorted(merged, key=lambda pair: order[id(pair[0])])]


def tokens(text: str) -> frozenset[str]:
    """Normalised content words of `text` (case, accents and punctuation folded away)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return frozenset(w for w in _WORD.findall(folded) if w not in _STOP and len(w) > 1)


def similarity(a: Change, b: Change) -> float:
    """How alike two changes read: the better of title-only and title+text Jaccard."""
    return _Words(a).similarity(_Words(b))


def group_duplicates(
    changes: Sequence[Change],
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[ChangeGroup]:
    """Group changes that report the same announcement, keeping the input order of groups.

    Changes of the same source are never merged (a source does not repeat itself; two entries
    there are two pieces of news). The primary of a group is its most severe, then earliest,
    member. A change joins the first group (in order of creation) with a member of another
    source within `window` whose words are alike enough.

    Each change is compared only with the groups that have a member on its platform within
    `window` of its date (indexed by day), and its words are read once: a year of changes
    stays fast.
    """
    groups: list[_Group] = []
    by_day: dict[tuple[str, int], list[_Group]] = {}
    reach = window.days + 1  # whole days either side that can hold a member within `window`
    for change in changes:
        words = _Words(change)
        day = change.effective_date.toordinal()
        nearby = {
            id(g): g
            for d in range(day - reach, day + reach + 1)
            for g in by_day.get((change.platform, d), ())
        }
        home = next(
            (
                g
                for g in sorted(nearby.values(), key=lambda g: g.index)
                if g.takes(words, window, threshold)
            ),
            None,
        )
        if home is None:
            home = _Group(len(groups))
            groups.append(home)
        home.members.append(words)
        home.sources.add(change.source_id)
        by_day.setdefault((change.platform, day), []).append(home)
    out = []
    for group in groups:
        members = [w.change for w in group.members]
        primary = min(members, key=_rank)
        others = tuple(c for c in members if c is not primary)
        out.append(ChangeGroup(primary, others))
    return out


class _Words:
    """A change with its title's and its whole text's words, computed once."""

    __slots__ = ("change", "full", "title")

    def __init__(self, change: Change) -> None:
        self.change = change
        self.title = tokens(change.title)
        self.full = tokens(f"{change.title} {change.text}")

    def similarity(self, other: _Words) -> float:
        return max(_jaccard(self.title, other.title), _jaccard(self.full, other.full))


class _Group:
    """The members of one group (all of one platform) and their sources."""

    __slots__ = ("index", "members", "sources")

    def __init__(self, index: int) -> None:
        self.index = index
        self.members: list[_Words] = []
        self.sources: set[str] = set()

    def takes(self, words: _Words, window: timedelta, threshold: float) -> bool:
        change = words.change
        if change.source_id in self.sources:
            return False
        return any(
            abs(change.effective_date - other.change.effective_date) <= window
            and words.similarity(other) >= threshold
            for other in self.members
        )


def _rank(change: Change) -> tuple[int, object]:
    return (severity_rank(change.severity), change.effective_date)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
