"""The sites of bench_vs_urlwatch.py: corpus-derived pages served by local HTTP servers.

Every body is a real recorded version from ../shared/corpus (never copied into the project):
Markdown/MDX/RST changelogs as raw-file servers send them, HTML changelogs (the Twitch scopes
page as recorded, and Markdown changelogs rendered to HTML the way a forge shows them), RSS and
Atom feeds, JSON. Changelogs under 50 KB are followed by the same point in the history of other
changelogs of the same syntax until they are not, and five pages join three changelogs to reach
the 150-300 KB of big real changelog pages. Each page also knows its next recorded version, so
a "changed" cycle serves what the site really published next.

Each server is one port on 127.0.0.1, i.e. one host to both tools. Servers answer conditional
requests (ETag / If-None-Match first, else Last-Modified / If-Modified-Since), as real ones do.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# Last-Modified of every page's first version: well before any run, so If-Modified-Since holds.
BASE_MODIFIED = formatdate(1_704_067_200, usegmt=True)  # 2024-01-01


@dataclass(frozen=True)
class Page:
    """One source: its path on its host, what it serves now and what the site published next."""

    name: str
    kind: str  # what the bytes are, for the report: markdown, html, feed, json
    platform: str
    content_type: str
    body: bytes
    next_body: bytes | None


# --- corpus ---------------------------------------------------------------------------------


def _versions(folder: str) -> list[Path]:
    """The recorded versions of a corpus folder, oldest first (from its manifest)."""
    root = CORPUS / folder
    if not root.is_dir():
        raise SystemExit(f"corpus folder {root} is absent (it lives beside the project in shared/)")
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    return [root / v["file"] for v in manifest["versions"]]


def _spread(pool: Sequence[int], count: int) -> list[int]:
    """`count` indexes spread evenly over `pool` (first and last included)."""
    if count >= len(pool):
        return list(pool)
    if count == 1:
        return [pool[-1]]
    return [pool[round(j * (len(pool) - 1) / (count - 1))] for j in range(count)]


def _pick(files: Sequence[Path], count: int) -> list[int]:
    """Versions to serve: each has a next version; 50 KB or more when the history has enough."""
    pool = list(range(len(files) - 1))
    big = [i for i in pool if files[i].stat().st_size >= MIN_PAGE]
    return _spread(big if len(big) >= count else pool, count)


def _render_markdown(text: str, title: str) -> bytes:
    # How a forge or docs site serves a CHANGELOG.md: the rendered HTML inside a page.
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><header><nav><a href='/'>Docs</a></nav></header>\n<main>\n{html}</main>"
        "<footer>Generated from CHANGELOG.md</footer></body></html>\n"
    ).encode()


MIN_PAGE = 50 * 1024
# Changelogs of one syntax, in the order they pad a page that is smaller than MIN_PAGE.
FAMILIES = {
    "md": (
        "discord_changelog_2024",
        "twilio_python_changes_md",
        "pycord_changelog_keepachangelog",
        "mastodon_statuses_api_doc",
        "livekit_react_changesets",
        "openai_python_release_please",
        "reddit_devvit_changelog_md",
    ),
    "mdx": (
        "crewai_changelog_mdx",
        "mintlify_changelog_mdx",
        "miru_product_changelog_mdx",
        "mem0_changelog_mdx",
    ),
    "rst": ("ptb_changes_rst", "discordpy_whats_new_rst"),
}
# folder: (syntax, platform, pages served raw, pages served as rendered HTML)
CHANGELOGS = {
    "discord_changelog_2024": ("md", "discord", 3, 4),
    "pycord_changelog_keepachangelog": ("md", "discord", 3, 3),
    "twilio_python_changes_md": ("md", "whatsapp", 3, 3),
    "openai_python_release_please": ("md", "openai", 3, 3),
    "livekit_react_changesets": ("md", "livekit", 3, 3),
    "mastodon_statuses_api_doc": ("md", "mastodon", 3, 0),
    "reddit_devvit_changelog_md": ("md", "reddit", 0, 3),
    "crewai_changelog_mdx": ("mdx", "crewai", 3, 0),
    "mintlify_changelog_mdx": ("mdx", "mintlify", 3, 0),
    "miru_product_changelog_mdx": ("mdx", "miru", 3, 0),
    "ptb_changes_rst": ("rst", "telegram", 3, 0),
    "discordpy_whats_new_rst": ("rst", "discord", 2, 0),
}
HTML_AS_RECORDED = {"twitch_scopes_html": ("twitch", 4)}
# 200-300 KB pages: one version of each of these changelogs, one after the other
BIG_PARTS = ("discord_changelog_2024", "twilio_python_changes_md", "crewai_changelog_mdx")
BIG_MARKDOWN, BIG_HTML = 3, 2
FEEDS = {
    "rss_windsurf_changelog": ("windsurf", 8),
    "rss_weaviate_blog": ("weaviate", 8),
    "rss_cursor_blog": ("cursor", 7),
}
# Real-world feeds without a history (other dialects: Atom, RSS 1.0, media RSS)
FEED_FIXTURES = (
    "atom_mediarss_reddit_1",
    "rss_2.0_cloudflare",
    "rss_2.0_nightvale",
    "rss_2.0_wirecutter",
    "rss_1.0_debian",
)
JSON_DOCS = {
    "hn_frontpage_consecutive": ("hackernews", 6),
    "meta_waba_api_spec_json": ("whatsapp", 4),
}
JSON_FEED_FIXTURES = ("jsonfeed_elastic_1.1", "jsonfeed_spec_1")
TEXT_TYPE = "text/plain; charset=utf-8"  # what raw-file servers send for .md/.mdx/.rst
HTML_TYPE = "text/html; charset=utf-8"


def _feed_type(body: bytes) -> str:
    head = body[:1000]
    if b"<feed" in head:
        return "application/atom+xml"
    if b"<rdf:RDF" in head:
        return "application/rdf+xml"
    return "application/rss+xml"


def _fixture(stem: str) -> Path:
    found = [p for p in _versions("feedrs_realworld_fixtures") if stem in p.name]
    if not found:
        raise SystemExit(f"feed fixture {stem!r} not found in {CORPUS}/feedrs_realworld_fixtures")
    return found[0]


def _changelog(folder: str, index: int) -> tuple[str, str]:
    """Version `index` of a changelog and the version after it. A page under MIN_PAGE is
    followed by the same point in the history of its family's other changelogs until it is
    not (a page that lists several products' changes, as many platforms' pages do)."""
    files = _versions(folder)
    now, nxt = files[index].read_text("utf-8"), files[index + 1].read_text("utf-8")
    at = index / (len(files) - 2)
    for other in FAMILIES[CHANGELOGS[folder][0]]:
        if len(now.encode()) >= MIN_PAGE:
            break
        if other != folder:
            more = _versions(other)
            j = round(at * (len(more) - 2))
            now += "\n\n" + more[j].read_text("utf-8")
            nxt += "\n\n" + more[j + 1].read_text("utf-8")
    return now, nxt


def corpus_pages() -> list[Page]:
    """The 100 pages of the benchmark, in a fixed order."""
    pages: list[Page] = []
    for folder, (_, platform, raw, rendered) in CHANGELOGS.items():
        files = _versions(folder)
        for i in _pick(files, raw):
            now, nxt = _changelog(folder, i)
            name = f"{folder}/v{i + 1}"
            pages.append(Page(name, "markdown", platform, TEXT_TYPE, now.encode(), nxt.encode()))
        for i in _pick(files, rendered):
            now, nxt = _changelog(folder, i)
            title = f"{folder} changelog"
            pages.append(
                Page(
                    f"{folder}/v{i + 1}.html",
                    "html",
                    platform,
                    HTML_TYPE,
                    _render_markdown(now, title),
                    _render_markdown(nxt, title),
                )
            )
    for folder, (platform, count) in HTML_AS_RECORDED.items():
        files = _versions(folder)
        for i in _pick(files, count):
            pages.append(
                Page(
                    f"{folder}/v{i + 1}.html",
                    "html",
                    platform,
                    HTML_TYPE,
                    files[i].read_bytes(),
                    files[i + 1].read_bytes(),
                )
            )
    pages += _big_pages()
    for folder, (platform, count) in FEEDS.items():
        files = _versions(folder)
        for i in _spread(range(len(files) - 1), count):
            body = files[i].read_bytes()
            pages.append(
                Page(
                    f"{folder}/v{i + 1}.xml",
                    "feed",
                    platform,
                    _feed_type(body),
                    body,
                    files[i + 1].read_bytes(),
                )
            )
    for stem in FEED_FIXTURES:
        body = _fixture(stem).read_bytes()
        pages.append(Page(f"fixtures/{stem}.xml", "feed", "news", _feed_type(body), body, None))
    for folder, (platform, count) in JSON_DOCS.items():
        files = _versions(folder)
        for i in _spread(range(len(files) - 1), count):
            pages.append(
                Page(
                    f"{folder}/v{i + 1}.json",
                    "json",
                    platform,
                    "application/json",
                    files[i].read_bytes(),
                    files[i + 1].read_bytes(),
                )
            )
    for stem in JSON_FEED_FIXTURES:
        body = _fixture(stem).read_bytes()
        pages.append(
            Page(f"fixtures/{stem}.json", "json", "news", "application/feed+json", body, None)
        )
    if len(pages) != 100:
        raise AssertionError(f"the page table gives {len(pages)} pages, not 100")
    return pages


def _big_pages() -> list[Page]:
    parts = [_versions(folder) for folder in BIG_PARTS]
    shortest = min(len(files) for files in parts)
    pages = []
    for n, i in enumerate(_spread(range(shortest - 1), BIG_MARKDOWN + BIG_HTML)):
        now = "\n\n".join(files[i].read_text("utf-8") for files in parts)
        then = "\n\n".join(files[i + 1].read_text("utf-8") for files in parts)
        if n < BIG_MARKDOWN:
            name, kind, body, nxt = f"big/v{i + 1}.md", "markdown", now.encode(), then.encode()
        else:
            title = "Platform changelogs"
            name, kind = f"big/v{i + 1}.html", "html"
            body, nxt = _render_markdown(now, title), _render_markdown(then, title)
        ctype = TEXT_TYPE if kind == "markdown" else HTML_TYPE
        pages.append(Page(name, kind, "discord", ctype, body, nxt))
    return pages


# The 5 sources whose site publishes its next version in the "5 of 100 changed" cycle: one of
# each kind (a Markdown changelog, a rendered HTML changelog of 115 KB, the Twitch HTML page as
# recorded, an RSS feed, a JSON API spec).
CHANGING = (
    "pycord_changelog_keepachangelog/v7",
    "discord_changelog_2024/v10.html",
    "twitch_scopes_html/v12.html",
    "rss_windsurf_changelog/v7.xml",
    "meta_waba_api_spec_json/v10.json",
)


def changing(pages: Sequence[Page]) -> list[int]:
    """Indexes of the CHANGING pages."""
    names = [page.name for page in pages]
    return [names.index(name) for name in CHANGING]


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class _Body:
    data: bytes
    content_type: str
    etag: str
    last_modified: str


class Sites:
    """`hosts` local HTTP servers; a page is served at /<copy>/<name> on the host its index
    picks, so the same bodies can stand for 100 or 1,000 distinct URLs."""

    def __init__(self, hosts: int) -> None:
        self._lock = threading.Lock()
        self._bodies: dict[tuple[int, str], _Body] = {}
        self.validators = True  # False: plain 200s, as servers without ETag/Last-Modified
        self.statuses: Counter[int] = Counter()
        sites = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers
            disable_nagle_algorithm = True  # otherwise small replies wait for delayed ACKs

            def do_GET(self) -> None:
                status, body = sites._answer(int(self.connection.getsockname()[1]), self)
                with sites._lock:
                    sites.statuses[status] += 1
                self.send_response(status)
                if body is None:
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if status == 304 or sites.validators:
                    self.send_header("ETag", body.etag)
                    self.send_header("Last-Modified", body.last_modified)
                if status == 304:
                    self.end_headers()
                    return
                self.send_header("Content-Type", body.content_type)
                self.send_header("Content-Length", str(len(body.data)))
                self.end_headers()
                self.wfile.write(body.data)

            def log_message(self, *args: object) -> None:
                pass

        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(hosts)]
        for server in self._servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _answer(self, port: int, request: BaseHTTPRequestHandler) -> tuple[int, _Body | None]:
        with self._lock:
            body = self._bodies.get((port, request.path))
        if body is None:
            return 404, None
        if not self.validators:
            return 200, body
        # RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since.
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip() for t in if_none_match.split(",")}
            return (304 if body.etag in tags or "*" in tags else 200), body
        since = request.headers.get("If-Modified-Since")
        if since:
            try:
                if parsedate_to_datetime(since) >= parsedate_to_datetime(body.last_modified):
                    return 304, body
            except (TypeError, ValueError):
                pass
        return 200, body

    def url(self, index: int, page: Page, copy: int) -> str:
        return f"http://127.0.0.1:{self._port(index)}/c{copy}/{page.name}"

    def _port(self, index: int) -> int:
        return int(self._servers[index % len(self._servers)].server_address[1])

    def publish(self, index: int, page: Page, copies: int, *, nxt: bool = False) -> None:
        """Serve `page` (its next version when `nxt`) under its `copies` URLs."""
        data = page.next_body if nxt and page.next_body is not None else page.body
        body = _Body(
            data,
            page.content_type,
            '"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:20] + '"',
            formatdate(usegmt=True) if nxt else BASE_MODIFIED,
        )
        with self._lock:
            for copy in range(copies):
                self._bodies[(self._port(index), f"/c{copy}/{page.name}")] = body

    def take_statuses(self) -> Counter[int]:
        """The statuses answered since the last call."""
        with self._lock:
            taken, self.statuses = self.statuses, Counter()
        return taken

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def sources(pages: Sequence[Page], copies: int) -> Iterator[tuple[int, Page, int]]:
    """(page index, page, copy) for every URL of a run with `copies` URLs per page."""
    for copy in range(copies):
        for n, page in enumerate(pages):
            yield n, page, copy
