"""Inputs the fuzzers found (tests/fuzz), kept as plain regression tests: each raised an
exception other than radar.errors before its fix."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.errors import ExtractError, RadarError
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind

FETCHED = datetime(2026, 11, 20, tzinfo=UTC)


def _extract(kind: SourceKind, body: bytes, content_type: str | None = None) -> object:
    source = Source(id="found", platform="p", kind=kind, url="https://example.com/x")
    result = FetchResult(source.url, 200, body, content_type=content_type, fetched_at=FETCHED)
    return extract(source, result)


def test_found_feed_with_a_nul_in_its_declared_encoding_is_an_extract_error() -> None:
    body = b'<?xml version="1.0" encoding="\x00"?><rss><channel><item><title>x</title>'
    with pytest.raises(ExtractError, match="cannot be decoded"):  # was ValueError
        _extract(SourceKind.AUTO, body)


@pytest.mark.parametrize(
    ("kind", "body", "content_type"),
    [
        # unicode-escape turns "\udd6b" into a lone surrogate inside a URL's query.
        (
            SourceKind.CSV,
            b"date,title,url\n2024-05-01,Added x,https://example.com/?q=\\udd6b\n",
            "text/csv; charset=unicode-escape",
        ),
        # JSON's escapes do the same, whatever the charset.
        (
            SourceKind.JSON,
            b'{"hits": [{"title": "x\\ud800 launch", "url": "https://e.com/?q=\\ud800",'
            b' "objectID": "1", "created_at": "2024-05-01T00:00:00Z"}]}',
            "application/json",
        ),
    ],
)
def test_found_lone_surrogates_become_replacement_characters(
    kind: SourceKind, body: bytes, content_type: str
) -> None:
    try:
        items = _extract(kind, body, content_type)  # was UnicodeEncodeError from urlencode
    except RadarError:
        return
    for item in items:  # type: ignore[attr-defined]
        for text in (item.key, item.title, item.text, item.url or ""):
            text.encode("utf-8")  # no lone surrogate left
