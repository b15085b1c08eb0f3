"""Both stores keep `month_only` on changes and snapshot entries (issue 14): an entry dated
only by its month reads back as a month, and everything else as a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from radar.model import ChangeQuery
from radar.store.ports import Store
from tests.integration.test_store_contract import T0, change, entry, snapshot

MARCH = datetime(2025, 3, 1, tzinfo=UTC)


def test_store_month_only_change_round_trips(store: Store) -> None:
    month = change("m1", published=MARCH, month_only=True)
    day = change("d1", published=MARCH)
    store.save(snapshot("src"), [month, day])
    assert store.get_change("m1") == month
    assert store.get_change("d1") == day
    listed = store.query_changes(ChangeQuery(since=MARCH, by="published"))
    assert {c.id: c.month_only for c in listed} == {"m1": True, "d1": False}


def test_store_month_only_entry_round_trips(store: Store) -> None:
    original = snapshot(
        "src",
        entries={"a": entry("a", published=MARCH, month_only=True), "b": entry("b")},
        content_hash="h",
        last_success=T0,
    )
    store.save(original)
    assert store.get_snapshot("src") == replace(original, version=1)
