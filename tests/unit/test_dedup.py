"""radar.dedup: one announcement in several sources becomes one group with every link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from radar.dedup import ChangeGroup, group_duplicates, similarity
from radar.model import Change, ChangeKind

DAY = datetime(2026, 3, 10, tzinfo=UTC)


def change(
    cid: str,
    title: str,
    text: str = "",
    *,
    source: str = "changelog",
    platform: str = "threads",
    url: str | None = None,
    on: datetime = DAY,
    severity: str | None = "notable",
) -> Change:
    return Change(
        id=cid,
        source_id=source,
        platform=platform,
        kind=ChangeKind.ADDED,
        entry_key=cid,
        title=title,
        text=text,
        url=url if url is not None else f"https://example.com/{cid}",
        published=on,
        detected_at=on,
        severity=severity,
    )


CHANGELOG = change(
    "a",
    "Threads API: quote posts and reposts",
    "You can now publish quote posts and reposts through the Threads API.",
)
NEWSROOM = change(
    "b",
    "Quote posts and reposts come to the Threads API",
    "Developers can now publish quote posts and reposts with the Threads API.",
    source="newsroom",
    on=DAY + timedelta(days=1),
)


def test_group_duplicates_merges_changelog_and_newsroom_post() -> None:
    (group,) = group_duplicates([CHANGELOG, NEWSROOM])
    assert {c.id for c in group.changes} == {"a", "b"}


def test_group_duplicates_links_lists_every_distinct_url() -> None:
    (group,) = group_duplicates([CHANGELOG, NEWSROOM])
    assert set(group.links) == {"https://example.com/a", "https://example.com/b"}


def test_group_links_skip_missing_and_repeated_urls() -> None:
    group = ChangeGroup(
        CHANGELOG, (change("c", "x", url="https://example.com/a"), change("d", "y", url=""))
    )
    assert group.links == ("https://example.com/a",)


def test_group_duplicates_keeps_other_platforms_apart() -> None:
    other = change("c", NEWSROOM.title, NEWSROOM.text, source="x-news", platform="x")
    assert len(group_duplicates([CHANGELOG, other])) == 2


def test_group_duplicates_keeps_changes_outside_the_window_apart() -> None:
    late = change("c", NEWSROOM.title, NEWSROOM.text, source="newsroom", on=DAY + timedelta(days=5))
    assert len(group_duplicates([CHANGELOG, late], window=timedelta(days=3))) == 2


def test_group_duplicates_keeps_unrelated_announcements_apart() -> None:
    other = change("c", "Insights for reels", "New reach metrics in Insights.", source="newsroom")
    assert len(group_duplicates([CHANGELOG, other])) == 2


def test_group_duplicates_never_merges_two_entries_of_one_source() -> None:
    twin = change("c", CHANGELOG.title, CHANGELOG.text)
    assert len(group_duplicates([CHANGELOG, twin])) == 2


def test_group_duplicates_primary_is_the_most_severe() -> None:
    urgent = change("c", NEWSROOM.title, NEWSROOM.text, source="newsroom", severity="action")
    (group,) = group_duplicates([CHANGELOG, urgent])
    assert group.primary.id == "c"
    assert group.others == (CHANGELOG,)


def test_group_duplicates_threshold_controls_merging() -> None:
    assert len(group_duplicates([CHANGELOG, NEWSROOM], threshold=0.99)) == 2


def test_group_duplicates_single_changes_are_groups_of_one() -> None:
    (group,) = group_duplicates([CHANGELOG])
    assert group.primary is CHANGELOG
    assert group.others == ()


def test_similarity_ignores_case_and_punctuation() -> None:
    a = change("a", "Quote Posts!", "")
    b = change("b", "quote posts", "")
    assert similarity(a, b) == 1.0


# --- one item per entry ---------------------------------------------------------------------


def test_latest_per_entry_folds_an_entry_added_then_edited_into_one_new_item() -> None:
    from dataclasses import replace
    from datetime import date

    from radar.dedup import latest_per_entry

    added = change("e1", "Voice gateway v8", "v8 is here.")
    edit1 = replace(
        added, id="e1-ed1", kind=ChangeKind.EDITED, text="v8 is here. It resumes.",
        detected_at=DAY + timedelta(days=1), diff="{+It resumes.+}",
    )  # fmt: skip
    edit2 = replace(
        added, id="e1-ed2", kind=ChangeKind.EDITED, severity="action", category="deprecation",
        text="v8 is here. v4 ends on 18 November.", deadline=date(2026, 11, 18),
        deadline_text="v4 ends on 18 November.", detected_at=DAY + timedelta(days=3),
        diff="[-It resumes.-] {+v4 ends on 18 November.+}",
    )  # fmt: skip
    other = change("e2", "Stickers in forum posts", on=DAY + timedelta(days=2))
    folded = latest_per_entry([added, edit1, other, edit2])
    assert [c.id for c in folded] == ["e2", "e1-ed2"]  # each entry where its latest change is
    one = folded[1]
    assert one.kind is ChangeKind.ADDED and one.diff == ""  # new this period: no diff to show
    assert one.text == "v8 is here. v4 ends on 18 November."  # the latest text
    assert (one.severity, one.category, one.deadline) == (
        "action",
        "deprecation",
        date(2026, 11, 18),
    )
    assert one.detected_at == DAY  # first seen when it was added


def test_latest_per_entry_keeps_edits_as_an_update_with_the_latest_diff() -> None:
    from dataclasses import replace

    from radar.dedup import latest_per_entry

    base = replace(change("e1", "Rate limits"), kind=ChangeKind.EDITED, diff="{+a+}")
    later = replace(base, id="e1b", diff="{+b+}", detected_at=DAY + timedelta(days=1))
    same_key_other_source = replace(base, id="x", source_id="blog")
    folded = latest_per_entry([base, later, same_key_other_source])
    assert [(c.id, c.kind, c.diff) for c in folded] == [
        ("e1b", ChangeKind.EDITED, "{+b+}"),
        ("x", ChangeKind.EDITED, "{+a+}"),
    ]


def _pairwise_groups(changes: list[Change]) -> list[list[str]]:
    """The grouping rule applied naively: every change against every group so far."""
    groups: list[list[Change]] = []
    for c in changes:
        for g in groups:
            if all(o.platform == c.platform and o.source_id != c.source_id for o in g) and any(
                abs(c.effective_date - o.effective_date) <= timedelta(days=3)
                and similarity(c, o) >= 0.5
                for o in g
            ):
                g.append(c)
                break
        else:
            groups.append([c])
    return [sorted(c.id for c in g) for g in groups]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["threads", "x"]),
            st.sampled_from(["changelog", "blog", "news"]),
            st.integers(0, 12 * 24),  # hours: windows end mid-day
            st.lists(
                st.sampled_from(["quote", "posts", "api", "reels", "ads", "limit"]),
                min_size=1,
                max_size=4,
            ),
        ),
        max_size=25,
    )
)
@settings(max_examples=200, deadline=None)
def test_dedup_grouping_matches_the_pairwise_rule(rows: list[tuple]) -> None:
    changes = [
        change(f"c{i}", " ".join(words), source=src, platform=plat, on=DAY + timedelta(hours=day))
        for i, (plat, src, day, words) in enumerate(rows)
    ]
    got = [sorted(c.id for c in g.changes) for g in group_duplicates(changes)]
    assert got == _pairwise_groups(changes)
