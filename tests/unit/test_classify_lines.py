"""Release notes read by their heading lines, whatever convention names the sections, and the
cues of the fifth pass (issue 11): a topic that names an entry's subject, an old way kept
working "for a while", what callers must now handle, fixes that are not security fixes."""

from __future__ import annotations

import pytest

from radar.classify.headings import Part, line_part
from radar.classify.items import is_chore
from radar.classify.releases import read_release
from tests.support.classify import classified as _classified


@pytest.mark.parametrize(
    ("line", "part"),
    [
        ("Breaking Changes", Part.BREAKING),
        ("Deprecation", Part.DEPRECATED),
        ("Deprecations and Removals", Part.REMOVED),  # the graver word of the two
        ("Documentation Improvements", Part.DOCS),
        ("Performance Improvements", Part.CHORES),
        ("Optimizations", Part.CHORES),
        ("Library - Feature", Part.FEATURES),
        ("Library - Fix", Part.FIXES),
        ("Bugfixes:", Part.FIXES),
        ("ADDED", Part.FEATURES),
        ("⚠ BREAKING CHANGES", Part.BREAKING),
        ("Patch Changes", Part.PATCH),
        ("Breaking change", Part.BREAKING),  # singular, as Google Cloud's notes type one
        ("Change", Part.CHANGED),
        # items and subjects, not sections
        ("Fixes ForceReply class", None),
        ("Improved Invite Links", None),
        ("Fix the crash on start.", None),
        ("Api", None),
        ("Added two new update types for member status changes", None),
    ],
)
def test_line_part(line: str, part: Part | None) -> None:
    assert line_part(line) is part


TOWNCRIER = (
    "Deprecations and Removals\n"
    "MessageType.APPLICATION_COMMAND renamed to MessageType.CHAT_INPUT\n"
    "Features\n"
    "Message components support\n"
    "Documentation Improvements\n"
    "Remove extra indentation level from codeblocks"
)


def test_towncrier_sections_are_read_by_their_lines() -> None:
    release = read_release("2.0.0.dev102 (2021-09-19)", TOWNCRIER)
    assert release is not None
    assert [part for part, _ in release.parts] == [Part.REMOVED, Part.FEATURES, Part.DOCS]
    assert _classified("2.0.0.dev102", TOWNCRIER) == ("breaking-change", "action")
    # A docs section's "Remove ..." removes docs: a feature release otherwise.
    docs_only = TOWNCRIER.split("\n", 2)[2]
    assert _classified("2.0.0.dev126", docs_only) == ("new-feature", "notable")


def test_a_heading_naming_the_whole_release_is_no_item() -> None:
    text = "v0.120.1\nView release on GitHub\nWhats New\nFixes Interpolation with hyphens"
    assert _classified("v0.120.1", text) == ("fixes-docs", "minor")


def test_an_item_never_runs_past_its_line() -> None:
    # Flattened, "Add ..." and "Remove ..." would be one item opening with "Add".
    text = "Features\nAdd support for polls\nChanged\nRemove the legacy poll endpoint"
    items = [item for _, item in read_release("1.2.0", text).items()]  # type: ignore[union-attr]
    assert items == ["Add support for polls", "Remove the legacy poll endpoint"]
    assert _classified("1.2.0", text) == ("breaking-change", "action")


def test_a_topic_in_the_headline_beats_the_feature_words() -> None:
    assert _classified(
        "Added the method sendDice for sending a dice message",
        "Added the method sendDice for sending a dice message, shown as animated stickers.",
    ) == ("content-formats-creator-tools", "notable")
    # A topic word deep in the text of a feature does not make it the subject.
    assert _classified(
        "Compare Devices",
        "You can now compare configurations across two devices. " * 3
        + "The config editor supports YAML.",
    ) == ("new-feature", "notable")


@pytest.mark.parametrize(
    "text",
    [
        "Renamed hide_keyboard to remove_keyboard. hide_keyboard will still work for a while "
        "for backward compatibility.",
        "The edit_message parameter is no longer in use. For backward compatibility, it will be "
        "taken into account for a while.",
        "The field all_members_are_administrators has been removed from the documentation. The "
        "field is still returned in the object for backward compatibility.",
    ],
)
def test_an_old_way_kept_working_for_a_while_is_a_deprecation(text: str) -> None:
    # A dated changelog's bullet: its title is its first words.
    assert _classified(text[:60], text) == ("deprecation", "action")


@pytest.mark.parametrize(
    "text",
    [
        "File identifiers from the ChatPhoto object are now invalidated and can no longer be "
        "used whenever the photo is changed.",
        "Webhook requests will come from new subnets. If you control inbound access with a "
        "firewall, you may need to update your configuration.",
        "Starting today, messages with high scores will be updated with new high scores by "
        "default.",
        "The Chat field in the Message is now of the new type Chat.",
    ],
)
def test_what_callers_must_now_handle_is_breaking(text: str) -> None:
    assert _classified(text[:60], text) == ("breaking-change", "action")


def test_a_fix_about_a_safety_feature_is_no_security_fix() -> None:
    text = (
        "Features\nAllow specifying a reason for message deletions\n"
        "Bugfixes\nProperly handle and error on Cloudflare bans"
    )
    assert _classified("2.1.1", text) == ("new-feature", "notable")
    patched = "Features\nAdd ban list export\nBugfixes\nFix a permission bypass in moderation"
    assert _classified("2.1.2", patched)[0] == "privacy-safety-security"


def test_a_runtime_supported_is_packaging() -> None:
    assert is_chore("Add Python 3.4 support")
    assert is_chore("Added support for Node 20")
    assert not is_chore("Add support for polls")


def test_a_features_item_breaks_only_by_its_form() -> None:
    text = (
        "Features\nBots can now utilize Activity.state\n"
        "Syntactic sugar also exists to support simply using name instead of state.\n"
        "Bugfixes\nHandle connection reset error on shards."
    )
    assert _classified("2.0.0.dev121", text) == ("new-feature", "notable")
    removed = text.replace("Bots can now", "Remove Activity.name; bots can now")
    assert _classified("2.0.0.dev122", removed) == ("breaking-change", "action")


def test_a_chore_marked_breaking_and_a_minimum_version_bump() -> None:
    assert not is_chore("refactor!: refactored rest.li client interfaces #13")
    assert is_chore("refactor: tidy the client #12")
    assert is_chore("Bump asyncprawcore minimum version.")
    assert _classified("v0.3.0", "refactor!: refactored rest.li client interfaces #13") == (
        "breaking-change",
        "action",
    )


def test_a_scope_in_brackets_does_not_hide_a_removal() -> None:
    text = (
        "Extractors\n[liveleak] Remove extractor (#17625)\n[egghead] Add support for app.egghead.io"
    )
    assert _classified("version 2021.12.17", text) == ("breaking-change", "action")


def test_a_release_that_says_nothing_changed_is_upkeep() -> None:
    text = (
        "Changed\nReword property docstrings and clarify in the 8.0.0 change log that arguments "
        "deprecated for positional use in v7 are now keyword-only. Maintenance and documentation "
        "only; no functional changes."
    )
    assert _classified("8.0.2 (2026/06/24)", text) == ("fixes-docs", "minor")
    # Without that sentence the same words announce a deprecation.
    deprecating = text.split(" Maintenance")[0].replace("clarify in the 8.0.0 change log that ", "")
    assert _classified("8.0.3", deprecating)[0] != "fixes-docs"
