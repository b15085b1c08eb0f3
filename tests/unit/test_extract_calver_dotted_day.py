"""Releases named by a dotted CalVer day (yt-dlp's "### 2021.01.07", "### 2021.01.07-1"): the day
dates the release, which Radar would otherwise date when it first saw it, so an old release read
as new (issue 11 follow-up). Other dotted numbers ("1.2.3", "2024.1", "2024.4.3") stay undated.
The page shapes are written out here by hand."""

from __future__ import annotations

from datetime import date

import pytest

from radar.dates import version_date
from tests.support.extracting import day, extracted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021.01.07", date(2021, 1, 7)),
        ("v2024.04.13", date(2024, 4, 13)),
        ("V2024.04.13", date(2024, 4, 13)),
        ("2021.01.07.1", date(2021, 1, 7)),
        ("2021.01.07-1", date(2021, 1, 7)),
        ("2023.12.31-123", date(2023, 12, 31)),
        ("Version 2021.01.07", date(2021, 1, 7)),
        ("release v2024.04.13", date(2024, 4, 13)),
        ("Version 20240413", date(2024, 4, 13)),
    ],
)
def test_version_date_reads_a_dotted_calver_day(text: str, expected: date) -> None:
    assert version_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3",
        "2024.1",  # a month-less CalVer
        "2024.1.0",
        "2024.4.3",  # year.minor.patch as often as a day: not read
        "2024.10.1",
        "2023.50.0",
        "12.110.0",
        "2024.13.01",  # no 13th month
        "2024.02.30",
        "2024.12.00",
        "1999.12.31",  # before 2000
        "2101.01.01",
        "2024.0413",  # mixed separators
        "202404.13",
        "2024-04-13.1",
        "2021.01.07.1.2",
        "2021.01.07-1234",
        "2021.01.07 beta",
        "Changes in 2021.01.07",
        "build 2021.01.07",
        "v 2021.01.07",
    ],
)
def test_version_date_leaves_other_numbers_undated(text: str) -> None:
    assert version_date(text) is None


YT_DLP_LIKE = (
    "# Changelog\n\n"
    "### 2021.01.08\n\n* Moved changelog to separate file\n\n"
    "### 2021.01.07-1\n\n* [Akamai] fix\n* [CI] Split tests\n\n"
    "### 2021.01.07\n\n* Added `duration_string`\n* Created First Release\n"
)


def test_extract_dotted_calver_day_heading_dates_its_release_and_keeps_its_key() -> None:
    items = extracted(YT_DLP_LIKE)
    assert [(i.key, day(i)) for i in items] == [
        ("2021.01.08", "2021-01-08"),
        ("2021.01.07-1", "2021-01-07"),
        ("2021.01.07", "2021-01-07"),
    ]


def test_extract_dotted_calver_day_dates_html_releases_too() -> None:
    page = (
        "<html><body><h1>Changelog</h1><h2>Version v2024.04.13</h2><ul><li>Removed a.</li></ul>"
        "<h2>Version v2024.04.05.2</h2><ul><li>Added b.</li></ul></body></html>"
    )
    assert [day(i) for i in extracted(page, "text/html")] == ["2024-04-13", "2024-04-05"]


def test_extract_dotted_calver_day_with_its_own_date_line_keeps_that_date() -> None:
    items = extracted("## 2024.04.13\n\n2024-04-20\n\n- Late release.\n\n## 2024.04.05\n\n- B.\n")
    assert [day(i) for i in items] == ["2024-04-20", "2024-04-05"]


def test_extract_dotted_versions_that_are_no_day_stay_undated() -> None:
    text = "## 2024.4.3\n\n- A.\n\n## 2024.1\n\n- B.\n\n## 12.110.0\n\n- C.\n\n## 1.2.3\n\n- D.\n"
    assert [(i.key, i.published) for i in extracted(text)] == [
        ("2024.4.3", None),
        ("2024.1", None),
        ("12.110.0", None),
        ("1.2.3", None),
    ]
