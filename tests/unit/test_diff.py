from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from radar.diff import REMOVE_AFTER_MISSING, DiffResult, diff_entries, entry_digest, word_diff
from radar.model import ChangeKind, Item, Snapshot, Source, SourceKind

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)
SOURCE = Source(id="s", platform="discord", kind=SourceKind.CHANGELOG_MARKDOWN, url="https://x/")


def item(key: str, text: str = "body", title: str | None = None, days_ago: int = 30) -> Item:
    return Item(
        key=key,
        title=title or key.title(),
        text=text,
        url=f"https://x/{key}",
        published=NOW - timedelta(days=days_ago),
    )


def snapshot_after(*runs: list[Item]) -> tuple[Snapshot, DiffResult]:
    snap: Snapshot | None = None
    result: DiffResult | None = None
    for n, items in enumerate(runs):
        result = diff_entries(
            SOURCE, snap, items, NOW + timedelta(hours=n), announce_since=WEEK_AGO
        )
        snap = Snapshot(
            source_id=SOURCE.id, version=n + 1, entries=result.entries, content_hash=f"h{n}"
        )
    assert snap is not None and result is not None
    return snap, result


def kinds(result: DiffResult) -> list[tuple[str, ChangeKind]]:
    return sorted((c.entry_key, c.kind) for c in result.changes)


def test_diff_first_run_is_baseline_except_recent_entries() -> None:
    _, result = snapshot_after([item("old", days_ago=40), item("fresh", days_ago=2)])
    assert kinds(result) == [("fresh", ChangeKind.ADDED), ("old", ChangeKind.BASELINE)]


def test_diff_first_run_after_failures_is_still_a_first_run() -> None:
    failing = Snapshot(source_id="s", version=3, failures=3, last_error="timeout")
    result = diff_entries(SOURCE, failing, [item("old")], NOW, announce_since=WEEK_AGO)
    assert kinds(result) == [("old", ChangeKind.BASELINE)]


def test_diff_new_entry_is_added() -> None:
    _, result = snapshot_after([item("a")], [item("a"), item("b")])
    assert kinds(result) == [("b", ChangeKind.ADDED)]


def test_diff_edited_entry_carries_word_diff() -> None:
    _, result = snapshot_after(
        [item("a", "Rate limit is 100 calls")], [item("a", "Rate limit is 200 calls")]
    )
    (change,) = result.changes
    assert change.kind is ChangeKind.EDITED
    assert "[-100-]" in change.diff and "{+200+}" in change.diff


def test_diff_whitespace_and_typography_are_not_changes() -> None:
    _, result = snapshot_after(
        [item("a", "Don't use the \u201cold\u201d API \u2014 ever")],
        [item("a", 'Don\u2019t  use the "old" API -- ever\n')],
    )
    assert result.changes == ()


def test_diff_last_updated_stamp_is_not_a_change() -> None:
    _, result = snapshot_after(
        [item("a", "Docs. Last updated November 3, 2026")],
        [item("a", "Docs. Last updated November 9, 2026")],
    )
    assert result.changes == ()


def test_diff_reordering_is_not_a_change() -> None:
    _, result = snapshot_after([item("a"), item("b"), item("c")], [item("c"), item("a"), item("b")])
    assert result.changes == ()
    assert not result.state_changed


def test_diff_removed_only_after_several_absences() -> None:
    runs = [[item("a", days_ago=1), item("b", days_ago=2)]] + [[item("a", days_ago=1)]] * (
        REMOVE_AFTER_MISSING
    )
    for n in range(2, len(runs)):
        _, partial = snapshot_after(*runs[:n])
        assert partial.changes == ()
    _, result = snapshot_after(*runs)
    assert kinds(result) == [("b", ChangeKind.REMOVED)]


def test_diff_flapping_entry_is_not_a_change() -> None:
    both = [item("a", days_ago=1), item("b", days_ago=2)]
    _, result = snapshot_after(both, [item("a", days_ago=1)], both)
    assert result.changes == ()


def test_diff_entry_aged_out_of_feed_window_is_not_removed() -> None:
    window1 = [item("new", days_ago=1), item("mid", days_ago=5), item("oldest", days_ago=9)]
    window2 = [item("newer", days_ago=0), item("new", days_ago=1), item("mid", days_ago=5)]
    _, result = snapshot_after(window1, *[window2] * (REMOVE_AFTER_MISSING + 1))
    assert result.changes == ()
    assert "oldest" not in result.entries


def test_diff_heading_rename_is_an_edit_not_remove_and_add() -> None:
    text = "Apps can now fetch a single role by ID with the new endpoint."
    _, result = snapshot_after(
        [item("2024-08-12-get-guild-role", text, title="Get Guild Role")],
        [item("2024-08-12-fetch-one-role", text, title="Fetch One Role")],
    )
    assert kinds(result) == [("2024-08-12-fetch-one-role", ChangeKind.EDITED)]


