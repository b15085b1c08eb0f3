"""Keep a Changelog sections written at the release's own level ("## [9.1.1]" then "## Changed",
as facebook-android-sdk's CHANGELOG.md does from 9.1.1 down) belong to the release above them:
before, each section was an entry of its own ("Added", "Changed", no version) and the release
an empty one. Sections titled by bold paragraphs stay parts of their release too, while a
numbered run of them (Zulip's "**Feature level 196**") gives an entry each (`boldheads`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

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


# --- bold paragraphs as headings (boldheads) -------------------------------------------------
#
# Zulip's API changelog titles each API version with a paragraph that is only bold text
# ("**Feature level 196**") under "## Changes in Zulip 8.0"; Radar merged 10-30 of them into one
# entry per server version. The words below are not Zulip's: the rule reads structure.

LEVELS = """# API changelog

## Changes in Server 9.0

This release adds two levels.

**API level 12**

* `POST /things`: new endpoint.

**API level 11**

* `GET /things`: the `kind` field is removed.

## Changes in Server 8.0

**API level 10**

No changes; level used for the 8.0 release.
"""


def _extract(body: str, ctype: str = "text/markdown", url: str = SOURCE.url) -> list[Item]:
    source = Source(id="s", platform="x", kind=SourceKind.AUTO, url=url)
    return extract(source, FetchResult(url, 200, body.encode(), ctype))


def _entries(body: str, ctype: str = "text/markdown", url: str = SOURCE.url) -> list[tuple]:
    return [(i.key, i.title, i.text) for i in _extract(body, ctype, url)]


def test_bold_numbered_paragraphs_under_a_release_are_its_entries() -> None:
    assert _entries(LEVELS) == [
        (
            "9.0",
            "Changes in Server 9.0: This release adds two levels.",
            "This release adds two levels.",
        ),
        ("api-level-12", "API level 12", "POST /things: new endpoint."),
        ("api-level-11", "API level 11", "GET /things: the kind field is removed."),
        # a release with one level: numbered like the run above, so an entry too
        ("api-level-10", "API level 10", "No changes; level used for the 8.0 release."),
    ]


def test_bold_heading_entries_link_to_their_release_and_share_its_date() -> None:
    body = LEVELS.replace("## Changes in Server 9.0", "## Changes in Server 9.0 (2025-03-01)")
    items = {i.key: i for i in _extract(body)}
    assert items["api-level-12"].url == items["9.0"].url
    assert items["api-level-10"].url == f"{SOURCE.url}#changes-in-server-8-0"  # its release
    assert items["api-level-12"].published == datetime(2025, 3, 1, tzinfo=UTC)
    assert items["api-level-10"].published is None


def test_bold_numbered_paragraphs_read_the_same_in_html() -> None:
    html = (
        "<main><h1>API changelog</h1><h2 id='s9'>Changes in Server 9.0</h2>"
        "<p>This release adds two levels.</p>"
        "<p><strong>API level 12</strong></p>"
        "<ul><li><code>POST /things</code>: new endpoint.</li></ul>"
        "<p><b>API level 11</b></p><ul><li><code>GET /things</code>: the <code>kind</code> field"
        " is removed.</li></ul><h2>Changes in Server 8.0</h2><p><strong>API level 10</strong></p>"
        "<p>No changes; level used for the 8.0 release.</p></main>"
    )
    assert _entries(html, "text/html", "https://example.com/api") == _entries(LEVELS)


def test_bold_numbered_paragraphs_read_the_same_in_mdx() -> None:
    mdx = "---\ntitle: API changelog\n---\n\nimport X from './x'\n\n" + LEVELS
    assert _entries(mdx, "text/plain", "https://example.com/changelog.mdx") == _entries(LEVELS)


def test_bold_headings_under_a_date_are_its_entries() -> None:
    body = (
        "# Changelog\n\n## 2024-05-01\n\n**New reels API**\n\nWe added it.\n\n"
        "**Insights v1 removed**\n\n- gone\n- really\n\n## 2024-04-01\n\nOld entry.\n"
    )
    assert _entries(body) == [
        ("2024-05-01-new-reels-api", "New reels API", "We added it."),
        ("2024-05-01-insights-v1-removed", "Insights v1 removed", "gone\nreally"),
        ("2024-04-01", "Old entry.", "Old entry."),
    ]


def test_bold_versions_or_dates_under_a_page_title_are_its_entries() -> None:
    versions = "# Changelog\n\n**1.2.0**\n\n- a\n\n**1.1.0**\n\n- b\n"
    assert _entries(versions) == [("1.2.0", "1.2.0: a", "a"), ("1.1.0", "1.1.0: b", "b")]
    dates = "# Changelog\n\n**2024-05-01**\n\n- a\n\n**2024-04-01**\n\n- b\n"
    assert [(i.key, i.published) for i in _extract(dates)] == [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-04-01", datetime(2024, 4, 1, tzinfo=UTC)),
    ]


def test_bold_section_names_stay_parts_of_their_release() -> None:
    body = (
        "# Changelog\n\n## 2.0.0\n\n**Added**\n\n- x\n\n**Bug fixes**\n\n- y\n\n"
        "## 1.0.0\n\n**Breaking changes**\n\n- z\n\n**Fixed**\n\n- w\n"
    )
    # (A section's name over its items names no change: the title is the first item.)
    assert _entries(body) == [
        ("2.0.0", "2.0.0: x", "Added\nx\nBug fixes\ny"),
        ("1.0.0", "1.0.0: z", "Breaking changes\nz\nFixed\nw"),
    ]


def test_bold_names_that_are_not_numbered_stay_parts_of_their_release() -> None:
    body = "# Log\n\n## 2.0.0\n\n**Conversations**\n\n- x\n\n**Proxy**\n\n- y\n\n## 1.0.0\n\n- z\n"
    assert [(i.key, i.text) for i in _extract(body)] == [
        ("2.0.0", "Conversations\nx\nProxy\ny"),
        ("1.0.0", "z"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a single bold lead line in a post: emphasis
        (
            "# My post\n\n**TL;DR we shipped it**\n\nLong text here.\n\nMore text.\n",
            [("my-post", "My post", "TL;DR we shipped it\nLong text here.\nMore text.")],
        ),
        # bold run-in text at the start of a paragraph
        (
            "# C\n\n## 2024-05-01\n\n**Heads up:** a run-in.\n\n**Also:** more.\n\n"
            "## 2024-04-01\n\nOld",
            [
                ("2024-05-01", "Heads up: a run-in.", "Heads up: a run-in.\nAlso: more."),
                ("2024-04-01", "Old", "Old"),
            ],
        ),
        # two bold lines in a row: emphasis, with no text of their own between them
        (
            "# C\n\n## 2024-05-01\n\n**Important**\n\n**Read this**\n\nText.\n",
            [("2024-05-01-c", "C", "Important\nRead this\nText.")],
        ),
        # bold sentences are no headings
        (
            "# C\n\n## 2024-05-01\n\n**Said loudly.**\n\nText.\n\n**So is this.**\n\nMore.\n",
            [("2024-05-01-c", "C", "Said loudly.\nText.\nSo is this.\nMore.")],
        ),
    ],
)
def test_bold_text_that_is_no_heading_reads_as_before(body: str, expected: list[tuple]) -> None:
    assert _entries(body) == expected


def test_a_bold_date_line_dates_its_release_and_is_no_heading() -> None:
    body = (
        "# Changelog\n\n## Devvit 0.11.4: Title\n\n**Release Date: Jan 28, 2025**\n\nIntro.\n\n"
        "**CLI**\n\n- a\n\n**Portal**\n\n- b\n"
    )
    [item] = _extract(body)
    assert (item.key, item.published) == ("0.11.4", datetime(2025, 1, 28, tzinfo=UTC))
    assert item.text == "Intro.\nCLI\na\nPortal\nb"


def test_numbered_sub_headings_under_a_release_are_its_entries_as_bold_ones_are() -> None:
    headings = LEVELS.replace("**API level 1", "### API level 1").replace("0**", "0")
    headings = headings.replace("2**", "2").replace("1**", "1")
    assert "**" not in headings
    assert [(key, title) for key, title, _ in _entries(headings)] == [
        ("9.0", "Changes in Server 9.0: This release adds two levels."),
        ("api-level-12", "API level 12"),
        ("api-level-11", "API level 11"),
        # a lone heading is a section of its release: only a bold paragraph is told by the run
        ("8.0", "Changes in Server 8.0: No changes; level used for the 8.0 release."),
    ]


DATED_RELEASE = """<html><body><h1>Bot API changelog</h1>
<h3>March 9, 2021</h3>
<p><strong>Bot API 5.1</strong></p>
<p><strong>Improved Invite Links</strong></p>
<ul><li>Added the method createChatInviteLink.</li></ul>
<p><strong>And More</strong></p>
<ul><li>Added the parameter revoke_messages.</li></ul>
<h3>November 4, 2020</h3>
<p><strong>Bot API 5.0</strong></p>
<p>Run your own server.</p>
<p><strong>Webhooks</strong></p>
<ul><li>Added the parameter ip_address.</li></ul>
<p><strong>File Albums</strong></p>
<ul><li>Added support for albums of documents.</li></ul>
</body></html>"""


def test_bold_parts_of_a_release_named_under_a_date_stay_its_parts() -> None:
    """Telegram's Bot API changelog: a date heading, the release's name in bold, then its parts
    in bold. The section is one release, as under a version heading: the page reads as it does
    without the bold marks, not as an entry per part ("Improved Invite Links", "And More")."""
    url = "https://core.example/bots/api-changelog"
    plain = DATED_RELEASE.replace("<strong>", "").replace("</strong>", "")
    items = _extract(DATED_RELEASE, "text/html", url)
    assert [(i.key, i.title, i.text) for i in items] == [
        (i.key, i.title, i.text) for i in _extract(plain, "text/html", url)
    ]
    assert not any(i.title in ("Improved Invite Links", "And More", "Webhooks") for i in items)


# --- dated releases written in sections ------------------------------------------------------
#
# A cloud product's changelog (Mattermost's) dates each release and writes it in sections:
# "## Release 2023-06-29" over "### Improvements", "### Bug Fixes", "### Known Issues". Radar
# split a date's sub-headings into entries of their own (right for "## 2024-08-13" over the
# day's subjects), so each release became three entries titled "Improvements", "Bug Fixes" and
# "Known Issues". Sub-headings that all name a release's sections keep the date one entry,
# titled by its first change.

DATED_SECTIONS = """# Cloud changelog

