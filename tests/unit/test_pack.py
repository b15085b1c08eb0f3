"""Training packs: selection, arrangement and the four output formats, parsed back."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from radar.classify import load_default_rules
from radar.model import Change, ChangeKind
from radar.packs.build import PackRequest, build_pack
from radar.render.pack import CSV_COLUMNS, to_csv, to_html, to_json, to_markdown
from radar.text import summarize

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs/schemas/training-pack.schema.json").read_text("utf-8")
)
RULES = load_default_rules()
NOW = datetime(2026, 10, 1, 9, tzinfo=UTC)
NAMES = [
    "zero",
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
]
Q3 = PackRequest(since=date(2026, 7, 1), until=date(2026, 9, 30))


def change(n: int, **kw: object) -> Change:
    base = Change(
        id=f"c{n:03d}",
        source_id=f"src-{n}",
        platform="instagram",
        kind=ChangeKind.ADDED,
        entry_key=f"k{n}",
        title=f"{NAMES[n]} arrives",
        text=f"{NAMES[n]} is here. {NAMES[n]} works first. {NAMES[n]} then. {NAMES[n]} last.",
        url=f"https://developers.example.com/changelog#{n}",
        published=datetime(2026, 8, 1, tzinfo=UTC),
        detected_at=datetime(2026, 8, 2, tzinfo=UTC),
        category="new-feature",
        severity="notable",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_pack_request_rejects_period_ending_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends"):
        PackRequest(since=date(2026, 9, 1), until=date(2026, 8, 1))


def test_pack_request_query_covers_the_last_day_and_baseline() -> None:
    q = Q3.query()
    assert q.by == "published"
    assert q.include_baseline
    assert q.until == datetime(2026, 10, 1, tzinfo=UTC)


def test_build_pack_leaves_out_removals_and_filtered_categories() -> None:
    request = replace(Q3, categories=frozenset({"new-feature"}))
    changes = [
        change(1),
        change(2, kind=ChangeKind.REMOVED),
        change(3, category="policy", title="Policy update on branded content"),
    ]
    pack = build_pack(changes, request, RULES, NOW)
    assert [g.primary.id for g in pack.groups] == ["c001"]


def test_build_pack_orders_sections_as_the_rules_and_actions_first() -> None:
    changes = [
        change(1, category="new-feature", title="Reels get a new editor"),
        change(2, category="deprecation", severity="action", title="Graph API v18 sunset"),
        change(
            3, category="new-feature", severity="action", title="Threads API requires app review"
        ),
    ]
    pack = build_pack(changes, Q3, RULES, NOW)
    assert [s.category for s in pack.sections] == ["deprecation", "new-feature"]
    assert [g.primary.id for g in pack.sections[1].groups] == ["c003", "c001"]


def test_build_pack_merges_one_announcement_seen_in_two_sources() -> None:
    same = "Instagram Graph API adds collaborator tags to reels publishing"
    changes = [change(1, title=same), change(2, title=same, url="https://about.example.com/news")]
    pack = build_pack(changes, Q3, RULES, NOW)
    assert len(pack) == 1
    assert len(pack.groups[0].links) == 2


def test_build_pack_text_search_needs_every_word() -> None:
    changes = [change(1, title="Reels editor"), change(2, title="Stories stickers")]
    pack = build_pack(changes, replace(Q3, text="REELS editor"), RULES, NOW)
    assert [g.primary.id for g in pack.groups] == ["c001"]


def test_summarize_keeps_at_most_three_sentences() -> None:
    assert summarize("One. Two. Three. Four.") == "One. Two. Three."


def test_summarize_cuts_a_long_sentence_on_a_word() -> None:
    text = "word " * 200
    out = summarize(text, max_chars=50)
    assert len(out) <= 50 and out.endswith("…") and "wor…" not in out


def _pack_with_deadline() -> tuple[list[Change], object]:
    changes = [
        change(1),
        change(
            2,
            category="deprecation",
            severity="action",
            title="Basic Display API end of life",
            deadline=date(2026, 12, 4),
            deadline_text="The API will be removed on December 4, 2026.",
        ),
        change(3, platform="threads", title="Threads polls"),
    ]
    return changes, build_pack(changes, Q3, RULES, NOW)


def test_markdown_pack_has_title_agenda_deadlines_and_one_slide_per_change() -> None:
    changes, pack = _pack_with_deadline()
    md = to_markdown(pack)  # type: ignore[arg-type]
    body = md.split("---\n", 2)[2].strip()  # after the front matter
    slides = body.split("\n\n---\n\n")
    assert len(slides) == 3 + len(changes)
    assert slides[0].startswith("# Instagram, Threads changes")
    assert "1. Deprecation and sunset (1)" in slides[1]
    assert "**4 Dec 2026**" in slides[2]


def test_csv_pack_parses_back_with_its_columns() -> None:
    _, pack = _pack_with_deadline()
    rows = list(csv.DictReader(io.StringIO(to_csv(pack))))  # type: ignore[arg-type]
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["deadline"] == "2026-12-04"
    assert {r["platform"] for r in rows} == {"instagram", "threads"}


def test_json_pack_matches_its_schema() -> None:
    _, pack = _pack_with_deadline()
    doc = json.loads(to_json(pack))  # type: ignore[arg-type]
    jsonschema.validate(doc, SCHEMA)
    assert doc["count"] == 3


HOSTILE = change(
    9,
    title="<script>alert(1)</script># Heading",
    text="<img src=x onerror=alert(1)> --- \n# not a slide",
    url="javascript:alert(1)",
)


def test_html_pack_escapes_scraped_content_and_drops_unsafe_links() -> None:
    html = to_html(build_pack([HOSTILE], Q3, RULES, NOW))
    assert "<script>alert" not in html and "<img" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_markdown_pack_neutralises_html_and_slide_breaks() -> None:
    md = to_markdown(build_pack([HOSTILE], Q3, RULES, NOW))
    assert "<script>" not in md and "<img" not in md and "javascript:" not in md
    assert md.count("\n\n---\n\n") == 2  # title | agenda | the one change: no break injected
    assert "\n# not a slide" not in md


def test_csv_pack_defuses_formulas() -> None:
    evil = change(4, title='=HYPERLINK("http://evil")')
    rows = list(csv.reader(io.StringIO(to_csv(build_pack([evil], Q3, RULES, NOW)))))
    assert rows[1][CSV_COLUMNS.index("title")].startswith("'=")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"] or "")
        if tag == "a" and d.get("href"):
            self.hrefs.append(d["href"] or "")


def test_html_pack_table_of_contents_links_resolve() -> None:
    _, pack = _pack_with_deadline()
    parser = _Anchors()
    parser.feed(to_html(pack))  # type: ignore[arg-type]
    internal = [h[1:] for h in parser.hrefs if h.startswith("#")]
    assert internal and set(internal) <= parser.ids
    assert re.search(r"@media print", to_html(pack))  # type: ignore[arg-type]


def test_build_pack_shows_an_entry_added_and_edited_once() -> None:
    added = change(1)
    edited = change(
        1, id="c001-edit", kind=ChangeKind.EDITED, text="Reels is here. Longer now.",
        detected_at=datetime(2026, 8, 5, tzinfo=UTC), diff="{+Longer now.+}",
    )  # fmt: skip
    pack = build_pack([added, edited, change(2)], Q3, RULES, NOW)
    ids = [g.primary.id for g in pack.groups]
    assert sorted(ids) == ["c001-edit", "c002"]
    (one,) = [g.primary for g in pack.groups if g.primary.entry_key == "k1"]
    assert one.kind is ChangeKind.ADDED and one.text == "Reels is here. Longer now."
