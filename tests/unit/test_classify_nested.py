"""Nested lists keep a line per item, so a release's sub-sections and scopes are read as
structure (issue 11, sixth pass; TwitchIO's and yt-dlp's nested changelogs): a fix that removes
the bug's cause is no breaking change, a line that names a module is no change of its own, and
a category's own words decide (API changelogs' renames, kept-for-now fields and OAuth scopes;
the fifth pass's view counts, post lengths and product tracks; the seventh pass's revision
histories: gone now or later, docs-only corrections, quotas, paid promotions, synthetic media)."""

from __future__ import annotations

import pytest

from radar.classify.items import names_a_scope
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind
from tests.support.classify import classified as _classified

RST = b"""Changelog
=========

2.9.2
=====
- TwitchIO
    - Changes:
        - fetch_moderated_channels returns "broadcaster_login" instead of "broadcaster_name"

    - Bug fixes
        - fix: fetch_moderated_channels used the user_ prefix from the payload

2.9.1
=====
- ext.eventsub
    - Bug fixes
        - fix: Special-cased a restart when a known bad frame is received.
"""


def _releases() -> dict[str, tuple[str, str]]:
    url = "https://example.com/changelog.rst"
    source = Source(id="s", platform="x", kind=SourceKind.AUTO, url=url)
    items = extract(source, FetchResult(url, 200, RST, "text/x-rst"))
    return {item.key: _classified(item.title, item.text) for item in items}


def test_nested_rst_sections_are_read_as_sections() -> None:
    releases = _releases()
    # "Changes:" nested under a module: a changed return value breaks callers.
    assert releases["2.9.2"] == ("breaking-change", "action")
    # Only fixes under a module's name: a fix release, nothing to act on.
    assert releases["2.9.1"] == ("fixes-docs", "minor")


def test_a_fix_that_removes_the_cause_of_a_bug_is_a_fix() -> None:
    text = "Bug Fixes\nFix bugs in deserialization\nRemove case for setting member to undefined"
    assert _classified("2.0.1", text) == ("fixes-docs", "minor")
    # ... but a fix that says what callers now get is a breaking change, and so is a "!" commit.
    text = "Bug fixes\nNow you'll receive an error if a render method doesn't return a component."
    assert _classified("0.10.13", text)[0] == "breaking-change"
    assert _classified("4.0.1", "Bug Fixes\nbreaking!: correct broken type names")[0] == (
        "breaking-change"
    )
    # "This was also breaking the documentation" is no breaking change.
    text = "Bug fixes\nFix bug with Reaction not being visible. This was also breaking the docs."
    assert _classified("0.14.1", text) == ("fixes-docs", "minor")


@pytest.mark.parametrize(
    ("line", "scope"),
    [
        ("TwitchIO", True),
        ("ext.commands", True),
        ("youtube", True),
        ("Fix the crash", False),
        ("Added polls.", False),
    ],
)
def test_a_line_that_is_one_name_is_a_scope(line: str, scope: bool) -> None:
    assert names_a_scope(line) is scope


