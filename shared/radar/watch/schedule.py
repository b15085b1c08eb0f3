"""Which sources are due at a scheduler tick.

The scheduler fires every `TICK` on the wall clock. Each source is due once per interval, in a
tick chosen by a stable hash of its id, so the load spreads evenly over the interval and no state
has to be written to remember when a source was last checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from radar.model import Source

TICK = timedelta(minutes=15)


def tick_start(moment: datetime, tick: timedelta = TICK) -> datetime:
    """The start of the tick `moment` falls in (scheduled events may arrive a little late)."""
    seconds = int(tick.total_seconds())
    ts = int(moment.astimezone(UTC).timestamp())
    return datetime.fromtimestamp(ts - ts % seconds, UTC)


def is_due(source: Source, tick: datetime, step: timedelta = TICK) -> bool:
    """Whether `source` is due in the tick starting at `tick`."""
    if source.needs_javascript:
        return False
    slots = max(1, int(source.interval / step))
    digest = hashlib.blake2b(source.id.encode(), digest_size=8).digest()
    offset = int.from_bytes(digest, "big") % slots
    index = int(tick_start(tick, step).timestamp()) // int(step.total_seconds())
    return index % slots == offset


def due_sources(sources: Sequence[Source], tick: datetime, step: timedelta = TICK) -> list[Source]:
    """The sources due in the tick starting at `tick`, in catalog order."""
    return [s for s in sources if is_due(s, tick, step)]


class Queue(Protocol):
    def send(self, source_ids: Sequence[str], tick: datetime) -> int: ...


def schedule_due(sources: Sequence[Source], tick: datetime, queue: Queue) -> int:
    """Queue a watch request for every source due in `tick`; returns how many were queued."""
    due = [s.id for s in due_sources(sources, tick)]
    return queue.send(due, tick_start(tick)) if due else 0
