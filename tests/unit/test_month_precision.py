"""Entries dated only by their month ("March 2025") reach readers as a month (issue 14): the
differ carries the flag, packs, the API and `radar changes` show "March 2025" and never
"1 Mar 2025", and a period by the entry's own date includes it when it overlaps the month."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from radar.api.app import ApiDeps, build_app
from radar.classify import load_default_rules
from radar.cli import cli
from radar.diff import diff_entries
from radar.model import Change, ChangeKind, EntryState, Item, Snapshot, Source, SourceKind
from radar.packs.build import PackRequest, build_pack, published_within
from radar.render.pack import to_csv, to_html, to_json, to_markdown
from radar.store import codec
from radar.store.sqlite import SqliteStore
from tests.support.fakes import MemoryStore
from tests.unit.test_api import body, call

RULES = load_default_rules()
SOURCE = Source(id="snap", platform="snapchat", kind=SourceKind.CHANGELOG_HTML, url="https://x/")
MARCH = datetime(2025, 3, 1, tzinfo=UTC)
NOW = datetime(2025, 3, 25, 9, tzinfo=UTC)


def month_change(**kw: Any) -> Change:
    base = Change(
        id="m" * 24,
        source_id="snap",
        platform="snapchat",
        kind=ChangeKind.ADDED,
        entry_key="2025-03-age-targeting",
        title="Age targeting increase",
        text="The minimum age for targeting rises to 18.",
        url="https://developers.snap.com/announcements#age",
        published=MARCH,
        detected_at=datetime(2025, 3, 20, 9, tzinfo=UTC),
        category="ads-and-monetization",
        severity="notable",
        month_only=True,
    )
    return replace(base, **kw)


def day_change() -> Change:
    return month_change(
        id="d" * 24,
        entry_key="2025-03-01-pixel",
        title="Pixel update",
        text="The pixel sends more events.",
        month_only=False,
    )


# --- the differ and the stores carry it ----------------------------------------------------


def test_diff_change_and_entry_carry_month_only() -> None:
    items = [
        Item("2025-03-a", "A", "a text", None, MARCH, month_only=True),
        Item("2025-03-01-b", "B", "b text", None, MARCH),
    ]
    result = diff_entries(SOURCE, None, items, NOW, announce_since=NOW - timedelta(days=7))
    assert {c.entry_key: c.month_only for c in result.changes} == {
        "2025-03-a": True,
        "2025-03-01-b": False,
    }
    assert result.entries["2025-03-a"].month_only
    assert not result.entries["2025-03-01-b"].month_only


def test_diff_edit_of_month_entry_keeps_month_only() -> None:
    first = diff_entries(
        SOURCE,
        None,
        [Item("2025-03-a", "A", "a text", None, MARCH, month_only=True)],
        NOW,
        announce_since=NOW - timedelta(days=7),
    )
    before = Snapshot("snap", 1, entries=first.entries, content_hash="h")
    edited = Item("2025-03-a", "A", "a text, now longer", None, MARCH, month_only=True)
    later = diff_entries(SOURCE, before, [edited], NOW + timedelta(days=1), announce_since=NOW)
    [change] = later.changes
    assert change.kind is ChangeKind.EDITED and change.month_only


def test_codec_change_round_trips_month_only() -> None:
    change = month_change()
    assert codec.change_from_json(codec.change_to_json(change)) == change


def test_codec_day_change_body_has_no_month_only_key() -> None:
    # Absent means a day: bodies of day-dated changes stay as they were before the flag.
    assert "month_only" not in codec.change_to_dict(day_change())


def test_codec_change_stored_before_the_flag_reads_as_a_day() -> None:
    data = codec.change_to_dict(day_change())
    assert codec.change_from_dict(data).month_only is False


def test_codec_snapshot_entries_round_trip_month_only() -> None:
    state = EntryState("k", "T", "x", "d", None, MARCH, NOW, month_only=True)
    snap = Snapshot("snap", entries={"k": state})
    assert codec.decode_entries(codec.encode_entries(snap)) == {"k": state}


def test_sqlite_store_keeps_month_only(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "radar.sqlite3") as store:
        store.save(Snapshot("snap"), [month_change(), day_change()])
        assert store.get_change("m" * 24) == month_change()
        assert store.get_change("d" * 24) == day_change()


# --- periods by the entry's own date -------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until", "inside"),
    [
        (date(2025, 3, 10), date(2025, 3, 20), True),  # inside the month
        (date(2025, 2, 20), date(2025, 3, 5), True),  # overlaps its start
        (date(2025, 3, 31), date(2025, 4, 10), True),  # overlaps its last day
        (date(2025, 4, 1), date(2025, 4, 30), False),  # the next month
        (date(2025, 2, 1), date(2025, 2, 28), False),  # the month before
    ],
)
def test_pack_includes_month_entry_when_its_month_overlaps(
    since: date, until: date, inside: bool
) -> None:
    request = PackRequest(since=since, until=until)
    pack = build_pack([month_change()], request, RULES, NOW)
    assert (len(pack) == 1) is inside


def test_pack_query_by_published_starts_at_the_first_of_the_month() -> None:
    query = PackRequest(since=date(2025, 3, 10), until=date(2025, 3, 20)).query()
    assert query.since == MARCH


def test_pack_day_entry_outside_the_period_stays_out() -> None:
    # The widened query returns it; the period does not cover the 1st.
    request = PackRequest(since=date(2025, 3, 10), until=date(2025, 3, 20))
    assert len(build_pack([day_change()], request, RULES, NOW)) == 0


def test_published_within_undated_change_uses_its_detection() -> None:
    undated = month_change(published=None, month_only=False)
    since = datetime(2025, 3, 20, tzinfo=UTC)
    assert published_within(undated, since, since + timedelta(days=1))
    assert not published_within(undated, since + timedelta(days=1), None)


# --- what readers see ------------------------------------------------------------------------


def _pack() -> Any:
    request = PackRequest(since=date(2025, 3, 10), until=date(2025, 3, 20))
    return build_pack([month_change()], request, RULES, NOW)


def test_markdown_pack_shows_the_month_not_a_day() -> None:
    md = to_markdown(_pack())
    assert "March 2025" in md and "1 Mar 2025" not in md


def test_html_pack_shows_the_month_not_a_day() -> None:
    html = to_html(_pack())
    assert "March 2025" in html and "1 Mar 2025" not in html


def test_csv_pack_writes_the_month_as_iso_year_month() -> None:
    [row] = list(csv.DictReader(io.StringIO(to_csv(_pack()))))
    assert row["date"] == "2025-03"


def test_json_pack_says_the_date_is_a_month() -> None:
    [item] = json.loads(to_json(_pack()))["changes"]
    assert (item["date"], item["published_precision"], item["published_label"]) == (
        "2025-03-01",
        "month",
        "March 2025",
    )


def test_json_pack_day_entry_is_day_precision() -> None:
    request = PackRequest(since=date(2025, 3, 1), until=date(2025, 3, 20))
    [item] = json.loads(to_json(build_pack([day_change()], request, RULES, NOW)))["changes"]
    assert (item["published_precision"], item["published_label"]) == ("day", "1 Mar 2025")


@pytest.fixture
def app() -> Any:
    store = MemoryStore()
    store.save(Snapshot("snap"), [month_change(), day_change()])
    return build_app(ApiDeps(store, RULES, clock=lambda: NOW))


@pytest.mark.parametrize("view", ["events", "entries"])
def test_api_list_by_published_includes_month_entry_of_an_overlapping_period(
    app: Any, view: str
) -> None:
    found = body(call(app, "/changes", since="2025-03-10", until="2025-03-20", view=view))
    [item] = found["items"]
    assert (item["title"], item["published_precision"], item["published_label"]) == (
        "Age targeting increase",
        "month",
        "March 2025",
    )


def test_api_list_by_detected_is_not_widened(app: Any) -> None:
    found = body(call(app, "/changes", since="2025-03-21", until="2025-03-25", by="detected"))
    assert found["items"] == []


def test_cli_changes_by_published_shows_the_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "radar.sqlite3"
    with SqliteStore(db) as store:
        store.save(Snapshot("snap"), [month_change(), day_change()])
    monkeypatch.setenv("RADAR_DB_PATH", str(db))
    args = ["changes", "--since", "2025-03-10", "--until", "2025-03-21", "--by", "published"]
    result = CliRunner().invoke(cli, [*args, "--all"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "March 2025" in result.output and "Age targeting" in result.output
    assert "Pixel update" not in result.output  # dated 1 March: outside 10 to 20 March
    as_json = CliRunner().invoke(cli, [*args, "--json"])
    [line] = as_json.output.splitlines()
    assert json.loads(line)["published_precision"] == "month"