@pytest.mark.parametrize(
    ("title", "text", "category"),
    [
        # words from the categories' definitions (the fifth pass)
        ("Support for view counts", "Posts now include view counts.", "measurement-analytics"),
        (
            "Longer posts",
            "Everyone can now write 280 character posts.",
            "content-formats-creator-tools",
        ),
        (
            "Academic Research",
            "Researchers can apply for the new product track.",
            "access-rate-limits",
        ),
        # API changelogs: renames, fields kept for now, OAuth scopes
        (
            "Address Fields Reconciled",
            "For businessLocations the zip has been renamed postalCode. The old fields will "
            "continue to work while partners migrate.",
            "deprecation",
        ),
        (
            "Address fields",
            "The stateCode field has been replaced with regionCode.",
            "breaking-change",
        ),
        (
            "Read scopes have been added to businessLocations/get and orders/get",
            "",
            "access-rate-limits",
        ),
        # X's API changelog: a platform announcing removals, plans by name, engagement counts
        (
            "X API v2",
            "Today, we are removing the Manage Blocks endpoint from X API v2.",
            "breaking-change",
        ),
        (
            "X API v2",
            "Today, we're enabling the v1.1 media endpoints in Essential access.",
            "access-rate-limits",
        ),
        (
            "X API v2",
            "Today, we added support for retrieving bookmarks count.",
            "measurement-analytics",
        ),
        (
            "X API v2",
            "Today, we added the ability to create longform Posts.",
            "content-formats-creator-tools",
        ),
        # a limit raised "instead of 4k" replaces nothing a caller used
        (
            "X API v2: Today, we added the ability to create longform Posts of 25k instead of 4k.",
            "X API v2\nToday, we added the ability to create longform Posts of 25k instead of 4k.",
            "content-formats-creator-tools",
        ),
        # a promotion is no access plan
        (
            "GPT-5.1",
            "GPT-5.1 is now available, and paid users get free access this week.",
            "new-feature",
        ),
        # platform revision histories (the seventh pass): gone now, in the present tense, is a
        # breaking change ...
        (
            "Endpoint retired",
            "The threads.update endpoint has been deprecated and is no longer supported. "
            "Call posts.update instead.",
            "breaking-change",
        ),
        (
            "Channel properties",
            "The following properties have been deprecated. They are already unsupported in "
            "the app and are also no longer supported via the API.",
            "breaking-change",
        ),
        (
            "Channel discussions",
            "The API no longer supports inserting or retrieving channel discussions.",
            "breaking-change",
        ),
        # ... and so is what was shut down, in the past tense (the eighth pass)
        (
            "Clips v1",
            "The v1 clips endpoints were deprecated in March and have been decommissioned.",
            "breaking-change",
        ),
        ("Legacy widgets", "We've shut down the legacy embed widgets.", "breaking-change"),
        (
            "Old search",
            "Old search is deprecated and removed; use the new search.",
            "breaking-change",
        ),
        # ... what goes later a deprecation
        (
            "Sync parameter",
            "The sync parameter has been deprecated. We will stop supporting it as of "
            "April 12, 2027.",
            "deprecation",
        ),
        (
            "Legacy search",
            "Legacy search is deprecated and will no longer be supported after v3.",
            "deprecation",
        ),
        (
            "Old widgets",
            "The old widgets are deprecated; the SDK will no longer support them next year.",
            "deprecation",
        ),
        (
            "Clips v1",
            "The v1 clips endpoints are deprecated and will be decommissioned in March.",
            "deprecation",
        ),
        # the docs, not the API
        (
            "Subscriber lists",
            "The parameter definitions have been updated to note that results may be limited. "
            "This change represents a documentation correction and not a change in API "
            "behavior.",
            "fixes-docs",
        ),
        (
            "Playlist errors",
            "Documentation for the playlists resource has been updated to note which errors "
            "the method returns.",
            "fixes-docs",
        ),
        ("Statistics types", "Corrected type annotations for the statistics fields.", "fixes-docs"),
        # the categories' own words
        (
            "Quota",
            "Projects that passed a compliance audit can ask for more than the default quota "
            "allocation.",
            "access-rate-limits",
        ),
        (
            "Search filter",
            "Search can now filter videos that the creator marked as a paid promotion.",
            "ads-monetization",
        ),
        (
            "Disclosure",
            "A new property marks videos that contain synthetic media.",
            "privacy-safety-security",
        ),
        (
            "Shorts",
            "Starting next month, views for Shorts will be counted from the first play.",
            "measurement-analytics",
        ),
        # ads platforms' release notes (the seventh pass, blind set 8)
        (
            "Dynamic search ads",
            "You can no longer add new campaigns with the DynamicSearchAds campaign type.",
            "breaking-change",
        ),
        (
            "Ads API SDK Updates",
            "The Ads .NET, Java and Python SDKs are updated. For details see their release notes.",
            "fixes-docs",
        ),
        (
            "Python SDK",
            "The Python SDK is updated to support the new reporting endpoint.",
            "measurement-analytics",
        ),
        (
            "Conversion goals",
            "If you use conversion goals, please read this section about required changes.",
            "breaking-change",
        ),
        (
            "Bulk download",
            "The maximum look back period decreased from 90 days to 30 days.",
            "breaking-change",
        ),
        (
            "Goal categories",
            "You must set a goal category, or the service will return an error.",
            "breaking-change",
        ),
        # a limit cut with no "from", and a client or runtime dropped by raising the floor
        # (blind set 9's Mattermost cloud changelog)
        (
            "Custom emoji",
            "The maximum size of uploaded emojis is reduced to 512KB to save bandwidth.",
            "breaking-change",
        ),
        ("Browsers", "Updated Chromium minimum supported version to 112+.", "breaking-change"),
        ("Node", "We raised the minimum Node.js version to 18.", "breaking-change"),
        (
            "Asset performance label",
            "Responsive ads now show a read-only asset performance label for each asset.",
            "measurement-analytics",
        ),
        # a docs page changed and nothing else is said (the eighth pass): docs, not a feature
        ("Webhooks", "Reorganized the webhooks section and rewrote its examples.", "fixes-docs"),
        ("Chat guides", "We updated the chat guides.", "fixes-docs"),
        (
            "Stream status",
            "The stream status definition has been updated to clarify its values.",
            "fixes-docs",
        ),
        ("Polls", "Added a guide for the new polls endpoint.", "content-formats-creator-tools"),
        # the written rule's own words for each topic (the ninth pass)
        ("Mid-roll slots", "Creators can now place mid-rolls in live streams.", "ads-monetization"),
        ("Channel memberships", "Members get badges and perks.", "ads-monetization"),
        ("Post impressions", "Each post now shows its impressions.", "measurement-analytics"),
        ("Trending tags", "A new trending endpoint lists tags.", "ranking-distribution"),
        (
            "Alt text",
            "Images can now carry alt text of up to 1,500 characters.",
            "content-formats-creator-tools",
        ),
        (
            "Scheduled posts",
            "You can now create scheduled posts from the API.",
            "content-formats-creator-tools",
        ),
        ("Muting", "Admins can now mute users and whole instances.", "privacy-safety-security"),
        ("Sign in", "Support CLI login with Entra ID.", "access-rate-limits"),
        (
            "Block quotes",
            "Chat apps can now format text with block quotes.",
            "content-formats-creator-tools",
        ),
        (
            "Quotes",
            "You can now create messages that quote other messages.",
            "content-formats-creator-tools",
        ),
        ("Samples", "The gallery features new samples for building Chat apps.", "fixes-docs"),
        (
            "Add-ons SDK",
            "Two usability improvements that aren't backwards compatible.",
            "breaking-change",
        ),
        (
            "Meet API",
            "Requests using the old meeting space IDs are now rejected.",
            "breaking-change",
        ),
        ("Cookies", "Browsers have begun phasing out third-party cookies.", "deprecation"),
        # a podcast platform's changelog is no podcast episode (an essay cue)
        (
            "1.5.0",
            "Features\nadd podcast links page including social and funding links",
            "new-feature",
        ),
        # ... but not where a word of theirs means something else
        ("Mute a conversation", "Do not receive notifications for the thread.", "new-feature"),
        ("Search", "Improved search subtitle layout.", "new-feature"),
        # a fix that closes an attack is a security fix, not upkeep (blind set 10's diaspora*)
        (
            "0.7.4.1",
            "Fixes a possible cross-site scripting issue with crafted OpenGraph metadata.",
            "privacy-safety-security",
        ),
        (
            "1.10.5",
            "Bug fixes\nFixed unauthenticated missing CSRF token",
            "privacy-safety-security",
        ),
        # a release that says it changes nothing is no feature
        ("v1.0.0-beta.1", "Nothing new here, but the app is stable enough for beta.", "fixes-docs"),
        ("2.4.2", "Maintenance release: no functional changes.", "fixes-docs"),
    ],
)
def test_words_of_a_category(title: str, text: str, category: str) -> None:
    assert _classified(title, text)[0] == category


