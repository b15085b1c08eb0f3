"""A heading above the entries' level, among them and over content of its own, is an entry too:
its text would otherwise be in none. A group's heading over entries, and a sibling of the
section the entries sit in, are not."""

from __future__ import annotations

from tests.support.extracting import extracted


def test_extract_a_higher_heading_over_its_own_lists_keeps_its_text() -> None:
    page = (
        "Intro.\n\n"
        "## Upgrade instructions from 0.0.8\n\n1. Stop the service.\n\n"
        "# Major updates\n\n### Added\n\n* Load the root URL in players\n\n"
        "### Breaking Changes\n\n* No longer exit after a key change\n\n"
        "## Thank you to our contributors!\n\nNames.\n"
    )
    items = extracted(page)
    assert [i.title for i in items] == [
        "Upgrade instructions from 0.0.8",
        "Major updates",
        "Thank you to our contributors!",
    ]
    assert "No longer exit after a key change" in items[1].text


def test_extract_a_group_heading_over_entries_is_no_entry() -> None:
    page = "## 2.0.0\n\n- Add A\n\n# Legacy releases\n\n## 1.0.0\n\n- Add B\n"
    assert [i.key for i in extracted(page)] == ["2.0.0", "1.0.0"]


def test_extract_a_sibling_of_the_changelog_section_is_no_entry() -> None:
    page = (
        "# Readme\n\nAbout.\n\n# Changelog\n\n## 1.1.0\n\n- Fix x\n\n## 1.0.0\n\n- First\n\n"
        "# Upgrade Notice\n\nBack up first.\n"
    )
    assert [i.key for i in extracted(page)] == ["1.1.0", "1.0.0"]
