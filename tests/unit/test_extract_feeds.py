"""Feeds (RSS/Atom via feedparser, JSON Feed) and generic JSON documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.errors import ExtractError
from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
URL = "https://example.com/feed"


def run(kind: SourceKind, body: bytes, selectors: dict[str, str] | None = None) -> list[Item]:
    source = Source(id="s", platform="p", kind=kind, url=URL, selectors=selectors or {})
    return extract(source, FetchResult(URL, 200, body, None))


def test_extract_feeds_rss_identity_is_guid_then_link_then_hash() -> None:
    keys = [i.key for i in run(SourceKind.RSS, (FIXTURES / "feed.rss").read_bytes())]
    assert keys[0] == "post-1"
    assert keys[1] == "https://example.com/b"  # relative link, resolved and cleaned
    assert keys[2].startswith("h:")


def test_extract_feeds_rss_html_becomes_text_and_links_lose_tracking() -> None:
    first = run(SourceKind.RSS, (FIXTURES / "feed.rss").read_bytes())[0]
    assert first.text == "Hello world"
    assert first.url == "https://news.example.com/a?id=1"
    assert first.published == datetime(2026, 3, 10, 15, tzinfo=UTC)


def test_extract_feeds_hash_key_is_stable_across_parses() -> None:
    body = (FIXTURES / "feed.rss").read_bytes()
    assert run(SourceKind.RSS, body)[2].key == run(SourceKind.RSS, body)[2].key


def test_extract_feeds_lastbuilddate_does_not_touch_items() -> None:
    body = (FIXTURES / "feed.rss").read_bytes()
    bumped = body.replace(b"Tue, 10 Mar 2026 16:00:00", b"Wed, 11 Mar 2026 09:00:00")
    assert run(SourceKind.RSS, body) == run(SourceKind.RSS, bumped)


def test_extract_feeds_atom_fixture_of_the_catalog_parses() -> None:
    atom = Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "atom.xml"
    items = run(SourceKind.ATOM, atom.read_bytes())
    assert items[0].key == "tag:github.com,2008:Repository/1234/v4.5.1"
    # A line per block of the content: its heading and its items stay apart.
    assert items[0].text == "Security\nFix a missing permission check on quote posts"


def test_extract_feeds_javascript_links_are_dropped() -> None:
    rss = (
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        b"<guid>g1</guid><link>javascript:alert(1)</link></item></channel></rss>"
    )
    assert run(SourceKind.RSS, rss)[0].url is None


def test_extract_feeds_broken_xml_without_items_is_an_error() -> None:
    with pytest.raises(ExtractError, match=r"could not be parsed|no items"):
        run(SourceKind.RSS, b"<rss><channel><title>t</ti")


def test_extract_feeds_html_page_is_not_a_feed() -> None:
    with pytest.raises(ExtractError):
        run(SourceKind.RSS, b"<html><body><p>Sorry, we moved.</p></body></html>")


def test_extract_feeds_json_feed_reads_html_and_dates() -> None:
    one, two = run(SourceKind.JSON_FEED, (FIXTURES / "feed.json").read_bytes())
    assert (one.key, one.text, one.published) == (
        "1",
        "First post",
        datetime(2026, 3, 1, 8, tzinfo=UTC),
    )
    assert two.url == "https://blog.example.com/two"
    assert two.title == "Second post without a title"


@pytest.mark.parametrize("body", [b"[1, 2]", b'{"items": "no"}', b"not json"])
def test_extract_feeds_json_feed_of_the_wrong_shape_is_an_error(body: bytes) -> None:
    with pytest.raises(ExtractError, match="JSON feed"):
        run(SourceKind.JSON_FEED, body)


def test_extract_json_reads_algolia_hits_with_selectors() -> None:
    items = run(
        SourceKind.JSON,
        (FIXTURES / "algolia.json").read_bytes(),
        {"items": "hits", "key": "objectID"},
    )
    assert [i.key for i in items] == ["41", "42"]
    assert items[0].published == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert items[1].text == "Has anyone used it?"


def test_extract_json_defaults_fit_a_top_level_list() -> None:
    body = json.dumps(
        [{"title": "Hertzbleed", "url": "https://h.com/", "upvotes": 9, "link": "https://n/1"}]
    ).encode()
    (item,) = run(SourceKind.JSON, body)
    assert (item.key, item.title, item.url, item.text) == (
        "https://n/1",
        "Hertzbleed",
        "https://h.com/",
        "",
    )


def test_extract_json_scores_are_not_part_of_an_item() -> None:
    row = {"title": "T", "link": "https://n/1", "upvotes": 1, "comments": 2}
    churned = {**row, "upvotes": 500, "comments": 90}
    assert run(SourceKind.JSON, json.dumps([row]).encode()) == run(
        SourceKind.JSON, json.dumps([churned]).encode()
    )


def test_extract_json_epoch_seconds_are_dates() -> None:
    body = json.dumps({"items": [{"id": 1, "title": "T", "time": 1772359200}]}).encode()
    assert run(SourceKind.JSON, body)[0].published == datetime(2026, 3, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "selectors", "message"),
    [
        (b'{"a": 1}', {}, "none of the usual item lists"),
        (b'{"hits": {}}', {"items": "hits"}, "no list at 'hits'"),
        (b'{"items": [{"score": 1}]}', {}, "no item of the JSON list"),
        (b"{", {}, "not valid JSON"),
    ],
)
def test_extract_json_wrong_shape_is_a_clear_error(
    body: bytes, selectors: dict[str, str], message: str
) -> None:
    with pytest.raises(ExtractError, match=message):
        run(SourceKind.JSON, body, selectors)


@pytest.mark.parametrize("kind", [SourceKind.RSS, SourceKind.ATOM])
def test_extract_feeds_surrogate_character_reference_becomes_replacement(kind: SourceKind) -> None:
    # feedparser made "&#xD800;" a lone surrogate, then crashed encoding it (UnicodeError).
    if kind is SourceKind.RSS:
        body = (
            b'<rss version="2.0"><channel><title>t</title><item><title>A &#xD800; &#55296; b'
            b"</title><guid>g1</guid><description>x &#xDFFF;</description></item></channel></rss>"
        )
    else:
        body = (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A &#xD800; &#55296; b'
            b"</title><id>g1</id></entry></feed>"
        )
    [item] = run(kind, body)
    assert item.title == "A \ufffd \ufffd b"


def test_extract_feeds_json_feed_lone_surrogate_becomes_replacement() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", '
    body += b'"title": "A \\ud800"}]}'
    [item] = run(SourceKind.JSON_FEED, body)
    assert "\ud800" not in item.title and item.title.encode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 10 Mar 2026 15:00:00 +0000", datetime(2026, 3, 10, 15, tzinfo=UTC)),
        ("Tue, 10 Mar 2026 23:30:00 -0500", datetime(2026, 3, 11, 4, 30, tzinfo=UTC)),
        ("10 Mar 2026 15:00 GMT", datetime(2026, 3, 10, 15, tzinfo=UTC)),
        ("2026-03-10T15:00:00+01:00", datetime(2026, 3, 10, 14, tzinfo=UTC)),
        ("10 Mar 2026", datetime(2026, 3, 10, tzinfo=UTC)),
    ],
)
def test_extract_feeds_json_feed_keeps_the_time_of_rfc822_dates(
    raw: str, expected: datetime
) -> None:
    body = json.dumps({"items": [{"id": "1", "title": "T", "date_published": raw}]}).encode()
    [item] = run(SourceKind.JSON_FEED, body)
    assert item.published == expected


def test_extract_feeds_rss_body_naming_a_file_is_not_read(tmp_path: Path) -> None:
    # feedparser reads bytes that name a file as that file ("/dev/zero" would never end).
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Local file</title>'
        b"<guid>local</guid></item></channel></rss>"
    )
    with pytest.raises(ExtractError):
        run(SourceKind.RSS, str(feed).encode())


HOSTILE_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<link>https://example.com/</link><item><title>Hello</title>
<guid>g1</guid><link>/posts/1</link><description>&lt;p onclick="steal()"&gt;Fine text
&lt;script&gt;alert(2)&lt;/script&gt;&lt;style&gt;.x{color:red}&lt;/style&gt;
&lt;img src="x" onerror="steal()"&gt;&lt;a href="javascript:evil()"&gt;link&lt;/a&gt;
&lt;iframe src="https://evil.example/"&gt;frame text&lt;/iframe&gt;&lt;/p&gt;</description>
</item></channel></rss>"""

