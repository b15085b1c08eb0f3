"""Subjects under a dated or section-named heading, scraped permalinks, link definitions and
clashing versions (issue 11 follow-up, E14). The pages below are written by hand in the shapes
of unseen changelogs: a "what's new" page whose `## Month YYYY: New in preview` sections hold
`### Area | Sub-area` subjects, one release's notes scraped with each heading's permalink glued
before its text, a Keep a Changelog file whose versions are written as `[[0.7.1]]` with its
compare links below, and a plain-text changelog with a re-release "Version 2023.04-1"."""

from __future__ import annotations

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/whats-new.md"
SOURCE = Source(id="s", platform="x", kind=SourceKind.AUTO, url=URL)


def _items(body: bytes, ctype: str = "text/markdown") -> list[Item]:
    return extract(SOURCE, FetchResult(URL, 200, body, ctype))


WHATS_NEW = b"""# What's new

Highlights of new features and updates.

## June 2026: New and generally available

### Widgets | Sharing

Use the new sharingLink resource to share a widget.

### Files

Upsert up to 40 permissions in one request.

## June 2026: New in preview only

### Files

Added the retention property to the container resource.

### Tenants | Migration

Use the migrationJob resource to move mailboxes.

### Tenants | Migration

Use the migrationJob resource to move mailboxes.

## May 2026: New in preview only

### Mail

Deprecated the queryExpression property.
"""


def test_subjects_under_a_dated_heading_are_entries() -> None:
    items = _items(WHATS_NEW)
    assert [i.title for i in items] == [
        "Widgets | Sharing",
        "Files",
        "Files",
        "Tenants | Migration",
        "Tenants | Migration",
        "Mail",  # a lone subject: an entry too
    ]
    keys = [i.key for i in items]
    # The same subject under GA and under preview is two entries, each keyed by its section.
    assert keys[:3] == [
        "2026-06-new-and-generally-available-widgets-sharing",
        "2026-06-new-and-generally-available-files",
        "2026-06-new-in-preview-only-files",
    ]
    assert len(set(keys)) == len(keys)  # the page's own repeated subject: told apart
    assert keys[-1] == "2026-05-new-in-preview-only-mail"
    assert all(i.published is not None and i.published.month in (5, 6) for i in items)
    assert items[-1].text == "Deprecated the queryExpression property."


def test_a_dated_heading_over_its_sections_stays_one_entry() -> None:
    page = b"""# Notes

## 2026-06-02: Spring release

### Added
- A widget API

### Fixed
- A crash

## 2026-05-01: May release

### Added
- A file API
"""
    items = _items(page)
    assert [i.key for i in items] == ["2026-06-02-spring-release", "2026-05-01-may-release"]
    assert "A crash" in items[0].text


SCRAPED = b"""# Release notes 2024-10

## [Anchor to Highlights](/docs/notes/2024-10#highlights)Highlights

* **Gift cards**: new gift card types for all apps.

## [Anchor to Breaking changes](/docs/notes/2024-10#breaking-changes)Breaking changes

These changes require special attention.

### [Anchor to Cart warnings](/docs/notes/2024-10#cart-warnings)Cart warnings

Inventory errors are no longer included in userErrors.

### [Anchor to Changed enum for ,[object Object]](/n#changed-enum)Changed enum for `Status`

The value was renamed.

### [\xc2\xb6](#product-media) Product media

The image field was removed.
"""


def test_subjects_under_a_section_heading_and_scraped_permalinks() -> None:
    items = _items(SCRAPED)
    assert [(i.key, i.title) for i in items] == [
        ("highlights", "Highlights"),
        ("breaking-changes", "Breaking changes"),  # its own lead: not one of the subjects
        ("cart-warnings", "Cart warnings"),
        ("changed-enum", "Changed enum for Status"),
        ("product-media", "Product media"),
    ]
    assert items[1].text == "These changes require special attention."
    assert items[2].url == "https://example.com/whats-new.md#cart-warnings"


def test_a_heading_that_is_only_a_link_keeps_its_text() -> None:
    page = b"""# Changelog

## [1.2.0](https://example.com/compare/1.1.0...1.2.0) - 2024-01-02

- Added a thing

## [1.1.0](#110)

- Fixed a thing
"""
    items = _items(page)
    assert [(i.key, i.title) for i in items] == [
        ("1.2.0", "1.2.0: Added a thing"),
        ("1.1.0", "1.1.0: Fixed a thing"),
    ]


DOUBLE_BRACKETS = b"""# Changelog

## [[0.7.1]] - 2022-01-12

### Added
- Introduce MAIL_PORT

## [0.2.0] - 2018-09-12

### Added
- Article publishing

[Unreleased]: https://example.com/compare/0.7.1...HEAD
[[0.7.1]]: https://example.com/compare/0.7.0...0.7.1
[0.2.0]: https://example.com/releases/tag/0.2.0
"""


def test_double_bracketed_versions_and_trailing_link_definitions() -> None:
    items = _items(DOUBLE_BRACKETS)
    assert [(i.key, i.title) for i in items] == [
        ("0.7.1", "0.7.1: Introduce MAIL_PORT"),
        ("0.2.0", "0.2.0: Article publishing"),
    ]
    assert items[1].text == "Added\nArticle publishing"  # no compare links


def test_clashing_versions_are_keyed_by_their_full_version() -> None:
    page = b"""Version 2023.05 (2023-05-23)
    Fixed the search

Version 2023.04-1 (2023-04-27)
    Fixed the installer

Version 2023.04 (2023-04-23)
    Added the calendar
"""
    items = _items(page, "text/plain")
    assert [i.key for i in items] == ["2023.05", "2023.04-1", "2023.04"]


def test_versions_without_a_clash_keep_their_keys() -> None:
    page = b"""# Changelog

## 2.0.0-1

- Repackaged

## 1.0.0

- First
"""
    assert [i.key for i in _items(page)] == ["2.0.0", "1.0.0"]
