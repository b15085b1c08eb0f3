"""Numeric dates in headings ("## 15/01/2025", Kick's developer changelog): which number is
the day, the page's own dates tell; a page that does not tell gets no dates, not guessed ones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from radar.dates import numeric_dates
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # a first number above 12 says day first, for the whole page
        (
            ["15/01/2025", "03/12/2025"],
            {"15/01/2025": date(2025, 1, 15), "03/12/2025": date(2025, 12, 3)},
        ),
        # a second number above 12 says month first
        (
            ["01/15/2025", "03/12/2025"],
            {"01/15/2025": date(2025, 1, 15), "03/12/2025": date(2025, 3, 12)},
        ),
        # dots are day first
        (["03.12.2025"], {"03.12.2025": date(2025, 12, 3)}),
        # nothing on the page tells: no dates; both orders shown: no dates
        (["03/12/2025", "04/11/2025"], {}),
        (["15/01/2025", "01/15/2025"], {}),
        # no such day, no such year, not a date at all
        (["31/02/2025", "15/01/2025"], {"15/01/2025": date(2025, 1, 15)}),
        (["Version 1.2", "2025-01-15"], {}),
    ],
)
def test_numeric_dates(texts: list[str], expected: dict[str, date]) -> None:
    assert numeric_dates(texts) == expected


KICK = b"""# Changelog

## 19/12/2025

* Disabling webhooks for your app will now unsubscribe it from all webhook events.
* The livestreams endpoint now also returns the broadcaster's profile picture.

## 03/12/2025

* Added Channel Rewards APIs
"""


def test_a_changelog_dated_day_first_is_dated() -> None:
    url = "https://example.com/kick/changelog.md"
    source = Source(id="kick", platform="kick", kind=SourceKind.AUTO, url=url)
    items = extract(source, FetchResult(url, 200, KICK, "text/markdown"))
    assert {item.published for item in items} == {
        datetime(2025, 12, 19, tzinfo=UTC),
        datetime(2025, 12, 3, tzinfo=UTC),
    }
    # Dated, a section's bullets are its entries, as on any dated changelog.
    assert len(items) == 3
    assert items[-1].title == "Added Channel Rewards APIs"


# A numeric date beside a heading's version ("## 1.2.0 (15.01.2025)") is read the same way: the
# page's unambiguous dates, in such headings or alone, say which number is the day.
def _dated(body: str) -> list[tuple[str, str, datetime | None]]:
    url = "https://example.com/CHANGELOG.md"
    source = Source(id="s", platform="x", kind=SourceKind.AUTO, url=url)
    items = extract(source, FetchResult(url, 200, body.encode(), "text/markdown"))
    return [(item.key, item.title, item.published) for item in items]


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        # dots are day first
        (
            ["1.2.0 (15.01.2025)", "1.1.0 (03.01.2025)"],
            [("1.2.0", "1.2.0: a", _day(2025, 1, 15)), ("1.1.0", "1.1.0: b", _day(2025, 1, 3))],
        ),
        # 13/01 on the page says day first, so 03/02 is the 3rd of February
        (
            ["v3.4 - 03/02/2024", "v3.3 - 13/01/2024"],
            [("3.4", "v3.4: a", _day(2024, 2, 3)), ("3.3", "v3.3: b", _day(2024, 1, 13))],
        ),
        # 01/15 says month first
        (
            ["1.2 - 01/15/2024", "1.1 - 03/01/2024"],
            [("1.2", "1.2: a", _day(2024, 1, 15)), ("1.1", "1.1: b", _day(2024, 3, 1))],
        ),
        # a date heading alone tells for the version headings too
        (
            ["1.2 - 03/01/2024", "15/12/2023"],
            [("1.2", "1.2: a", _day(2024, 1, 3)), ("2023-12-15", "b", _day(2023, 12, 15))],
        ),
        # year first is never ambiguous, with or without a separator after the version
        (
            ["[2.0.0] 2024-1-5", "[1.9.0] - 2023-12-25"],
            [("2.0.0", "2.0.0: a", _day(2024, 1, 5)), ("1.9.0", "1.9.0: b", _day(2023, 12, 25))],
        ),
    ],
)
def test_a_numeric_date_in_a_version_heading_dates_it(
    headings: list[str], expected: list[tuple[str, str, datetime]]
) -> None:
    body = f"# Changelog\n\n## {headings[0]}\n\n- a\n\n## {headings[1]}\n\n- b\n"
    assert _dated(body) == expected


@pytest.mark.parametrize(
    "headings",
    [
        # nothing on the page says which number is the day: no date rather than a guess
        ["v3.4 - 03/02/2024", "v3.3 - 03/01/2024"],
        # both orders on one page
        ["1.2 - 01/15/2024", "1.1 - 15/01/2024"],
        # a range is no one date
        ["1.2 (01.02.2025 - 15.02.2025)", "1.1 (01.02.2025 - 15.02.2025)"],
        # a dotted date that is the heading's version is read as it always was
        ["Release 15.01.2025", "Release 03.01.2025"],
    ],
)
def test_a_numeric_date_the_page_does_not_explain_gives_no_date(headings: list[str]) -> None:
    body = f"# Changelog\n\n## {headings[0]}\n\n- a\n\n## {headings[1]}\n\n- b\n"
    assert [published for _, _, published in _dated(body)] == [None, None]
    # (A release word and a version is a bare version: "Release 15.01.2025: a", by its change.)
    titles = [title.removesuffix(": a").removesuffix(": b") for _, title, _ in _dated(body)]
    assert titles == headings
