"""Plain-text changelogs whose releases are column-0 lines over indented items (Friendica's
CHANGELOG, GNU NEWS): each release line is an entry, its lines nested items under it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.extract import extract
from radar.extract.indented import indented_release_headings
from radar.extract.markdown import markdown_blocks
from radar.model import FetchResult, Item, Source, SourceKind

# Friendica's CHANGELOG (abridged): a stray first line, release lines over groups ("Friendica
# Core") indented less than their items, an empty group, a group whose items are indented
# deeper again (an addon's name over its changes), and an item whose wrapped line is indented
# like it.
FRIENDICA = b"""Up to Hide your contact/friend list not available for public group accounts Oct 29

Version 2023.12 (unreleased)
  Friendica Core
    Updates to the translations AR, BG, CA
    Fixed a bug in notification links [annando,  keithhacks]
  Friendica Addons
      Added bidirectional Bluesky connector [annando]

  Closed Issues
     8542, 10369, 12530,

Version 2023.05 (2023-05-23)
  Friendica Core
    Improved the probing of remote accounts [Annando, ne20002]

  Friendica Addons
    bluesky
      Added the bluesky connector [annando]
      The functionality of this addon has been moved to the
      core for the frio and vier themes. [annando]

Version 2023.04-1 (2023-04-27)
  Friendica Core

  Friendica Addons
    tumblr
      **Breaking** Switch to OAuth2 [annando]
"""

# A GNU NEWS file: an outline title, "* Noteworthy changes in release ..." lines whose date is
# followed by a tag, "** Bug fixes" section lines at column 0, and paragraphs of several lines
# under them; one paragraph line opens with what Markdown would read as a heading.
GNU_NEWS = b"""GNU coreutils NEWS                                    -*- outline -*-

* Noteworthy changes in release 9.4 (2023-08-29) [stable]

** Bug fixes

  On GNU/Linux s390x and alpha, programs like 'cp' and 'ls' no longer
  fail to copy or list files with certain numbers of extended attributes.
  [bug introduced in coreutils-9.0]

  'pr --length=1 --double-space' no longer enters an infinite loop.
  [This bug was present in "the beginning".]

** New Features

  cp --reflink=auto is now the default.

* Noteworthy changes in release 9.3 (2023-04-18) [stable]

** Bug fixes

  cp, mv, and install will again fall back to a standard copy.
  [bug introduced in coreutils-9.2]

  # of hard links is now counted right
  by du.
"""


def _extract(body: bytes, url: str = "https://x/CHANGELOG") -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url=url)
    return extract(source, FetchResult(source.url, 200, body, "text/plain"))


def test_indented_release_lines_are_entries() -> None:
    items = _extract(FRIENDICA)
    assert [i.title.split(":")[0] for i in items] == [
        "Version 2023.12 (unreleased)",
        "Version 2023.05",
        "Version 2023.04-1",
    ]
    assert [i.key.split("~")[0] for i in items] == ["2023.12", "2023.05", "2023.04"]


def test_indented_release_lines_date_their_entries() -> None:
    items = _extract(FRIENDICA)
    assert [i.published for i in items] == [
        None,  # "(unreleased)"
        datetime(2023, 5, 23, tzinfo=UTC),
        datetime(2023, 4, 27, tzinfo=UTC),
    ]


def test_indented_items_nest_under_their_group() -> None:
    markdown = indented_release_headings(FRIENDICA.decode())
    assert "## Version 2023.05 (2023-05-23)\n\n- Friendica Core\n  - Improved the probing" in (
        markdown
    )
    assert "- Friendica Addons\n  - bluesky\n    - Added the bluesky connector" in markdown
    # The stray first line is no release: it stays where it was, as text.
    assert markdown.startswith("Up to Hide your contact/friend list")
    # An indented line under a release is never a code block: every entry's text is its lines.
    first = _extract(FRIENDICA)[0]
    assert first.text.split("\n") == [
        "Friendica Core",
        "Updates to the translations AR, BG, CA",
        "Fixed a bug in notification links [annando, keithhacks]",
        "Friendica Addons",
        "Added bidirectional Bluesky connector [annando]",
        "Closed Issues",
        "8542, 10369, 12530,",
    ]


def test_indented_wrapped_lines_stay_items_and_markup_is_read() -> None:
    second, third = _extract(FRIENDICA)[1:]
    assert "The functionality of this addon has been moved to the" in second.text.split("\n")
    assert third.text.split("\n")[-1] == "Breaking Switch to OAuth2 [annando]"


def test_gnu_news_releases_are_dated_entries_of_paragraphs() -> None:
    items = _extract(GNU_NEWS, url="https://x/NEWS")
    assert [(i.key, i.published) for i in items] == [
        ("9.4", datetime(2023, 8, 29, tzinfo=UTC)),
        ("9.3", datetime(2023, 4, 18, tzinfo=UTC)),
    ]
    assert items[0].title == "Noteworthy changes in release 9.4 [stable]"
    # A paragraph is one item; its section line ("** Bug fixes") is the group over it.
    assert items[1].text.split("\n") == [
        "Bug fixes",
        "cp, mv, and install will again fall back to a standard copy. "
        "[bug introduced in coreutils-9.2]",
        "# of hard links is now counted right by du.",
    ]


def test_indented_release_is_one_paragraph_to_markdown() -> None:
    # Why the pre-pass: read as it is, a release and its indented lines are one paragraph
    # (lazy continuation lines), so no block is only a release line, and there is no heading.
    blocks = markdown_blocks(FRIENDICA.decode())
    assert not any(b.level for b in blocks)
    assert blocks[1].text.startswith("Version 2023.12 (unreleased) Friendica Core Updates")


@pytest.mark.parametrize(
    "page",
    [
        # A Markdown page: its headings split it already.
        "# Changelog\n\nVersion 1.2 (2020-01-01)\n  Fixed a bug\n\nVersion 1.1\n  Added x\n",
        # Only one release line over indented lines.
        "Notes\n\nVersion 1.2 (2020-01-01)\n  Fixed a bug\n\nMore text.\n",
        # Release lines with nothing indented under them (release_lines_as_headings reads it).
        "1.2.0 (2020-01-01)\n\nFixed a bug.\n\n1.1.0 (2019-01-01)\n\nAdded x.\n",
        # Version numbers in sentences, over an indented example.
        "Upgrading from 1.2 to 2.0 needs a new config file, as shown below:\n  a = 1\n\n"
        "Python 3.8 is no longer supported since this release of the tool:\n  b = 2\n",
    ],
)
def test_other_pages_are_left_alone(page: str) -> None:
    assert indented_release_headings(page) is page


def test_a_hostile_long_line_is_text_not_a_release_line() -> None:
    # "1.1.1...1 x y z w v u" thousands of dots long: the release-line pattern would backtrack
    # for minutes on it; a line longer than any release line is text, read at once.
    line = "1" + ".1" * 50_000 + " x y z w v u"
    page = f"intro\n{line}\n  item\n{line}\n  item\n"
    assert indented_release_headings(page) == page
