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
from dataclasses import dataclass
from datetime import timedelta

from radar.classify import severity_rank
from radar.model import Change

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


def tokens(text: str) -> frozenset[str]:
    """Normalised content words of `text` (case, accents and punctuation folded away)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return frozenset(w for w in _WORD.findall(folded) if w not in _STOP and len(w) > 1)


def similarity(a: Change, b: Change) -> float:
    """How alike two changes read: the better of title-only and title+text Jaccard."""
    return max(
        _jaccard(tokens(a.title), tokens(b.title)),
        _jaccard(tokens(f"{a.title} {a.text}"), tokens(f"{b.title} {b.text}")),
    )


def group_duplicates(
    changes: Sequence[Change],
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[ChangeGroup]:
    """Group changes that report the same announcement, keeping the input order of groups.

    Changes of the same source are never merged (a source does not repeat itself; two entries
    there are two pieces of news). The primary of a group is its most severe, then earliest,
    member.
    """
    groups: list[list[Change]] = []
    for change in changes:
        home = next((g for g in groups if _belongs(change, g, window, threshold)), None)
        if home is None:
            groups.append([change])
        else:
            home.append(change)
    out = []
    for members in groups:
        primary = min(members, key=_rank)
        others = tuple(c for c in members if c is not primary)
        out.append(ChangeGroup(primary, others))
    return out


def _belongs(change: Change, group: list[Change], window: timedelta, threshold: float) -> bool:
    for other in group:
        if other.platform != change.platform or other.source_id == change.source_id:
            return False
    return any(
        abs(change.effective_date - other.effective_date) <= window
        and similarity(change, other) >= threshold
        for other in group
    )


def _rank(change: Change) -> tuple[int, object]:
    return (severity_rank(change.severity), change.effective_date)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
