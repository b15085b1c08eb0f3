"""AsciiDoc changelogs (CHANGELOG.adoc) served as text: section titles read as headings."""

from __future__ import annotations

import pytest

from radar.extract.asciidoc import asciidoc_as_markdown, looks_like_asciidoc
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, SourceKind
from tests.support.extracting import URL, day, extracted

ADOC = """\
= Widget Changelog
:toc: macro
:uri-repo: https://example.com/widget

// tag::latest[]
== 3.1.0 (2023-02-14) - @maintainer

Improvements::

  * faster parsing of long documents (#41)
  * see {uri-repo}/issues/40[the issue] for details

// end::latest[]
[[v3-0-1]]
== 3.0.1 (2023-01-09) - @maintainer

Bug Fixes::

  * stop dropping the last line
** also in nested lists

[source,ruby]
----
== not a title
----
"""


@pytest.mark.parametrize("content_type", ["text/plain", "text/asciidoc", "text/markdown"])
def test_asciidoc_changelog_is_an_entry_per_section(content_type: str) -> None:
    items = {i.key: i for i in extracted(ADOC, content_type)}
    assert list(items) == ["3.1.0", "3.0.1"]
    assert [day(i) for i in items.values()] == ["2023-02-14", "2023-01-09"]
    assert items["3.1.0"].title.startswith("3.1.0")
    assert "@maintainer" not in items["3.1.0"].title
    assert "faster parsing of long documents (#41)" in items["3.1.0"].text
    assert "see the issue for details" in items["3.1.0"].text
    assert "also in nested lists" in items["3.0.1"].text


def test_asciidoc_drops_what_a_reader_never_sees() -> None:
    text = asciidoc_as_markdown(ADOC)
    assert ":toc:" not in text and "tag::latest" not in text and "[source,ruby]" not in text
    assert "## 3.0.1 (2023-01-09) - @maintainer {#v3-0-1}" in text
    assert "```\n== not a title\n```" in text  # a listing block stays code, not a title


def test_asciidoc_without_document_title_is_asciidoc_when_no_markdown_heading() -> None:
    assert looks_like_asciidoc("== 1.1 (2020-01-02)\n\n* a\n\n== 1.0 (2020-01-01)\n\n* b\n")


@pytest.mark.parametrize(
    "text",
    [
        # WordPress readme: titles closed with `==`.
        "=== Plugin ===\n\n== Changelog ==\n\n= 1.2 =\n* fix\n",
        # Markdown with a heading, and an `==` line in prose.
        "# Changelog\n\n## 1.0\n\n== 2 is compared here\n",
        # Markdown setext underlines.
        "Changelog\n=========\n\n1.0\n===\n\n* fix\n",
    ],
)
def test_asciidoc_near_misses_are_not_asciidoc(text: str) -> None:
    assert not looks_like_asciidoc(text)


def test_asciidoc_sniffed_as_a_page_the_markdown_reader_takes() -> None:
    result = FetchResult(URL, 200, ADOC.encode(), "text/plain")
    assert sniff_kind(result) is SourceKind.CHANGELOG_MARKDOWN


def test_heading_date_followed_by_words_about_a_handle_is_no_release_date() -> None:
    page = (
        "# Log\n\n## 1.1 (2020-01-02) - @ana\n\n- a\n\n## 1.0 (2020-01-01) - thanks @bob\n\n- b\n"
    )
    items = {i.key: i for i in extracted(page)}
    assert day(items["1.1"]) == "2020-01-02"
    assert day(items["1.0"]) is None  # words after the date: a date in the middle
