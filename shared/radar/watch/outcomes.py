"""What a run did: each source's outcome, and the report of a whole cycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    CHANGED = "changed"  # new, edited or removed entries were stored
    BASELINE = "baseline"  # first run: the page's existing entries were recorded
    UNCHANGED = "unchanged"  # fetched, nothing new
    NOT_MODIFIED = "not modified"  # the server said 304
    FAILED = "failed"
    CONFLICT = "conflict"  # another worker saved this source at the same time


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What happened to one source in one run."""

    source_id: str
    platform: str
    outcome: Outcome
    added: int = 0
    edited: int = 0
    removed: int = 0
    baseline: int = 0
    error: str | None = None
    failures: int = 0  # consecutive failures after this run
    wrote: bool = False  # whether the store was written
    # Advice for whoever runs Radar, e.g. "this page has a feed: use it" on a page's first fetch.
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CycleReport:
    """The outcomes of one run over many sources, in catalog order."""

    now: datetime
    outcomes: tuple[SourceOutcome, ...] = field(default_factory=tuple)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes if o.outcome is outcome)

    @property
    def changes_found(self) -> int:
        return sum(o.added + o.edited + o.removed for o in self.outcomes)
