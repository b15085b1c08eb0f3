"""A change with its verdict: built by the constructor, not `dataclasses.replace`.

`replace` reads every field's definition at each call: a tenth of classify's time when most
entries take a few microseconds. The copy names every field of `Change`; a unit test
(tests/unit/test_classify_stamp.py) fails when `Change` gains one this does not carry.
"""

from __future__ import annotations

from datetime import date

from radar.model import Change


def with_verdict(
    change: Change, category: str, severity: str, deadline: date | None, deadline_text: str
) -> Change:
    """`change` with category, severity, deadline and deadline_text set; all else kept."""
    c = change
    return Change(
        c.id,
        c.source_id,
        c.platform,
        c.kind,
        c.entry_key,
        c.title,
        c.text,
        c.url,
        c.published,
        c.detected_at,
        c.diff,
        category,
        severity,
        deadline,
        deadline_text,
        c.month_only,
    )
