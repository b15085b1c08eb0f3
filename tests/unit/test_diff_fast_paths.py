"""The differ's shortcuts (issue 15) give what the full computations give: an unchanged entry
keeps its stored state (the very object), the "last updated" stamp regex runs only on texts
that may hold a stamp, and rename matching reuses each vanished entry's comparable text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar import diff as D
from radar.diff import MAX_STORED_TEXT, diff_entries, entry_digest
from radar.model import EntryState, Item, Snapshot, Source, SourceKind
from radar.renames import renamed_from
from radar.text import normalize_text

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SOURCE = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_MARKDOWN, url="https://x/")


def _item(key: str, text: str = "body", published: datetime | None = None) -> Item:
    return Item(key, key.title(), text, f"https://x/{key}", published or NOW - timedelta(days=3))


def _snapshot(items: list[Item]) -> Snapshot:
    result = diff_entries(SOURCE, None, items, NOW, announce_since=NOW)
    return Snapshot(SOURCE.id, 1, entries=result.entries, content_hash="h")


def test_diff_unchanged_entry_keeps_its_stored_state() -> None:
    items = [_item("a"), _item("b", "x " * MAX_STORED_TEXT)]  # b: stored text is capped
    before = _snapshot(items)
    result = diff_entries(SOURCE, before, items, NOW + timedelta(hours=1), announce_since=NOW)
    for key, state in result.entries.items():
        assert state is before.entries[key]
        rebuilt = D._state(
            items[0] if key == "a" else items[1],
            state.digest,
            first_seen=state.first_seen,
            before=state,
        )
        assert rebuilt == state
    assert result.changes == () and not result.state_changed


def test_diff_same_instant_in_another_zone_is_stored_as_the_page_gives_it() -> None:
    before = _snapshot([_item("a")])
    moved = (NOW - timedelta(days=3)).astimezone(timezone(timedelta(hours=2)))
    result = diff_entries(SOURCE, before, [_item("a", published=moved)], NOW, announce_since=NOW)
    published = result.entries["a"].published
    assert published == moved and published is not None
    assert published.utcoffset() == timedelta(hours=2)


def test_diff_state_of_a_once_missing_entry_is_rebuilt() -> None:
    state = _snapshot([_item("a")]).entries["a"]
    entries = {"a": EntryState(**{**_fields(state), "missing": 1})}
    missing = Snapshot(SOURCE.id, 2, entries=entries, content_hash="h")
    result = diff_entries(SOURCE, missing, [_item("a")], NOW, announce_since=NOW)
    assert result.entries["a"].missing == 0 and result.state_changed


def _fields(state: EntryState) -> dict[str, object]:
    return {name: getattr(state, name) for name in EntryState.__slots__}


_STAMPY = st.lists(
    st.sampled_from(
        [
            "Last",
            "updated",
            "UPDATED",
            "on",
            "page",
            "Generated",
            "modified",
            "edited",
            "laſt",
            "modıfıed",
            "EDİTED",
            "ON",
        ]
    )
    | st.sampled_from([" ", "\n", "\t", ".", ": ", "3 Nov 2026", "x"])
    | st.text(max_size=4),
    max_size=10,
).map("".join)


@given(_STAMPY)
def test_unstamped_is_the_stamp_regex_wherever_a_word_may_start_a_stamp(raw: str) -> None:
    text = normalize_text(raw)  # the differ's texts: entry_digest normalises first
    lowered = text.lower()
    expected = D._STAMP.sub("", text) if any(w in lowered for w in D._STAMP_WORDS) else text
    assert D._unstamped(text) == expected


def test_entry_digest_ignores_a_last_updated_stamp() -> None:
    assert entry_digest("T", "Body. Last updated 3 Nov 2026") == entry_digest(
        "T", "Body. Last updated 9 Dec 2026"
    )


@given(
    st.lists(st.text(alphabet="abc d", max_size=12), min_size=1, max_size=5),
    st.lists(st.text(alphabet="abc d", max_size=12), min_size=1, max_size=5),
)
def test_renamed_from_with_shared_comparisons_matches_fresh_ones(
    new: list[str], gone: list[str]
) -> None:
    when = NOW - timedelta(days=1)
    vanished = {
        f"old{i}": EntryState(f"old{i}", f"T {t}", t, "d", None, when, when)
        for i, t in enumerate(gone)
    }
    seen: dict[str, tuple[str, str | None]] = {}
    for i, text in enumerate(new):
        item = Item(f"new{i}", f"T {text}", text, None, when)
        shared = renamed_from(item, vanished, seen, cap=MAX_STORED_TEXT)
        assert shared == renamed_from(item, vanished, cap=MAX_STORED_TEXT)


_URLISH = st.lists(
    st.sampled_from(["http://", "HTTPS://", "Www.", "ſ", "K", "İ", "x", " ", "\n", "h", "/", "."])
    | st.text(max_size=3),
    max_size=8,
).map("".join)


@given(_URLISH)
def test_cosmetic_words_drop_urls_as_the_case_blind_pattern_did(text: str) -> None:
    from radar import cosmetic as C

    old = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
    assert C._words(text) == C._WORD.findall(old.sub(" ", text.casefold()))


def test_diff_digest_is_not_computed_again_for_the_stored_words(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An entry whose title and whole text are the stored ones has the stored digest; only an
    edited entry, a new one, or one whose text was capped when stored is hashed again."""
    long_text = "x " * MAX_STORED_TEXT
    items = [_item("a"), _item("b"), _item("long", long_text)]
    before = _snapshot(items)
    hashed: list[str] = []

    def counting(title: str, text: str) -> str:
        hashed.append(title)
        return entry_digest(title, text)

    monkeypatch.setattr(D, "entry_digest", counting)
    later = NOW + timedelta(hours=1)
    now_items = [_item("a"), _item("b", "body, edited"), _item("long", long_text), _item("c")]
    result = diff_entries(SOURCE, before, now_items, later, announce_since=NOW)
    assert sorted(hashed) == ["B", "C", "Long"]
    assert result.entries["a"] is before.entries["a"]
    assert result.entries["b"].digest == entry_digest("B", "body, edited")


@pytest.mark.parametrize(
    "changed",
    [
        {"url": "https://x/elsewhere"},
        {"published": None},
        {"published": NOW - timedelta(days=2)},
        {"month_only": True},
    ],
)
def test_diff_same_words_with_another_field_get_a_new_state(changed: dict[str, object]) -> None:
    # The unchanged-entry shortcut (same title and text) keeps the stored state only when
    # every other stored field is the same too.
    before = _snapshot([_item("a")])
    item = replace(_item("a"), **changed)  # type: ignore[arg-type]
    result = diff_entries(SOURCE, before, [item], NOW, announce_since=NOW)
    state = result.entries["a"]
    assert state is not before.entries["a"] and result.state_changed
    assert (state.url, state.published, state.month_only) == (
        item.url,
        item.published,
        item.month_only,
    )
