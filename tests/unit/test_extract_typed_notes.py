"""Typed notes under one date (`typednotes`), the titles of notes and of bare or sectioned
releases (`headtitles`). Shapes written by hand after the Google Meet and Google Chat API
release notes, ejabberd's CHANGELOG and a semantic-release CHANGELOG (Castopod's)."""

from __future__ import annotations

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/changelog"
# A second, older date: a lone date right under the page's title would date that title.
OLDER = "\n## January 2, 2020\n\nAn older change.\n"


def run(body: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url=URL)
    return extract(source, FetchResult(URL, 200, body.encode(), "text/markdown"))


def dated(body: str) -> list[Item]:
    """The entries of `body` (and of an older date after it), without the older date's."""
    items = run(body + OLDER)
    assert items[-1].key == "2020-01-02"
    return items[:-1]


TWO_NOTES = """# Release notes

## February 07, 2025

Announcement

**Meet API**

**Developer Preview**: You can now pre-configure auto-recording within a meeting space.

**Generally Available**: You can now use a new non-sensitive scope to set up auto-artifacts.

Feature

**Meet API**

**Generally Available**: All meeting participants can now query for conference data.
"""


def test_each_typed_note_of_a_date_is_an_entry_keyed_by_its_type() -> None:
    items = dated(TWO_NOTES)
    assert [i.key for i in items] == ["2025-02-07-announcement", "2025-02-07-feature"]
    first, second = items
    assert first.text.splitlines() == [
        "Announcement",
        "Meet API",
        "Developer Preview: You can now pre-configure auto-recording within a meeting space.",
        "Generally Available: You can now use a new non-sensitive scope to set up auto-artifacts.",
    ]
    assert second.text.splitlines()[:2] == ["Feature", "Meet API"]
    # The type stays; the product line names no change, so the title is the line after it.
    assert first.title.startswith("Announcement: Developer Preview: You can now pre-configure")
    assert second.title.startswith("Feature: Generally Available: All meeting participants")
    assert all(i.published is not None and i.published.day == 7 for i in items)


def test_a_key_does_not_change_with_the_notes_text() -> None:
    edited = TWO_NOTES.replace("query for conference data", "query conference records")
    assert [i.key for i in dated(edited)] == [i.key for i in dated(TWO_NOTES)]


def test_a_repeated_type_adds_a_position() -> None:
    page = """# Notes

## July 25, 2025

Feature

**Generally Available**: Chat apps can now create named spaces.

- Create a named space as a Chat app.
- Update a space as a Chat app.

Feature

**Generally Available**: Chat apps can now get space permission settings.
"""
    items = dated(page)
    assert [i.key for i in items] == ["2025-07-25-feature", "2025-07-25-feature-2"]
    assert items[0].text.splitlines()[-1] == "Update a space as a Chat app."


def test_a_date_with_one_note_keeps_its_key_and_its_list() -> None:
    page = """# Notes

## June 03, 2024

Change

**Meet Add-ons SDK**

Developer Preview: The SDK supports two improvements that require developer action.

1. The introduction of an add-on loading screen.
2. The removal of the startActivity button.

## May 09, 2024

Change

**Live Sharing SDK**

- Added the withCoWatching and withCoDoing methods.
- Added a new AddonException of OPERATION_UNSUPPORTED.
"""
    items = dated(page)
    assert [i.key for i in items] == ["2024-06-03", "2024-05-09"]
    assert items[0].title.startswith("Change: Developer Preview: The SDK supports")
    assert items[0].text.splitlines()[-1] == "The removal of the startActivity button."
    assert items[1].title == "Change: Added the withCoWatching and withCoDoing methods."


def test_a_date_opening_with_another_label_is_no_typed_note() -> None:
    # "Bot API 4.9" over its changes: a list's lead, each bullet still an entry.
    page = "# Changes\n\n## June 4, 2020\n\nBot API 4.9\n\n* Added field A.\n* Added field B.\n"
    assert len(dated(page)) == 2
    # Real sub-headings under a date are its sections, not notes.
    page = "# C\n\n## June 4, 2020\n\nFeature\n\n### Alpha\n\nText a.\n\n### Beta\n\nText b.\n"
    assert len(dated(page)) > 1
    assert not any(i.key.endswith("-feature") for i in dated(page))


def test_only_a_notes_type_passes_over_a_label_under_it() -> None:
    # Telegram's "Bot API 5.1" over a short sub-title: the sub-title names the change.
    page = """# Changes

## March 9, 2021

Bot API 5.1

Added two new update types

Added updates about member status changes in chats.
"""
    assert dated(page)[0].title == "Bot API 5.1: Added two new update types"


def test_a_release_word_and_a_version_is_a_bare_version() -> None:
    page = """# Version 21.12

Commands
- create_room_with_opts: Fixed when using SQL storage
- piefxis: Fixed arguments of all commands

# Version 21.07

Compilation
- Add rebar3 3.15.2 binary
"""
    items = run(page)
    assert [i.key for i in items] == ["21.12", "21.07"]
    # The group's name ("Commands") names no change: its first item does.
    assert items[0].title == "Version 21.12: create_room_with_opts: Fixed when using SQL storage"
    assert items[1].title == "Version 21.07: Add rebar3 3.15.2 binary"


def test_a_titled_release_heading_keeps_its_title() -> None:
    items = run("# Release notes\n\n## Release 2.0: The big one\n\n- Add X\n\n## 1.0\n\n- Add Y\n")
    assert items[0].title == "Release 2.0: The big one"


SEMANTIC = """# Changelog

## [1.12.0](https://example.com/compare/v1.11.0...v1.12.0) (2024-06-28)

### Bug Fixes

- add missing php-icons config file to bundle ([56612f0](https://example.com/c/56612f0))

### Features

- **podcast:** set owner email to hidden by default ([d8c4a71](https://example.com/c/d8c4a71))
- add trailer tags to rss

## [1.11.0](https://example.com/compare/v1.10.0...v1.11.0) (2024-04-17)

### Features

- add trailer tags to rss ([1f0b5a1](https://example.com/c/1f0b5a1))

### Bug Fixes

- premium: set itunes:block on premium feeds

## [1.10.0](https://example.com/compare/v1.9.0...v1.10.0) (2024-02-19)

### Bug Fixes

- op3: move op3 prefix to enclosure url

### Features

- add podcast:season tags

### BREAKING CHANGES

- drop support for PHP 8.0

## [1.9.1](https://example.com/compare/v1.9.0...v1.9.1) (2024-02-01)

### Bug Fixes

- i18n: escape language strings

### Performance Improvements

- cache the feed
"""


def test_a_release_is_titled_by_its_gravest_section() -> None:
    titles = {i.key: i.title for i in run(SEMANTIC)}
    # Fixes before features: the first feature names the release.
    assert titles["1.12.0"].startswith("1.12.0: podcast: set owner email to hidden by default")
    # Features first already: the title is as it always was.
    assert titles["1.11.0"].startswith("1.11.0: add trailer tags to rss")
    # A breaking change outranks the features before it.
    assert titles["1.10.0"] == "1.10.0: drop support for PHP 8.0"
    # No feature or breaking section: the first section in page order.
    assert titles["1.9.1"] == "1.9.1: i18n: escape language strings"


def test_a_release_lead_before_its_sections_keeps_the_title() -> None:
    page = SEMANTIC.replace(
        "(2024-06-28)\n\n### Bug Fixes",
        "(2024-06-28)\n\nThis release moves icons.\n\n### Bug Fixes",
    )
    titles = {i.key: i.title for i in run(page)}
    assert titles["1.12.0"] == "1.12.0: This release moves icons."
