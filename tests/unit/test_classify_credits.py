"""Credits name the people who made a release ("New Contributors", "Thanks", "Thank you to our
contributors!"): no change to weigh, and an entry that is only credits is no feature."""

from __future__ import annotations

from radar.classify.headings import Part, line_part
from tests.support.classify import classified


def test_credits_sections_are_named() -> None:
    for name in ("New Contributors", "Contributors", "Thanks", "Credits", "Acknowledgements"):
        assert line_part(name) is Part.CREDITS, name


def test_a_fix_release_with_its_contributors_stays_a_minor_fix() -> None:
    # GitHub's generated release notes: "What's Changed", then "New Contributors".
    text = (
        "What's Changed\nFix a crash on start by @ana in #12\n"
        "New Contributors\n@bo made their first contribution in #13"
    )
    assert classified("v1.3.3", text) == ("fixes-docs", "minor")


def test_an_entry_that_only_thanks_people_is_no_feature() -> None:
    assert classified("Thank you to our contributors!", "Ana\nBo\nCyd") == ("fixes-docs", "minor")
    assert classified("Contributors to our Issues:", "Ana, Bo") == ("fixes-docs", "minor")


def test_a_title_that_opens_with_a_credits_word_and_says_more_is_read_as_usual() -> None:
    category, _ = classified("Sponsors API launched", "You can now list a channel's sponsors.")
    assert category != "fixes-docs"
