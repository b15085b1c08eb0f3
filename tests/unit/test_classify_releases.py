"""radar.classify.releases and how the classifier files a release by its most important item."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.classify import Classifier, load_default_rules
from radar.classify.releases import Part, is_breaking, is_chore, read_release
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
    ],
)
def test_is_breaking(item: str, breaking: bool) -> None:
    assert is_breaking(item) is breaking


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
    ],
)
def test_release_is_filed_by_its_most_important_item(
    title: str, text: str, category: str, severity: str
) -> None:
    got = CLASSIFIER.classify(_release(title, text))
    assert (got.category, got.severity) == (category, severity)


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
