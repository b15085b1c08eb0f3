"""What an entry's structure says about its category: its link (a blog post), sections inside a
product update, a Removed section's items, an OAuth scope that is deprecated, the words a
changelog uses for breaking changes and for mistakes put right (issue 11, fourth pass)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.classify import Classifier, load_default_rules
from radar.classify.blogs import is_blog_post
from radar.classify.headings import Part
from radar.classify.items import is_breaking, is_fix, removal
from radar.classify.releases import read_release
from radar.model import Change
from tests.support.briefings import change

CLASSIFIER = Classifier(load_default_rules())


def _entry(title: str, text: str, url: str | None = None) -> Change:
    when = datetime(2026, 1, 5, tzinfo=UTC)
    return change("c1", title=title, text=text, url=url, entry_key=title, published=when)


@pytest.mark.parametrize(
    ("url", "blog"),
    [
        ("https://weaviate.io/blog/building-foundry", True),
        ("https://cursor.com/blog/cursor-3", True),
        ("https://example.com/en/blogs/2026/post", True),
        ("https://blog.example.com/2026/01/post", True),
        ("https://developers.googleblog.com/en/post", True),
        ("https://windsurf.com/changelog#2.3.15", False),
        ("https://example.com/docs/blogging-guide", False),
        (None, False),
        ("http://[::1", False),  # unparseable: not a blog
    ],
)
def test_is_blog_post(url: str | None, blog: bool) -> None:
    assert is_blog_post(url) is blog


def test_a_blog_post_that_announces_nothing_is_docs_a_changelog_entry_a_feature() -> None:
    title, text = "The third era of software", "Why agents will take on larger tasks over time."
    essay = CLASSIFIER.classify(_entry(title, text, "https://example.com/blog/third-era"))
    assert (essay.category, essay.severity) == ("fixes-docs", "minor")
    entry = CLASSIFIER.classify(_entry(title, text, "https://example.com/changelog#third-era"))
    assert entry.category == "new-feature"
    # A post that announces something is filed by what it announces.
    launch = _entry(
        "Introducing Composer 2", "Composer 2 is now available.", "https://x.io/blog/c2"
    )
    assert CLASSIFIER.classify(launch).category == "new-feature"
    # ... and so is a platform blog's launch, told by when it starts.
    party = CLASSIFIER.classify(
        _entry(
            "Watch together with friends on YouTube",
            "Starting today, you can start a watch party with friends.",
            "https://blog.youtube/news-and-events/watch-party/",
        )
    )
    assert (party.category, party.severity) == ("new-feature", "notable")


def test_sections_inside_a_product_update_make_it_read_item_by_item() -> None:
    text = (
        "Groups Devices can now be organized into groups. Improvements Duplicate errors: the "
        "error now appears under the field. Upload rules have been renamed to file rules and "
        "the old name is removed."
    )
    release = read_release("Groups", text)
    assert release is not None
    assert [part for part, _ in release.parts] == [Part.NOTES, Part.IMPROVED]
    got = CLASSIFIER.classify(_entry("Groups", text))
    assert (got.category, got.severity) == ("breaking-change", "action")
    # A heading word inside a sentence is no section.
    assert read_release("Groups", "We shipped improvements to groups.") is None


@pytest.mark.parametrize(
    ("item", "removes"),
    [
        ("Interaction.permissions, use app_permissions", True),
        ("mkdocs from project dependencies", False),
        ("unused code and redundant comments from various modules.", False),
        ("Upgraded Langfuse code examples to use Python SDK v3", None),
        # Verbs that take something away still do, flattened or not.
        ("Moved Client.foo to radar.extra", True),
        ("Disabled legacy login", True),
        ("Python 3.8 dev container support", True),
    ],
)
def test_what_a_removed_section_item_removes(item: str, removes: bool | None) -> None:
    assert removal(item) is removes


def test_a_flattened_removed_verb_that_removes_internals_does_not_break_a_release() -> None:
    text = (
        "Core Improvements & Fixes Fixed tools parameter syntax Removed mkdocs from project "
        "dependencies Upgraded code examples to use SDK v3 New Features Added support for "
        "initializing a tool from attributes"
    )
    got = CLASSIFIER.classify(_entry("v0.134.0", text))
    assert (got.category, got.severity) == ("new-feature", "notable")


def test_a_deprecated_oauth_scope_is_a_deprecation() -> None:
    got = CLASSIFIER.classify(
        _entry("user:edit:follows", "Deprecated. Was previously used for Create User Follows.")
    )
    assert (got.category, got.severity) == ("deprecation", "action")
    # Removing a role is what the scope allows, not a removal of the scope.
    scope = _entry("channel:manage:vips", "Add or remove the VIP role. API Remove Channel VIP")
    assert CLASSIFIER.classify(scope).category == "access-rate-limits"


def test_backwards_incompatible_is_breaking() -> None:
    assert is_breaking("Dates are now datetime objects. This is a backwards incompatible change.")
    assert is_breaking("The new client is not backward compatible with v1 configs")
    text = "Dates are now returned as datetime objects. This is a backwards incompatible change."
    got = CLASSIFIER.classify(_entry("Version 3.5.0", text))
    assert (got.category, got.severity) == ("breaking-change", "action")


@pytest.mark.parametrize(
    ("item", "fix"),
    [
        ("Update wrong requirement: urllib3>=1.10", True),
        ("Correct incorrect links in the README", True),
        ("Update the requirement: urllib3>=1.10", False),
        ("Add wrong-answer detection to quizzes", False),
        ("Add broken link detection to the checker", False),
        ("Detect broken links in your pages", False),
        ("Warn about incorrect configuration values", False),
    ],
)
def test_an_item_that_puts_a_mistake_right_is_a_fix(item: str, fix: bool) -> None:
    assert is_fix(item) is fix


def test_a_changed_default_breaks_a_new_option_that_keeps_it_does_not() -> None:
    changed = "Changed The type kwarg now defaults to ApplicationCommand. (#1678)"
    assert CLASSIFIER.classify(_entry("2.1.0", changed)).category == "breaking-change"
    kept = (
        "Changed stream() accepts a pause_after argument to allow pausing of the stream. "
        "The default value of None retains the preexisting behavior."
    )
    assert CLASSIFIER.classify(_entry("4.5.0", kept)).category == "new-feature"


def test_blocking_people_is_safety_blocking_a_prompt_is_not() -> None:
    blocks = CLASSIFIER.classify(_entry("v1.0.8", "Added support for domain blocks"))
    assert blocks.category == "privacy-safety-security"
    users = CLASSIFIER.classify(_entry("Safety", "Members can now block other users in DMs."))
    assert users.category == "privacy-safety-security"
    hooks = CLASSIFIER.classify(_entry("v2.3.15", "Fixed hooks to allow blocking user prompts."))
    assert hooks.category != "privacy-safety-security"


def test_a_chore_section_that_removes_docs_or_tests_breaks_nothing() -> None:
    text = (
        "Bug Fixes Fix datetime parameter formatting (#1793) Misc Remove nose usage from "
        "tests (b4c06a4) Replace docs/requirements.txt with docs extra (0ccfe86)"
    )
    release = read_release("Version 4.0.1", text)
    assert release is not None
    assert [part for part, _ in release.parts] == [Part.FIXES, Part.CHORES]
    got = CLASSIFIER.classify(_entry("Version 4.0.1", text))
    assert (got.category, got.severity) == ("fixes-docs", "minor")
    # A chore that renames the API still breaks it (release-please files such commits there).
    renamed = CLASSIFIER.classify(
        _entry("4.2.0", "Chores api: rename FunctionObject to FunctionDefinition (#746)")
    )
    assert renamed.category == "breaking-change"


def test_a_package_requirement_is_not_a_new_requirement_for_callers() -> None:
    text = "New Features Add asynchronous.AsyncClient Add async_lru as requirement for async extra"
    assert CLASSIFIER.classify(_entry("Version 4.10.0", text)).category == "new-feature"
    pinned = "Misc Explicitly specify coverage >= 4.4.2 requirement for dev extra"
    assert CLASSIFIER.classify(_entry("Version 4.9.1", pinned)).category == "fixes-docs"


def test_the_last_version_to_support_a_runtime_is_a_deprecation() -> None:
    text = (
        "This will be the last minor version to support Python 3.6 (#1788). New Features "
        "Add support for streaming with the v2 API"
    )
    got = CLASSIFIER.classify(_entry("Version 4.6.0", text))
    assert (got.category, got.severity) == ("deprecation", "action")


def test_removing_an_undocumented_function_is_upkeep() -> None:
    assert removal("undocumented debug function") is False
    assert not is_breaking("Remove undocumented debug function (a702325)")


def test_a_field_replaced_by_another_inside_a_line_breaks() -> None:
    text = (
        "Features Added full support for Bot API 9.0 Business Accounts Added the class "
        "BusinessBotRights and replaced the field can_reply with the field rights"
    )
    got = CLASSIFIER.classify(_entry("3.20.0 (2025-04-14)", text))
    assert (got.category, got.severity) == ("breaking-change", "action")
    # Prose that replaces no identifier is no such change.
    assert not is_breaking("Updated annotations, replacing deprecated List with built-in list")


def test_a_docs_section_removes_docs_not_api() -> None:
    text = "Documentation Remove FileOptions (#9855) Features Add media channels (#9662)"
    release = read_release("14.14.0", text)
    assert release is not None
    assert [part for part, _ in release.parts] == [Part.DOCS, Part.FEATURES]
    assert CLASSIFIER.classify(_entry("14.14.0", text)).category != "breaking-change"
    # ... unless a line there says it breaks.
    marked = "Documentation Remove FileOptions, a breaking change (#9855)"
    assert CLASSIFIER.classify(_entry("14.14.1", marked)).category == "breaking-change"


def test_prose_major_changes_break_only_where_a_line_says_so() -> None:
    features = "Major changes: Bot API 4.4 support (#1464) Add get_file method to Animation."
    assert CLASSIFIER.classify(_entry("Version 12.1.0", features)).category == "new-feature"
    changed = (
        "Major changes: Filters.command now checks for BOT_COMMAND instead of just a leading "
        "slash (#1680)."
    )
    assert CLASSIFIER.classify(_entry("Version 12.4.0", changed)).category == "breaking-change"


def test_changesets_github_credits_are_cut_from_their_items() -> None:
    text = (
        "Patch Changes #2260 6ec885992 Thanks @dev! - Export regex from rich text detection "
        "#2261 6ec885993 Thanks @dev! - Allow tags to lead with numbers"
    )
    release = read_release("0.10.4", text)
    assert release is not None
    assert [item for _, item in release.items()] == [
        "Export regex from rich text detection",
        "Allow tags to lead with numbers",
    ]


def test_breaking_changes_of_a_kind_are_breaking() -> None:
    assert is_breaking("Contains breaking lexicon changes: removing legacy admin endpoints.")
    assert not is_breaking("There are no breaking changes in this release.")
