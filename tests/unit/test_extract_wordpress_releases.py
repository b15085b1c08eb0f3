"""WordPress plugin changelogs: "= 1.2.1 - 2022-07-01 =" release lines are the entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.extract import extract
from radar.extract.releaseheads import wordpress_release_headings
from radar.model import FetchResult, Item, Source, SourceKind

# A WooCommerce changelog.txt (pinterest-for-woocommerce, abridged): a title line, then each
# release line over its "* Fix - ..." items; one item names <body> inside the sniffed head.
CHANGELOG_TXT = b"""*** Pinterest for WooCommerce Changelog ***

= 1.2.1 - 2022-07-01 =
* Fix - Error printing end of line character.

= 1.2.0 - 2022-06-27 =
* Add - Argentina, Colombia and Chile to ads supported countries.
* Fix - Move the <noscript> base code to <body>.
* Fix - Typo errors on translatable strings.

= 1.0.0 - 2021-10-25 =
- Initial release
"""

# A wordpress.org readme.txt: header fields and other sections around "== Changelog ==", release
# lines with no blank line before them (a list would otherwise swallow them), and an "Upgrade
# Notice" whose "= 2.0 =" lines are notes, not releases.
README_TXT = b"""=== Pin Plugin ===
Contributors: someone
Stable tag: 2.0.1

Short description.

== Description ==

Does things.

== Changelog ==
= 2.0.1 =
* Fix - Crash on save.
= 2.0 (2023-01-05) =
* Add - New API.
* Tweak - Faster.
= 1.9 =
Maintenance release.

== Upgrade Notice ==
= 2.0 =
Back up first.
"""


def _extract(body: bytes, content_type: str, url: str = "https://x/changelog.txt") -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url=url)
    return extract(source, FetchResult(source.url, 200, body, content_type))


@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown"])
def test_wordpress_changelog_txt_gives_one_entry_per_release(content_type: str) -> None:
    items = _extract(CHANGELOG_TXT, content_type)
    assert [i.key for i in items] == ["1.2.1", "1.2.0", "1.0.0"]
    assert [i.published for i in items] == [
        datetime(2022, 7, 1, tzinfo=UTC),
        datetime(2022, 6, 27, tzinfo=UTC),
        datetime(2021, 10, 25, tzinfo=UTC),
    ]
    assert items[0].title == "1.2.1: Fix - Error printing end of line character."
    assert items[1].text.splitlines() == [
        "Add - Argentina, Colombia and Chile to ads supported countries.",
        "Fix - Move the base code to .",
        "Fix - Typo errors on translatable strings.",
    ]


def test_wordpress_readme_reads_releases_of_its_changelog_section_only() -> None:
    items = _extract(README_TXT, "text/plain", "https://x/readme.txt")
    assert [(i.key, i.text) for i in items] == [
        ("2.0.1", "Fix - Crash on save."),
        ("2.0", "Add - New API.\nTweak - Faster."),
        ("1.9", "Maintenance release."),
    ]
    assert items[1].published == datetime(2023, 1, 5, tzinfo=UTC)
    assert items[0].published is None


def test_wordpress_release_lines_become_markdown_headings() -> None:
    text = "== Changelog ==\n= 1.2.1 - 2022-07-01 =\n* Fix - a\n=  Unreleased  =\n* Add - b\n"
    assert wordpress_release_headings(text).splitlines() == [
        "# Changelog",
        "## 1.2.1 - 2022-07-01",
        "* Fix - a",
        "## Unreleased",
        "* Add - b",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "# Changelog\n\n## 1.2.1\n\n- Fix\n",
        "== Description ==\n\n= How? =\nLike this.\n",  # a readme with no release line
        "Set `x = 1.2 =` in the config.\n",  # not a line of its own
        "== Description ==\nText.\n\n== Upgrade Notice ==\n= 2.0 =\nBack up first.\n",
    ],
)
def test_text_without_wordpress_release_lines_is_left_as_it_is(text: str) -> None:
    assert wordpress_release_headings(text) is text
