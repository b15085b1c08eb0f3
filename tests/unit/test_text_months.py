"""Month-only dates ("March 2025", "2025-03"): read as a `Month`, never from a year alone."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from radar.dates import Month, date_key, find_date, parse_date


@pytest.mark.parametrize(
    ("raw", "year", "month"),
    [
        ("March 2025", 2025, 3),
        ("Mar 2025", 2025, 3),
        ("Sept. 2024", 2024, 9),
        ("2025-03", 2025, 3),
        ("mars 2025", 2025, 3),
        ("März 2025", 2025, 3),
        ("marzo de 2025", 2025, 3),
        ("Released: December 2024", 2024, 12),
    ],
)
def test_text_month_heading_is_a_month(raw: str, year: int, month: int) -> None:
    value = parse_date(raw)
    assert isinstance(value, Month)
    assert value == date(year, month, 1)


@pytest.mark.parametrize("raw", ["2025", "Q1 2025", "v2025.03", "2025-03-beta", "1.2.0-2025-03"])
def test_text_year_or_version_is_not_a_month(raw: str) -> None:
    assert find_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5 March 2025", date(2025, 3, 5)),  # a day before the month: the whole date
        ("March 5, 2025", date(2025, 3, 5)),
        ("2025-03-01", date(2025, 3, 1)),
    ],
)
def test_text_whole_date_is_not_read_as_its_month(raw: str, expected: date) -> None:
    value = parse_date(raw)
    assert value == expected and not isinstance(value, Month)


def test_text_month_in_a_title_is_found_but_is_not_a_date_alone() -> None:
    found = find_date("March 2025 product update")
    assert found is not None and isinstance(found[0], Month) and found[1:] == (0, 10)
    assert parse_date("March 2025 product update") is None


def test_text_date_key_writes_a_month_as_the_month() -> None:
    assert date_key(Month(2025, 3, 1)) == "2025-03"
    assert date_key(date(2025, 3, 1)) == "2025-03-01"
    assert date_key(datetime(2025, 3, 1, 12, 0)) == "2025-03-01"
