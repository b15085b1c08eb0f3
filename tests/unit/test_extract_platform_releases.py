"""Release structure on platform changelogs (blind set 8).

Mastodon's CHANGELOG.md writes its newest release at `#`, like the setext title above it, the
others at `##`, and some Keep a Changelog sections at `##` too: the newest release gave no entry
and `## Fixed` split its release into an empty entry and an undated "Fixed" one. Microsoft
Advertising's release notes open each month with a table of contents (a lead-in line and a list
of links to the month's `###` subjects): it gave an entry of its own per month, and a month with
one subject took that subject in, titled by the lead-in sentence.
"""

from __future__ import annotations

from datetime import UTC, datetime

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/CHANGELOG.md"
SOURCE = Source(id="s", platform="x", kind=SourceKind.AUTO, url=URL)


def _extract(body: bytes, content_type: str = "text/markdown") -> list[Item]:
    return extract(SOURCE, FetchResult(URL, 200, body, content_type))


MASTODON = b"""Changelog
=========

All notable changes to this project will be documented in this file.

# [3.5.7] - 2023-03-16

### Added

- Add `lang` attribute to native language names

### Security

- Fix XSS in the media preview

## [3.5.6] - 2023-02-09

### Fixed

- Fix changing domain block severity

## [3.5.5] - 2022-11-14

## Fixed

- Fix nodes order being sometimes mangled

## [3.5.2] - 2022-05-04

### Added

- Add warning on direct messages screen

## Changed

- Change trending posts to one per account

## Removed

- Remove IP matching from e-mail domain blocks
"""


def test_a_release_at_the_title_level_and_sections_at_the_release_level() -> None:
    items = _extract(MASTODON)
    assert [item.key for item in items] == ["3.5.7", "3.5.6", "3.5.5", "3.5.2"]
    by_key = {item.key: item for item in items}
    assert by_key["3.5.7"].published == datetime(2023, 3, 16, tzinfo=UTC)
    assert by_key["3.5.7"].text.split("\n") == [
        "Added",
        "Add lang attribute to native language names",
        "Security",
        "Fix XSS in the media preview",
    ]
    assert by_key["3.5.5"].text.split("\n") == ["Fixed", "Fix nodes order being sometimes mangled"]
    assert by_key["3.5.2"].text.split("\n") == [
        "Added",
        "Add warning on direct messages screen",
        "Changed",
        "Change trending posts to one per account",
        "Removed",
        "Remove IP matching from e-mail domain blocks",
    ]


def test_a_heading_over_releases_with_no_text_of_its_own_is_no_entry() -> None:
    page = b"# v2.0\n\n## 2.0.1\n\n- Fix a crash\n\n## 2.0.0\n\n- Add a thing\n"
    assert [item.key for item in _extract(page)] == ["2.0.1", "2.0.0"]


def test_a_heading_that_only_mentions_a_version_does_not_start_a_release() -> None:
    # "### Upgrade to React 18.2" is a part of 1.0.0: the `## Fixed` after it is 1.0.0's too.
    page = (
        b"# Changelog\n\n## [1.0.0] - 2024-01-02\n\n### Upgrade to React 18.2\n\n- Bump React\n\n"
        b"## Fixed\n\n- Fix a crash\n\n## [0.9.0] - 2023-12-01\n\n### Added\n\n- First\n"
    )
    items = _extract(page)
    assert [item.key for item in items] == ["1.0.0", "0.9.0"]
    assert items[0].text.split("\n")[-2:] == ["Fixed", "Fix a crash"]


BING = b"""# Bing Ads API Release Notes
See below for information about changes to Bing Ads API Version 13 by month.

## <a name="august2021"></a>August 2021

See below for Bing Ads API updates during this calendar month.

- [Google Ads import entity map](#entity-mappings-august2021)
- [Bing Ads API SDK Updates](#sdk-august2021)

### <a name="entity-mappings-august2021"></a>Google Ads import entity map

You can now map Google Ads entities to Microsoft Advertising entities.

### <a name="sdk-august2021"></a>Bing Ads API SDK Updates

The SDKs were updated.

## <a name="may2021"></a>May 2021

See below for Bing Ads API updates during this calendar month.

- [Dynamic search ads](#dynamic-search-ads-may2021)

### <a name="dynamic-search-ads-may2021"></a>Dynamic search ads

You can no longer add dynamic search ads campaigns.
"""


