"""The registry, the error contract (never an empty list) and hostile input."""

from __future__ import annotations

import contextlib

import pytest

from radar.errors import ExtractError
from radar.extract import EXTRACTORS, MAX_BODY_BYTES, extract
from radar.model import FetchResult, Source, SourceKind


def run(kind: SourceKind, body: bytes, status: int = 200) -> object:
    source = Source(id="s", platform="p", kind=kind, url="https://example.com/x")
    return extract(source, FetchResult(source.url, status, body, None))


def test_extract_registry_has_an_extractor_for_every_kind() -> None:
    assert set(EXTRACTORS) == set(SourceKind)


@pytest.mark.parametrize("kind", list(SourceKind))
@pytest.mark.parametrize("body", [b"", b"   \n\t "])
def test_extract_registry_empty_body_is_an_error(kind: SourceKind, body: bytes) -> None:
    with pytest.raises(ExtractError, match="empty"):
        run(kind, body)


@pytest.mark.parametrize("kind", list(SourceKind))
def test_extract_registry_oversized_body_is_refused(kind: SourceKind) -> None:
    with pytest.raises(ExtractError, match="over the"):
        run(kind, b"x" * (MAX_BODY_BYTES + 1))


def test_extract_registry_not_modified_is_an_error() -> None:
    with pytest.raises(ExtractError, match="304"):
        run(SourceKind.RSS, b"", status=304)


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        (SourceKind.CHANGELOG_HTML, b"<html><body><p>No headings at all.</p></body></html>"),
        (SourceKind.CHANGELOG_HTML, b"<html><body><h2>Only</h2><h2>Headings</h2></body></html>"),
        (SourceKind.CHANGELOG_MARKDOWN, b"Just a paragraph, no headings."),
        (SourceKind.CHANGELOG_MARKDOWN, b"# Title\n\n## Unreleased\n"),
    ],
)
def test_extract_registry_page_without_entries_is_an_error(kind: SourceKind, body: bytes) -> None:
    with pytest.raises(ExtractError, match="no entries found"):
        run(kind, body)


def test_extract_registry_survives_deeply_nested_html() -> None:
    body = b"<h2>2026-01-01</h2>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000
    # An error is fine; a crash or RecursionError is not.
    with contextlib.suppress(ExtractError):
        run(SourceKind.CHANGELOG_HTML, body)


def test_extract_registry_survives_a_huge_attribute() -> None:
    body = b'<h2>2026-01-01</h2><p title="' + b"a" * 5_000_000 + b'">text</p>'
    with contextlib.suppress(ExtractError):
        run(SourceKind.CHANGELOG_HTML, body)


def test_extract_registry_survives_deeply_nested_json() -> None:
    with pytest.raises(ExtractError):
        run(SourceKind.JSON, b"[" * 100_000 + b"]" * 100_000)


def test_extract_registry_survives_deeply_nested_markdown() -> None:
    body = b"## 2026-01-01\n\n" + b"> " * 5_000 + b"quote\n" + b"- " * 2_000 + b"item\n"
    with contextlib.suppress(ExtractError):
        run(SourceKind.CHANGELOG_MARKDOWN, body)


_HTML = (
    b"<html><body><h2>2026-03-02</h2><p>New API.</p><h2>2026-03-01</h2><p>Old.</p></body></html>"
)


@pytest.mark.parametrize("charset", ["idna", "undefined", "punycode"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_extract_registry_unusable_charset_is_ignored(charset: str, where: str) -> None:
    # Python codecs that are no page's charset: decoding with them raised UnicodeError.
    body = _HTML if where == "header" else f'<meta charset="{charset}">'.encode() + _HTML
    content_type = f"text/html; charset={charset}" if where == "header" else "text/html"
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_HTML, url="https://e.com/x")
    items = extract(source, FetchResult(source.url, 200, body, content_type))
    assert [i.title for i in items] == ["New API.", "Old."]


@pytest.mark.parametrize("encoding", ["idna", "undefined", "punycode"])
def test_extract_registry_feed_with_odd_xml_encoding_is_items_or_extract_error(
    encoding: str,
) -> None:
    body = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>x</title><guid>g1</guid></item></channel></rss>"
    ).encode()
    # feedparser reads "idna" as ASCII; the others raised UnicodeError.
    if encoding == "idna":
        assert run(SourceKind.RSS, body)
    else:
        with pytest.raises(ExtractError, match="cannot be decoded"):
            run(SourceKind.RSS, body)