def test_diff_release_republished_under_another_version_is_an_addition() -> None:
    # Changesets: 3.0.0 published by mistake, pulled, and its notes published again as 2.0.5.
    notes = "Patch Changes: revert requesting device permissions when opening the menu."
    pulled = [item("3.0.0", notes, title="3.0.0", days_ago=1), item("2.0.4", title="2.0.4")]
    _, result = snapshot_after(
        pulled, pulled[1:], [item("2.0.5", notes, title="2.0.5", days_ago=1), pulled[1]]
    )
    assert kinds(result) == [("2.0.5", ChangeKind.ADDED)]


def test_diff_release_heading_reworded_keeps_its_version_and_is_an_edit() -> None:
    notes = "Adds the voice gateway v8 and retires v4."
    _, result = snapshot_after(
        [item("v1.2.0", notes, title="v1.2.0")], [item("1.2.0", notes, title="Release 1.2.0")]
    )
    assert [k for _, k in kinds(result)] == [ChangeKind.EDITED]


def test_diff_typo_fix_in_a_heading_is_cosmetic() -> None:
    text = "Apps can now fetch a single role by ID with the new endpoint."
    _, result = snapshot_after(
        [item("2024-08-12-get-guild-rol", text, title="Get Guild Rol")],
        [item("2024-08-12-get-guild-role", text, title="Get Guild Role")],
    )
    assert kinds(result) == [("2024-08-12-get-guild-role", ChangeKind.COSMETIC)]


def test_diff_entry_older_than_everything_shown_is_backfill_not_news() -> None:
    # A feed showing its newest items, and sometimes a few more: the extra tail is not news.
    shown = [item("new", days_ago=1), item("older", days_ago=20)]
    tail = item("tail", days_ago=400)
    _, result = snapshot_after(shown, [*shown, tail, item("fresh", days_ago=0)])
    assert sorted(kinds(result)) == [("fresh", ChangeKind.ADDED), ("tail", ChangeKind.BACKFILL)]
    assert [c.announce for c in result.changes if c.entry_key == "tail"] == [False]


def test_diff_rewritten_date_is_an_edit_even_with_the_same_text() -> None:
    before = item("0.11.0", "Release notes", days_ago=10)
    after = item("0.11.0", "Release notes", days_ago=3)
    _, result = snapshot_after([before], [after])
    assert kinds(result) == [("0.11.0", ChangeKind.EDITED)]
    assert result.changes[0].diff.startswith("[-")


def test_diff_renamed_guid_with_restamped_date_is_one_edit() -> None:
    before = item("https://x/blog/our-harness", "", title="Improving the harness", days_ago=5)
    after = item("https://x/blog/harness", "", title="Improving the harness", days_ago=4)
    _, result = snapshot_after([before], [after])
    assert kinds(result) == [("https://x/blog/harness", ChangeKind.EDITED)]


def test_diff_change_ids_are_deterministic() -> None:
    _, first = snapshot_after([item("a")], [item("a"), item("b")])
    _, again = snapshot_after([item("a")], [item("a"), item("b")])
    assert [c.id for c in first.changes] == [c.id for c in again.changes]


def test_word_diff_is_capped() -> None:
    out = word_diff("a " * 10, "b " * 1000, limit=50)
    assert len(out) == 50 and out.endswith("…")


def test_entry_digest_ignores_case_and_spacing() -> None:
    assert entry_digest("Title", "Some  Text") == entry_digest("title", "some text")


_texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_items = st.lists(
    st.builds(item, st.text(alphabet="abcdefgh", min_size=1, max_size=4), _texts),
    max_size=12,
    unique_by=lambda i: i.key,
)


@given(_items)
def test_diff_of_same_items_is_empty(items: list[Item]) -> None:
    _, result = snapshot_after(items, items)
    assert result.changes == ()


@given(_items, st.randoms())
def test_diff_reordered_items_is_empty(items: list[Item], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(items)
    rnd.shuffle(shuffled)
    _, result = snapshot_after(items, shuffled)
    assert result.changes == ()


def test_diff_title_retitled_from_its_own_text_is_cosmetic() -> None:
    """An extractor that now titles "2.6.0" as "2.6.0: Added X" (or an author who promotes
    the first line) told the reader nothing new: history, not an edit to announce."""
    text = "Added banner parameter. Fixed a crash."
    _, result = snapshot_after(
        [item("2.6.0", text, title="2.6.0]"), item("2.5.0", "Old.", title="2.5.0")],
        [
            item("2.6.0", text, title="2.6.0: Added banner parameter."),
            item("2.5.0", "Old.", title="2.5.0 (yanked)"),
        ],
    )
    assert kinds(result) == [("2.5.0", ChangeKind.EDITED), ("2.6.0", ChangeKind.COSMETIC)]
