"""The shortcuts in radar.text that keep a page of 50,000 headings under 2 s (issue 13, item 8)
and extraction near the cost of parsing (issue 15) give exactly what the full computations
give: slugify's ASCII path; find_date skipping the month-name patterns when ASCII text names no
month, reading month names through a trie, reading a heading that is just a date directly and
stopping at a date that starts the text; normalize_text returning normal text as it is."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar import dates as D
from radar import text as T
from radar.dates import find_date
from radar.text import normalize_text, slugify

WORDS = (
    *("2024-05-01", "2024/05/01", "12", "3rd", "of", "de", "Released:", "v1.2.3", "2024"),
    *("March", "mar", "MAY", "Sept.", "sept", "June", "jun", "august", "Aug", "out", "set"),
    *("Monday,", "tues", "Release", "notes", "Section", "marchx", "xmay", "_may", "9may"),
    *("März", "février", "août", "déc", "İ", "ǅ", "\u00a0", "—", "12th", "1999", "2200"),
)
texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join)


def _slugify_reference(s: str, max_length: int = T.MAX_SLUG) -> str:
    # slugify before the ASCII shortcut.
    s = unicodedata.normalize("NFKD", normalize_text(s))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    slug = re.sub(r"[^\w]+", "-", s).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


# The date patterns with the month names as a longest-first alternation, as they were written
# before the trie.
_REFERENCE_PATTERNS = tuple(
    (name, re.compile(pattern.pattern.replace(D._MONTH_TRIE, D.MONTH_PATTERN), pattern.flags))
    for name, pattern in D._DATE_PATTERNS
)


def _find_date_reference(s: str) -> tuple[date | datetime, int, int] | None:
    # find_date before its shortcuts: every pattern on every text, month names as alternatives.
    text = normalize_text(s)
    best: tuple[date | datetime, int, int] | None = None
    for name, pattern in _REFERENCE_PATTERNS:
        for match in pattern.finditer(text):
            value = D._date_from_match(name, match)
            if value is not None:
                if best is None or match.start() < best[1]:
                    best = (value, match.start(), match.end())
                break
    return best


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_text_slugify_shortcut_is_exact(text: str) -> None:
    assert slugify(text) == _slugify_reference(text)


def test_text_slugify_ascii_path_is_exact_for_every_pair_of_ascii_characters() -> None:
    # The bytes.translate path against the regex, around every pair of ASCII characters
    # (runs, underscores, digits, upper case, leading and trailing separators).
    chars = [chr(c) for c in range(128)]
    for a in chars:
        for b in chars:
            text = f"{a}x{a}{b}Y_{b}9{a}"
            assert slugify(text) == _slugify_reference(text), repr(text)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=120))
def test_text_slugify_ascii_path_is_exact(text: str) -> None:
    assert slugify(text) == _slugify_reference(text)


@settings(max_examples=1000, deadline=None)
@given(text=texts)
def test_text_find_date_shortcut_is_exact(text: str) -> None:
    assert find_date(text) == _find_date_reference(text)


def test_text_find_date_still_reads_month_names() -> None:
    assert find_date("Released March 5, 2024") is not None
    assert find_date("5 mai 2024") is not None
    assert find_date("Tuesday, 13th of August 2024") is not None
    assert find_date("2024-05-01 Release 7") == (date(2024, 5, 1), 0, 10)


def test_text_reference_patterns_are_the_alternation() -> None:
    assert [p.pattern for _, p in _REFERENCE_PATTERNS] != [p.pattern for _, p in D._DATE_PATTERNS]
    assert all(D._MONTH_TRIE not in p.pattern for _, p in _REFERENCE_PATTERNS)


MONTHS = sorted(D.MONTH_NUMBERS)
dates = st.builds(
    "{}{} {}{}{} {}".format,
    st.sampled_from(MONTHS) | st.sampled_from(MONTHS).map(str.title) | st.text(max_size=4),
    st.sampled_from(["", ".", ","]),
    st.integers(0, 40).map(str),
    st.sampled_from(["", ",", "th", "st,", "."]),
    st.sampled_from(["", " of"]),
    st.sampled_from(["2024", "1969", "2201", "20245", "24"]),
) | st.builds(
    "{}-{}-{}{}".format,
    st.sampled_from(["2024", "1969", "0000", "12345"]),
    st.integers(0, 14).map(str),
    st.integers(0, 33).map(str),
    st.sampled_from(["", "T10:00", " 10:00:00Z", "x", "."]),
)


@settings(max_examples=1500, deadline=None)
@given(text=dates | texts)
def test_text_find_date_plain_dates_and_month_trie_are_exact(text: str) -> None:
    assert find_date(text) == _find_date_reference(text)


def _typography_reference(s: str) -> str:
    # _plain_typography as it was: one substitution, a callback per character replaced.
    return T._TYPOGRAPHIC.sub(lambda m: T._TYPOGRAPHY[m.group()], s)


def _normalize_once_reference(s: str) -> str:
    # _normalize_once as it was: both table passes and NFKC on every text, then split and join.
    s = _typography_reference(unicodedata.normalize("NFKC", _typography_reference(s)))
    return " ".join(s.split())


def _normalize_reference(s: str) -> str:
    # normalize_text without the "already normal" shortcuts (on entry, and in the repeat loop).
    if s.isascii() and "`" not in s:
        return " ".join(s.split())
    out = _normalize_once_reference(s)
    while not out.isascii():
        again = _normalize_once_reference(out)
        if again == out:
            break
        out = again
    return out


ODD = (*T._TYPOGRAPHY, "\u0301", "\u2028", "\x85", "\x1f", "\t", "\n", "é", "ﬁ", "①", "😀", "İ")
odd_texts = st.lists(st.sampled_from(ODD) | st.text(max_size=4), max_size=8).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=odd_texts | texts)
def test_text_normalize_shortcut_is_exact(text: str) -> None:
    # Raw text, and normal text (which takes the shortcut), both as the reference reads them.
    assert normalize_text(text) == _normalize_reference(text)
    normal = _normalize_reference(text)
    assert normalize_text(normal) == _normalize_reference(normal) == normal


@settings(max_examples=1500, deadline=None)
@given(text=odd_texts | texts)
def test_text_normalize_once_shortcuts_are_exact(text: str) -> None:
    # Each typographic character replaced everywhere at once; NFKC and the second table pass
    # skipped for ASCII; split and join skipped for text already spaced as they space it.
    assert T._plain_typography(text) == _typography_reference(text)
    assert T._normalize_once(text) == _normalize_once_reference(text)


def test_text_plain_typography_replaces_every_kind_and_every_occurrence() -> None:
    text = "“It’s” — a ‘test’​… it’s `x` "
    assert (
        T._plain_typography(text)
        == _typography_reference(text)
        == "\"It's\" -- a 'test'... it's 'x' "
    )


@settings(max_examples=500, deadline=None)
@given(text=odd_texts | texts)
def test_text_slugify_of_normal_text_told_normal_is_the_same(text: str) -> None:
    normal = normalize_text(text)
    assert slugify(normal, normal=True) == slugify(normal) == slugify(text)


def _clean_url_reference(url: str | None, base: str | None = None) -> str | None:
    # clean_url before its shortcut for absolute URLs: every URL joined against the base.
    if not url:
        return None
    url = T._URL_CONTROL.sub("", url.strip())
    if not url:
        return None
    try:
        parts = T.urlsplit(T.urljoin(base, url) if base else url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if " " in parts.hostname:
        return None
    query = parts.query
    if query:
        query = T.urlencode(
            [
                (k, v)
                for k, v in T.parse_qsl(query, keep_blank_values=True)
                if not k.lower().startswith("utm_") and k.lower() not in T._TRACKING_PARAMS
            ]
        )
    return T.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, query, parts.fragment)
    ).rstrip()


_URL_STARTS = ("https://", "http://", "HTTPS://", "//", "https:", "http:/", "/", "")
_BASES = (None, "https://ex.com/a/b?c#d", "http://ex.com", "ftp://x/y", "https://[::1]/x")


@settings(max_examples=2000, deadline=None)
@given(
    start=st.sampled_from(_URL_STARTS),
    rest=st.text(alphabet="htps:/.?#&=;@[]%ab1 \t\n\\ä", max_size=25),
    base=st.sampled_from(_BASES),
)
def test_text_clean_url_shortcut_is_exact(start: str, rest: str, base: str | None) -> None:
    assert T.clean_url(start + rest, base) == _clean_url_reference(start + rest, base)


def test_text_clean_url_joins_absolute_urls_urljoin_would_change() -> None:
    base = "https://ex.com/a/b?c"
    assert T.clean_url("https://", base) == "https://ex.com/a/b?c="  # no host: relative
    assert T.clean_url("https://x.y/p;", base) == "https://x.y/p"  # urljoin drops an empty ;
    assert T.clean_url("https://x.y/p?utm_source=rss&a=1", base) == "https://x.y/p?a=1"


# Printable prose whose only other characters are typographic ones: mapped straight to ASCII.
# The ligature (not NFKC) and the accent (not ASCII) must go on to the full pipeline.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("We’ve shipped it — finally…", "We've shipped it -- finally..."),
        ("“Quoted” and ‘single’", "\"Quoted\" and 'single'"),
        ("ﬁle’s name", "file's name"),
        ("Café’s menu", "Café's menu"),
        ("Café’s ﬁle", "Café's file"),
        # The apostrophe replaced first: what is left still goes through the table.
        ("it’s `x`", "it's 'x'"),
        ("it’s — done", "it's -- done"),
    ],
)
def test_normalize_text_typography_fast_path(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected == T._normalize_once(raw)


@given(st.text(alphabet=st.sampled_from([*"ab `'é", *T._TYPOGRAPHY, "ﬁ", "\u0301"]), max_size=12))
def test_normalize_text_typography_fast_path_matches_the_pipeline(s: str) -> None:
    # The pipeline as it runs without the fast path: passes until stable.
    out = T._normalize_once(s)
    while (again := T._normalize_once(out)) != out:
        out = again
    assert normalize_text(s) == out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("it’s `x`", "it's 'x'"), ("`x` — it’s", "'x' -- it's"), ("it’s ’x’", "it's 'x'")],
)
def test_text_plain_typography_ascii_after_a_replacement_still_maps_backticks(
    raw: str, expected: str
) -> None:
    # The search stops once a replacement leaves ASCII, but the table's one ASCII character
    # (the backtick) must still be mapped.
    assert T._plain_typography(raw) == _typography_reference(raw) == expected