HOSTILE_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/news/">
<title>t</title><id>urn:feed</id><updated>2026-03-10T15:00:00Z</updated>
<entry><id>urn:1</id><title type="html">Launch &lt;b&gt;day&lt;/b&gt;</title>
<link rel="alternate" href="launch.html"/><updated>2026-03-10T15:00:00Z</updated>
<content type="html">&lt;p&gt;Read &lt;a href="javascript:evil()"&gt;this&lt;/a&gt;&lt;/p&gt;
&lt;script&gt;alert(3)&lt;/script&gt;&lt;style&gt;p{}&lt;/style&gt;</content></entry></feed>"""


@pytest.mark.parametrize(
    ("kind", "body"), [(SourceKind.RSS, HOSTILE_RSS), (SourceKind.ATOM, HOSTILE_ATOM)]
)
def test_extract_feeds_unsanitised_html_leaks_no_script_style_or_handlers(
    kind: SourceKind, body: bytes
) -> None:
    # feedparser's sanitiser is off (it cost time; Radar reads HTML to text itself): what it
    # removed must still never reach an item.
    (item,) = run(kind, body)
    seen = f"{item.title} {item.text} {item.url}"
    for leaked in ("alert", "color:red", "p{}", "steal", "evil", "javascript", "frame text"):
        assert leaked not in seen


def test_extract_feeds_relative_links_are_made_absolute() -> None:
    (rss,) = run(SourceKind.RSS, HOSTILE_RSS)
    (atom,) = run(SourceKind.ATOM, HOSTILE_ATOM)
    assert rss.url == "https://example.com/posts/1"
    assert atom.url == "https://blog.example.com/news/launch.html"  # against xml:base
    assert atom.title == "Launch day"
