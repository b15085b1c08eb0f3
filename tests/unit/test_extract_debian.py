"""Debian changelogs (debian/changelog): an entry per upload, keyed by its version, dated by its
trailer, titled by its first change."""

from __future__ import annotations

import pytest

from radar.extract.debian import debian_text, looks_like_debian
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, SourceKind
from tests.support.extracting import day, extracted

PAGE = """chatter (2.1.0-2) unstable; urgency=medium

  * Fix the build with gcc 13
    (Closes: #1000)

 -- A. Maintainer <am@example.org>  Thu, 24 Aug 2023 01:03:23 -0400

chatter (2.1.0-1) unstable; urgency=low

  [ Other Person ]
  * New upstream release.
  * Drop the old init script.

 -- A. Maintainer <am@example.org>  Fri, 21 Jul 2023 14:41:44 -0700

chatter (2.0~rc1-1) experimental; urgency=medium

  * Build fix.

 -- A. Maintainer <am@example.org>  Fri, 19 May 2023 19:25:51 -0400
"""


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream"])
def test_extract_debian_changelog_gives_an_entry_per_upload(content_type: str) -> None:
    items = extracted(PAGE, content_type)
    assert [(i.key, i.title, day(i)) for i in items] == [
        ("2.1.0-2", "chatter 2.1.0-2: Fix the build with gcc 13 (Closes: #1000)", "2023-08-24"),
        (
            "2.1.0-1",
            "chatter 2.1.0-1: New upstream release.",
            "2023-07-21",
        ),  # (a name over its items)
        ("2.0", "chatter 2.0~rc1-1", "2023-05-19"),
    ]
    # The trailer is no change of the upload; its changes all are.
    assert items[1].text.splitlines()[-1] == "Drop the old init script."
    assert all("A. Maintainer" not in i.text for i in items)


def test_debian_changelog_is_sniffed_from_its_header() -> None:
    result = FetchResult("https://x/debian/changelog", 200, PAGE.encode(), "text/plain")
    assert sniff_kind(result) is SourceKind.CHANGELOG_MARKDOWN
    assert looks_like_debian(PAGE)


@pytest.mark.parametrize(
    "text",
    [
        "# Changelog\n\n## 1.0 (2024-01-01)\n\n- x\n",
        "chatter (2.1.0-2) unstable\n\n  * no urgency, no trailer\n",
        "Some prose (with brackets) and; urgency=high words.\n",
    ],
)
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert debian_text(text) == text
