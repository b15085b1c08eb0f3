"""What stays inside a date's entries when its bullets are split (`pointers`): a pointer line
("See Tags for more details.") is the reference of the item before it, and a typed note's list
(Google Cloud's "Feature" notes) is that note's content. Shapes written by hand after the
Threads API changelog and the Google Chat API release notes."""

from __future__ import annotations

import pytest

from radar.extract import extract
from radar.extract.pointers import is_pointer
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/changelog"


# A second, older date: a lone date right under the page's title would date that title.
OLDER = "\n## January 2, 2020\n\nAn older change.\n"


def run(body: str) -> list[Item]:
    """The entries of `body` (and of an older date after it), without the older date's."""
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url=URL)
    items = extract(source, FetchResult(URL, 200, (body + OLDER).encode(), "text/markdown"))
    assert items[-1].key == "2020-01-02"
    return items[:-1]


POINTER_BULLET = """# Changelog

## October 11, 2024

* A hash sign followed by a whole number will not be converted into a tag.
* The list of unsupported special characters in tags has been updated.
* See [Tags](tags.md) for more details.
"""


def test_a_pointer_bullet_is_no_entry_of_its_own() -> None:
    items = run(POINTER_BULLET)
    assert [i.key for i in items] == [
        "2024-10-11-a-hash-sign-followed-by-a-whole-number",
        "2024-10-11-the-list-of-unsupported-special-characters-in-tags",
    ]
    # It is the reference of the item before it, and leaves that item's title alone.
    assert items[1].text.endswith("has been updated.\nSee Tags for more details.")
    assert items[1].title == "The list of unsupported special characters in tags has been updated."
    assert "See Tags" not in items[0].text


POINTER_AFTER_THE_LIST = """# Changelog

## May 27, 2025

* Support for retrieving location objects by ID has been added.
* Support for searching for locations to tag has been added.

See [Location Tagging](location.md) for more information.
"""


def test_a_pointer_paragraph_after_the_bullets_is_not_copied_onto_every_entry() -> None:
    items = run(POINTER_AFTER_THE_LIST)
    assert [i.text for i in items] == [
        "Support for retrieving location objects by ID has been added.",
        "Support for searching for locations to tag has been added.\n"
        "See Location Tagging for more information.",
    ]


def test_a_lone_change_with_a_pointer_bullet_is_the_dates_one_entry() -> None:
    page = "# Changelog\n\n## June 4, 2025\n\n* Support for polls has been added.\n* Learn more.\n"
    assert [i.key for i in run(page)] == ["2025-06-04"]


def test_a_short_lead_is_still_shared_by_every_bullet() -> None:
    # A lead that is no pointer ("Bot API 4.9") stays the context every split entry repeats.
    page = "# Changes\n\n## June 4, 2020\n\nBot API 4.9\n\n* Added field A.\n* Added field B.\n"
    assert [i.text for i in run(page)] == [
        "Bot API 4.9 Added field A.",
        "Bot API 4.9 Added field B.",
    ]


TYPED_NOTE = """# Chat API release notes

## January 07, 2026

Other

The gallery now lets you find samples by product. It also features these new samples:

- [Agent2Agent agents](a2a.md)
- [ADK AI agents](adk.md)

## September 12, 2025

Feature

**Generally available**: Increased per-space quota limits:

- When importing data, the quota for writing messages increases from 60 to 600 per minute.
- When writing reactions, the quota increases from 60 to 300 per minute.

To learn more, see the [per-space quotas](limits.md).
"""


def test_a_typed_notes_list_stays_inside_the_notes_entry() -> None:
    items = run(TYPED_NOTE)
    assert [i.key for i in items] == ["2026-01-07", "2025-09-12"]
    assert items[0].text.splitlines()[-2:] == ["Agent2Agent agents", "ADK AI agents"]
    # The note's type stays in the title: it says what kind of note this is.
    assert items[0].title.startswith("Other: The gallery now lets you find samples by product.")
    assert items[1].text.splitlines()[-1] == "To learn more, see the per-space quotas."


def test_a_label_right_over_the_list_still_splits_it() -> None:
    # "Bot API 4.9" over its changes, or a label over a bold sub-title, is no typed note.
    for lead in ("Bot API 4.9", "Bot API 5.0\n\n**Run Your Own Bot API Server**"):
        page = f"# Changes\n\n## June 4, 2020\n\n{lead}\n\n* Added field A.\n* Added field B.\n"
        assert len(run(page)) == 2, lead


@pytest.mark.parametrize(
    "line",
    [
        "See Tags for more details.",
        "See Location Tagging for more information.",
        "For more details, see Webhooks.",
        "To learn more, see the Chat API's per-space quotas.",
        "Learn more about topic tags.",
        "Upgrade instructions are available at https://docs.example.org/upgrade.html",
        "The migration guide can be found at https://example.org/migrate.",
        "Refer to v2.9.1 milestone to know the complete list of the issues resolved.",
    ],
)
def test_pointer_lines(line: str) -> None:
    assert is_pointer(line)


@pytest.mark.parametrize(
    "line",
    [
        "Support for delete webhooks has been added. See Webhooks for more details.",
        "Seen posts are now counted for more accurate insights.",
        "Use the Threads API Postman Collection to make API calls.",
        "See Tags for more details.\nAdded field A.",
        "Dark mode is available in settings.",
        "The new API is available at https://api.example.com today for all developers who sign up.",
    ],
)
def test_not_pointer_lines(line: str) -> None:
    assert not is_pointer(line)
