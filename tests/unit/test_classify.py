"""radar.classify: the labelled real set, focused examples per category, deadlines, user rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from radar.classify import Classifier, find_deadline, load_default_rules, merge_rules, parse_rules
from radar.errors import ConfigError
from radar.model import Change, ChangeKind
from tests.bench.classify_report import HELD_OUT, evaluate, report

RULES = load_default_rules()
CLASSIFIER = Classifier(RULES)


def change(
    title: str,
    text: str = "",
    *,
    on: date = date(2026, 3, 10),
    kind: ChangeKind = ChangeKind.ADDED,
    diff: str = "",
) -> Change:
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    return Change(
        id="c1",
        source_id="s",
        platform="p",
        kind=kind,
        entry_key="k",
        title=title,
        text=text,
        url=None,
        published=when,
        detected_at=when,
        diff=diff,
    )


# --- the labelled set ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes() -> list:  # type: ignore[type-arg]
    results = evaluate(CLASSIFIER)
    print(report(results, speed=False))  # per-source table, shown with -s or on failure
    return results


def test_classify_labelled_set_has_at_least_450_entries_from_12_sources(outcomes: list) -> None:  # type: ignore[type-arg]
    assert len(outcomes) >= 450
    assert len({o.source for o in outcomes}) >= 12


# Regression guards at the measured level (tests/bench/reports/classify.txt); the bars
# (category 0.85, severity 0.92 per source) are not met yet and are tracked in the report.
def test_classify_labelled_category_accuracy_does_not_regress(outcomes: list) -> None:  # type: ignore[type-arg]
    assert sum(o.category_ok for o in outcomes) / len(outcomes) >= 0.82, report(
        outcomes, speed=False
    )


def test_classify_labelled_held_out_category_accuracy_does_not_regress(outcomes: list) -> None:  # type: ignore[type-arg]
    held = [o for o in outcomes if o.source in HELD_OUT]
    assert sum(o.category_ok for o in held) / len(held) >= 0.66, report(outcomes, speed=False)


def test_classify_labelled_severity_accuracy_does_not_regress(outcomes: list) -> None:  # type: ignore[type-arg]
    assert sum(o.severity_ok for o in outcomes) / len(outcomes) >= 0.92, report(
        outcomes, speed=False
    )


def test_classify_labelled_action_entries_are_never_minor(outcomes: list) -> None:  # type: ignore[type-arg]
    wrong = [
        o.id for o in outcomes if o.expected["severity"] == "action" and o.got.severity == "minor"
    ]
    assert wrong == []


def test_classify_labelled_deadlines_are_found(outcomes: list) -> None:  # type: ignore[type-arg]
    assert sum(o.deadline_ok for o in outcomes) / len(outcomes) >= 0.95, report(
        outcomes, speed=False
    )


# --- one labelled example per category -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "category", "severity"),
    [
        (
            "Graph API v19.0 deprecation",
            "Graph API v19.0 will be deprecated and removed from the platform on May 21, 2026.",
            "deprecation",
            "action",
        ),
        (
            "Changes to Webhook payloads",
            "This entry includes breaking changes: the id field is now a string. You are required "
            "to update your parser.",
            "breaking-change",
            "action",
        ),
        (
            "Threads API: quote posts",
            "You can now publish quote posts through the API with the new quote_post_id field.",
            "new-feature",
            "notable",
        ),
        (
            "Updated Developer Policies",
            "We have updated our Platform Terms and Developer Policies to clarify data use.",
            "policy",
            "notable",
        ),
        (
            "Ads Manager: new campaign objective",
            "Advertisers can now choose an app promotion objective for ad campaigns.",
            "ads-monetization",
            "notable",
        ),
        (
            "New Insights metrics for Reels",
            "Insights now include views and average watch time metrics for each reel.",
            "measurement-analytics",
            "notable",
        ),
        (
            "Feed ranking update",
            "We are changing how the ranking algorithm weighs original content in recommendations.",
            "ranking-distribution",
            "notable",
        ),
        (
            "Stickers in stories",
            "Creators can add music stickers to stories and carousels from creator tools.",
            "content-formats-creator-tools",
            "notable",
        ),
        (
            "Two-factor authentication for admins",
            "Security: two-factor authentication is available to protect personal data.",
            "privacy-safety-security",
            "notable",
        ),
        (
            "Rate limit changes for search",
            "The search endpoint rate limits are raised from 180 to 450 requests per window.",
            "access-rate-limits",
            "notable",
        ),
        (
            "Documentation Fix: pagination example",
            "Fixed a typo in the pagination example.",
            "fixes-docs",
            "minor",
        ),
    ],
)
def test_classify_each_category_has_a_labelled_example(
    title: str, text: str, category: str, severity: str
) -> None:
    got = CLASSIFIER.classify(change(title, text))
    assert (got.category, got.severity) == (category, severity)


def test_classify_hints_break_ties_towards_the_source_category() -> None:
    c = change("Version 4.2", "Several updates.")
    assert CLASSIFIER.classify(c, hints=("ads-monetization",)).category == "ads-monetization"


_SAFETY = "privacy-safety-security"


@pytest.mark.parametrize(
    ("title", "text", "category"),
    [
        # Safety words from the category's meaning, not from one source's entries.
        ("Triggers for marked posts", "Apps react when mods mark a post NSFW.", _SAFETY),
        ("Community labelers", "Communities run their own labelers.", _SAFETY),
        ("Age assurance", "Apps in the region check age assurance.", _SAFETY),
        ("Secrets storage", "Store API keys as secrets that users cannot see.", _SAFETY),
        ("Abusive messages", "Members flag abusive messages from a menu.", _SAFETY),
        ("CVE-2025-1234", "Upgrade to 2.3.1 for the fix.", _SAFETY),
        ("Encrypted DMs", "Messages are now end-to-end encrypted.", _SAFETY),
        # Who may sign in and how: access, whatever else the entry adds.
        ("Authentication improvements", "Preview deployments work with it.", "access-rate-limits"),
    ],
)
def test_classify_taxonomy_words_file_the_topic(title: str, text: str, category: str) -> None:
    assert CLASSIFIER.category_of(title, text) == category


def test_classify_a_weak_topical_word_does_not_outweigh_the_feature() -> None:
    c = change("Card layout", "Larger images in cards.")
    assert CLASSIFIER.classify(c).category == "new-feature"
    weak_words_win = Classifier(merge_rules(RULES, {"topic_min_score": 0}))
    assert weak_words_win.classify(c).category == "content-formats-creator-tools"


@pytest.mark.parametrize(
    "title",
    ["How we compare model quality", "Getting started with hybrid search", "Webinar recap"],
)
def test_classify_a_post_that_teaches_announces_nothing(title: str) -> None:
    got = CLASSIFIER.classify(change(title, "A look at the evaluation process we use."))
    assert (got.category, got.severity) == ("fixes-docs", "minor")


def test_classify_a_spec_entry_is_filed_by_the_words_of_its_identifiers() -> None:
    # Meta's WhatsApp Business Account spec: the subject is in snake_case and CamelCase names.
    entry = replace(
        change(
            "GET product_catalogs", "GET product_catalogs / return: ProductCatalog / params: none"
        ),
        entry_key="GET product_catalogs",
    )
    assert CLASSIFIER.classify(entry).category == "ads-monetization"
    schedules = replace(
        entry,
        title="GET schedules",
        entry_key="GET schedules",
        text="GET schedules / return: WhatsAppBusinessCampaignSchedule / params: none",
    )
    assert CLASSIFIER.classify(schedules).category == "ads-monetization"


def test_classify_a_changed_requirement_is_breaking() -> None:
    got = CLASSIFIER.classify(
        change("Member flags", "Update permissions necessary to modify the flags field.")
    )
    assert (got.category, got.severity) == ("breaking-change", "action")


def test_classify_a_move_from_one_named_thing_to_another_is_action() -> None:
    text = (
        "We've introduced a new config schema. Upgrade from old.json to new.json with these "
        "steps: run the upgrade command."
    )
    assert CLASSIFIER.classify(change("New config schema", text)).severity == "action"


def test_classify_removed_documentation_is_not_a_breaking_change() -> None:
    got = CLASSIFIER.classify(
        change("Documentation: Store Listings", "Documentation around listings has been removed.")
    )
    assert (got.category, got.severity) == ("fixes-docs", "minor")


def test_classify_a_deadline_makes_a_feature_action() -> None:
    got = CLASSIFIER.classify(
        change("New field", "The new field becomes required starting June 1.")
    )
    assert got.severity == "action"
    assert got.deadline == date(2026, 6, 1)


# --- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        ("The endpoint will be removed on January 15, 2027.", date(2026, 3, 1), date(2027, 1, 15)),
        ("Starting March 1, requests need a token.", date(2026, 3, 10), date(2027, 3, 1)),
        ("Starting March 1, requests need a token.", date(2026, 2, 10), date(2026, 3, 1)),
        ("v19.0 will be deprecated in 90 days.", date(2026, 1, 1), date(2026, 4, 1)),
        (
            "Modes will be discontinued as of November 18th, 2024.",
            date(2024, 8, 13),
            date(2024, 11, 18),
        ),
        ("The v1 API will sunset on 2025-01-31.", date(2024, 12, 1), date(2025, 1, 31)),
        ("Support ends by end of Q1 2026.", date(2025, 11, 1), date(2026, 3, 31)),
        ("It will be removed on 15 January 2027.", date(2026, 3, 1), date(2027, 1, 15)),
        ("This begins a 60 day deprecation cycle.", date(2020, 3, 3), date(2020, 5, 2)),
        ("Version 2 was released on January 15, 2027.", date(2026, 3, 1), None),
        ("Released on March 3, 2026 with fixes.", date(2026, 3, 1), None),
        ("Free for a limited time from April 16th to April 21st.", date(2025, 4, 16), None),
        ("The endpoint will be removed on January 15, 2020.", date(2026, 3, 1), None),
        ("Rollout ended on January 15, 2027.", date(2026, 3, 1), None),
        # Any case, among version and pull request numbers that are no dates.
        ("V2.1 (#1234) WILL BE REMOVED ON MARCH 1, 2027.", date(2026, 3, 1), date(2027, 3, 1)),
        ("v1.2.3 (#1234) will be removed in version 2048.", date(2026, 3, 1), None),
    ],
)
def test_find_deadline_table(text: str, on: date, expected: date | None) -> None:
    found, sentence = find_deadline(text, on, RULES)
    assert found == expected
    assert (sentence == text.strip()) is (expected is not None)


def test_classify_deadline_text_is_the_sentence_it_came_from() -> None:
    got = CLASSIFIER.classify(
        change(
            "GameSDK", "Some parts are going away. They will be decommissioned on May 2, 2027. Bye."
        )
    )
    assert got.deadline_text == "They will be decommissioned on May 2, 2027."


# --- edits -------------------------------------------------------------------------------------


def test_classify_typo_edit_is_minor_fixes_docs() -> None:
    got = CLASSIFIER.classify(
        change(
            "Voice Gateway Version 8",
            "This will be removed on November 18, 2024. See the docs for further details.",
            on=date(2024, 8, 13),
            kind=ChangeKind.EDITED,
            diff="[-futher-] {+further+}",
        )
    )
    assert (got.category, got.severity, got.deadline) == ("fixes-docs", "minor", None)


def test_classify_status_marker_edit_is_an_action_not_a_typo() -> None:
    # Mastodon docs, corpus v07 -> v08: the heading's status went from deprecated to removed.
    got = CLASSIFIER.classify(
        change(
            "Fetch preview card (removed)",
            "GET /api/v1/statuses/:id/card. Returns the preview card of a status.",
            on=date(2025, 1, 10),
            kind=ChangeKind.EDITED,
            diff="[-(deprecated)-] {+(removed)+}",
        )
    )
    # Removed now (no longer deprecated, to be removed later): a breaking change.
    assert (got.category, got.severity) == ("breaking-change", "action")


def test_classify_link_only_edit_is_minor() -> None:
    diff = "[-[Buffered](#DOCS_A/x)-] {+[Buffered](#DOCS_B/x)+}"
    got = CLASSIFIER.classify(
        change("Voice", "Use Buffered resume.", kind=ChangeKind.EDITED, diff=diff)
    )
    assert got.severity == "minor"


def test_classify_heading_only_edit_is_minor() -> None:
    diff = "[-Voice Gateway v8-] {+Voice Gateway Version 8+}"
    got = CLASSIFIER.classify(
        change("Voice Gateway Version 8", "Body text.", kind=ChangeKind.EDITED, diff=diff)
    )
    assert got.severity == "minor"


def test_classify_edit_introducing_a_removal_is_action() -> None:
    diff = "{+Deprecated modes will be discontinued as of November 18th, 2024.+}"
    got = CLASSIFIER.classify(
        change(
            "Voice Encryption Modes",
            "New modes. Deprecated modes will be discontinued as of November 18th, 2024.",
            on=date(2024, 8, 13),
            kind=ChangeKind.EDITED,
            diff=diff,
        )
    )
    assert got.severity == "action"
    assert got.deadline == date(2024, 11, 18)


def test_classify_larger_edit_without_action_words_is_notable() -> None:
    diff = "{+You can also view install counts in the developer portal.+}"
    got = CLASSIFIER.classify(
        change("User App Install Count", "We added a count.", kind=ChangeKind.EDITED, diff=diff)
    )
    assert got.severity == "notable"


def test_classify_removed_entry_carries_no_deadline() -> None:
    c = change("Old", "It will be removed on January 15, 2027.", kind=ChangeKind.REMOVED)
    got = CLASSIFIER.classify(c)
    assert got.deadline is None
    assert got.severity != "action"


def test_classify_returns_a_copy_and_keeps_other_fields() -> None:
    c = change("Fixed a crash", "Bug fixes.")
    got = CLASSIFIER.classify(c)
    assert replace(got, category=None, severity=None, deadline=None, deadline_text="") == c


# --- rules: user merge and validation -----------------------------------------------------------


def test_merge_rules_user_pattern_changes_the_category() -> None:
    c = change("Blue checks", "Verified badges get a new colour.")
    assert CLASSIFIER.classify(c).category != "policy"
    rules = merge_rules(RULES, {"categories": {"policy": {"weights": {9: ["verified badges?"]}}}})
    assert Classifier(rules).classify(c).category == "policy"


def test_merge_rules_user_category_is_added() -> None:
    rules = merge_rules(
        RULES, {"categories": {"ai-features": {"severity": "notable", "weights": {9: ["gpt-\\d"]}}}}
    )
    got = Classifier(rules).classify(change("GPT-5 in the composer", "Try it."))
    assert got.category == "ai-features"


def test_merge_rules_keeps_builtin_patterns() -> None:
    rules = merge_rules(RULES, {"categories": {"policy": {"weights": {9: ["badges"]}}}})
    assert len(rules.categories[3].patterns) == len(RULES.categories[3].patterns) + 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"categories": {"x": {"weights": {3: ["(a+)+"]}}}, "default_category": "x"},
            "nested quantifiers",
        ),
        (
            {"categories": {"x": {"weights": {3: ["(a)\\1"]}}}, "default_category": "x"},
            "backreferences",
        ),
        (
            {"categories": {"x": {"weights": {3: ["(a"]}}}, "default_category": "x"},
            "not a valid regex",
        ),
        (
            {"categories": {"x": {"severity": "urgent"}}, "default_category": "x"},
            "severity must be",
        ),
        ({"categories": {"x": {}}, "default_category": "y"}, "default_category 'y'"),
        (
            {"categories": {"x": {"weights": {3: "abc"}}}, "default_category": "x"},
            "list of strings",
        ),
        ({"categories": {}}, "non-empty"),
    ],
)
def test_parse_rules_rejects_bad_rules_with_a_clear_message(raw: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message):
        parse_rules(raw, "my.yaml")


def test_default_rules_cover_the_design_taxonomy() -> None:
    assert set(RULES.category_ids) == {
        "deprecation",
        "breaking-change",
        "new-feature",
        "policy",
        "ads-monetization",
        "measurement-analytics",
        "ranking-distribution",
        "content-formats-creator-tools",
        "privacy-safety-security",
        "access-rate-limits",
        "fixes-docs",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Access stays available until October 1.",  # a year-less date
        "The old endpoint will be retired in 90 days.",  # a relative period
    ],
)
def test_find_deadline_needs_the_entry_date_for_relative_dates(text: str) -> None:
    on = date(2026, 8, 1)
    assert find_deadline(text, on, RULES)[0] is not None
    assert find_deadline(text, on, RULES, relative=False) == (None, "")


def test_find_deadline_with_a_year_holds_without_the_entry_date() -> None:
    found, _ = find_deadline(
        "The endpoint will be removed on March 3, 2027.", date(2026, 8, 1), RULES, relative=False
    )
    assert found == date(2027, 3, 3)
