"""Credits name the people who made a release ("New Contributors", "Thanks", "Thank you to our
contributors!"): no change to weigh, and an entry that is only credits is no feature."""

from __future__ import annotations

from datetime import UTC, datetime

from radar.classify import Classifier, load_default_rules
from radar.classify.headings import Part, line_part
from radar.model import Change, ChangeKind

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def _classified(title: str, text: str) -> tuple[str, str]:
    change = Change(
        id="c",
        source_id="s",
        platform="p",
        kind=ChangeKind.ADDED,
        entry_key="k",
        title=title,
        text=text,
        url=None,
        published=None,
        detected_at=NOW,
    )
    got = Classifier(load_default_rules()).classify(change)
    return got.category, got.severity


def test_credits_sections_are_named() -> None:
    for name in ("New Contributors", "Contributors", "Thanks", "Credits", "Acknowledgements"):
        assert line_part(name) is Part.CREDITS, name


def test_a_fix_release_with_its_contributors_stays_a_minor_fix() -> None:
    # GitHub's generated release notes: "What's Changed", then "New Contributors".
    text = (
        "What's Changed\nFix a crash on start by @ana in #12\n"
        "New Contributors\n@bo made their first contribution in #13"
    )
    assert _classified("v1.3.3", text) == ("fixes-docs", "minor")


def test_an_entry_that_only_thanks_people_is_no_feature() -> None:
    assert _classified("Thank you to our contributors!", "Ana\nBo\nCyd") == ("fixes-docs", "minor")
    assert _classified("Contributors to our Issues:", "Ana, Bo") == ("fixes-docs", "minor")


def test_a_title_that_opens_with_a_credits_word_and_says_more_is_read_as_usual() -> None:
    category, _ = _classified("Sponsors API launched", "You can now list a channel's sponsors.")
    assert category != "fixes-docs"
