"""`auto` sniffing: an HTML page is told by where its tags stand, not by a tag named in text."""

from __future__ import annotations

import pytest

from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, SourceKind

# A WooCommerce changelog.txt's opening (pinterest-for-woocommerce 1.2.0 names two tags).
PLUGIN_CHANGELOG = b"""*** Pinterest for WooCommerce Changelog ***

= 1.2.0 - 2022-06-27 =
* Add - Argentina, Colombia and Chile to ads supported countries.
* Fix - Move the <noscript> base code to <body>.
"""


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbf<!-- saved page -->\n<html lang='en'><body><h2>x</h2></body></html>",
        b"<!-- generated --><html><head><title>x</title></head></html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML'
        b' 1.0 Strict//EN" "x.dtd"><html xmlns="http://www.w3.org/1999/xhtml"></html>',
        b'\n\n   <meta charset="utf-8"><body class="page"><h2>x</h2></body>',
        b"Warning: headers already sent in /srv/www/x.php\n<!DOCTYPE html>\n<html></html>",
    ],
)
@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown", None])
def test_sniff_html_page_after_bom_comment_doctype_or_whitespace(
    body: bytes, content_type: str | None
) -> None:
    result = FetchResult("https://x/", 200, body, content_type)
    assert sniff_kind(result) is SourceKind.CHANGELOG_HTML


@pytest.mark.parametrize(
    "body",
    [
        PLUGIN_CHANGELOG,
        b"# Changelog\n\n## 1.2.0\n\n- Move the `<noscript>` base code to `<body>`.\n",
        b"## 2.0.0\n\nWe no longer inject a <html> wrapper or a <head> tag into pages.\n",
        b"- `<body>` now gets the theme class\n- Fixed `<html lang>`\n",
    ],
)
@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown"])
def test_sniff_text_changelog_naming_a_tag_is_not_html(body: bytes, content_type: str) -> None:
    result = FetchResult("https://x/CHANGELOG", 200, body, content_type)
    assert sniff_kind(result) is SourceKind.CHANGELOG_MARKDOWN
