"""A one-item list right before another list names the group of items below it ("* Changes in
this version" over "- Add X": CommonMark starts a new list at another bullet). It is a line of
its own, not an item, so it titles no release; read the same with and without the parser."""

from __future__ import annotations

import pytest

from radar.extract.blocks import Block
from radar.extract.markdown import markdown_blocks
from tests.support.extracting import extracted

PAGE = (
    "# Version 20.07\n\n"
    "* Changes in this version\n"
    "- Add support for unix sockets in listeners\n"
    "- Fix crash of rooms with a logger\n\n"
    "# Version 19.09\n\n"
    "* Admin\n"
    "- Raise the minimum supported runtime\n"
    "* Core\n"
    "- Faster sessions\n"
)


def test_extract_a_group_name_over_its_items_titles_no_release() -> None:
    assert [(i.key, i.title) for i in extracted(PAGE)] == [
        ("20.07", "Version 20.07: Add support for unix sockets in listeners"),
        ("19.09", "Version 19.09: Raise the minimum supported runtime"),
    ]


@pytest.mark.parametrize("presplit", [False, True])
def test_group_names_are_lines_with_or_without_the_parser(presplit: bool) -> None:
    blocks = markdown_blocks(PAGE, presplit=presplit)
    assert Block("Changes in this version") in blocks
    assert Block("Admin") in blocks and Block("Core") in blocks
    assert Block("Faster sessions", item=True) in blocks


def test_a_one_item_list_with_a_sentence_or_before_text_stays_an_item() -> None:
    page = (
        "## 1.2.0\n\n* Fixed the crash on start when no config file exists.\n- Faster sync\n\n"
        "## 1.1.0\n\n* Admin\n\nSome words between.\n\n- Added export\n"
    )
    for presplit in (False, True):
        blocks = markdown_blocks(page, presplit=presplit)
        assert Block("Fixed the crash on start when no config file exists.", item=True) in blocks
        assert Block("Admin", item=True) in blocks
