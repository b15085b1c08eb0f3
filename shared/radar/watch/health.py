"""Which sources keep failing: the footer of briefings and `radar run`'s warning.

Apart from the watch pipeline so that the API and the briefing sender, which only read health,
do not import every extractor at cold start.
"""

from __future__ import annotations

from collections.abc import Sequence

from radar.model import SnapshotHead, Source
from radar.store.ports import Store


def unhealthy_sources(
    store: Store, sources: Sequence[Source], threshold: int
) -> list[tuple[Source, SnapshotHead]]:
    """Sources that failed at least `threshold` times in a row, with their snapshot's head.

    Health is in the heads: no snapshot's entries are read.
    """
    heads = store.get_snapshot_heads(s.id for s in sources)
    return [
        (s, heads[s.id]) for s in sources if s.id in heads and heads[s.id].failures >= threshold
    ]
