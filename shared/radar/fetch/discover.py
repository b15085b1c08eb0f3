"""Feed autodiscovery: a page that publishes a feed of its changes should be watched through it.

A feed is cheaper to fetch than a page (no browser, often a conditional GET), carries each
entry's own date and id, and does not break when the page is redesigned. Two ways to find one:

- `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">` in the page itself
  (what browsers and feed readers use); free, since the page is already fetched.
- well-known changelog feed paths beside the page (`<page>/rss.xml` as Mintlify publishes,
  `<page>.atom` as GitHub releases do, `<page>/feed` ...); each costs a polite request, so only
  `radar sources check` probes them, and only when the page links no feed.

A candidate counts only once it has been fetched and reads as a feed with entries. A page may
link its site's news feed rather than its own changelog, so the entries of the feed are compared
with the page's: `shared` says how many feed titles are also on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from radar.errors import RadarError
from radar.model import FetchResult, Item, Source, SourceKind

# Link types that name a feed unambiguously. (JSON Feed 1.0 also allowed plain
# application/json, which pages use for many other things; such a link is only a candidate.)
FEED_TYPES = {
    "application/rss+xml": SourceKind.RSS,
    "application/atom+xml": SourceKind.ATOM,
    "application/feed+json": SourceKind.JSON_FEED,
    "application/rdf+xml": SourceKind.RSS,
}
_MAYBE_FEED_TYPES = frozenset({"application/json", "application/xml", "text/xml"})

# Relative to the page (a trailing slash is added first): where changelog tools publish feeds.
PAGE_FEED_PATHS = ("rss.xml", "feed.xml", "atom.xml", "feed")
# The page's own path with an extension: GitHub's `releases.atom`, some CMSs' `changelog.rss`.
PAGE_FEED_SUFFIXES = (".atom", ".rss")

# The <head> is where feed links live; a page that puts them past this is not worth reading on.
_SCAN_CHARS = 512 * 1024


class PageFetcher(Protocol):
    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult: ...


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page points to (or a path where one may be): not yet confirmed."""

    url: str
    kind: SourceKind | None  # what the link says it is; None for a probed path
    title: str = ""


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A candidate that was fetched and read as a feed with entries."""

    url: str
    kind: SourceKind
    title: str
    entries: int
    dated: int
    shared: int | None  # feed titles that are also on the page; None when the page gave none
    via: str  # "link" (the page points to it) or "path" (found at a well-known path)

    @property
    def matches_page(self) -> bool:
        """Whether the feed holds this page's entries, as far as one can tell."""
        return self.shared is None or self.shared > 0

    def catalog_line(self, source_id: str = "my-source", platform: str = "...") -> str:
        """The catalog line that watches the feed instead of the page."""
        return f"{{id: {source_id}, platform: {platform}, url: {self.url}}}"

    def advice(self, source_id: str = "my-source", platform: str = "...") -> str:
        """One line for `radar sources check`: use this feed, or why it is probably not the one."""
        counts = f"{self.entries} entries, {self.dated} with dates"
        if self.shared is not None:
            counts += f", {self.shared} also on the page"
        if not self.matches_page:
            named = f" ({self.title})" if self.title else ""
            return (
                f"the page links a feed{named} that holds none of its entries ({counts}): "
                f"probably the site's news, not this changelog: {self.url}"
            )
        return f"this page has a feed: use it ({counts}): {self.catalog_line(source_id, platform)}"