def test_a_fix_in_a_changed_section_is_a_fix_whatever_default_it_names() -> None:
    text = (
        "Public API changes:\nDeprecated modMail.createConversation().\n"
        "Fixed muteConversation to take in proper values for numHours (defaults to 72)."
    )
    assert _classified("0.11.1", text) == ("deprecation", "action")


def test_a_changed_default_and_a_new_requirement_break_callers() -> None:
    assert _classified("9.0.0", "Changed\nThe default Graph API version is updated to v9.0")[0] == (
        "breaking-change"
    )
    # Listed under "Fixed", but callers must now give it.
    text = "Fixed\nThe client token is now mandatory."
    assert _classified("13.2.0", text) == ("breaking-change", "action")


def test_a_docs_change_that_says_what_changed_is_not_filed_as_docs() -> None:
    # The docs cues only decide where nothing else is said: this limit change is news.
    category, _severity = _classified(
        "Uploads",
        "The videos.insert method description has been updated to note that the maximum file "
        "size for uploaded videos has increased from 128GB to 256GB.",
    )
    assert category != "fixes-docs"


@pytest.mark.parametrize(
    ("title", "text", "want"),
    [
        # a requirement taken away loosens what callers must do (the written rule, eighth pass)
        (
            "0.7.3.0",
            "Features\nRemove the limit of participants in private conversations #7705\n"
            "Bug fixes\nFix profile loading",
            ("new-feature", "notable"),
        ),
        ("3.1", "Remove the requirement to have two users", ("new-feature", "notable")),
        ("Uploads", "We removed the cap on uploads.", ("new-feature", "notable")),
        # ... but a parameter named "limit" taken away still breaks its callers
        ("2.0.0", "Changed\nRemove the limit parameter from search", ("breaking-change", "action")),
    ],
)
def test_a_requirement_removed_is_loosened_not_broken(
    title: str, text: str, want: tuple[str, str]
) -> None:
    assert _classified(title, text) == want