def test_a_month_table_of_contents_is_no_entry_and_each_subject_is_one() -> None:
    items = _extract(BING)
    assert [(item.key, item.title) for item in items] == [
        ("2021-08-google-ads-import-entity-map", "Google Ads import entity map"),
        ("2021-08-bing-ads-api-sdk-updates", "Bing Ads API SDK Updates"),
        ("2021-05-dynamic-search-ads", "Dynamic search ads"),
    ]
    assert items[2].published == datetime(2021, 5, 1, tzinfo=UTC)
    assert items[2].text == "You can no longer add dynamic search ads campaigns."


def test_a_table_of_contents_in_html() -> None:
    page = (
        b"<html><body><main><h1>Release notes</h1>"
        b"<h2>May 2021</h2><p>See below for updates during this calendar month.</p>"
        b'<ul><li><a href="#dsa">Dynamic search ads</a></li></ul>'
        b'<h3 id="dsa">Dynamic search ads</h3><p>You can no longer add them.</p>'
        b"<h2>April 2021</h2><p>See below for updates during this calendar month.</p>"
        b'<ul><li><a href="#pbs">Portfolio bid strategy</a></li></ul>'
        b'<h3 id="pbs">Portfolio bid strategy</h3><p>Portfolios are now available.</p>'
        b"</main></body></html>"
    )
    items = _extract(page, "text/html")
    assert [(item.key, item.title) for item in items] == [
        ("2021-05-dynamic-search-ads", "Dynamic search ads"),
        ("2021-04-portfolio-bid-strategy", "Portfolio bid strategy"),
    ]


def test_a_list_that_does_not_name_the_sub_headings_is_content() -> None:
    # The same layout, but the list says something of its own: the month keeps it, and its
    # lone sub-heading stays part of it, as before.
    page = (
        b"## May 2021\n\nHighlights of the month:\n\n- Faster reports\n- New bid caps\n\n"
        b"### Dynamic search ads\n\nYou can no longer add them.\n\n"
        b"## April 2021\n\n- Portfolio bid strategy\n\n### Portfolio bids\n\nNow available.\n"
    )
    items = _extract(page)
    assert [item.key for item in items] == ["2021-05", "2021-04"]
    assert "Faster reports" in items[0].text
    assert "You can no longer add them." in items[0].text


def test_a_long_lead_over_the_list_is_content() -> None:
    lead = b"This month " + b"we changed a great many things in the API " * 6 + b"as below."
    page = (
        b"## May 2021\n\n" + lead + b"\n\n- [Dynamic search ads](#dsa)\n\n"
        b"### Dynamic search ads\n\nYou can no longer add them.\n\n"
        b"## April 2021\n\nA lead.\n\n### Bids\n\nNow available.\n\n### Caps\n\nNew.\n"
    )
    items = _extract(page)
    assert [item.key for item in items] == ["2021-05", "2021-04", "2021-04-bids", "2021-04-caps"]


PINNED = b"""# Ads API release notes

## Breaking changes (recent and upcoming)

The following upcoming changes may require that you take action.

- [Required conversion goal categories](#goal-categories)
- [Reduced look back for bulk download](#look-back)

### Required conversion goal categories

You must now set a goal category.

### Reduced look back for bulk download

The maximum look back period decreased from 90 days to 30 days.

## Other notes

Intro.

### Part one

Text one.

### Part two

Text two.
"""


def test_a_titled_section_that_opens_with_its_contents_is_an_entry_per_item() -> None:
    """A pinned "Breaking changes" block lists its changes first: each is an entry. A titled
    section without such a list keeps its sub-headings as its parts."""
    items = _extract(PINNED)
    assert [(i.key, i.title) for i in items] == [
        ("required-conversion-goal-categories", "Required conversion goal categories"),
        ("reduced-look-back-for-bulk-download", "Reduced look back for bulk download"),
        ("other-notes", "Other notes"),
    ]
    assert "Text two." in items[2].text
