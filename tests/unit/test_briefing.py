"""Briefing content: selection, order, grouping, counts and empty weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from radar.briefings.content import build_briefing, safe_link, source_health
from radar.model import Snapshot, Source, SourceKind
from radar.subscriptions.model import EmptyWeek
from tests.support.briefings import LINKS, SCHEDULED, SINCE, change, sample_changes, subscription


def brief(lang: str = "en", changes=None, **sub_fields):  # type: ignore[no-untyped-def]
    return build_briefing(
        subscription(lang, **sub_fields),
        sample_changes() if changes is None else changes,
        period="2026-W47",
        since=SINCE,
        until=SCHEDULED,
        links=LINKS,
    )


def test_briefing_subject_counts_actions_and_changes() -> None:
    assert brief().subject == "3 actions, 7 changes: platform briefing, week of 16 Nov"


def test_briefing_subject_singular() -> None:
    one = [change("a", severity="action", category="deprecation")]
    assert brief(changes=one).subject == "1 action, 1 change: platform briefing, week of 16 Nov"


def test_briefing_subject_arabic_plurals() -> None:
    assert brief("ar").subject == "3 إجراءات، 7 تغييرات: موجز المنصات، أسبوع 16 نوفمبر"


def test_briefing_actions_first_sorted_by_deadline() -> None:
    b = brief()
    assert [i.id for i in b.actions] == ["dep2", "dep1", "brk1"]
    assert all(i.severity != "action" for p in b.platforms for c in p.categories for i in c.items)


def test_briefing_groups_by_platform_then_category() -> None:
    b = brief()
    layout = [(p.platform, [c.category for c in p.categories]) for p in b.platforms]
    assert layout == [
        (
            "instagram",
            ["ads-monetization", "content-formats-creator-tools", "access-rate-limits"],
        ),
        ("tiktok", ["fixes-docs"]),
    ]


def test_briefing_duplicates_become_one_item_with_two_links() -> None:
    reels = [i for i in brief().items if "Reels" in i.title]
    assert len(reels) == 1
    assert reels[0].links == (
        "https://developers.example.com/changelog#reel1",
        "https://about.example.com/news/reels-3-minutes",
    )


def test_briefing_leaves_out_baseline_and_removed() -> None:
    from radar.model import ChangeKind

    extra = [*sample_changes(), change("gone", kind=ChangeKind.REMOVED)]
    ids = {i.id for i in brief(changes=extra).items}
    assert "base1" not in ids and "gone" not in ids


def test_briefing_leaves_out_changes_outside_window() -> None:
    late = change("late", detected_at=SCHEDULED)
    early = change("early", detected_at=SINCE - timedelta(seconds=1))
    assert brief(changes=[late, early]).empty


def test_briefing_filters_platforms_categories_severities() -> None:
    b = brief(platforms=frozenset({"tiktok"}), severities=frozenset({"action"}))
    assert [i.id for i in b.items] == ["dep2", "brk1"]
    c = brief(categories=frozenset({"deprecation"}))
    assert [i.id for i in c.items] == ["dep2", "dep1"]


def test_briefing_edit_carries_word_diff() -> None:
    edit = next(i for i in brief().items if i.id == "edit1")
    assert edit.diff == "[-200-] {+250+} calls per user per day"


def test_briefing_summary_is_first_sentences() -> None:
    item = next(i for i in brief().items if i.id == "dep1")
    assert item.summary.startswith("Graph API version 19.0 will be removed on 15 January 2027.")
    long = change("long", text="word " * 400)
    summary = brief(changes=[long]).items[0].summary
    assert len(summary) <= 320 and summary.endswith("…") and not summary.endswith(" …")


def test_briefing_first_seen_in_subscriber_zone() -> None:
    late_utc = change("x", detected_at=SINCE + timedelta(days=1, hours=22))  # next day in Riyadh
    assert brief(changes=[late_utc]).items[0].first_seen == date(2026, 11, 11)


def test_briefing_deadlines_soonest_first() -> None:
    assert [i.id for i in brief().deadlines] == ["dep2", "dep1"]


def test_briefing_empty_week_subject_and_flag() -> None:
    b = brief(changes=[], empty_week=EmptyWeek.SKIP)
    assert b.empty and b.count == 0
    assert b.subject == "No platform changes: briefing, week of 16 Nov"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html,hi",
        "/relative",
        "https://ex ample.com/",
        'https://example.com/"onmouseover=x',
        "http:///nohost",
        None,
    ],
)
def test_briefing_safe_link_refuses(url: str | None) -> None:
    assert safe_link(url) is None


def test_briefing_safe_link_keeps_http_and_https() -> None:
    assert safe_link("https://example.com/a?b=c#d") == "https://example.com/a?b=c#d"
    assert safe_link("http://example.com/") == "http://example.com/"


def test_briefing_health_footer_only_for_subscribed_platforms() -> None:
    sources = [
        Source(id="ig", platform="instagram", kind=SourceKind.RSS, url="https://a/", name="IG"),
        Source(id="yt", platform="youtube", kind=SourceKind.RSS, url="https://b/"),
    ]
    pairs = [(s, Snapshot(s.id, failures=4, last_error="HTTP 503")) for s in sources]
    b = build_briefing(
        subscription(platforms=frozenset({"instagram"})),
        [],
        period="2026-W47",
        since=SINCE,
        until=SCHEDULED,
        links=LINKS,
        health=source_health(pairs),
    )
    assert [(h.name, h.failures) for h in b.health] == [("IG", 4)]


def test_briefing_lists_api_spec_changes_under_api_surface_and_removals_as_actions() -> None:
    from radar.model import ChangeKind
    from radar.render.briefing import render_briefing

    spec = {"source_id": "pinterest-openapi", "platform": "pinterest"}
    added = change(
        "op1",
        entry_key="GET /v5/pins",
        title="List pins",
        text="GET /v5/pins / responses: 200 OK",
        **spec,
    )
    edited = change(
        "op2",
        kind=ChangeKind.EDITED,
        entry_key="POST /v5/pins",
        title="Create pin",
        text="POST /v5/pins / parameters: alt_text (query, string, optional)",
        diff="parameter alt_text added",
        **spec,
    )
    removed = change(
        "op3",
        kind=ChangeKind.REMOVED,
        entry_key="DELETE /v5/boards/{id}",
        title="Delete board",
        text="DELETE /v5/boards/{id} / responses: 204 No Content",
        category="breaking-change",
        severity="action",
        **spec,
    )
    b = brief(changes=[*sample_changes(), added, edited, removed])
    assert [i.id for i in b.actions if i.api] == ["op3"]
    (section,) = [p for p in b.platforms if p.platform == "pinterest"]
    assert [i.api for i in section.api_surface] == ["GET /v5/pins", "POST /v5/pins"]
    assert section.categories == ()
    text = render_briefing(b).text
    assert "-- API surface --" in text
    assert "- POST /v5/pins: parameter alt_text added" in text
    assert "- GET /v5/pins: New" in text


def test_briefing_links_name_the_source_and_entry() -> None:
    b = build_briefing(
        subscription("en"),
        [
            change(
                "gw",
                source_id="discord-api-changelog",
                platform="discord",
                title="Voice gateway v8",
            )
        ],
        period="2026-W47",
        since=SINCE,
        until=SCHEDULED,
        links=LINKS,
        source_names={"discord-api-changelog": "Discord API change log"},
    )
    (item,) = b.items
    assert item.link_labels == ("Discord API change log: Voice gateway v8",)
    unnamed = brief(changes=[change("x", platform="discord", title="Stickers")])
    assert unnamed.items[0].link_labels == ("Discord: Stickers",)
