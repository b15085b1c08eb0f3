"""The page's title written at its releases' level, with only a preface under it, is no entry
(conventional-changelog's `# Change Log` over `# [5.1.0]` minors and `## [5.1.1]` patches:
`pagetitle`)."""

from __future__ import annotations

from support.extracting import day, extracted

CONVENTIONAL = """# Change Log

All notable changes to this project will be documented in this file.
See [Conventional Commits](https://conventionalcommits.org) for commit guidelines.

<a name="2.1.1"></a>
## [2.1.1](https://github.com/o/quill/compare/v2.1.0...v2.1.1) (2024-05-02)

### Bug Fixes

* keep the cursor on undo ([a1b2c3d](https://github.com/o/quill/commit/a1b2c3d))

<a name="2.1.0"></a>
# [2.1.0](https://github.com/o/quill/compare/v2.0.0...v2.1.0) (2024-04-20)

### Features

* tables ([d4e5f6a](https://github.com/o/quill/commit/d4e5f6a))
"""


def rows(text: str) -> list[tuple[str, str | None]]:
    return [(i.key, day(i)) for i in extracted(text)]


def test_page_title_at_release_level_is_no_entry() -> None:
    assert rows(CONVENTIONAL) == [("2.1.1", "2024-05-02"), ("2.1.0", "2024-04-20")]


def test_page_title_with_the_products_name_is_no_entry() -> None:
    page = CONVENTIONAL.replace("# Change Log", "# Quill Editor Changelog", 1)
    assert rows(page) == [("2.1.1", "2024-05-02"), ("2.1.0", "2024-04-20")]


def test_page_title_over_dated_releases_is_no_entry() -> None:
    page = (
        "# Release Notes\n\nWhat shipped.\n\n# 2024-05-02\n\n- Undo\n\n# 2024-04-20\n\n- Tables\n"
    )
    assert [i.key for i in extracted(page)] == ["2024-05-02", "2024-04-20"]


def test_page_title_holding_a_list_stays_an_entry() -> None:
    # A list under it is text of the page's changes, not a preface.
    page = CONVENTIONAL.replace(
        "See [Conventional", "- Upgrading from 1.x: see the guide.\n\nSee [Conventional", 1
    )
    assert [k for k, _ in rows(page)] == ["change-log", "2.1.1", "2.1.0"]


ONE_RELEASE = """# Change Log

All notable changes to this project will be documented in this file.

# [2.1.0](https://github.com/o/quill/compare/v2.0.0...v2.1.0) (2024-04-20)

* tables
"""


def test_page_title_over_one_release_is_no_entry() -> None:
    assert rows(ONE_RELEASE) == [("2.1.0", "2024-04-20")]


def test_heading_that_goes_on_past_the_page_name_stays_an_entry() -> None:
    # "Changes to the editor API" names a change, not the page.
    page = ONE_RELEASE.replace("# Change Log", "# Changes to the editor API", 1)
    assert [k for k, _ in rows(page)] == ["changes-to-the-editor-api", "2.1.0"]
