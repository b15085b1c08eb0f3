"""with_verdict copies a change field by field: every field but the verdict's is kept."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime

from radar.classify.stamp import with_verdict
from radar.model import Change, ChangeKind


def _change() -> Change:
    # Every field away from its default, so a field left behind shows.
    return Change(
        id="c1",
        source_id="s1",
        platform="discord",
        kind=ChangeKind.EDITED,
        entry_key="k1",
        title="Title",
        text="Text",
        url="https://example.com/a",
        published=datetime(2026, 3, 1, tzinfo=UTC),
        detected_at=datetime(2026, 3, 2, tzinfo=UTC),
        diff="[-a-]{+b+}",
        category="policy",
        severity="minor",
        deadline=date(2026, 1, 1),
        deadline_text="old",
        month_only=True,
    )


def test_with_verdict_equals_replace_on_every_field() -> None:
    change = _change()
    got = with_verdict(change, "deprecation", "action", date(2027, 1, 15), "until 15 January")
    want = replace(
        change,
        category="deprecation",
        severity="action",
        deadline=date(2027, 1, 15),
        deadline_text="until 15 January",
    )
    assert got == want


def test_with_verdict_knows_every_field_of_change() -> None:
    # A field added to Change must be added to with_verdict's copy (and then here).
    assert [f.name for f in fields(Change)] == [
        "id", "source_id", "platform", "kind", "entry_key", "title", "text", "url",
        "published", "detected_at", "diff", "category", "severity", "deadline",
        "deadline_text", "month_only",
    ]  # fmt: skip
