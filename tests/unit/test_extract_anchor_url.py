"""`anchor_url`: an entry's URL with the page's part cleaned once per page (issue 15), always
what `clean_url` gives for the whole URL, as `make_item` cleaned it before."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from radar.extract.common import _encodable, anchor_url
from radar.text import clean_url


def expected(page: str, anchor: str) -> str | None:
    """What `make_item` made of the URL `blocks` used to hand it."""
    url = f"{page.split('#', 1)[0]}#{anchor}" if anchor else page
    return clean_url(_encodable(url)) if url else None


PAGES = st.sampled_from(
    [
        "https://e.com/changelog",
        "https://E.com/Log?utm_source=x&v=2#top",
        "http://127.0.0.1:8001/CHANGELOG.md",
        "https://e.com/a b/\tc ",
        "https://e.com/x;p=1?a=1",
        "javascript:alert(1)",
        "https://[::1/x",
        "/relative/page",
        "",
    ]
)
ANCHORS = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12) | st.sampled_from(
    ["2026-11-12", "v1.2.0", "a#b", "x ", " x", "x\x00y", "x\t", "\u2003", "é", "\ud800"]
)


@given(PAGES, ANCHORS)
@example("https://e.com/changelog", "x\x7f")
@example("https://e.com/changelog\ud800", "slug")
def test_anchor_url_is_clean_url_of_the_whole(page: str, anchor: str) -> None:
    assert anchor_url(page, anchor) == expected(page, anchor)


@pytest.mark.parametrize(
    ("page", "anchor", "url"),
    [
        ("https://E.com/log?utm_source=x#top", "v1-2", "https://e.com/log#v1-2"),
        ("https://e.com/log#top", "", "https://e.com/log#top"),
        ("https://e.com/log", "x ", "https://e.com/log#x"),
        ("ftp://e.com/log", "v1", None),
    ],
)
def test_anchor_url_examples(page: str, anchor: str, url: str | None) -> None:
    assert anchor_url(page, anchor) == url