## Release 2023-06-29

### Compatibility
- Updated Chromium minimum supported version to 112+.

### Improvements

#### User Interface (UI)
- Added notification sounds per channel.

### Bug Fixes
- Fixed an issue where the reply bar was not highlighted.

### Known Issues
- Pasting a link puts the URL after [url].

## Release 2023-06-13

### Improvements
- Reworked the autocomplete results.

### Bug Fixes
- Fixed the total user count fetched per connection.
"""

DATED_SUBJECTS = """# API changelog

## 2024-08-13

### Voice Encryption Modes
Added two encryption modes.

### Gateway Version 8
The voice gateway now supports resuming.

## 2024-07-30

### Bug Fixes
Fixed the invite count.
"""


def test_a_dated_release_written_in_sections_is_one_entry() -> None:
    items = _extract(DATED_SECTIONS)
    assert [(i.key, i.published) for i in items] == [
        ("2023-06-29", datetime(2023, 6, 29, tzinfo=UTC)),
        ("2023-06-13", datetime(2023, 6, 13, tzinfo=UTC)),
    ]
    first = items[0]
    assert first.title == "Updated Chromium minimum supported version to 112+."
    assert "Known Issues" in first.text and "reply bar" in first.text
    assert items[1].title == "Reworked the autocomplete results."


def test_the_subjects_under_a_date_are_still_entries_of_their_own() -> None:
    items = _extract(DATED_SUBJECTS)
    assert [i.title for i in items] == [
        "Voice Encryption Modes",
        "Gateway Version 8",
        "Fixed the invite count.",  # a date whose one sub-heading names a section
    ]


def test_sections_at_a_dated_release_s_level_belong_to_it() -> None:
    # Zoom's API changelog writes one release's section at the date's own level.
    page = """# CHANGELOG

## 2017-01-15

### Added
- "v1/meeting/register" API.

## 2016-12-03

## Added
- "v1/webinar/panelists" API.

### Notes
- Support to update pending users in API
"""
    items = _extract(page)
    assert [(i.key, i.published) for i in items] == [
        ("2017-01-15", datetime(2017, 1, 15, tzinfo=UTC)),
        ("2016-12-03", datetime(2016, 12, 3, tzinfo=UTC)),
    ]
    assert "pending users" in items[1].text
