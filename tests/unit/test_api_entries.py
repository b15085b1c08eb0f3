"""The list's entries view and an entry's history (issue 14): one item per entry, its latest
text, "new" or "updated", every source's link, and its changes with word diffs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from radar.api.app import ApiDeps, build_app, openapi_document
from radar.classify import load_default_rules
from radar.model import Change, ChangeKind, EntryState, Snapshot
from tests.support.fakes import MemoryStore
from tests.unit.test_api import NOW, body, call, make_change

VOICE = "Voice Gateway Version 8"
DISCORD_LOG = "discord-changelog"


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()
    s.save(Snapshot("seed"), [make_change(n) for n in range(1, 31)])
    return s


@pytest.fixture
def app(store: MemoryStore) -> Any:
    return build_app(ApiDeps(store, load_default_rules(), clock=lambda: NOW))


def entry_story(
    added_days_ago: int = 45, edits_days_ago: tuple[int, ...] = (10, 2), **kw: Any
) -> list[Change]:
    """An entry added and then edited (on the dates given, days before NOW), as the differ
    stores it: the same source and entry key, each change with its own id and word diff."""
    words = ["We are deprecating some old versions.", "We are officially deprecating old versions."]
    words.append("We are officially deprecating gateway versions below 4.")
    base = Change(
        id="a0" * 12,
        source_id=DISCORD_LOG,
        platform="discord",
        kind=ChangeKind.ADDED,
        entry_key="2024-08-13-voice-gateway",
        title=VOICE,
        text=words[0],
        url="https://discord.com/developers/docs/change-log#voice-gateway-version-8",
        published=NOW - timedelta(days=added_days_ago),
        detected_at=NOW - timedelta(days=added_days_ago),
        category="deprecation",
        severity="action",
    )
    story = [replace(base, **kw)]
    diffs = [
        "We are {+officially+} deprecating [-some-] old versions.",
        "We are officially deprecating [-old-] {+gateway+} versions {+below 4+}.",
    ]
    for n, days in enumerate(edits_days_ago):
        story.append(
            replace(
                story[0],
                id=f"e{n}" * 12,
                kind=ChangeKind.EDITED,
                text=words[n + 1],
                detected_at=NOW - timedelta(days=days),
                diff=diffs[n],
            )
        )
    return story


def entries(app: Any, **query: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = body(call(app, "/changes", view="entries", **query))["items"]
    return found


def test_api_entries_view_lists_an_entry_edited_twice_once_as_updated(
    store: MemoryStore, app: Any
) -> None:
    store.save(Snapshot("discord"), entry_story())
    found = [i for i in entries(app, by="detected", days="30") if i["title"] == VOICE]
    assert len(found) == 1
    item = found[0]
    assert item["status"] == "updated" and item["history_count"] == 2
    assert item["text"] == "We are officially deprecating gateway versions below 4."
    assert item["last_detected_at"].startswith((NOW - timedelta(days=2)).date().isoformat())
    events = body(call(app, "/changes", by="detected", since="2026-10-21", limit="200"))["items"]
    assert sum(i["title"] == VOICE for i in events) == 2  # the raw view keeps every change


def test_api_entries_view_calls_an_entry_added_in_the_period_new(
    store: MemoryStore, app: Any
) -> None:
    store.save(Snapshot("discord"), entry_story(added_days_ago=20))
    (item,) = [i for i in entries(app, by="detected", days="30") if i["title"] == VOICE]
    assert item["status"] == "new" and item["history_count"] == 3
    assert item["diff_parts"] == []  # new to the reader: its text, not an edit


def test_api_entries_view_marks_up_the_latest_edit_without_diff_markup(
    store: MemoryStore, app: Any
) -> None:
    store.save(Snapshot("discord"), entry_story())
    (item,) = [i for i in entries(app, by="detected", days="30") if i["title"] == VOICE]
    assert {"part": "inserted", "text": "below 4"} in item["diff_parts"]
    assert {"part": "deleted", "text": "old"} in item["diff_parts"]
    assert not any("{+" in p["text"] or "[-" in p["text"] for p in item["diff_parts"])


def test_api_entries_view_leaves_out_edits_no_reader_can_see(store: MemoryStore, app: Any) -> None:
    story = entry_story(edits_days_ago=(3,))
    story[1] = replace(story[1], diff="We are [-  -] {+ +} deprecating")
    store.save(Snapshot("discord"), story)
    assert [i for i in entries(app, by="detected", days="30") if i["title"] == VOICE] == []


def test_api_changes_by_detection_lists_a_fresh_edit_of_an_old_entry(
    store: MemoryStore, app: Any
) -> None:
    published = NOW - timedelta(days=730)
    old = entry_story(edits_days_ago=(1,), published=published)
    old[0] = replace(old[0], detected_at=published)
    store.save(Snapshot("discord"), old)
    assert [i["status"] for i in entries(app, by="detected") if i["title"] == VOICE] == ["updated"]
    assert [i for i in entries(app) if i["title"] == VOICE] == []  # by its own (old) date


def test_api_changes_answers_the_range_it_searched(app: Any) -> None:
    assert body(call(app, "/changes", days="30", by="detected"))["range"] == {
        "since": "2026-10-21",
        "until": "2026-11-20",
        "by": "detected",
    }
    assert body(call(app, "/changes"))["range"]["since"] == "2026-08-22"  # 90 days by default
    got = body(call(app, "/changes", since="2026-11-01", until="2026-11-10", days="5"))
    assert got["range"] == {"since": "2026-11-01", "until": "2026-11-10", "by": "published"}


def test_api_changes_view_defaults_to_events(app: Any) -> None:
    page = body(call(app, "/changes"))
    assert page["view"] == "events" and "status" not in page["items"][0]


def test_api_entries_view_groups_sources_with_every_link_named(store: MemoryStore) -> None:
    blog = replace(
        entry_story(added_days_ago=3, edits_days_ago=())[0],
        id="b0" * 12,
        source_id="discord-blog",
        entry_key="post-voice",
        url="https://discord.com/blog/voice-gateway-version-8",
    )
    store.save(Snapshot("discord"), [*entry_story(added_days_ago=3, edits_days_ago=()), blog])
    names = {DISCORD_LOG: "Discord API change log", "discord-blog": "Discord blog"}
    app = build_app(ApiDeps(store, load_default_rules(), clock=lambda: NOW, source_names=names))
    (item,) = [i for i in entries(app, by="detected", days="30") if i["title"] == VOICE]
    assert [link["label"] for link in item["named_links"]] == [
        f"Discord API change log: {VOICE}",
        f"Discord blog: {VOICE}",
    ]
    assert item["sources"] == ["discord-blog", DISCORD_LOG]


def test_api_entries_view_pages_by_cursor_without_gaps_or_repeats(
    store: MemoryStore, app: Any
) -> None:
    store.save(Snapshot("discord"), entry_story(added_days_ago=20, edits_days_ago=(9, 8)))
    seen: list[str] = []
    cursor: dict[str, str] = {}
    while True:
        query = {"view": "entries", "by": "detected", "order": "desc", "limit": "4", **cursor}
        page = body(call(app, "/changes", **query))
        seen += [i["id"] for i in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = {"cursor": page["next_cursor"]}
    assert len(seen) == len(set(seen)) == 31  # 30 entries and the one edited twice
    assert seen.index("e1" * 12) == 7  # placed by its latest change (8 days ago)


def test_api_history_lists_every_change_of_the_entry_oldest_first(
    store: MemoryStore, app: Any
) -> None:
    story = entry_story()
    store.save(Snapshot("discord"), story)
    for change in story:  # any of its changes' ids leads to the whole history
        got = body(call(app, f"/changes/{change.id}/history"))
        assert [i["id"] for i in got["items"]] == [c.id for c in story]
    assert got["entry"]["status"] == "updated" and got["entry"]["title"] == VOICE
    assert [i["kind"] for i in got["items"]] == ["added", "edited", "edited"]
    last = got["items"][-1]
    assert {"part": "inserted", "text": "gateway"} in last["diff_parts"]
    assert last["diff_text"] == (
        "We are officially deprecating [removed: old] [added: gateway] versions [added: below 4] ."
    )


def test_api_history_starts_where_the_snapshot_first_saw_the_entry(
    store: MemoryStore, app: Any
) -> None:
    story = entry_story()
    first = story[0]
    state = EntryState(first.entry_key, VOICE, "", "d", first.url, None, first.detected_at)
    store.snapshots[DISCORD_LOG] = Snapshot(DISCORD_LOG, 1, entries={first.entry_key: state})
    store.save(Snapshot("discord"), story)
    got = body(call(app, f"/changes/{story[-1].id}/history"))
    assert [i["id"] for i in got["items"]] == [c.id for c in story]  # `since` is inclusive


def test_api_history_leaves_out_cosmetic_edits_unless_asked(store: MemoryStore, app: Any) -> None:
    story = entry_story()
    story[1] = replace(story[1], kind=ChangeKind.COSMETIC)
    store.save(Snapshot("discord"), story)
    assert len(body(call(app, f"/changes/{story[0].id}/history"))["items"]) == 2
    asked = call(app, f"/changes/{story[0].id}/history", include_cosmetic="true")
    assert len(body(asked)["items"]) == 3


def test_api_history_of_an_unknown_change_is_404(app: Any) -> None:
    result = call(app, "/changes/" + "f" * 24 + "/history")
    assert result["statusCode"] == 404 and "no change" in body(result)["message"]


def test_api_history_rejects_a_malformed_id(app: Any) -> None:
    result = call(app, "/changes/NOT-AN-ID/history")
    assert result["statusCode"] == 422 and "change_id" in body(result)["message"]


def test_api_openapi_documents_the_entries_view_and_history(app: Any) -> None:
    doc = openapi_document(app)
    history = doc["paths"]["/changes/{change_id}/history"]["get"]
    assert "404" in history["responses"]
    listing = doc["paths"]["/changes"]["get"]
    assert "view=entries" in listing["description"]
    assert {"view", "days"} <= {p["name"] for p in listing["parameters"]}


def test_entry_items_group_as_group_duplicates_does_over_the_whole_list() -> None:
    import random

    from radar.api.entries import grouped
    from radar.dedup import group_duplicates

    rng = random.Random(14)
    words = ["voice", "gateway", "reels", "ads", "api", "limits", "threads", "deprecation"]
    changes = sorted(
        (
            replace(
                make_change(n),
                source_id=f"src-{rng.randrange(4)}",
                platform=rng.choice(["discord", "threads"]),
                title=" ".join(rng.sample(words, 3)),
                text="",
                published=NOW - timedelta(hours=rng.randrange(24 * 365)),  # gaps too
            )
            for n in range(400)
        ),
        key=lambda c: (c.effective_date, c.id),
    )
    whole = {tuple(c.id for c in g.changes) for g in group_duplicates(changes)}
    assert {tuple(c.id for c in g.changes) for g in grouped(changes)} == whole
    assert len(whole) < 390  # some were grouped: the comparison means something
