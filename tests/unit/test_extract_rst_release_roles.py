"""Changelogs written for the Sphinx `releases` extension: `:release:` lines in a flat list."""

from __future__ import annotations

from tests.support.extracting import day, extracted

PAGE = """\
=========
Changelog
=========

* :bug:`90` Not released yet.
* :release:`2.4.1 <2021-06-03>`
* :release:`2.3.7 <2021-06-03>`
* :bug:`88` Close sockets on timeout.
* :release:`2.4.0 <2021-05-20>`
* :feature:`80` Add a retry policy.
* :support:`79` Document the retry policy.
"""


def test_release_roles_are_an_entry_each_with_the_items_below() -> None:
    items = {i.key: i for i in extracted(PAGE, "text/x-rst")}
    assert list(items) == ["2.4.1", "2.3.7", "2.4.0"]
    assert [day(i) for i in items.values()] == ["2021-06-03", "2021-06-03", "2021-05-20"]
    assert items["2.4.0"].title == "2.4.0"
    assert "Add a retry policy." in items["2.4.0"].text
    assert "Close sockets" not in items["2.4.0"].text


def test_release_roles_in_a_row_share_their_items() -> None:
    items = {i.key: i for i in extracted(PAGE, "text/x-rst")}
    assert "Close sockets on timeout." in items["2.4.1"].text
    assert items["2.4.1"].text == items["2.3.7"].text


def test_items_above_the_first_release_line_are_not_released() -> None:
    items = extracted(PAGE, "text/x-rst")
    assert not any("Not released yet" in i.text for i in items)


def test_release_role_sniffed_from_plain_text() -> None:
    assert [i.key for i in extracted(PAGE, "text/plain")] == ["2.4.1", "2.3.7", "2.4.0"]


def test_release_role_mentioned_in_prose_is_no_release_line() -> None:
    page = (
        "Changes\n=======\n\n1.1 (2021-01-02)\n----------------\n\n"
        "* Document the :release:`1.0 <2021-01-01>` role in our guide.\n\n"
        "1.0 (2021-01-01)\n----------------\n\n* First release.\n"
    )
    assert [i.key for i in extracted(page, "text/x-rst")] == ["1.1", "1.0"]
