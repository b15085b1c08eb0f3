"""Release headings that print their date in forms Radar did not read (issue 11, entries on
unseen changelogs): git-extras' "1.8.2 / 2016-12-11", GNU NEWS's "(released 2014-08-23)", a
day-first date with a two-digit year ("3.7 (16.04.22)"), and a bracketed tag after the date
("[YANKED]"). Undated, an old release reads as new on a first run. The pages are written out
here by hand in each convention; the near misses stay undated."""

from __future__ import annotations

from datetime import date

from radar.extract.dotteddates import dotted_dates
from tests.support.extracting import day, extracted


def _read(text: str, content_type: str = "text/markdown") -> list[tuple[str, str, str | None]]:
    return [(i.key, i.title, day(i)) for i in extracted(text, content_type)]


# --- git-extras History.md: "X.Y.Z / YYYY-MM-DD" over a setext underline ------------------


def test_extract_history_md_slash_date_dates_the_release() -> None:
    page = (
        "\n0.4.1 / 2015-03-02\n==================\n\n  * fix: keep the socket open\n"
        "\n0.4.0 / 2015-02-20\n==================\n\n  * add: reconnect option\n"
    )
    assert _read(page) == [
        ("0.4.1", "0.4.1: fix: keep the socket open", "2015-03-02"),
        ("0.4.0", "0.4.0: add: reconnect option", "2015-02-20"),
    ]


def test_extract_slash_inside_a_word_is_no_date_separator() -> None:
    # "and/2015-03-02": a slash inside a run of text, not git-extras' " / " separator.
    page = "## Build 1.2 and/2015-03-02\n\n- one\n\n## Build 1.1 and/2015-02-20\n\n- two\n"
    assert [d for _, _, d in _read(page)] == [None, None]


# --- GNU NEWS: a word before the date in its brackets ------------------------------------


def test_extract_released_word_in_brackets_dates_the_release() -> None:
    page = (
        "## Version 2.3 (released 2019-06-01)\n\n- new option --quiet\n\n"
        "## Version 2.2 (released on 2019-01-15)\n\n- fix a leak\n\n"
        "## Version 2.1 (release date: 2018-11-30)\n\n- faster start\n\n"
        "## Version 2.0 (published 2018-10-02)\n\n- first stable\n"
    )
    read = _read(page)
    assert [d for _, _, d in read] == ["2019-06-01", "2019-01-15", "2018-11-30", "2018-10-02"]
    assert [k for k, _, _ in read] == ["2.3", "2.2", "2.1", "2.0"]
    assert all("released" not in t and "(" not in t for _, t, _ in read)


def test_extract_gnu_news_released_with_a_stable_tag() -> None:
    page = (
        "Foo NEWS\n\n"
        "* Noteworthy changes in release 1.4 (released 2020-05-10) [stable]\n"
        "  - Fixed the parser.\n\n"
        "* Noteworthy changes in release 1.3 (released 2020-01-02) [stable]\n"
        "  - Added a flag.\n"
    )
    read = _read(page, "text/plain")
    assert [(k, d) for k, _, d in read] == [("1.4", "2020-05-10"), ("1.3", "2020-01-02")]
    assert read[0][1] == "Noteworthy changes in release 1.4 [stable]"


def test_extract_a_word_in_the_middle_is_still_a_deadline() -> None:
    # The date is not at the heading's end: "released" does not make it the entry's date.
    page = "## 3.0 (released 2019-06-01 to beta users)\n\n- a\n\n## 2.9\n\n- b\n"
    assert [d for _, _, d in _read(page)] == [None, None]


# --- a bracketed tag after the date ---------------------------------------------------------


def test_extract_tag_after_the_date_keeps_the_date() -> None:
    page = "## [0.0.5] - 2014-12-13 [YANKED]\n\n- bad\n\n## [0.0.4] - 2014-08-09\n\n- good\n"
    assert _read(page) == [
        ("0.0.5", "0.0.5 [YANKED]", "2014-12-13"),
        ("0.0.4", "0.0.4: good", "2014-08-09"),
    ]


# --- day first, two-digit year --------------------------------------------------------------


def test_extract_short_year_day_first_dates_the_release() -> None:
    page = (
        "2.1 (03.02.23)\n\n- Night mode.\n\n"
        "2.0.4 beta (28.01.23)\n\n- Faster sync.\n\n"
        "2.0.3 (15.12.22) [Linux]\n\n- Fix tray icon.\n\n"
        "2.0 - 01.12.22\n\n- New look.\n"
    )
    assert _read(page, "text/plain") == [
        ("2.1", "2.1: Night mode.", "2023-02-03"),
        ("2.0.4", "2.0.4 beta", "2023-01-28"),
        ("2.0.3", "2.0.3 [Linux]", "2022-12-15"),
        ("2.0", "2.0: New look.", "2022-12-01"),
    ]


