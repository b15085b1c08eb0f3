"""Extraction shortcuts (issue 15) give what the slower ways give: an HTML page's bytes go to
lxml as they are when they are the decoded text's UTF-8, the strong/emphasis rules with their
marker outside the alternatives, the MDX body reader's cheap tests before its rule regexes, and
the heading-date shortcut of the entry splitter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.extract import markdown_inline as MD
from radar.extract.blocks import Block, split_entries
from radar.extract.common import decode_body, decode_body_utf8
from radar.extract.mdx.body import _RULE, _TABLE_RULE, read_markdown
from radar.extract.pagetexts import PageTexts
from radar.model import FetchResult

URL = "https://example.com/changelog"


@pytest.mark.parametrize(
    ("body", "content_type", "same"),
    [
        (b"<p>plain</p>", None, True),
        ("<p>café</p>".encode(), "text/html; charset=utf-8", True),
        (b"<p>ascii</p>", "text/html; charset=us-ascii", True),
        (b'<meta charset="utf-8"><p>x</p>', None, True),
        (b"\xef\xbb\xbf<p>bom</p>", None, False),  # the BOM is not part of the text
        (b"<p>caf\xe9</p>", None, False),  # not UTF-8: read as cp1252
        (b"<p>caf\xe9</p>", "text/html; charset=utf-8", False),  # a byte replaced
        ("<p>é</p>".encode(), "text/html; charset=latin-1", False),
        ("<p>\ufffd</p>".encode(), "text/html; charset=utf-8", False),  # cannot tell: slow way
    ],
)
def test_decode_body_utf8_gives_the_bytes_only_when_they_are_the_text(
    body: bytes, content_type: str | None, same: bool
) -> None:
    result = FetchResult(URL, 200, body, content_type)
    text, raw = decode_body_utf8(result)
    assert text == decode_body(result)
    assert (raw is not None) is same
    if raw is not None:
        assert raw == text.encode("utf-8")


_OLD_RULES = {
    "**": re.compile(r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*|\*\*(?=\S).*", re.S),
    "__": re.compile(r"(__)(?=\S)(.+?)(?<=\S)__|__(?=\S).*", re.S),
}


@given(st.text(alphabet="*_ ab\n", max_size=24), st.sampled_from(["**", "__"]))
def test_inline_strong_rules_match_as_the_alternation_did(text: str, marker: str) -> None:
    rule = next(r for r in MD._INLINE_RULES if r[0] == marker)
    keep = MD._kept(2)
    assert rule[1].sub(keep, text) == _OLD_RULES[marker].sub(keep, text)


@given(st.text(alphabet="-*_|: \tab", min_size=1, max_size=12))
def test_mdx_body_skips_rules_and_table_rules_as_the_regexes_say(line: str) -> None:
    line = line.strip()
    if not line:
        return
    skipped = line[0] in "-*_|:" and bool(_RULE.match(line) or _TABLE_RULE.match(line))
    body = read_markdown(f"{line}\n")
    if skipped:
        assert body.text == ""
    else:
        assert body.text or not line.strip("-*+|: \t")


def test_mdx_body_reads_bullets_rules_and_tables() -> None:
    body = read_markdown("- **Fix:** one\n\n---\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n* * *\n")
    assert body.text == "Fix: one a b 1 2"


@given(st.text(max_size=30))
def test_page_find_date_shortcut_agrees_with_find_date(text: str) -> None:
    from radar.dates import find_date

    assert PageTexts(URL).find_date(text) == find_date(text)


def test_split_entries_dates_titled_sections_by_the_date_heading_below() -> None:
    blocks = [
        Block("Voice Modes", 2),
        Block("August 13, 2024", 4),
        Block("Added modes."),
        Block("Gateway 8", 2),
        Block("August 12, 2024", 4),
        Block("Resume."),
    ]
    items = split_entries(blocks, URL)
    assert [i.key for i in items] == ["2024-08-13-voice-modes", "2024-08-12-gateway-8"]


# Texts of every kind: ASCII and not, typography, zero-width and combining characters,
# whitespace of all sorts, backticks and lone surrogates.
any_text = st.lists(
    st.text(max_size=8)
    | st.sampled_from(["`", "\u0301", "\u200b", "\u00a0", "…", "“", "ﬁ", "e\u0301", "\ud800"]),
    max_size=6,
).map("".join)


@given(st.lists(any_text, max_size=6))
def test_normal_texts_joined_by_spaces_are_normal(texts: list[str]) -> None:
    # Why split_entries(normal=True) may hand make_item the join of block texts as it is.
    from radar.text import normalize_text

    joined = " ".join(n for n in map(normalize_text, texts) if n)
    assert normalize_text(joined) == joined


@given(st.lists(any_text, min_size=1, max_size=5), st.sampled_from([None, "2024-05-01"]))
def test_make_item_takes_normal_text_as_it_is(texts: list[str], published: str | None) -> None:
    from radar.dates import parse_date
    from radar.extract.common import make_item
    from radar.text import normalize_text

    text = " ".join(n for n in map(normalize_text, texts) if n)
    day = parse_date(published) if published else None
    fast = make_item("k", "t", text, URL, day, url_is_clean=True, text_is_normal=True)
    assert fast == make_item("k", "t", text, URL, day, url_is_clean=True)


heading_texts = (
    st.sampled_from(["2024-05-01", "2024-5-1", "2024-13-01", "1969-01-01", "2201-01-01"])
    | st.sampled_from(["August 13, 2024", "Aug. 3 2024", "Sept 31, 2024", "Foo 12, 2024"])
    | st.sampled_from(["May 1, 2024 ", " 2024-05-01", "Released: 2024-05-01", "v2024.1"])
    | any_text
)


@given(st.lists(heading_texts, min_size=1, max_size=6))
def test_page_heading_dates_agree_with_find_date_and_parse_date(texts: list[str]) -> None:
    from radar.dates import find_date, parse_date

    blocks = [Block(text, 2) for text in texts]
    page = PageTexts(URL)
    pure = page.heading_dates(blocks, list(range(len(blocks))))
    assert [pure[i] for i in range(len(texts))] == [parse_date(t) for t in texts]
    # What the one pass stored for each text is what find_date gives.
    assert [page.find_date(t) for t in texts] == [find_date(t) for t in texts]


@given(
    st.lists(
        st.tuples(st.sampled_from([0, 0, 0, 1, 2, 3, 4]), heading_texts, st.booleans()),
        max_size=14,
    )
)
def test_split_entries_of_normal_blocks_is_the_same_taken_as_normal(
    rows: list[tuple[int, str, bool]],
) -> None:
    from radar.text import normalize_text

    blocks = [Block(normalize_text(t), level, item=item and not level) for level, t, item in rows]
    assert split_entries(blocks, URL, normal=True) == split_entries(blocks, URL)


digit_texts = st.text(alphabet="0123456789-/ aZ.,é", max_size=14) | heading_texts


@given(digit_texts)
def test_page_texts_few_digits_and_no_year_agree_with_the_four_digit_regex(text: str) -> None:
    # Fewer than four digits (counted in C) is a shortcut of "no four in a row", for ASCII.
    from radar.extract import pagetexts

    no_run = text.isascii() and re.search(r"\d{4}", text) is None
    assert pagetexts._no_year(text) == no_run
    if pagetexts._few_digits(text):
        assert no_run


@given(st.lists(heading_texts, min_size=1, max_size=6), st.booleans())
def test_page_heading_dates_read_headings_in_any_order_as_parse_date(
    texts: list[str], reversed_order: bool
) -> None:
    # Titles with few digits are settled before `plain_date`; the rest as before.
    from radar.dates import parse_date

    blocks = [Block(text, 2) for text in texts]
    order = list(range(len(blocks)))[:: -1 if reversed_order else 1]
    pure = PageTexts(URL).heading_dates(blocks, order)
    assert [pure[i] for i in range(len(texts))] == [parse_date(t) for t in texts]


@given(st.sampled_from([URL, "https://E.com/Log?utm_source=x#top", "", "ftp://x/y"]), any_text)
def test_page_texts_heading_url_is_anchor_url_of_its_anchor_or_slug(page: str, text: str) -> None:
    from radar.extract.common import anchor_url
    from radar.text import normalize_text, slugify

    normal = normalize_text(text)
    texts = PageTexts(page or None, normal=True)
    for heading in (Block(normal, 2), Block(normal, 2, anchor="v1.2")):
        expected = anchor_url(page or None, heading.anchor or slugify(heading.text))
        assert texts.heading_url(heading) == expected


@given(any_text, st.sampled_from([None, "2024-05-01", "March 2025", "2024-05-01T10:00:00+02:00"]))
def test_make_item_takes_a_normal_title_as_it_is(title: str, published: str | None) -> None:
    # `title_is_normal` (a heading's text) and the date made aware by `combine`: the item the
    # full path makes, field for field (the date's zone and month flag included).
    from radar.dates import parse_date
    from radar.extract.common import make_item
    from radar.text import normalize_text

    normal = normalize_text(title)
    day = parse_date(published) if published else None
    fast = make_item("k", normal, "x", URL, day, url_is_clean=True, title_is_normal=True)
    slow = make_item("k", normal, "x", URL, day, url_is_clean=True)
    assert fast == slow
    assert repr(fast.published) == repr(slow.published)
    if day is not None:
        from radar.dates import as_datetime

        assert repr(fast.published) == repr(as_datetime(day))
