"""The `auto` kind: the bytes say what a document is, whatever the server's Content-Type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.extract import extract
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, Source, SourceKind

PLAIN = "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', PLAIN, "rss"),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'></feed>", None, "rss"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', PLAIN, "json-feed"),
        (b'{"openapi": "3.0.0", "paths": {}}', PLAIN, "openapi"),
        (b'openapi: "3.0.1"\ninfo:\n  title: x\npaths: {}\n', PLAIN, "openapi"),
        (b'{"apis": [{"method": "GET", "params": []}], "fields": []}', PLAIN, "json-spec"),
        (b'{"hits": [{"objectID": "1"}]}', "application/json", "json"),
        (b"<!DOCTYPE html><html><body><h2>x</h2></body></html>", PLAIN, "changelog-html"),
        (
            b'---\ntitle: x\n---\n<Update label="Aug 1, 2026">\n## A\n</Update>\n',
            PLAIN,
            "changelog-mdx",
        ),
        (b"import { X } from './x'\n\n## 1.0.0\ntext\n", PLAIN, "changelog-mdx"),
        (b"Changes\n*******\n\nVersion 1.2\n~~~~~~~~~~~\n\n- fixed\n", PLAIN, "changelog-rst"),
        (b".. _vp1p3p0:\n\nv1.3.0\n------\n\ntext\n", None, "changelog-rst"),
        (b"# Changelog\n\n## 1.0.0\n\n- first\n", PLAIN, "changelog-markdown"),
        (b"Just words, no structure at all.\n", "text/markdown", "changelog-markdown"),
        (b"Just words\n", "text/html; charset=utf-8", "changelog-html"),
        # A bracket that opens no JSON is text: an AsciiDoc anchor, a bracketed version.
        (b"[[v1.8.0]]\n== Version 1.8.0 (2013-07-07)\n\n* fix\n", PLAIN, "changelog-markdown"),
        (b"[1.0.0] - 2024-01-05\n\n- First\n", PLAIN, "changelog-markdown"),
        # ... while broken JSON stays JSON, so its error says what is wrong with it.
        (b'{"items": [', PLAIN, "json"),
        (b"[1, 2,", "application/json", "json"),
    ],
)
def test_sniff_kind_from_bytes(body: bytes, content_type: str | None, kind: str) -> None:
    assert sniff_kind(FetchResult("https://x/", 200, body, content_type)) is SourceKind(kind)


def test_auto_kind_extracts_a_markdown_changelog_served_as_plain_text() -> None:
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url="https://x/CHANGELOG.md")
    body = (
        b"# Changelog\n\n## 1.1.0 (2026-03-02)\n\n- Added X\n\n## 1.0.0 (2026-01-05)\n\n- First\n"
    )
    items = extract(source, FetchResult(source.url, 200, body, PLAIN))
    assert [i.key for i in items] == ["1.1.0", "1.0.0"]


def test_extract_never_dates_an_entry_after_the_fetch() -> None:
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url="https://x/c.md")
    body = b"## 2.0.0 (2026-09-15)\n\nPlanned.\n\n## 1.0.0 (2026-08-01)\n\nShipped.\n"
    fetched = datetime(2026, 8, 12, tzinfo=UTC)
    planned, shipped = extract(
        source, FetchResult(source.url, 200, body, PLAIN, fetched_at=fetched)
    )
    assert planned.published is None
    assert shipped.published == datetime(2026, 8, 1, tzinfo=UTC)


# X's changelog as docs.x.com writes it: entries indented inside <Tabs><Tab> (MDX has no
# indented code), a heading right after a <Tab> line, and the file served as Markdown.
TABBED_MDX = b"""---
title: Changelog
---

<Tabs>
  <Tab title="Changelog">
    ### June 3, 2025

    `X API v2`

    Today, we added the ability to upload media using the X API v2.
  </Tab>
  <Tab title="Historical changelog">
### September 23, 2024

`X API v2`

Today, we added the DM blocking and DM unblocking endpoints to the X API v2.
  </Tab>
</Tabs>
"""


@pytest.mark.parametrize("content_type", ["text/markdown", "text/x-markdown; charset=utf-8"])
def test_mdx_served_as_markdown_is_read_as_mdx(content_type: str) -> None:
    result = FetchResult("https://docs.x.com/changelog", 200, TABBED_MDX, content_type)
    assert sniff_kind(result) is SourceKind.CHANGELOG_MDX
    source = Source(id="x", platform="x", kind=SourceKind.AUTO, url=result.url)
    items = extract(source, result)
    assert [i.key for i in items] == ["2025-06-03", "2024-09-23"]
    assert "upload media" in items[0].text


def test_upper_case_html_in_markdown_stays_markdown() -> None:
    body = b"# Changelog\n\n<BR>\n\n## 1.0.0\n\n- first\n"
    result = FetchResult("https://x/CHANGELOG.md", 200, body, "text/markdown")
    assert sniff_kind(result) is SourceKind.CHANGELOG_MARKDOWN
