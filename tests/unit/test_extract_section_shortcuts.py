"""Shortcuts of the entry splitter and its helpers (issue 15, P5) give what the plain readings
give: make_item's key stripped and bounded and its date made aware inline, date_key's plain-day
test, sections cut from a tuple of the page's blocks, the bold-paragraph test reading a bold
element's tail first, a titled section's list items and sub-headings told in one loop, and the
HTML page's bytes handed to the parser without building its text (`utf8_body`)."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime, timedelta

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.dates import Month, date_key
from radar.extract.blocks import Block, split_entries
from radar.extract.common import _UTF8_CHUNK, bounded_key, decode_body_utf8, make_item, utf8_body
from radar.extract.htmlblocks import _bold_paragraphs
from radar.extract.sections import sections_at
from radar.model import FetchResult

URL = "https://example.com/changelog"

days = st.dates(min_value=date(1970, 1, 1), max_value=date(2200, 12, 31))
moments = (
    days
    | st.datetimes()
    | st.datetimes(timezones=st.just(UTC))
    | days.map(lambda d: Month(d.year, d.month, 1))
)


@given(st.text(alphabet=" ab-\t\u00e9\ud800", max_size=300))
def test_make_item_key_is_the_bounded_key_of_the_encodable_key(key: str) -> None:
    expected = bounded_key(key if key.isascii() else key.replace("\ud800", "\ufffd"))
    assert make_item(key, "t", "x").key == expected


@given(moments)
def test_make_item_dates_each_kind_of_date_as_before(value: date | datetime) -> None:
    item = make_item("k", "t", "x", published=value)
    if isinstance(value, datetime):
        assert item.published == (value if value.tzinfo else value.replace(tzinfo=UTC))
    else:
        assert item.published == datetime(value.year, value.month, value.day, tzinfo=UTC)
    assert item.month_only == isinstance(value, Month)


@given(moments)
def test_date_key_writes_a_day_or_a_month(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    expected = f"{day.year:04d}-{day.month:02d}"
    assert date_key(value) == (expected if isinstance(value, Month) else f"{expected}-{day:%d}")


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abc")), max_size=12))
def test_sections_of_a_list_and_of_its_tuple_are_the_same(shape: list[tuple[int, str]]) -> None:
    blocks = [Block(text, level) for level, text in shape]
    from_list = sections_at(blocks, 2)
    assert from_list == sections_at(tuple(blocks), 2)
    assert all(type(section.body) is tuple for section in from_list)


def test_bold_paragraph_is_one_bold_element_with_no_text_around_it() -> None:
    main = lxml.html.fromstring(
        "<div><p id='a'><strong>Feature level 2</strong>\n</p>"
        "<p id='b'><strong>Note</strong>: read this</p>"
        "<p id='c'>See <b>this</b></p><p id='d'><b>one</b><b>two</b></p></div>"
    )
    assert {p.get("id") for p in _bold_paragraphs(main)} == {"a"}


def _titles(blocks: list[Block]) -> list[str]:
    return [item.title for item in split_entries(blocks, URL)]


def test_a_list_after_the_sub_headings_is_no_table_of_contents() -> None:
    # The list item comes after the sub-heading: the section stays one entry.
    blocks = [
        Block("Platform update", 2),
        Block("Intro text."),
        Block("Files", 3),
        Block("Files", item=True),
        Block("Other", 2),
        Block("More text."),
    ]
    assert _titles(blocks) == ["Platform update", "Other"]


def test_a_table_of_contents_before_the_sub_headings_splits_the_section() -> None:
    blocks = [
        Block("Changes", 2),
        Block("Files", item=True),
        Block("Search", item=True),
        Block("Files", 3),
        Block("Files changed."),
        Block("Search", 3),
        Block("Search changed."),
        Block("Other", 2),
        Block("More text."),
    ]
    assert _titles(blocks) == ["Files", "Search", "Other"]


def test_subjects_under_a_section_name_are_entries_and_plain_text_is_not() -> None:
    blocks = [
        Block("Breaking changes", 2),
        Block("Files | Uploads", 3),
        Block("Uploads changed."),
        Block("Notes", 2),
        Block("Plain text, no sub-heading."),
    ]
    assert _titles(blocks) == ["Files | Uploads", "Notes"]


def test_month_keys_stay_months_in_entries() -> None:
    blocks = [Block("March 2025", 2), Block("Text."), Block("April 2025", 2), Block("More.")]
    items = split_entries(blocks, URL)
    assert [i.key for i in items] == ["2025-03", "2025-04"]
    assert all(i.month_only for i in items)
    assert [i.published for i in items] == [
        datetime(2025, 3, 1, tzinfo=UTC),
        datetime(2025, 3, 1, tzinfo=UTC) + timedelta(days=31),
    ]


_CHARSETS = ["", "utf-8", "UTF8", "ascii", "latin-1", "cp1252", "utf-16", "idna", "base64", "x-no"]
_BODY_PARTS = [b"<p>", b"caf\xc3\xa9", b"caf\xe9", b"\xef\xbf\xbd", b"\xe2\x80", b"\x99", b" x "]


@given(
    st.lists(st.sampled_from(_BODY_PARTS), min_size=1, max_size=8),
    st.sampled_from(_CHARSETS),
    st.sampled_from(_CHARSETS),
    st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]),
    st.integers(0, 3),
)
def test_utf8_body_is_the_bytes_decode_body_utf8_gives(
    parts: list[bytes], header: str, meta: str, bom: bytes, repeat: int
) -> None:
    # `repeat` makes bodies longer than a validation chunk, with characters cut between two.
    body = bom + (f'<meta charset="{meta}">'.encode() if meta else b"") + b"".join(parts)
    body = body * (1 + repeat * (_UTF8_CHUNK // len(body) + 1)) if repeat else body
    content_type = f"text/html; charset={header}" if header else "text/html"
    result = FetchResult(URL, 200, body, content_type)
    assert utf8_body(result) == decode_body_utf8(result)[1]


def test_utf8_body_refuses_bytes_cut_at_the_end() -> None:
    result = FetchResult(URL, 200, b"<p>x</p>" * 5000 + b"\xe2\x80", "text/html")
    assert utf8_body(result) is None
    assert decode_body_utf8(result)[1] is None


@pytest.mark.parametrize("char", ["é", "’", "😀", "\udcff"])
@pytest.mark.parametrize("edge", [_UTF8_CHUNK, 2 * _UTF8_CHUNK])
def test_utf8_body_reads_a_character_cut_at_a_chunk_edge(char: str, edge: int) -> None:
    # Every cut of the character's bytes across the edge between two validation chunks, whole
    # and with its last byte missing (invalid): as bytes.decode reads it. (A lone surrogate
    # is never valid UTF-8.)
    raw = char.encode("utf-8", "surrogatepass")
    for shift in range(-len(raw), 2):
        for piece in (raw, raw[:-1]):
            body = b"x" * (edge + shift) + piece + b"y" * 10
            try:
                body.decode("utf-8")
                valid = True
            except UnicodeDecodeError:
                valid = False
            result = FetchResult(URL, 200, body, "text/html")
            assert (utf8_body(result) == body) is valid


@pytest.mark.parametrize("charset", ["\x00", "no-such-charset", "idna", ""])
def test_a_charset_no_page_can_be_read_in_falls_back_to_utf8(charset: str) -> None:
    # A NUL in the declared name makes codecs.lookup raise ValueError, not LookupError.
    result = FetchResult(URL, 200, b"<p>caf\xc3\xa9</p>", f"text/html; charset={charset}")
    assert decode_body_utf8(result) == ("<p>café</p>", result.body)
    assert utf8_body(result) == result.body
