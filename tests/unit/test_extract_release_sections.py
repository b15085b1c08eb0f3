"""Keep a Changelog sections written at the release's own level ("## [9.1.1]" then "## Changed",
as facebook-android-sdk's CHANGELOG.md does from 9.1.1 down) belong to the release above them:
before, each section was an entry of its own ("Added", "Changed", no version) and the release
an empty one."""

from __future__ import annotations

from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind

SOURCE = Source(id="s", platform="x", kind=SourceKind.AUTO, url="https://example.com/CHANGELOG.md")

CHANGELOG = b"""# Changelog

## [Unreleased]

## Added
- A thing in the works

## [9.1.1]

## Changed
- Supported refetching Gate Keeper values after switching app IDs.

## [8.0.0]

**Note: the current version uses Graph API v8.0.**

## Added
- Added ReferralManager

## Deprecated
- Deprecated GameRequestDialog

## [7.1.0]

### Fixed
- Fixed a crash

## Migrating from 6.x

Replace LoginManager.logIn with LoginManager.logInWithReadPermissions.
"""


def test_sections_at_the_release_level_belong_to_the_release() -> None:
    items = extract(SOURCE, FetchResult(SOURCE.url, 200, CHANGELOG, "text/markdown"))
    assert [item.key for item in items][:4] == ["unreleased", "9.1.1", "8.0.0", "7.1.0"]
    by_key = {item.key: item for item in items}
    assert by_key["9.1.1"].text.split("\n") == [
        "Changed",
        "Supported refetching Gate Keeper values after switching app IDs.",
    ]
    assert "Deprecated GameRequestDialog" in by_key["8.0.0"].text
    assert "Added ReferralManager" in by_key["8.0.0"].text
    assert not {"added", "changed", "deprecated"} & set(by_key)


def test_a_heading_that_is_no_section_name_ends_the_release() -> None:
    items = extract(SOURCE, FetchResult(SOURCE.url, 200, CHANGELOG, "text/markdown"))
    by_key = {item.key: item for item in items}
    assert "Fixed a crash" in by_key["7.1.0"].text
    assert "logInWithReadPermissions" not in by_key["7.1.0"].text
    assert any("logInWithReadPermissions" in item.text for item in items)