@pytest.mark.parametrize(
    ("title", "text", "want"),
    [
        # "Deprecate X in favor of Y" under "Changed": X still works, for now (blind set 11)
        (
            "1.14.0",
            "Added\nAdded addMenuOption as a replacement for addMenuCallback.\n"
            "Changed\nDeprecate addMenuCallback in favor of addMenuOption.",
            ("deprecation", "action"),
        ),
        # ... while a change "in favor of" something else, said of what exists, breaks
        (
            "2.0.0",
            "Changed\nThe menu callback now returns a list in favor of the old dict.",
            ("breaking-change", "action"),
        ),
        # a deprecation withdrawn, or its warning removed: nothing breaks
        (
            "1.39.2",
            "Removed the deprecation of includePostAttributes for now.",
            ("fixes-docs", "minor"),
        ),
        ("2.1", "Removed deprecation warning for foo_bar()", ("fixes-docs", "minor")),
        ("3.0", "Removed deprecated foo_bar()", ("breaking-change", "action")),
    ],
)
def test_a_deprecation_said_or_withdrawn_breaks_nothing_yet(
    title: str, text: str, want: tuple[str, str]
) -> None:
    assert _classified(title, text) == want


@pytest.mark.parametrize(
    ("title", "text", "want"),
    [
        # packaging for those who install a self-hosted server is upkeep (the ninth pass)
        (
            "2.1.0-beta.3",
            "Changes since beta.2:\nAdd Fedora and Alpine builds",
            ("fixes-docs", "minor"),
        ),
        (
            "4.2.0",
            "Removed\nRemove OS-specific packages\nFixed\nFix login",
            ("fixes-docs", "minor"),
        ),
        # ... which a feature beside it still outranks
        (
            "3.0",
            "Added\nAdd arm64 Docker images\nAdd polls",
            ("content-formats-creator-tools", "notable"),
        ),
        # "distributions" of Linux are not a post's distribution
        ("5.0", "Add packages for several distributions", ("fixes-docs", "minor")),
    ],
)
def test_packaging_is_upkeep(title: str, text: str, want: tuple[str, str]) -> None:
    assert _classified(title, text) == want


def test_a_release_item_about_a_topic_is_filed_by_the_topic() -> None:
    # Strong feature words ("generally available", "can now") do not outweigh the item's subject
    # (the rule's order: a topical category before a new feature), as for a whole entry.
    text = "Feature\nGenerally available: Chat apps can now format text with block quotes."
    assert _classified("2026-03-19", text) == ("content-formats-creator-tools", "notable")
    # ... and an item with no topic stays a feature
    assert _classified(
        "2026-04-15", "Feature\nThe FindGroupChats method is now generally available."
    ) == (
        "new-feature",
        "notable",
    )
