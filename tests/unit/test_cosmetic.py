"""Which edits a reader would notice: formatting and typos are cosmetic, anything else is not."""

from __future__ import annotations

import pytest

from radar.cosmetic import is_cosmetic, retitled, shape_digest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Voice gateway v8 is live", "Voice Gateway v8 is live."),  # casing, punctuation
        ("Web views are here", "Webviews are here"),  # a word joined
        ("See https://a.example/x for details", "See https://b.example/y for details"),
        ("The endpoint is deprecatd", "The endpoint is deprecated"),  # a typo
        ("Use the the new scope", "Use the new scope"),  # a doubled word
        ("Call endpoint to fetch roles", "Call the endpoint to fetch roles"),  # an article
    ],
)
def test_cosmetic_formatting_and_typos(old: str, new: str) -> None:
    assert is_cosmetic(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Removed in 30 days", "Removed in 60 days"),  # a number is news
        ("API v6 is deprecated", "API v7 is deprecated"),
        ("The endpoint is deprecated", "The endpoint is removed"),
        ("Apps can read roles", "Apps can no longer read roles"),
        ("a b c d", "w x y z"),  # four words rewritten
    ],
)
def test_cosmetic_real_changes_are_not(old: str, new: str) -> None:
    assert not is_cosmetic(old, new)


def test_cosmetic_underscores_are_markup_not_words() -> None:
    # RST: `#1397_` (a typo'd reference) fixed to `#1397`_ renders the same words.
    assert is_cosmetic(
        "Documentation fixes (#1348, #1397_, #1436)", "Documentation fixes (#1348, #1397, #1436)"
    )
    assert shape_digest("chat data attribute(#1462)") == shape_digest("chat data attribute(#1462_)")
    assert not is_cosmetic("Use get_chat now", "Use get_member now")


@pytest.mark.parametrize(
    ("old", "new", "text", "expected"),
    [
        # A bare version now shows the entry's first item: retitled from its own words.
        ("2.6.0]", "2.6.0: Added banner parameter", "Added banner parameter. Fixed X.", True),
        ("2.6.0: Added banner parameter", "2.6.0", "Added banner parameter.", True),
        # A word the text does not hold is news, in the title as anywhere.
        ("2.6.0", "2.6.0 (yanked)", "Added banner parameter.", False),
        ("Deprecating v1", "Removing v1", "v1 goes away in May.", False),
        ("Same title", "Same title", "Text.", False),  # no change at all is not a retitle
    ],
)
def test_retitled_only_from_the_entry_own_words(
    old: str, new: str, text: str, expected: bool
) -> None:
    assert retitled(old, new, text) is expected
