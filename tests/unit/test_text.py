from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.dates import find_date, parse_date
from radar.htmltext import html_to_text
from radar.text import clean_url, normalize_text, slugify


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a \t b\n\nc  ", "a b c"),
        ("“quoted” ‘single’ it’s", "\"quoted\" 'single' it's"),
        ("a – b — c ‑ d", "a - b -- c - d"),
        ("wait…", "wait..."),
        ("non\u00a0breaking\u202fspace", "non breaking space"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("ﬁne", "fine"),  # NFKC ligature
    ],
)
def test_normalize_text_maps_typography_and_whitespace(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@given(st.text())
def test_normalize_text_is_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once


def test_normalize_text_is_idempotent_when_zero_width_splits_a_combining_mark() -> None:
    s = "e\u200b\u0301"
    assert normalize_text(normalize_text(s)) == normalize_text(s) == "é"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("August 13, 2024", date(2024, 8, 13)),
        ("2026-11-12", date(2026, 11, 12)),
        ("12 November 2026", date(2026, 11, 12)),
        ("Nov 12, 2026", date(2026, 11, 12)),
        ("2026\u201102\u201105", date(2026, 2, 5)),
        ("13th of August 2024", date(2024, 8, 13)),
        ("November 18th, 2024", date(2024, 11, 18)),
        ("Tuesday, March 3, 2026", date(2026, 3, 3)),
        ("Released: March 1, 2026", date(2026, 3, 1)),
        ("2026/03/01", date(2026, 3, 1)),
        ("12 mars 2026", date(2026, 3, 12)),
        ("3. März 2026", date(2026, 3, 3)),
        ("2024-08-13T10:00:00Z", datetime(2024, 8, 13, 10, tzinfo=UTC)),
        ("2024-08-13T10:00:00+02:00", datetime(2024, 8, 13, 8, tzinfo=UTC)),
        ("2024-08-13 10:00", datetime(2024, 8, 13, 10, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_common_formats(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "v25.0.3",
        "Version 8",
        "25.0.3",
        "8",
        "",
        "May",
        "Unreleased",
        "2026-13-45",
        "Voice Gateway Version 8 and Deprecation of Versions < 4",
        "Post a new status",
        "1.2.0 - 2024-05-01 with more words",
    ],
)
def test_parse_date_rejects_what_is_not_just_a_date(raw: str) -> None:
    assert parse_date(raw) is None


def test_find_date_finds_a_date_inside_a_heading() -> None:
    found = find_date("[1.2.0] - 2024-05-01")
    assert found is not None
    assert found[0] == date(2024, 5, 1)


def test_find_date_ignores_version_numbers() -> None:
    assert find_date("Upgrade to v2024.05.01 and 10.0.1") is None


def test_html_to_text_drops_scripts_styles_and_navigation() -> None:
    html = "<nav>Menu</nav><p>Hello <b>there</b></p><script>evil()</script><style>p{}</style>"
    assert html_to_text(html) == "Hello there"


def test_html_to_text_keeps_paragraph_breaks() -> None:
    assert html_to_text("<p>One</p><p>Two</p><ul><li>a</li><li>b</li></ul>") == "One\nTwo\na\nb"


def test_html_to_text_of_nothing_is_empty() -> None:
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""


def test_html_to_text_survives_deep_nesting() -> None:
    html = "<div>" * 100_000 + "deep" + "</div>" * 100_000
    assert isinstance(html_to_text(html), str)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://e.com/a?utm_source=x&b=1&fbclid=2", None, "https://e.com/a?b=1"),
        ("/docs#v2", "https://e.com/x/", "https://e.com/docs#v2"),
        (
            "page?gclid=1&si=2&mc_cid=3&mc_eid=4&ref_src=5&igshid=6",
            "https://e.com/",
            "https://e.com/page",
        ),
        ("HTTPS://E.COM/Path", None, "https://e.com/Path"),
        ("//cdn.e.com/x", "https://e.com/", "https://cdn.e.com/x"),
    ],
)
def test_clean_url_makes_absolute_and_strips_tracking(
    url: str, base: str | None, expected: str
) -> None:
    assert clean_url(url, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,x",
        "mailto:a@e.com",
        "ftp://e.com/x",
        "",
        "http://",
    ],
)
def test_clean_url_refuses_what_is_not_http(url: str) -> None:
    assert clean_url(url, "https://e.com/") is None


def test_slugify_makes_stable_lowercase_slugs() -> None:
    assert slugify("Voice Gateway Version 8 and Deprecation of Versions < 4") == (
        "voice-gateway-version-8-and-deprecation-of-versions-4"
    )
    assert slugify("v25.0.3") == "v25-0-3"
    assert slugify("Créer un “statut”") == "creer-un-statut"


def test_slugify_ignores_typography_changes() -> None:
    assert slugify("It’s new — really") == slugify("It's new - really")


URL_PARTS = st.sampled_from(
    [
        *("https://", "HTTP://", "e.com", "E.com:8080", "/", "/a/../b", "?", "&", "=", "#"),
        *("utm_source=x", "fbclid=1", "a=b c", "q=%7E", "x=%zz", "k", "+", "é", "%20", " "),
        *("\t", "\n", "//", "..", "@", "[::1]", ";p", "javascript:"),
    ]
)


def test_a_url_whose_host_is_blank_is_no_url() -> None:
    # Found by the property below: "https:// " cleaned once, then None the second time.
    assert clean_url("https:// #") is None
    assert clean_url("https://e .com/x") is None


@given(parts=st.lists(URL_PARTS, max_size=12), base=st.sampled_from([None, "https://e.com/x/"]))
def test_clean_url_of_a_clean_url_is_itself(parts: list[str], base: str | None) -> None:
    # Feed items pass their link through clean_url once, then straight into the item.
    cleaned = clean_url("".join(parts), base)
    assert cleaned is None or clean_url(cleaned) == cleaned


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head><title>T</title></head><body><p>a</p></body></html>",
        "<p>one</p>",
        "<p>one</p><p>two</p>tail",
        "text<head><title>t</title></head>",
        "<body>a<p>b</p></body><body>c<i>d</i></body>",
        "<title>x</title><p>y</p>",
        "   ",
    ],
)
def test_html_to_text_picks_the_root_lxml_html_picks(html: str) -> None:
    import lxml.html

    from radar.htmltext import element_text

    try:
        expected = element_text(lxml.html.fromstring(html))
    except lxml.etree.ParserError:
        expected = ""
    assert html_to_text(html) == expected
