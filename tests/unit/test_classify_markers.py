"""Markers before an item (gitmoji, a warning sign) name the kind of change it is."""

from __future__ import annotations

import pytest

from radar.classify.headings import Part
from radar.classify.markers import marker_part
from tests.support.classify import classified


@pytest.mark.parametrize(
    ("item", "want"),
    [
        (":warning: Removed `patrons` endpoint.", (Part.BREAKING, "Removed `patrons` endpoint.")),
        ("⚠️ Removed X", (Part.BREAKING, "Removed X")),
        ("💥 Rename the client", (Part.BREAKING, "Rename the client")),
        (":sparkles: Add polls", (Part.FEATURES, "Add polls")),
        ("🐛 fix the login", (Part.FIXES, "fix the login")),
        ("⬆️ Bump foo to 2.0", (Part.CHORES, "Bump foo to 2.0")),
        (":tada: First release", None),  # a marker that names no kind of change
        ("Plain item", None),
        (":warning:", None),  # a marker and nothing else
    ],
)
def test_a_marker_names_the_items_part(item: str, want: tuple[Part, str] | None) -> None:
    assert marker_part(item) == want


@pytest.mark.parametrize(
    ("title", "text", "want"),
    [
        # "Breaking changes are indicated by the :warning: icon", in a CalVer-day release
        (
            "v20240301",
            "- Added `following/requests/sent` endpoint.\n"
            "- :warning: The following endpoints are removed:\n  - `admin/vacuum`",
            ("breaking-change", "action"),
        ),
        ("v20240405", "- Added `notes/history` endpoint.", ("new-feature", "notable")),
        (
            "1.4.0",
            "- :sparkles: Add polls\n- :bug: Fix the login",
            ("content-formats-creator-tools", "notable"),
        ),
        ("1.4.1", "- :bug: Fix the login\n- :memo: Update the README", ("fixes-docs", "minor")),
    ],
)
def test_marked_items_in_a_release(title: str, text: str, want: tuple[str, str]) -> None:
    assert classified(title, text) == want
