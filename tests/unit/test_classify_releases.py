"""radar.classify.releases and how the classifier files a release by its most important item."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.classify import Classifier, load_default_rules
from radar.classify.headings import Part
from radar.classify.items import is_breaking, is_chore
from radar.classify.releases import read_release
from radar.model import Change, ChangeKind

CLASSIFIER = Classifier(load_default_rules())


def _release(title: str, text: str) -> Change:
    when = datetime(2026, 1, 5, tzinfo=UTC)
    return Change(
        id="c1",
        source_id="s",
        platform="p",
        kind=ChangeKind.ADDED,
        entry_key=title,
        title=title,
        text=text,
        url=None,
        published=when,
        detected_at=when,
    )


def test_read_release_splits_release_please_sections() -> None:
    release = read_release(
        "1.16.0: Full Changelog",
        "Full Changelog: v1.15.0...v1.16.0 Features api: add run polling (#1289) (6b427f3) "
        "Chores client: validate max_retries (#1286) (aa5920a)",
    )
    assert release is not None
    assert [p for p, _ in release.parts] == [Part.FEATURES, Part.CHORES]
    assert [i for _, i in release.items()] == [
        "api: add run polling (#1289)",
        "client: validate max_retries (#1286)",
    ]


def test_changesets_patch_changes_are_their_own_part() -> None:
    release = read_release("2.1.3", "Patch Changes Fix tile prop - #838 (@dev)")
    assert release is not None
    assert [p for p, _ in release.parts] == [Part.PATCH]


def test_prose_is_not_a_release_unless_titled_by_a_version() -> None:
    assert read_release("Voice changes", "Added documentation for voice modes.") is None
    assert read_release("v2.0.0", "Added documentation for voice modes.") is not None


def test_a_word_before_a_section_name_qualifies_it() -> None:
    release = read_release("Windsurf 1.7.3", "Patch Fixes Reduced errors for edit tool calls")
    assert release is not None
    assert [p for p, _ in release.parts] == [Part.FIXES]


@pytest.mark.parametrize(
    ("item", "chore"),
    [
        ("deps: update gaxios to 5.0.1 (#474)", True),
        ("Updated dependencies [0bbacce]: @livekit/components-core@0.6.1", True),
        ("Bump requests from 2.31.0 to 2.32.0", True),
        ("chore(internal): regenerate types", True),
        ("api: add temperature parameter", False),
    ],
)
def test_is_chore(item: str, chore: bool) -> None:
    assert is_chore(item) is chore


@pytest.mark.parametrize(
    ("item", "breaking"),
    [
        ("feat!: drop the v1 client", True),
        ("Remove previously deprecated APIs", True),
        ("Dropped support for Python 3.7", True),
        ("Refactor loop filter and rename TracksFilter to TrackFilter.", True),
        ("Make trackReferences required for layout comps", True),
        ("Remove unused imports", False),
        ("Remove rxjs imports to keep bundle size down", False),
        ("Add useTrack hook", False),
        # A commit scope before the verb, a self-declared breaking change, a dropped runtime.
        ("api: remove deprecated endpoints (#1067)", True),
        ("Making agents memory-less by default (breaking change for people counting on it)", True),
        ("This version removes support for Python 3.8.", True),
        ("There are no breaking changes in this release", False),
        # Internals: orphaned files, dependencies.
        ("Remove non-exposed orphaned icons QualityUnknownIcon.tsx", False),
        ("Removed mkdocs from project dependencies", False),
    ],
)
def test_is_breaking(item: str, breaking: bool) -> None:
    assert is_breaking(item) is breaking


def test_a_flattened_list_splits_at_each_past_tense_verb_and_commit_type() -> None:
    release = read_release(
        "v0.157.0",
        "Enabled word wrapping for long input Dropped support for the old memory "
        "Bumped LiteLLM version Feat: Add unique ID to flow states Fix: Docling issues",
    )
    assert release is not None
    assert [i for _, i in release.items()] == [
        "Enabled word wrapping for long input",
        "Dropped support for the old memory",
        "Bumped LiteLLM version",
        "Feat: Add unique ID to flow states",  # "Add" after a type's colon opens no new item
        "Fix: Docling issues",
    ]


def test_text_outside_any_section_is_notes_not_changes() -> None:
    release = read_release("v1.0.0", "Thanks to everyone who helped. Bug Fixes Fix a crash")
    assert release is not None
    assert [p for p, _ in release.parts] == [Part.NOTES, Part.FIXES]
    unsectioned = read_release("v1.0.1", "Small polish here and there.")
    assert unsectioned is not None
    assert [p for p, _ in unsectioned.parts] == [Part.NOTES]


@pytest.mark.parametrize(
    "title", ["Weekly Updates", "June Product Updates", "Launch Week Highlights", "Release notes"]
)
def test_a_digest_titled_by_its_period_is_read_like_a_release(title: str) -> None:
    assert read_release(title, "Authentication improvements Fixed a crash.") is not None


@pytest.mark.parametrize("title", ["Custom Fonts", "API playground stability updates", "Okta SSO"])
def test_a_title_that_names_a_subject_is_no_digest(title: str) -> None:
    assert read_release(title, "Added documentation for voice modes.") is None


def test_a_digest_is_filed_by_its_most_important_line_not_its_feature_words() -> None:
    # Without the digest reading the many feature words win; read by items, the renamed field
    # (a breaking change) decides.
    text = (
        "New features Search endpoint: a new Search API endpoint you can now use. "
        "Renamed x-mcp to x-mint.mcp in OpenAPI configurations. Fixed a crash in the editor."
    )
    got = CLASSIFIER.classify(_release("Weekly Updates", text))
    assert (got.category, got.severity) == ("breaking-change", "action")


def test_unreleased_is_a_release_and_says_so() -> None:
    release = read_release("[Unreleased]", "These changes are not released yet.")
    assert release is not None and release.unreleased
    assert read_release("Unreleased changes to the docs", "Prose.") is None


@pytest.mark.parametrize(
    ("title", "text", "category", "severity"),
    [
        # Only dependency bumps: upkeep, even under "Features".
        (
            "5.1.0",
            "Features deps: Update google-auth-library to v7.14.0 (#446) (c9369d9)",
            "fixes-docs",
            "minor",
        ),
        (
            "2.1.1",
            "Patch Changes Updated dependencies [abc1234]: @livekit/core@0.2.1",
            "fixes-docs",
            "minor",
        ),
        # The most important item decides, not the first.
        (
            "1.2.0",
            "Features api: add batch endpoint (#1) (1234567) Bug Fixes typo (#2) (2345678) "
            "⚠ BREAKING CHANGES remove the legacy client (#3) (3456789)",
            "breaking-change",
            "action",
        ),
        ("0.9.0", "Bug Fixes Fix crash on start (#10) (abcdef1)", "fixes-docs", "minor"),
        (
            "0.9.1",
            "Bug Fixes Fix XSS vulnerability in the login form (#11) (abcdef2)",
            "privacy-safety-security",
            "notable",
        ),
        (
            "3.0.0",
            "Added New Guild.fetch_role method. Deprecated Client.fetch_roles.",
            "deprecation",
            "action",
        ),
        # Lines outside a features section that say nothing are no feature: a fix release, but
        # not called minor (one of those lines may matter) ...
        (
            "0.61.0",
            "Printing max rpm message in different color. Overall small bug fixes.",
            "fixes-docs",
            "notable",
        ),
        # ... unless they are a preamble before the first section, or tweaks under
        # "Improvements".
        (
            "v0.120.1",
            "v0.120.1 View release on GitHub Fixes Interpolation with hyphens",
            "fixes-docs",
            "minor",
        ),
        (
            "1.5.8",
            "Patch Fixes Fixes for Cascade layout issues Improvements for Browser Previews",
            "fixes-docs",
            "minor",
        ),
        # A release of lines that say nothing is not known to be a fix.
        (
            "1.9600.40",
            "Adaptive Model Visibility is better in the model picker.",
            "new-feature",
            "notable",
        ),
        # A Security section is about security; a Changed section's replaced default breaks.
        (
            "2.0.1",
            "Security Fix for bots without the bot scope (#1568)",
            "privacy-safety-security",
            "notable",
        ),
        (
            "2.1.0",
            "Added A disable_on_timeout kwarg. Changed Set store kwarg default to False.",
            "breaking-change",
            "action",
        ),
        # What [Unreleased] removes goes with the next release: a deprecation.
        ("[Unreleased]", "Removed Removed support for Python 3.8.", "deprecation", "action"),
        # A weak topical word in a feature ("images") does not make the release about content.
        ("1.3.0", "Features Larger images in cards", "new-feature", "notable"),
        # "Patch Changes" holds fixes, but its items speak: one adds a hook, one removes a
        # component; a line with no cue is upkeep.
        (
            "0.2.5",
            "Patch Changes Make the props optional - #276 (@dev) Add useDataChannel hook - #277 "
            "(@dev)",
            "new-feature",
            "notable",
        ),
        (
            "0.8.2",
            "Patch Changes Remove deprecated components MediaTrack - #465 (@dev)",
            "breaking-change",
            "action",
        ),
        (
            "1.1.3",
            "Patch Changes Use different import scheme for usehooks - #595 (@dev)",
            "fixes-docs",
            "minor",
        ),
        # The line a GitHub release page opens with is the page's, not the notes'.
        (
            "v0.22.2",
            "v0.22.2 View release on GitHub Fixing bug on the new cli template",
            "fixes-docs",
            "minor",
        ),
        # A line that repeats the heading, or is about docs or tests, is no unknown line.
        (
            "v0.7.2: 01-26-2019 21:18 PST",
            "01-26-2019 21:18 PST fix: explicit push of finale for streams (#82)",
            "fixes-docs",
            "minor",
        ),
        (
            "0.75.1",
            "Overall small bug fixes. Updated the examples in the README.",
            "fixes-docs",
            "minor",
        ),
        # ... but "docs" in a link is not a line about docs.
        (
            "v11.0.0",
            "Changed Graph API call upgrade to [v11.0]https://example.com/docs/api/version11.0",
            "new-feature",
            "notable",
        ),
        # A weak topical word ("quota") in a line that adds nothing makes it no feature.
        (
            "1.9600.41",
            "Router Fix We fixed a bug in the router. Users who hit the bug had their quota reset.",
            "fixes-docs",
            "notable",
        ),
    ],
)
def test_release_is_filed_by_its_most_important_item(
    title: str, text: str, category: str, severity: str
) -> None:
    got = CLASSIFIER.classify(_release(title, text))
    assert (got.category, got.severity) == (category, severity)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A rename written as identity, identifiers on both sides, in a digest's line.
        ("Weekly Updates", "Config updates x-tool is now x-app.tool in OpenAPI files."),
        # Stricter than before: what used to fail silently now raises.
        ("2.3.0", "Bug fixes Now you'll receive an error if a render method returns nothing."),
        # Work the change makes the reader do.
        ("2.4.0", "Fixes We no longer run installs, so you'll need to run npm i yourself."),
        # Steps to follow to update.
        ("2.5.0", "Enhancements To update Foo: Uninstall foo-cli. Then install foo."),
    ],
)
def test_an_item_that_makes_the_reader_act_is_breaking(title: str, text: str) -> None:
    got = CLASSIFIER.classify(_release(title, text))
    assert (got.category, got.severity) == ("breaking-change", "action")


def test_needing_a_step_to_use_something_new_is_not_breaking() -> None:
    text = "Payments are here. To join the pilot, you'll need to submit an enrollment form."
    got = CLASSIFIER.classify(_release("2.6.0", text))
    assert (got.category, got.severity) == ("ads-monetization", "notable")


def test_an_identifier_that_is_now_live_is_no_rename() -> None:
    got = CLASSIFIER.classify(
        _release("Weekly Updates", "Features The x-app.json file is now live.")
    )
    assert got.category != "breaking-change"


@pytest.mark.parametrize(
    "item",
    ["Remove incorrect legacy NSFW checks.", "Remove useThing redeclaration - #12 (@dev)"],
)
def test_removing_a_mistake_is_a_fix_not_a_breaking_change(item: str) -> None:
    assert not is_breaking(item)
    assert is_breaking("Remove legacy NSFW checks.")


def test_a_chore_scope_under_features_does_not_hide_a_feature() -> None:
    feature = "Features deps: auth adds support for additional headers (#195) (1e21283)"
    bump = "Features deps: update dependency foo to v2 (#196) (1e21284)"
    assert CLASSIFIER.classify(_release("3.2.0", feature)).category == "new-feature"
    assert CLASSIFIER.classify(_release("3.2.1", bump)).category == "fixes-docs"


def test_an_empty_call_does_not_end_an_item() -> None:
    release = read_release(
        "2.4.1", "Changed Updated the values of the Color.dark() classmethod to match. (#1931)"
    )
    assert release is not None
    assert [i for _, i in release.items()] == [
        "Updated the values of the Color.dark() classmethod to match. (#1931)"
    ]


def test_deprecation_words_inside_a_fix_do_not_make_a_release_an_action() -> None:
    got = CLASSIFIER.classify(
        _release("2.6.1", "Fixed Fixed missing stacklevel in the warn_deprecated call. (#2500)")
    )
    assert (got.category, got.severity) == ("fixes-docs", "minor")


def test_a_scope_named_entry_is_about_access() -> None:
    got = CLASSIFIER.classify(
        _release("channel:read:subscriptions", "View a channel's subscribers.")
    )
    assert got.category == "access-rate-limits"
    assert (
        CLASSIFIER.classify(_release("schema:Message", "A message.")).category
        != "access-rate-limits"
    )


def test_an_api_reference_section_is_filed_by_its_title_not_its_auth_boilerplate() -> None:
    text = (
        "POST /api/v1/statuses/:id/favourite HTTP/1.1 Add a status to your favourites list. "
        "Returns: Status OAuth: User token + write:favourites Version history: 0.0.0 - added "
        "Request Headers Authorization: Provide this header with Bearer <user_token> to gain "
        "authorized access to this API method. Response 401: Unauthorized, invalid access token"
    )
    got = CLASSIFIER.classify(_release("Favourite a status", text))
    assert got.category == "new-feature"
