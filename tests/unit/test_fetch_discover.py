"""Feed autodiscovery: the feed links of a page, well-known feed paths, confirmed candidates."""

from __future__ import annotations

from radar.errors import HttpStatusError
from radar.fetch.discover import discover_feeds, feed_hint, feed_links, feed_paths
from radar.model import FetchResult, Item, Source, SourceKind
from tests.support.fakes import ScriptedFetcher
from tests.support.pages import BROWSER_FIXTURES

PAGE = "https://docs.example.com/changelog"


def page(head: str, url: str = PAGE) -> FetchResult:
    body = f"<!doctype html><html><head>{head}</head><body><h2>x</h2></body></html>"
    return FetchResult(url=url, status=200, body=body.encode(), content_type="text/html")


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><pubDate>Thu, 12 Nov 2026 10:00:00 GMT</pubDate>"
        f"<description>{t}.</description></item>"
        for t in titles
    )
    channel = f"<channel><title>c</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_feed_links_resolves_relative_hrefs_and_reads_types() -> None:
    links = feed_links(
        page(
            '<link rel="alternate" type="application/rss+xml" title="Changelog" href="rss.xml">'
            '<link rel="alternate" type="application/atom+xml" href="/changelog.atom">'
            '<link rel="alternate" type="application/feed+json" href="https://cdn.example.com/f.json">'
        )
    )
    assert [(link.url, link.kind) for link in links] == [
        ("https://docs.example.com/rss.xml", SourceKind.RSS),
        ("https://docs.example.com/changelog.atom", SourceKind.ATOM),
        ("https://cdn.example.com/f.json", SourceKind.JSON_FEED),
    ]
    assert links[0].title == "Changelog"


def test_feed_links_ignores_alternates_that_are_not_feeds() -> None:
    links = feed_links(
        page(
            '<link rel="alternate" hreflang="fr" href="/fr/changelog">'
            '<link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">'
            '<link rel="alternate" type="application/json+oembed" href="/oembed">'
            '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        )
    )
    assert links == []


def test_feed_links_keeps_plain_json_only_as_a_candidate() -> None:
    result = page('<link rel="alternate" type="application/json" href="/feed.json">')
    assert feed_links(result) == []
    (candidate,) = feed_links(result, candidates=True)
    assert (candidate.url, candidate.kind) == ("https://docs.example.com/feed.json", None)


def test_feed_links_reads_only_the_head() -> None:
    body = (
        b"<html><head><title>t</title></head><body>"
        b'<link rel="alternate" type="application/rss+xml" href="/in-body.xml"></body></html>'
    )
    assert feed_links(FetchResult(url=PAGE, status=200, body=body)) == []


def test_feed_paths_beside_a_page_and_a_file() -> None:
    assert feed_paths("https://github.com/o/r/releases")[-2:] == [
        "https://github.com/o/r/releases.atom",
        "https://github.com/o/r/releases.rss",
    ]
    assert feed_paths("https://docs.x.com/changelog")[0] == "https://docs.x.com/changelog/rss.xml"
    assert feed_paths("https://e.com/docs/changes.html")[0] == "https://e.com/docs/rss.xml"


def test_feed_hint_on_a_page_source_names_the_catalog_line() -> None:
    src = Source(id="x-api", platform="x", kind=SourceKind.CHANGELOG_HTML, url=PAGE)
    result = page('<link rel="alternate" type="application/rss+xml" href="/changelog/rss.xml">')
    hint = feed_hint(src, result)
    assert hint is not None
    assert hint.startswith("this page has a feed")
    assert "{id: x-api, platform: x, url: https://docs.example.com/changelog/rss.xml}" in hint


def test_feed_hint_is_silent_for_feeds_and_pages_without_links() -> None:
    feed_source = Source(id="f", platform="x", kind=SourceKind.RSS, url=PAGE)
    linked = page('<link rel="alternate" type="application/rss+xml" href="/rss.xml">')
    assert feed_hint(feed_source, linked) is None
    page_source = Source(id="p", platform="x", kind=SourceKind.AUTO, url=PAGE)
    assert feed_hint(page_source, page("<title>no feed</title>")) is None


def test_discover_confirms_a_linked_feed_that_holds_the_page_entries() -> None:
    fixture = (BROWSER_FIXTURES / "feed-link.html").read_bytes()
    result = FetchResult(url="https://changelog.test/feed-link.html", status=200, body=fixture)
    feed = (BROWSER_FIXTURES / "changelog" / "rss.xml").read_bytes()
    fetcher = ScriptedFetcher({"https://changelog.test/changelog/rss.xml": feed})
    on_page = [Item(key="k", title="Webhooks v3 is generally available", text="")]
    (found,) = discover_feeds(fetcher, result, on_page)
    assert (found.url, found.kind, found.via) == (
        "https://changelog.test/changelog/rss.xml",
        SourceKind.RSS,
        "link",
    )
    assert (found.entries, found.dated, found.shared) == (2, 2, 1)
    assert found.advice("x-api", "x").startswith("this page has a feed: use it (2 entries")
    assert [url for url, _ in fetcher.calls] == ["https://changelog.test/changelog/rss.xml"]


def test_discover_says_when_a_linked_feed_is_the_sites_news() -> None:
    result = page('<link rel="alternate" type="application/rss+xml" title="Blog" href="/blog.xml">')
    fetcher = ScriptedFetcher({"https://docs.example.com/blog.xml": rss("Our new office")})
    on_page = [Item(key="k", title="Webhooks v3", text="")]
    (found,) = discover_feeds(fetcher, result, on_page)
    assert not found.matches_page
    assert "probably the site's news" in found.advice()


def test_discover_probes_well_known_paths_only_without_links_and_stops_at_the_first() -> None:
    missing = HttpStatusError("404", 404)
    paths = feed_paths(PAGE)
    fetcher = ScriptedFetcher(
        {paths[0]: missing, paths[1]: b"<html><body>not a feed</body></html>", paths[2]: rss("a")}
        | {p: rss("never asked") for p in paths[3:]}
    )
    (found,) = discover_feeds(fetcher, page("<title>no links</title>"))
    assert (found.url, found.via, found.shared) == (paths[2], "path", None)
    assert [url for url, _ in fetcher.calls] == paths[:3]


def test_discover_without_probing_asks_nothing() -> None:
    fetcher = ScriptedFetcher({})
    assert discover_feeds(fetcher, page("<title>no links</title>"), probe=False) == []
    assert fetcher.calls == []
