"""A date line with the entry's text right under it (one paragraph, a soft line break) dates
the entry, as a date line with a blank line after it does (Reddit Devvit's changelog)."""

from __future__ import annotations

import pytest

from radar.extract import extract
from radar.extract.blocks import Block
from radar.extract.markdown import markdown_blocks
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/changelog"
PAGE = (
    "## Devvit 0.10.15: updated error messages\n\n"
    "**Release Date: February 16, 2024**\n"
    "Devvit 0.10.15 has updated error messages.\n\n"
    "## Devvit 0.10.14: New Redis commands\n\n"
    "**Release Date: January 25, 2024**\n\n"
    "New commands.\n"
)


def run(markdown: str) -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_MARKDOWN, url=URL)
    return extract(source, FetchResult(URL, 200, markdown.encode(), "text/markdown"))


def test_extract_date_line_soft_broken_from_its_text_dates_the_entry() -> None:
    first, second = run(PAGE)
    assert (first.key, str(first.published.date()) if first.published else None) == (
        "0.10.15",
        "2024-02-16",
    )
    assert first.text == "Devvit 0.10.15 has updated error messages."
    assert second.published is not None and str(second.published.date()) == "2024-01-25"


@pytest.mark.parametrize("presplit", [False, True])
def test_extract_date_line_is_a_block_of_its_own_either_way(presplit: bool) -> None:
    blocks = markdown_blocks(PAGE, presplit=presplit)
    assert blocks[:3] == [
        Block("Devvit 0.10.15: updated error messages", level=2),
        Block("Release Date: February 16, 2024"),
        Block("Devvit 0.10.15 has updated error messages."),
    ]


@pytest.mark.parametrize("presplit", [False, True])
def test_extract_other_first_lines_stay_in_their_paragraph(presplit: bool) -> None:
    text = "## Title\n\nThis release\nfixes things.\n\nReleased March 3, 2024\nlater text.\n"
    assert markdown_blocks(text, presplit=presplit) == [
        Block("Title", level=2),
        Block("This release fixes things."),
        Block("Released March 3, 2024 later text."),  # not right under the heading
    ]
