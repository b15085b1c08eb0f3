"""Shortcuts of the entry splitter (issue 11 follow-up) give what the plain readings give: the
headings' digits counted in one join, a numeric date heading dated wherever it repeats, the
release test passed over for headings that cannot open a release, the version search passed
over for paragraphs with no digit-dot-digit, the indexes of bold paragraphs made headings
merged in, and make_item's Item built from positional fields."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from radar.extract.blocks import Block, split_entries
from radar.extract.boldheads import bold_paragraphs_as_headings
from radar.extract.common import make_item, unique_keys
from radar.extract.pagetexts import PageTexts

URL = "https://example.com/changelog"

# Texts of every kind, with digits, line breaks and lone surrogates among them.
texts = st.text(max_size=12) | st.sampled_from(
    ["2024-05-01", "a\nb", "2024\n12", "v1.2.3", "١٢٣٤ 5", "x\ud800 2024", "", "12 34"]
)


@given(st.lists(texts, max_size=8))
def test_few_digits_each_is_few_digits_of_each_text(headings: list[str]) -> None:
    from radar.extract import pagetexts

    each = pagetexts._few_digits_each(headings)
    assert each == [pagetexts._few_digits(text) for text in headings]


def test_page_heading_dates_date_a_repeated_numeric_heading_each_time() -> None:
    # "15/01/2025" is read once for the page (`numeric_dates`); both headings take the date.
    blocks = [Block("15/01/2025", 2), Block("Notes", 3), Block("15/01/2025", 2)]
    blocks.append(Block("03/01/2025", 2))
    pure = PageTexts(URL).heading_dates(blocks, [0, 1, 2, 3])
    assert pure == {0: date(2025, 1, 15), 1: None, 2: date(2025, 1, 15), 3: date(2025, 1, 3)}


@given(st.text(alphabet="[]UNREunreleasd .:v12-", max_size=20) | st.text(max_size=30))
def test_a_heading_with_no_dot_longer_than_unreleased_opens_no_release(text: str) -> None:
    # What `sections_under_releases` passes over without asking `_opens_release`.
    from radar.extract.releaseheads import _UNRELEASED_CHARS, _opens_release

    if "." not in text and len(text) > _UNRELEASED_CHARS:
        assert not _opens_release(text, 0)


def test_unreleased_opens_a_release_at_its_longest() -> None:
    from radar.extract.releaseheads import _UNRELEASED_CHARS, _opens_release

    assert len("[Unreleased]") == _UNRELEASED_CHARS
    assert _opens_release("[Unreleased]", 0)


@given(st.text(alphabet="0123456789.v-rcab ٣", max_size=16) | st.text(max_size=20))
def test_a_text_that_names_a_version_holds_a_digit_dot_digit(text: str) -> None:
    # What `_names_a_release` searches for before `find_version`.
    from radar.extract.boldheads import _DIGIT_DOT_DIGIT
    from radar.versions import find_version

    if find_version(text) is not None:
        assert _DIGIT_DOT_DIGIT.search(text) is not None


BOLD_TEXTS: tuple[str, ...] = ("Feature level 196", "Feature level 195", "Bug fixes")
BOLD_TEXTS += ("Text of its own.", "2.0.1", "2024-05-01", "Improved links", "Bot API 5.1")
bold_rows = st.lists(
    st.tuples(st.sampled_from([0, 0, 0, 2, 3]), st.sampled_from(BOLD_TEXTS), st.booleans()),
    max_size=12,
)


@given(bold_rows)
def test_bold_headings_give_the_indexes_of_every_heading_then(
    rows: list[tuple[int, str, bool]],
) -> None:
    blocks = [Block(text, level, bold=bold and not level) for level, text, bold in rows]
    headings = [i for i, b in enumerate(blocks) if b.level]
    out, found = bold_paragraphs_as_headings(blocks, headings)
    assert list(found) == [i for i, b in enumerate(out) if b.level]


def test_bold_headings_merge_the_new_headings_indexes_in_order() -> None:
    blocks = [
        Block("Changes in Zulip 8.0", 2),
        Block("Feature level 196", bold=True),
        Block("Added x."),
        Block("Feature level 195", bold=True),
        Block("Added y."),
        Block("Changes in Zulip 7.0", 2),
    ]
    out, found = bold_paragraphs_as_headings(blocks, [0, 5])
    assert list(found) == [0, 1, 3, 5]
    assert [b.level for b in out] == [2, 3, 0, 3, 0, 2]
    titles = [i.title for i in split_entries(blocks, URL)]
    assert titles[:2] == ["Feature level 196", "Feature level 195"]


def test_make_item_puts_each_value_in_its_field() -> None:
    from radar.dates import Month

    item = make_item("k", "Title", "Text", "https://e.com/#a", Month(2025, 3, 1), url_is_clean=True)
    assert (item.key, item.title, item.text, item.url) == ("k", "Title", "Text", "https://e.com/#a")
    assert (item.published, item.month_only) == (datetime(2025, 3, 1, tzinfo=UTC), True)


def test_unique_keys_of_unique_keys_is_a_copy_of_the_items() -> None:
    items = [make_item("a", "A", "x"), make_item("b", "B", "y")]
    out = unique_keys(items)
    assert out == items
    assert out is not items
