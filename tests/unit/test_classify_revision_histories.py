"""Platform API revision histories (issue 11, seventh pass; a Google API's revision history in
the seventh blind set): what is gone now is a breaking change, what goes later a deprecation;
a documentation-only correction is a doc fix; quotas, paid promotions, synthetic media and how
views are counted are their categories' own words."""

from __future__ import annotations

import pytest

from tests.support.classify import classified


@pytest.mark.parametrize(
    ("title", "text", "category"),
    [
        # gone now: present tense, no date to come
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
        # ... goes later: a deprecation
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
    ],
)
def test_revision_history_entries(title: str, text: str, category: str) -> None:
    assert classified(title, text)[0] == category
