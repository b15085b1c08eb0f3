"""Hypothesis strategies for hostile extractor input: seeds of every format, mutated bytes and
the charsets that crashed extractors before (issue 13, item 7)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import strategies as st

from radar.model import SourceKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Examples per test; RADAR_FUZZ_EXAMPLES scales a run up (README, "Test it").
EXAMPLES = int(os.environ.get("RADAR_FUZZ_EXAMPLES", "40"))
# A cap on one example, like the budgets of tests/faults: a hang, not a slow machine, fails.
DEADLINE_MS = int(os.environ.get("RADAR_FUZZ_DEADLINE_MS", "5000"))

_MDX = b"""---
title: Changelog
---
import { Update } from "@/components";

<Update label="August 13, 2024" description="v1.2.0">
  ## Webhooks
  Webhooks now retry **three** times. See [docs](https://example.com/docs).
</Update>
<Update label="2024-07-01">
  - Deprecated the `v1` endpoint; it will be removed on 2025-01-01.
</Update>
"""
_RST = b"""Changelog
=========

Version 12.4.2
--------------
*Released 2024-05-01*

- Fixed ``Bot.send`` with *emphasis* and `links <https://example.com>`_.

Version 12.4.1
--------------
- Added :meth:`Bot.get_me`.
"""
_OPENAPI_YAML = b"""openapi: 3.0.1
info: {title: x, version: "1"}
paths:
  /users/{id}:
    get:
      summary: Get a user
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
components:
  schemas:
    User: {type: object, properties: {id: {type: string}}}
"""
_SEED_FILES: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.RSS: ("catalog/rss.xml", "extract/feed.rss", "trends/news.rss"),
    SourceKind.ATOM: ("catalog/atom.xml", "trends/producthunt.atom", "trends/reddit.atom"),
    SourceKind.JSON_FEED: ("extract/feed.json",),
    SourceKind.CHANGELOG_HTML: (
        "catalog/changelog-html.html",
        "extract/dated.html",
        "extract/entries.html",
    ),
    SourceKind.CHANGELOG_MARKDOWN: (
        "catalog/changelog-markdown.md",
        "extract/dated-headings.md",
        "extract/versions.md",
    ),
    SourceKind.JSON: ("trends/hn-algolia.json", "extract/algolia.json"),
    SourceKind.CSV: ("trends/twitter-trends.csv",),
    SourceKind.OPENAPI: ("catalog/openapi-discord.json",),
    SourceKind.JSON_SPEC: ("catalog/json-spec-telegram.json",),
    SourceKind.APP_CHART: ("trend_sources/apple-top-free-us.json",),
    SourceKind.PAGEVIEWS: ("trend_sources/wikimedia-per-article-signal.json",),
    SourceKind.TOP_ARTICLES: ("trend_sources/wikimedia-top-20210108.json",),
    SourceKind.REDDIT_LISTING: ("trend_sources/reddit-all.json",),
}
_INLINE: dict[SourceKind, tuple[bytes, ...]] = {
    SourceKind.CHANGELOG_MDX: (_MDX,),
    SourceKind.CHANGELOG_RST: (_RST,),
    SourceKind.OPENAPI: (_OPENAPI_YAML,),
    SourceKind.CSV: (b"date,title,text\n2024-05-01,Added x,Now y\n2024-04-01,Fixed z,\n",),
}


def seeds(kind: SourceKind) -> list[bytes]:
    """Valid documents of `kind` (every kind's, for `auto`) to mutate."""
    if kind is SourceKind.AUTO:
        return [s for k in SourceKind if k is not SourceKind.AUTO for s in seeds(k)]
    found = [(FIXTURES / name).read_bytes() for name in _SEED_FILES.get(kind, ())]
    return found + list(_INLINE.get(kind, ()))


# Charsets that crashed extractors (idna, punycode, undefined: codecs that are not text
# encodings or refuse to decode), plus the common, the odd and the nonsense.
CHARSETS = (
    *("utf-8", "UTF-8", "utf-8-sig", "utf-16", "utf-16le", "utf-32", "ascii", "latin-1"),
    *("windows-1252", "cp1251", "shift_jis", "euc-jp", "gb18030", "big5", "koi8-r"),
    *("iso-2022-jp", "utf-7", "idna", "punycode", "undefined", "rot13", "hex", "base64"),
    *("zlib", "bz2", "uu", "quopri", "unicode-escape", "raw-unicode-escape", "mbcs"),
    *("x-user-defined", "none", "", "utf-8\r\nX-Evil: 1", "\x00", "ü", "a" * 300),
)
MEDIA_TYPES = (
    *("text/html", "application/xhtml+xml", "application/rss+xml", "application/atom+xml"),
    *("application/xml", "text/xml", "application/json", "application/feed+json"),
    *("text/markdown", "text/x-rst", "text/mdx", "text/csv", "text/plain"),
    *("application/octet-stream", "application/yaml", "image/png", "nonsense"),
)
# Fragments that opened crashes or slow paths: declared encodings, surrogate references,
# entity games, byte order marks, markup that never closes.
TOKENS = (
    b'<?xml version="1.0" encoding="idna"?>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="x-nonsense"?>',
    b'<meta charset="punycode">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=undefined">',
    b"&#xD800;",
    b"&#0;",
    b"&#1114112;",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff\x00<",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>&b;',
    b"<![CDATA[",
    b"]]>",
    b"{{<required>}}",
    b"```",
    b"[" * 64,
    b"**a " * 16,
    b"\x00",
    b"\r",
    b"\\u0000",
    b'{"a":' * 40,
    b"&a; &amp;amp; &#x110000;",
    b'<Update label="',
    b"## 2024-02-30\n",
    b"9999-12-31",
    b"0001-01-01T00:00:00+99:99",
    b"$ref",
    b'"#/components/schemas/x"',
    b"*a\n" * 8,
)


@st.composite
def mutated(draw: st.DrawFn, documents: list[bytes]) -> bytes:
    """A seed document with a few byte-level changes (or plain random bytes)."""
    if not documents or draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=4096))
    body = bytearray(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(body)))
        end = draw(st.integers(start, min(len(body), start + 256)))
        op = draw(st.sampled_from(("replace", "insert", "delete", "repeat", "truncate")))
        if op == "replace":
            body[start:end] = draw(st.binary(max_size=32))
        elif op == "insert":
            body[start:start] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del body[start:end]
        elif op == "repeat" and len(body) < 60_000:
            body[start:end] = body[start:end] * draw(st.integers(2, 40))
        elif op == "truncate":
            del body[start:]
    return bytes(body)


def content_types() -> st.SearchStrategy[str | None]:
    """A Content-Type header: none, a bare type, or a type with any charset."""
    charset = st.sampled_from(CHARSETS) | st.text(max_size=12)
    with_charset = st.builds(
        lambda media, cs: f"{media}; charset={cs}", st.sampled_from(MEDIA_TYPES), charset
    )
    return st.none() | st.sampled_from(MEDIA_TYPES) | with_charset
