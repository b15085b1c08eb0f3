"""Month-only entries ("March 2025") in the differ's "is this new" rules: the entry may be from
any day of its month, so neither the announce window nor the backfill rule reads it as the 1st."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from radar.diff import diff_entries
from radar.model import ChangeKind, Item, Snapshot, Source, SourceKind

SOURCE = Source(id="s", platform="snapchat", kind=SourceKind.CHANGELOG_HTML, url="https://x/")
NOW = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)  # mid-month
WINDOW = NOW - timedelta(days=7)


def month(key: str, year: int, number: int) -> Item:
    first = datetime(year, number, 1, tzinfo=UTC)
    return Item(key, key.title(), f"{key} text", None, first, month_only=True)


def day(key: str, when: datetime) -> Item:
    return Item(key, key.title(), f"{key} text", None, when)


def test_item_published_by_is_the_month_s_last_day() -> None:
    assert month("a", 2024, 2).published_by == datetime(2024, 2, 29, tzinfo=UTC)
    assert month("b", 2024, 12).published_by == datetime(2024, 12, 31, tzinfo=UTC)
    exact = day("c", NOW)
    assert exact.published_by == exact.published


def test_diff_first_run_announces_this_month_s_entry_fetched_mid_month() -> None:
    result = diff_entries(
        SOURCE, None, [month("march", 2025, 3), month("february", 2025, 2)], NOW,
        announce_since=WINDOW,
    )  # fmt: skip
    kinds = {c.entry_key: c.kind for c in result.changes}
    assert kinds == {"march": ChangeKind.ADDED, "february": ChangeKind.BASELINE}


def test_diff_new_month_entry_is_not_backfill_against_a_later_day_of_its_month() -> None:
    first = diff_entries(
        SOURCE, None, [day("mar-10", datetime(2025, 3, 10, tzinfo=UTC))], NOW,
        announce_since=WINDOW,
    )  # fmt: skip
    snapshot = Snapshot(source_id="s", version=1, entries=first.entries, content_hash="h1")
    items = [day("mar-10", datetime(2025, 3, 10, tzinfo=UTC)), month("march", 2025, 3)]
    result = diff_entries(SOURCE, snapshot, items, NOW + timedelta(hours=6), announce_since=WINDOW)
    assert [(c.entry_key, c.kind) for c in result.changes] == [("march", ChangeKind.ADDED)]


def test_diff_month_entry_older_than_the_source_is_still_backfill() -> None:
    first = diff_entries(
        SOURCE, None, [day("mar-10", datetime(2025, 3, 10, tzinfo=UTC))], NOW,
        announce_since=WINDOW,
    )  # fmt: skip
    snapshot = Snapshot(source_id="s", version=1, entries=first.entries, content_hash="h1")
    items = [day("mar-10", datetime(2025, 3, 10, tzinfo=UTC)), month("january", 2025, 1)]
    result = diff_entries(SOURCE, snapshot, items, NOW + timedelta(hours=6), announce_since=WINDOW)
    assert [(c.entry_key, c.kind) for c in result.changes] == [("january", ChangeKind.BACKFILL)]
