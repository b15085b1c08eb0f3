"""Releases named by a CalVer version that is a day (Firefish's "## v20240413"), and the title of
a release whose heading is only its version (blind set 11, issue 11 follow-up): its first change,
not a short lead-in over the list ("Changes since rc.4:", Mobilizon), nor the bare version when
it has a SemVer tail ("2021.01.07-1", yt-dlp). The page shapes are written out here by hand."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from radar.dates import version_date
from tests.support.extracting import day, extracted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v20240413", date(2024, 4, 13)),
        ("20240413", date(2024, 4, 13)),
        ("V20231231", date(2023, 12, 31)),
        ("20240413.1", date(2024, 4, 13)),
        ("20240413-2", date(2024, 4, 13)),
        ("10000000", None),  # a build number: year 1000
        ("19991231", None),  # before 2000
        ("20241399", None),  # no such day
        ("20240230", None),
        ("13", None),
        ("v2024041", None),
        ("v20240413 beta", None),
        ("build 20240413", None),
    ],
)
def test_version_date_reads_only_a_calver_day(text: str, expected: date | None) -> None:
    assert version_date(text) == expected


FIREFISH_LIKE = (
    "# Changes to the API\n\n"
    "## Unreleased\n\n- Added `x` field.\n\n"
    "## v20240413\n\n- Removed `patrons` endpoint.\n\n"
    "## v20240405\n\n- Added `notes/history` endpoint.\n"
)


def test_extract_calver_day_heading_dates_its_release_and_keeps_its_key() -> None:
    items = extracted(FIREFISH_LIKE)
    assert [(i.key, day(i)) for i in items] == [
        ("unreleased", None),
        ("v20240413", "2024-04-13"),
        ("v20240405", "2024-04-05"),
    ]
    # A bare version says nothing: the title takes the first change, as a release's does.
    assert items[1].title == "v20240413: Removed patrons endpoint."


def test_extract_calver_day_heading_dates_html_releases_too() -> None:
    page = (
        "<html><body><h1>API</h1><h2>v20240413</h2><ul><li>Removed a.</li></ul>"
        "<h2>v20240405</h2><ul><li>Added b.</li></ul></body></html>"
    )
    items = extracted(page, "text/html")
    assert [(i.key, day(i), i.title) for i in items] == [
        ("v20240413", "2024-04-13", "v20240413: Removed a."),
        ("v20240405", "2024-04-05", "v20240405: Added b."),
    ]


def test_extract_calver_day_with_a_build_number_is_a_dated_version() -> None:
    items = extracted("## 20240413.1\n\n- Fix a.\n\n## 20240405.2\n\n- Fix b.\n")
    assert [(i.key, day(i), i.title) for i in items] == [
        ("20240413.1", "2024-04-13", "20240413.1: Fix a."),
        ("20240405.2", "2024-04-05", "20240405.2: Fix b."),
    ]


def test_extract_ordinary_numbers_are_never_dated() -> None:
    items = extracted(
        "## 13\n\nThe thirteenth.\n\n## 10000000\n\nA build.\n\n## 20241399\n\nNo day.\n"
    )
    assert [(i.title, i.published) for i in items] == [
        ("13", None),
        ("10000000", None),
        ("20241399", None),
    ]


def test_extract_calver_day_heading_with_its_own_date_keeps_that_date() -> None:
    items = extracted("## v20240413\n\n2024-04-20\n\n- Late release.\n\n## v20240405\n\n- B.\n")
    assert [day(i) for i in items] == ["2024-04-20", "2024-04-05"]


MOBILIZON_LIKE = (
    "## 2.1.0-rc.5 - 2022-05-06\n\n"
    "Changes since rc.4:\n\n- Add timeouts for transactions\n- Remove packages\n\n"
    "## 2.1.0-beta.2 - 2022-04-08\n\n"
    "Changes since beta.1 :\n\n- Build release packages\n\n"
    "## 2.0.0 - 2022-01-01\n\n"
    "The following features were added to the command line tool:\n\n- `mix x`\n\n"
    "## 1.9.0 - 2021-12-01\n\n"
    "Short note:\n\nA paragraph, not a list.\n"
)


def test_extract_short_lead_in_over_a_list_is_no_release_title() -> None:
    titles = [i.title for i in extracted(MOBILIZON_LIKE)]
    assert titles[:2] == [
        "2.1.0-rc.5: Add timeouts for transactions",
        "2.1.0-beta.2: Build release packages",
    ]


def test_extract_long_lead_in_or_one_over_no_list_stays_the_release_title() -> None:
    # A longer introduction says what the list is; a short line over a paragraph is no lead-in.
    titles = [i.title for i in extracted(MOBILIZON_LIKE)]
    assert titles[2:] == [
        "2.0.0: The following features were added to the command line tool:",
        "1.9.0: Short note:",
    ]


def test_extract_bare_version_with_a_semver_tail_is_titled_by_its_first_change() -> None:
    items = extracted("### 2021.01.07-1\n\n- [Akamai] fix\n\n### 2021.01.07\n\n- Initial release\n")
    assert [(i.key, i.title) for i in items] == [
        ("2021.01.07-1", "2021.01.07-1: [Akamai] fix"),
        ("2021.01.07", "2021.01.07: Initial release"),
    ]


def test_extract_product_name_and_version_is_a_bare_version() -> None:
    # The name every release of the page repeats says no more than the version does.
    page = (
        "# Chatter 10.0.4 (2024-12-26)\n\n- Fix missing argument\n\n"
        "# Chatter 10.0 (2024-12-21)\n\n- Add a mailer\n"
    )
    assert [(i.key, i.title, day(i)) for i in extracted(page)] == [
        ("10.0.4", "Chatter 10.0.4: Fix missing argument", "2024-12-26"),
        ("10.0", "Chatter 10.0: Add a mailer", "2024-12-21"),
    ]


def test_extract_changes_in_a_named_version_is_a_bare_version() -> None:
    page = (
        "## Changes in RiotX 0.2.0 (2020-02-01)\n\n- Add a thing\n\n"
        "## Changes in RiotX 0.1.0\n\n- First\n"
    )
    assert [i.title for i in extracted(page)] == [
        "Changes in RiotX 0.2.0: Add a thing",
        "Changes in RiotX 0.1.0: First",
    ]


def test_extract_a_heading_that_says_more_than_a_name_keeps_its_title() -> None:
    page = "## New Chat Server 2.0 rolls out\n\n- Faster sync\n\n## 1.9.0\n\n- Fixes\n"
    assert extracted(page)[0].title == "New Chat Server 2.0 rolls out"


def test_extract_a_pointer_to_upgrade_docs_titles_no_release() -> None:
    # towncrier releases that open with where the upgrade steps are (Funkwhale's).
    page = (
        "## 1.3.3 (2023-09-07)\n\n"
        "Upgrade instructions are available at https://docs.example.org/upgrade.html\n\n"
        "Bugfixes:\n\n- Revert changed logging to fix crashes\n\n"
        "## 1.3.2 (2023-09-01)\n\nDark mode is available in settings.\n"
    )
    assert [i.title for i in extracted(page)] == [
        "1.3.3: Revert changed logging to fix crashes",
        "1.3.2: Dark mode is available in settings.",
    ]


def test_extract_section_modules_never_import_the_page_splitter() -> None:
    # `blocks` imports `sections` and `subentries`, never the other way round (no cycle).
    code = (
        "import sys, radar.extract.subentries, radar.extract.sections;"
        "print('radar.extract.blocks' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
