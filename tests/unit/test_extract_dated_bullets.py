"""A list whose items each open with a date, under a heading that is not a date: an entry per
item (`datedbullets`, Microsoft Teams' "What's new"); and year-first month headings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from radar.dates import Month, find_date, parse_date
from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/whats-new"
FETCHED = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def run(kind: SourceKind, body: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=kind, url=URL)
    return extract(source, FetchResult(URL, 200, body.encode(), None, fetched_at=FETCHED))


def rows(items: list[Item]) -> list[tuple[str, str, str | None]]:
    return [
        (i.key, i.title, i.published.date().isoformat() if i.published else None) for i in items
    ]


MARKDOWN = """# What's new

## Latest updates

* ***September 29, 2022***: Apps can now use the new meeting stage API.
* ***September 20, 2022***: The bot SDK supports adaptive cards 1.5.

## Deprecations

Older notices are listed here.
"""


EXPECTED = [
    (
        "2022-09-29-apps-can-now-use-the-new-meeting-stage",
        "Apps can now use the new meeting stage API.",
        "2022-09-29",
    ),
    (
        "2022-09-20-the-bot-sdk-supports-adaptive-cards-1-5",
        "The bot SDK supports adaptive cards 1.5.",
        "2022-09-20",
    ),
    ("deprecations", "Deprecations", None),
]


def test_extract_dated_bullets_are_an_entry_each() -> None:
    assert rows(run(SourceKind.CHANGELOG_MARKDOWN, MARKDOWN)) == EXPECTED


def test_extract_dated_bullets_text_is_the_item_after_its_date() -> None:
    first = run(SourceKind.CHANGELOG_MARKDOWN, MARKDOWN)[0]
    assert first.text == "Apps can now use the new meeting stage API."
    assert first.url == f"{URL}#latest-updates"


def test_extract_dated_bullets_html_gives_the_same_entries() -> None:
    html = (
        "<article><h1>What's new</h1><h2>Latest updates</h2><ul>"
        "<li><strong><em>September 29, 2022</em></strong>: Apps can now use the new meeting"
        " stage API.</li>"
        "<li><strong><em>September 20, 2022</em></strong>: The bot SDK supports adaptive"
        " cards 1.5.</li></ul>"
        "<h2>Deprecations</h2><p>Older notices are listed here.</p></article>"
    )
    assert rows(run(SourceKind.CHANGELOG_HTML, html)) == EXPECTED


def test_extract_dated_bullets_lead_paragraph_stays_the_sections_entry() -> None:
    body = MARKDOWN.replace("## Latest updates\n", "## Latest updates\n\nWhat shipped lately.\n")
    items = run(SourceKind.CHANGELOG_MARKDOWN, body)
    assert [i.key for i in items][:3] == [
        "latest-updates",
        "2022-09-29-apps-can-now-use-the-new-meeting-stage",
        "2022-09-20-the-bot-sdk-supports-adaptive-cards-1-5",
    ]
    assert (items[0].title, items[0].text, items[0].published) == (
        "Latest updates",
        "What shipped lately.",
        None,
    )


def test_extract_dated_bullets_link_to_the_sub_heading_above_them() -> None:
    # Teams' layout: one page-level section holding a sub-heading over the dated list.
    body = (
        "# What's new\n\nIntro.\n\n## Generally available\n\n"
        "* 2022-09-29: Apps can now use the new meeting stage API.\n"
        "* 2022-09-20 - The bot SDK supports adaptive cards 1.5.\n"
    )
    items = run(SourceKind.CHANGELOG_MARKDOWN, body)
    assert [(i.key, i.url) for i in items] == [
        ("what-s-new", f"{URL}#what-s-new"),
        ("2022-09-29-apps-can-now-use-the-new-meeting-stage", f"{URL}#generally-available"),
        ("2022-09-20-the-bot-sdk-supports-adaptive-cards-1-5", f"{URL}#generally-available"),
    ]


def test_extract_dated_bullets_keys_stay_when_an_item_of_the_same_day_is_added() -> None:
    before = {i.title: i.key for i in run(SourceKind.CHANGELOG_MARKDOWN, MARKDOWN)}
    added = MARKDOWN.replace(
        "* ***September 29, 2022***",
        "* ***September 29, 2022***: Another update.\n* ***September 29, 2022***",
        1,
    )
    after = {i.title: i.key for i in run(SourceKind.CHANGELOG_MARKDOWN, added)}
    assert "Another update." in after
    assert all(after[title] == key for title, key in before.items())


def test_extract_dated_bullets_keep_their_nested_items() -> None:
    body = MARKDOWN.replace(
        "meeting stage API.\n", "meeting stage API.\n  * Desktop first.\n  * Mobile later.\n"
    )
    first = run(SourceKind.CHANGELOG_MARKDOWN, body)[0]
    assert first.title.startswith("Apps can now use the new meeting stage API.")
    assert "Desktop first." in first.text and "Mobile later." in first.text


@pytest.mark.parametrize(
    "items",
    [
        # One item without a date: a list about something else, as before.
        "* September 29, 2022: Apps can use the stage API.\n* Also: bots got faster.\n",
        # A lone dated item is no list of entries.
        "* September 29, 2022: Apps can use the stage API.\n",
        # A date not followed by a separator opens a sentence, not an entry.
        "* September 29, 2022 was launch day.\n* September 20, 2022 was the beta.\n",
    ],
)
def test_extract_dated_bullets_need_every_item_dated(items: str) -> None:
    body = f"# What's new\n\n## Latest updates\n\n{items}\n## Other\n\nText.\n"
    assert [i.key for i in run(SourceKind.CHANGELOG_MARKDOWN, body)] == ["latest-updates", "other"]


def test_extract_dated_bullets_release_section_is_never_split() -> None:
    body = (
        "# Changelog\n\n## 2.1.0\n\n* 2024-05-01: Added the stage API.\n"
        "* 2024-04-20: Fixed the bot SDK.\n\n## 2.0.0\n\n* Initial release.\n"
    )
    assert [i.key for i in run(SourceKind.CHANGELOG_MARKDOWN, body)] == ["2.1.0", "2.0.0"]


@pytest.mark.parametrize(
    ("text", "month"),
    [("2022 September", (2022, 9)), ("2025 March", (2025, 3)), ("2025 Mar.", (2025, 3))],
)
def test_dates_year_first_month_is_a_month(text: str, month: tuple[int, int]) -> None:
    value = parse_date(text)
    assert isinstance(value, Month) and value == date(*month, 1)


@pytest.mark.parametrize(
    "text", ["2024 may break some bots", "2024 set a record", "2022 September 29"]
)
def test_dates_year_then_month_word_inside_a_phrase_is_no_date(text: str) -> None:
    assert find_date(text) is None


def test_extract_year_first_month_headings_date_their_entries_to_the_month() -> None:
    body = "# Updates\n\n## 2025 March\n\nAge targeting.\n\n## 2025 February\n\nSponsored Snaps.\n"
    items = run(SourceKind.CHANGELOG_MARKDOWN, body)
    assert [(i.key, i.month_only) for i in items] == [("2025-03", True), ("2025-02", True)]
