"""Entries that vanish and come back, and entries re-keyed when their label comes or goes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from radar.cosmetic import label_only
from radar.diff import DiffResult, diff_entries
from radar.model import ChangeKind, Item, Snapshot, Source, SourceKind

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)
SOURCE = Source(id="s", platform="reddit", kind=SourceKind.CHANGELOG_MARKDOWN, url="https://x/")

NOTES = "Apps can now read a member's roles in one call with the new endpoint."
REWORDED = "Apps can now read a member's roles and permissions in one call with the new endpoint."


def item(key: str, text: str = "body", title: str | None = None, days_ago: int = 30) -> Item:
    return Item(key, title or key.title(), text, None, NOW - timedelta(days=days_ago))


def snapshot_after(*runs: list[Item]) -> tuple[Snapshot, DiffResult]:
    """The snapshot and the last diff after diffing `runs` in order, an hour apart."""
    snap: Snapshot | None = None
    result: DiffResult | None = None
    for n, items in enumerate(runs):
        at = NOW + timedelta(hours=n)
        result = diff_entries(SOURCE, snap, items, at, announce_since=WEEK_AGO)
        snap = Snapshot(SOURCE.id, n + 1, entries=result.entries, content_hash=f"h{n}")
    assert snap is not None and result is not None
    return snap, result


def kinds(result: DiffResult) -> list[tuple[str, ChangeKind]]:
    return sorted((c.entry_key, c.kind) for c in result.changes)


def test_diff_entry_back_with_other_words_is_added_under_its_key() -> None:
    first = [item("a", days_ago=5), item("b", NOTES, days_ago=2)]
    _, result = snapshot_after(first, first[:1], [first[0], item("b", REWORDED, days_ago=2)])
    assert kinds(result) == [("b", ChangeKind.ADDED)]
    (change,) = result.changes
    assert "{+and permissions+}" in change.diff  # the history shows what the return changed


def test_diff_entry_back_with_other_words_after_two_absences_is_added() -> None:
    first = [item("a", days_ago=5), item("b", NOTES, days_ago=2)]
    back = [first[0], item("b", REWORDED, days_ago=2)]
    _, result = snapshot_after(first, first[:1], first[:1], back)
    assert kinds(result) == [("b", ChangeKind.ADDED)]


def test_diff_entry_edited_while_present_is_still_an_edit() -> None:
    _, result = snapshot_after([item("b", NOTES)], [item("b", REWORDED)])
    assert kinds(result) == [("b", ChangeKind.EDITED)]


def test_diff_entry_back_with_a_typo_fixed_is_not_announced() -> None:
    first = [item("a", days_ago=1), item("b", NOTES, days_ago=2)]
    fixed = NOTES.replace("member's", "members'")
    _, result = snapshot_after(first, first[:1], [first[0], item("b", fixed, days_ago=2)])
    assert [c.announce for c in result.changes] == [False]


def test_diff_entry_back_restamped_with_the_same_words_is_not_announced() -> None:
    # A feed drops a post from its tail and lists it again a day later, re-dated.
    first = [item("a", days_ago=1), item("b", NOTES, days_ago=3)]
    _, result = snapshot_after(first, first[:1], [first[0], item("b", NOTES, days_ago=2)])
    assert kinds(result) == [("b", ChangeKind.COSMETIC)]


def test_diff_entry_restamped_while_present_is_still_an_edit() -> None:
    _, result = snapshot_after([item("b", NOTES, days_ago=3)], [item("b", NOTES, days_ago=2)])
    assert kinds(result) == [("b", ChangeKind.EDITED)]


def test_diff_republication_is_distinct_from_the_first_addition() -> None:
    # Added with words X, edited to Y, gone, back with X: a second addition, not the first.
    a = item("a", days_ago=1)
    runs = [[a], [a, item("b", NOTES, days_ago=0)], [a, item("b", REWORDED, days_ago=0)], [a]]
    snap: Snapshot | None = None
    ids = []
    for n, items in enumerate([*runs, [a, item("b", NOTES, days_ago=0)]]):
        result = diff_entries(
            SOURCE, snap, items, NOW + timedelta(hours=n), announce_since=WEEK_AGO
        )
        snap = Snapshot(SOURCE.id, n + 1, entries=result.entries, content_hash=f"h{n}")
        ids += [c.id for c in result.changes if c.kind is ChangeKind.ADDED and c.entry_key == "b"]
    assert len(ids) == 2 and ids[0] != ids[1]


def test_diff_republication_below_everything_shown_is_backfill() -> None:
    newest = [item("a", days_ago=1), item("c", days_ago=5)]
    first = [*newest, item("b", NOTES, days_ago=30)]
    # b falls out while c (newer than b) is still shown; back with other words, older than all.
    _, result = snapshot_after(first, newest, [*newest, item("b", REWORDED, days_ago=30)])
    assert kinds(result) == [("b", ChangeKind.BACKFILL)]


def test_diff_entry_rekeyed_when_its_label_goes_is_not_announced() -> None:
    # `<Update label="November 10, 2025" description="v0.3">` loses its description: the key
    # falls back from the version to the date; the words are the same but for the label.
    body = "Set a device's release from the device page, without going to the releases page."
    before = Item("v0-3", "v0.3 Device Releases", f"v0.3 Device Releases {body}", None, NOW)
    after = Item("2025-11-10", "Device Releases", f"Device Releases {body}", None, NOW)
    _, result = snapshot_after([before], [after])
    assert kinds(result) == [("2025-11-10", ChangeKind.COSMETIC)]


def test_diff_entry_rekeyed_with_a_heading_word_dropped_is_an_edit() -> None:
    text = "Apps can now fetch a single role by ID with the new endpoint."
    _, result = snapshot_after(
        [item("2024-08-12-get-guild-role", text, title="Get Guild Role")],
        [item("2024-08-12-get-role", text, title="Get Role")],
    )
    assert kinds(result) == [("2024-08-12-get-role", ChangeKind.EDITED)]


def test_label_only_needs_whole_labels_and_nothing_else() -> None:
    keys = ("v0-3", "2025-11-10")
    assert label_only("v0.3 Device Releases", "Device Releases", keys)
    assert not label_only("v0.3 Device Releases", "v0 Device Releases", keys)
    assert not label_only("v0.3 Device Releases", "Device Releases now", keys)
    assert not label_only("Device Releases", "Device Releases", keys)