def test_extract_short_year_in_a_markdown_heading() -> None:
    page = "## 1.5 (30.06.21)\n\n- a\n\n## 1.4 (12.05.21)\n\n- b\n"
    assert [(k, d) for k, _, d in _read(page)] == [("1.5", "2021-06-30"), ("1.4", "2021-05-12")]


def test_dotted_dates_reads_only_behind_a_version_at_the_end() -> None:
    found = dotted_dates(
        [
            "3.7 (16.04.22)",
            "16.04.22",  # no version: it may be one (a CalVer yy.mm.dd)
            "Release 16.04.22",  # the version itself
            "16.04.22 - 3.7",  # at the start, not the end
            "3.7 (16.04.22) fixes",  # words after it
            "3.7 (1.2.30)",  # not zero-padded: a version, not a date
            "3.7 (1.16.04.22)",  # part of a longer dotted run
            "3.7 (16.04.22 - 18.04.22)",  # a range
        ]
    )
    assert found == {"3.7 (16.04.22)": (date(2022, 4, 16), 5, 13)}


def test_dotted_dates_skips_a_day_no_order_has() -> None:
    assert dotted_dates(["3.7 (31.02.22)", "3.6 (10.02.22)"]) == {
        "3.6 (10.02.22)": (date(2022, 2, 10), 5, 13)
    }


def test_dotted_dates_none_on_a_page_writing_another_order() -> None:
    # "05.13.22" is a day only month first: the page does not write day first.
    assert dotted_dates(["3.7 (05.13.22)", "3.6 (04.02.22)"]) == {}
    # "98.04.16" is a day only year first.
    assert dotted_dates(["3.7 (98.04.16)", "3.6 (04.02.22)"]) == {}


def test_extract_year_first_dotted_date_behind_a_version() -> None:
    # mutagen's NEWS: "1.37 - 2017.02.24" over an RST underline.
    page = (
        "1.37 - 2017.02.24\n-----------------\n\n* Fix a crash\n\n"
        "1.36 - 2017.01.03\n-----------------\n\n* Add x\n"
    )
    for content_type in ("text/markdown", "text/x-rst"):
        assert [(k, d) for k, _, d in _read(page, content_type)] == [
            ("1.37", "2017-02-24"),
            ("1.36", "2017-01-03"),
        ]


def test_dotted_dates_year_first_needs_a_real_year_and_day() -> None:
    assert dotted_dates(["1.3 - 2017.13.01", "1.2 - 3017.01.01", "1.1 (2016.10.31)"]) == {
        "1.1 (2016.10.31)": (date(2016, 10, 31), 5, 15)
    }


def test_extract_date_right_after_the_version_dates_a_signed_heading() -> None:
    # GNU-style NEWS: "v0.8.7 2003-11-23  Timo Sirainen <tss@iki.fi>".
    page = (
        "v0.8.7 2003-11-23  A. Writer <aw@example.org>\n\n\t- Fix a crash\n\n"
        "v0.8.6 2003-09-01  A. Writer <aw@example.org>\n\n\t- Add y\n"
    )
    assert [(k, d) for k, _, d in _read(page, "text/plain")] == [
        ("0.8.7", "2003-11-23"),
        ("0.8.6", "2003-09-01"),
    ]


def test_extract_version_in_brackets_is_not_read_as_a_short_date() -> None:
    page = "## 4.0 (based on 12.04.22)\n\n- a\n\n## 3.9 (12.04.22-beta)\n\n- b\n"
    assert [d for _, _, d in _read(page)] == [None, None]


def test_extract_date_before_a_closing_colon() -> None:
    # Pidgin's ChangeLog: "version 2.10.0 (08/18/2011):" over its tab-indented changes.
    page = (
        "version 2.10.0 (08/18/2011):\n\tlibpurple:\n\t* Fix a crash\n\n"
        "version 2.9.0 (06/23/2011):\n\tlibpurple:\n\t* Add a thing\n"
    )
    assert [(k, d) for k, _, d in _read(page, "text/plain")] == [
        ("2.10.0", "2011-08-18"),
        ("2.9.0", "2011-06-23"),
    ]
