"""A release index: a list whose items each name one release and its date (a Jekyll or Hugo
project site's "Releases" page), an entry per item keyed by its version and linked to its own
page (`releaselist`)."""

from __future__ import annotations

from radar.extract.releaselist import MAX_NAME_WORDS
from support.extracting import URL, day, extracted

HTML = """<html><body><main>
<h1>Downloads</h1>
<h2>All releases</h2>
<p>Every release of Quill, newest first.</p>
<ul>
  <li><b><a href="/news/2024/03/quill-3-1/">Quill 3.1</a> (March 2024)</b></li>
  <li><a href="/news/2024/01/quill-3-0-2/">Quill 3.0.2</a> (January 2024)</li>
  <li><a href="https://quill.example.org/news/3-0-1">Quill 3.0.1</a> - 12 November 2023</li>
</ul>
<h2>Mailing list</h2>
<p>Write to the list for help.</p>
</main></body></html>"""

MARKDOWN = """# Downloads

## All releases

Every release of Quill, newest first.

- **[Quill 3.1](/news/2024/03/quill-3-1/) (March 2024)**
- [Quill 3.0.2](/news/2024/01/quill-3-0-2/) (January 2024)
- [Quill 3.0.1](https://quill.example.org/news/3-0-1) - 12 November 2023

## Mailing list

Write to the list for help.
"""

RELEASES = [
    ("3.1", "Quill 3.1", "2024-03-01", True, "https://example.com/news/2024/03/quill-3-1/"),
    ("3.0.2", "Quill 3.0.2", "2024-01-01", True, "https://example.com/news/2024/01/quill-3-0-2/"),
    ("3.0.1", "Quill 3.0.1", "2023-11-12", False, "https://quill.example.org/news/3-0-1"),
]


def releases(text: str, content_type: str) -> list[tuple[str, str, str | None, bool, str | None]]:
    return [
        (i.key, i.title, day(i), i.month_only, i.url)
        for i in extracted(text, content_type)
        if i.key[0].isdigit()
    ]


def test_release_list_html_items_are_an_entry_each() -> None:
    assert releases(HTML, "text/html") == RELEASES


def test_release_list_markdown_items_are_an_entry_each() -> None:
    assert releases(MARKDOWN, "text/markdown") == RELEASES


def test_release_list_keeps_the_sections_lead_and_the_other_sections() -> None:
    keys = [i.key for i in extracted(HTML, "text/html")]
    assert "all-releases" in keys and "mailing-list" in keys


def test_release_list_item_without_a_link_points_at_its_heading() -> None:
    page = "## Releases\n\n- Quill 3.1 (March 2024)\n- Quill 3.0.2 (January 2024)\n"
    assert [i.url for i in extracted(page)] == [f"{URL}#releases"] * 2


def test_release_list_is_not_a_list_of_changes_naming_versions() -> None:
    # More words before the version than a release's name: a change, and the list stays text.
    words = " ".join(["word"] * (MAX_NAME_WORDS + 1))
    page = (
        "## Notes\n\nWhat changed this year.\n\n"
        f"- Drop support for Node 14.0 (April 2023)\n- {words} 2.1 (May 2023)\n"
    )
    assert [i.key for i in extracted(page)] == ["notes"]


def test_release_list_needs_every_item_dated() -> None:
    page = "## Requirements\n\n- Python 3.11 (October 2022)\n- PostgreSQL 15.2 or later\n"
    assert [i.key for i in extracted(page)] == ["requirements"]


def test_release_list_date_before_the_version_is_not_a_release_line() -> None:
    # "(2023) 1.2" is a year then a number: no release line opens with its date.
    page = "## Papers\n\n- Smith (March 2023) 1.2\n- Jones (April 2023) 3.4\n"
    assert [i.key for i in extracted(page)] == ["papers"]
