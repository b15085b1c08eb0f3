"""The `auto` kind: tell a feed, JSON, an API spec, HTML, Markdown, MDX or RST from the bytes.

The bytes decide first, because servers of raw files (GitHub, CDNs) send `text/plain` or
`application/octet-stream` for everything; the Content-Type only settles what the bytes leave
open (a page that is neither obviously markup nor obviously a document of another kind).
"""

from __future__ import annotations

import codecs
import json
import re

from radar.model import FetchResult, SourceKind

# How much of the body the structural checks look at: enough to pass front matter, imports and
# a page header, small enough to stay cheap on a 10 MB body.
_HEAD_BYTES = 16_384

_XML_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
# Where a document's own tag stands: opening a line, or in the run of markup (doctype, XML
# declaration, comments, other tags) the page starts with. A changelog that names a tag in a
# sentence ("Move the <noscript> base code to <body>") or in backticks is not a page.
_HTML_LINE = re.compile(rb"^[ \t]*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.M)
# Possessive: a run of markup never needs to give back a tag to match.
_LEADING_MARKUP = re.compile(rb"(?:\s|<!--.*?-->|<[!?/]?[A-Za-z][^<>]*>)*+", re.S)
_SPEC_YAML = re.compile(r"^(?:openapi|swagger)\s*:\s*['\"]?\d", re.MULTILINE)
# A JSX component opening a line (`<Update label=…>`, `<Tabs>`) or an ES module line: MDX.
_JSX_LINE = re.compile(r"^[ \t]*<[A-Z][A-Za-z0-9.]*(?:[\s/>]|$)", re.MULTILINE)
_ESM_LINE = re.compile(
    r"^(?:import\s+[\w{*][^\n]*\bfrom\s+['\"]|export\s+(?:const|default)\s)", re.M
)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
# A component's PascalCase name (`<Tabs>`, `<Update`): unlike an upper-case HTML tag (`<BR>`),
# it is MDX whatever the server calls it (Mintlify and GitHub serve .mdx as Markdown or text).
_COMPONENT_LINE = re.compile(r"^[ \t]*<[A-Z][a-z][A-Za-z0-9.]*(?:[\s/>]|$)", re.MULTILINE)

_PARAM_KEYS = frozenset({"params", "parameters", "arguments"})

_TYPE_KINDS = (
    ("rss", SourceKind.RSS),
    ("atom", SourceKind.ATOM),
    ("feed+json", SourceKind.JSON_FEED),
    ("html", SourceKind.CHANGELOG_HTML),
    ("markdown", SourceKind.CHANGELOG_MARKDOWN),
    ("mdx", SourceKind.CHANGELOG_MDX),
    ("x-rst", SourceKind.CHANGELOG_RST),
    ("csv", SourceKind.CSV),
)


def sniff_kind(result: FetchResult) -> SourceKind:
    """The kind of document `result` holds (never AUTO)."""
    body = result.body
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if body.startswith(bom):
            body = body[len(bom) :]
            break
    head = body[:_HEAD_BYTES].lstrip()
    if head.startswith((b"{", b"[")):
        kind = _json_kind(body)
        # A text that opens with a bracket and is no JSON ("[[v1.8.0]]", an AsciiDoc anchor;
        # "[1.0.0] - 2024-01-05") is read as the text it is; a broken object stays JSON, whose
        # extractor says what is wrong with it.
        if kind is not None or head.startswith(b"{") or _declared_json(result.content_type):
            return kind or SourceKind.JSON
    if _XML_FEED.search(head[:2048]):
        return SourceKind.RSS  # feedparser reads RSS, Atom and RDF alike
    if _is_html_page(head[:2048]):
        return SourceKind.CHANGELOG_HTML
    text = head.decode("utf-8", errors="replace")
    if _SPEC_YAML.search(text):
        return SourceKind.OPENAPI
    declared = _declared_kind(result.content_type)
    if declared is SourceKind.CHANGELOG_MARKDOWN and (
        _COMPONENT_LINE.search(text) or _ESM_LINE.search(text)
    ):
        return SourceKind.CHANGELOG_MDX
    if declared is not None:
        return declared
    if _JSX_LINE.search(text) or _ESM_LINE.search(text):
        return SourceKind.CHANGELOG_MDX
    if not _MD_HEADING.search(text):
        # Imported here: only heading-less text pays for these modules' import.
        from radar.extract.asciidoc import looks_like_asciidoc
        from radar.extract.debian import looks_like_debian
        from radar.extract.rst import looks_like_rst

        if looks_like_asciidoc(text) or looks_like_debian(text):
            return SourceKind.CHANGELOG_MARKDOWN  # its reader rewrites their structure
        if looks_like_rst(text):
            return SourceKind.CHANGELOG_RST
    return SourceKind.CHANGELOG_MARKDOWN


def _is_html_page(head: bytes) -> bool:
    """Whether `head` (the body's start, BOM and leading whitespace gone) is an HTML page's."""
    if _HTML_LINE.search(head):
        return True
    leading = _LEADING_MARKUP.match(head)
    return leading is not None and _HTML.search(head, 0, leading.end()) is not None


def _declared_kind(content_type: str | None) -> SourceKind | None:
    """The kind a specific Content-Type names; None for generic ones (text/plain and the like)."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    return next((kind for marker, kind in _TYPE_KINDS if marker in mime), None)


def _declared_json(content_type: str | None) -> bool:
    return content_type is not None and "json" in content_type.lower()


def _json_kind(body: bytes) -> SourceKind | None:
    """The JSON kind of `body`; None when it is no JSON."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict):
        version = data.get("version")
        if isinstance(version, str) and "jsonfeed.org" in version:
            return SourceKind.JSON_FEED
        if ("openapi" in data or "swagger" in data) and "paths" in data:
            return SourceKind.OPENAPI
        if any(_is_api_list(value) for value in data.values()):
            return SourceKind.JSON_SPEC
    return SourceKind.JSON


def _is_api_list(value: object) -> bool:
    """A list of API methods: objects that mostly declare parameters (or arguments)."""
    if not isinstance(value, list) or not value:
        return False
    sample = value[:20]
    with_params = sum(1 for v in sample if isinstance(v, dict) and _PARAM_KEYS & v.keys())
    return with_params * 2 > len(sample)