class _LinkParser(HTMLParser):
    """Collects <link rel="alternate"> elements; stops at </head> or the first <body> content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (href, type, title)
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.done = True
        if tag != "link" or self.done:
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("href", "").strip():
            self.links.append(
                (
                    values["href"].strip(),
                    values.get("type", "").strip().lower(),
                    values.get("title", ""),
                )
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.done = True


def feed_links(result: FetchResult, *, candidates: bool = False) -> list[FeedLink]:
    """The feeds the HTML page in `result` links to, resolved against its URL, in page order.

    With `candidates`, links whose type may or may not be a feed (application/json) are kept too.
    """
    text = result.body[:_SCAN_CHARS].decode("utf-8", errors="replace")
    parser = _LinkParser()
    for start in range(0, len(text), 8192):  # fed in pieces so a huge <head> stops early
        parser.feed(text[start : start + 8192])
        if parser.done:
            break
    found: dict[str, FeedLink] = {}
    for href, kind_name, title in parser.links:
        kind = FEED_TYPES.get(kind_name.split(";")[0].strip())
        if kind is None and not (candidates and kind_name in _MAYBE_FEED_TYPES):
            continue
        url = urljoin(result.url, href)
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found[url] = FeedLink(url, kind, " ".join(title.split()))
    return list(found.values())


def feed_paths(page_url: str) -> list[str]:
    """Well-known places for a changelog page's feed, nearest first."""
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if "." in path.rsplit("/", 1)[-1]:  # a file (changelog.html): its folder's feeds
        folder = urlunsplit((parts.scheme, parts.netloc, path.rsplit("/", 1)[0] + "/", "", ""))
        return [urljoin(folder, name) for name in PAGE_FEED_PATHS]
    base = urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))
    urls = [urljoin(base, name) for name in PAGE_FEED_PATHS]
    if path:
        urls += [
            urlunsplit((parts.scheme, parts.netloc, path + s, "", "")) for s in PAGE_FEED_SUFFIXES
        ]
    return urls


def feed_hint(source: Source, result: FetchResult) -> str | None:
    """One line for a page source whose page links a feed: "this page has a feed: use it"."""
    if source.kind not in (SourceKind.AUTO, SourceKind.CHANGELOG_HTML):
        return None
    links = feed_links(result)
    if not links:
        return None
    link = links[0]
    named = f" ({link.title})" if link.title else ""
    return (
        f"this page has a feed{named}: use it: {{id: {source.id}, platform: {source.platform}, "
        f"url: {link.url}}} (check it with `radar sources check {link.url}`)"
    )


def discover_feeds(
    fetcher: PageFetcher,
    page: FetchResult,
    page_items: Sequence[Item] = (),
    *,
    probe: bool = True,
) -> list[FoundFeed]:
    """The feeds of the page in `page`, each fetched and confirmed, best first.

    Linked feeds come first; the well-known paths are probed (politely, through `fetcher`) only
    when the page links none and `probe` is set. A candidate that cannot be fetched or read as a
    feed is left out, so an empty list means "no feed found", never an error.
    """
    from radar.extract import extract  # the parsers, only when a page is being checked
    from radar.extract.sniff import sniff_kind

    linked = feed_links(page, candidates=True)
    tried: list[tuple[FeedLink, str]] = [(link, "link") for link in linked]
    if probe and not linked:
        tried += [(FeedLink(url, None), "path") for url in feed_paths(page.url)]
    titles = {_title_key(i.title) for i in page_items if i.title}
    found: list[FoundFeed] = []
    for link, via in tried:
        try:
            result = fetcher.fetch(link.url)
            kind = sniff_kind(result)
            if kind not in (SourceKind.RSS, SourceKind.ATOM, SourceKind.JSON_FEED):
                continue
            items = extract(Source(id="feed", platform="feed", kind=kind, url=link.url), result)
        except RadarError:
            continue
        shared = sum(1 for i in items if _title_key(i.title) in titles) if titles else None
        found.append(
            FoundFeed(
                url=result.url or link.url,
                kind=link.kind or kind,
                title=link.title,
                entries=len(items),
                dated=sum(1 for i in items if i.published),
                shared=shared,
                via=via,
            )
        )
        if via == "path":
            break  # one confirmed well-known feed is enough; spare the site the other probes
    return sorted(found, key=lambda f: (not f.matches_page, f.via != "link"))


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())
