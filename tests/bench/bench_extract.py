"""Extract + diff timings, each against the bare parse of the same bytes (issue 15).

Cases: a 100 KB Markdown changelog, its HTML rendering (115 KB) and a 50-item RSS feed. Each
case is the watch_source hot path (extract the new version, diff it against the snapshot of
the one before) and is timed alternately with the parse alone, so both see the same machine:

- HTML: a bare `lxml.html.fromstring` of the same bytes; bar: at most 4x.
- Markdown: markdown-it configured as Radar configures it (`radar.extract.markdown`), on the
  same text; bar: at most 1.5x.
- RSS: feedparser as Radar calls it, on the same bytes; bar: at most 5 ms for 50 items.

The HTML case also prints its phases (parse, walk, split_entries, diff), each timed alone.

Run: `python tests/bench/bench_extract.py` (needs ../shared/corpus). Output is committed at
tests/bench/reports/extract.txt.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from radar.diff import diff_entries
from radar.extract import extract
from radar.extract.blocks import Block, split_entries
from radar.model import FetchResult, Snapshot, Source, SourceKind

if TYPE_CHECKING:
    import lxml.etree

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RUNS = 60
NOW = datetime(2026, 3, 1, tzinfo=UTC)
RSS_CONTENT_TYPE = "application/rss+xml"
_URL = "https://example.com/changelog"


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], int]  # extract + diff
    parse: Callable[[], object]  # the bare parse it is compared with
    parser: str
    max_ratio: float | None = None  # bar: case / parse
    max_ms: float | None = None  # bar: case alone
    phases: Callable[[], list[str]] | None = None  # where the case's time goes


def _case(kind: SourceKind, old: bytes, new: bytes, content_type: str) -> Callable[[], int]:
    """Extract + diff of `new` against the snapshot of `old` (the watch_source hot path)."""
    source = Source(id="bench", platform="p", kind=kind, url=_URL)
    first = extract(source, FetchResult(source.url, 200, old, content_type))
    base = diff_entries(source, None, first, NOW, announce_since=NOW - timedelta(days=7))
    snapshot = Snapshot("bench", version=1, entries=base.entries, content_hash="x")

    def run() -> int:
        items = extract(source, FetchResult(source.url, 200, new, content_type))
        result = diff_entries(source, snapshot, items, NOW, announce_since=NOW)
        return len(items) + len(result.changes)

    return run


def _rss(n: int, offset: int = 0) -> bytes:
    items = "".join(
        f"<item><title>Update {i}: new creator tools for reels</title>"
        f"<link>https://news.example.com/{i}?utm_source=rss</link><guid>post-{i}</guid>"
        f"<pubDate>Tue, 10 Mar 2026 15:00:00 +0000</pubDate><description>&lt;p&gt;Creators "
        f"can now add &lt;b&gt;templates&lt;/b&gt; and captions to reels, item {i}.&lt;/p&gt;"
        "</description></item>"
        for i in range(offset, offset + n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>'
        f"<link>https://news.example.com/</link>{items}</channel></rss>"
    ).encode()


def _cases() -> list[Case]:
    import feedparser
    import lxml.html

    from radar.extract.markdown import _parser as radar_markdown

    files = sorted((CORPUS / "discord_changelog_2024").glob("*.md"))
    old_md, new_md = files[-2].read_bytes(), files[-1].read_bytes()
    md = MarkdownIt("commonmark").enable("table")

    def html(body: bytes) -> bytes:
        page = "<html><body><main>" + str(md.render(body.decode())) + "</main></body></html>"
        return page.encode()

    new_text, new_html, rss = new_md.decode(), html(new_md), _rss(50)
    return [
        Case(
            f"changelog-markdown ({len(new_md) // 1024} KB)",
            _case(SourceKind.CHANGELOG_MARKDOWN, old_md, new_md, "text/markdown"),
            lambda: radar_markdown().parse(new_text),
            "markdown-it (Radar's configuration)",
            max_ratio=1.5,
        ),
        Case(
            f"changelog-html ({len(new_html) // 1024} KB)",
            _case(SourceKind.CHANGELOG_HTML, html(old_md), new_html, "text/html"),
            lambda: lxml.html.fromstring(new_html),
            "lxml.html.fromstring",
            max_ratio=4.0,
            phases=lambda: _html_phases(new_html, html(old_md)),
        ),
        Case(
            f"rss 50 items ({len(rss) // 1024} KB)",
            _case(SourceKind.RSS, _rss(50, 1), rss, RSS_CONTENT_TYPE),
            lambda: feedparser.parse(
                rss,
                response_headers={"content-type": RSS_CONTENT_TYPE},
                sanitize_html=False,
                resolve_relative_uris=False,
            ),
            "feedparser.parse (as Radar calls it)",
            max_ms=5.0,
        ),
    ]


def _ms(fn: Callable[[], object]) -> float:
    # CPU time of this thread: what the bars are about, and far steadier than wall
    # time on a machine shared with other work.
    start = time.thread_time()
    fn()
    return (time.thread_time() - start) * 1000


def _time(case: Case) -> tuple[list[float], list[float]]:
    """Samples of the case and of its bare parse, taken alternately (same machine state)."""
    case.run(), case.parse()  # warm-up: imports and caches
    runs: list[float] = []
    parses: list[float] = []
    for _ in range(RUNS):
        runs.append(_ms(case.run))
        parses.append(_ms(case.parse))
    return sorted(runs), sorted(parses)


def _html_phases(page: bytes, old: bytes) -> list[str]:
    """Where the HTML case's time goes: medians of each phase alone, on the case's page."""
    from radar.extract.common import utf8_body
    from radar.extract.htmlblocks import html_blocks, main_content
    from radar.extract.htmlpage import table_entries
    from radar.htmltext import parse_html

    source = Source(id="bench", platform="p", kind=SourceKind.CHANGELOG_HTML, url=_URL)
    result = FetchResult(_URL, 200, page, "text/html")
    first = extract(source, FetchResult(_URL, 200, old, "text/html"))
    base = diff_entries(source, None, first, NOW, announce_since=NOW - timedelta(days=7))
    snapshot = Snapshot("bench", version=1, entries=base.entries, content_hash="x")

    def parse() -> lxml.etree._Element | None:
        return parse_html(utf8_body(result) or b"")  # (the page is UTF-8: its bytes are parsed)

    def walk() -> list[Block]:  # the parse again: the walk rewrites the tree it reads
        root = parse()
        assert root is not None
        content = main_content(root)
        table_entries(content, _URL)
        return html_blocks(root, content)

    blocks = walk()
    items = split_entries(blocks, _URL, normal=True)

    def median_ms(fn: Callable[[], object]) -> float:
        return statistics.median(_ms(fn) for _ in range(RUNS))

    parse_ms = median_ms(parse)
    phases = [
        ("UTF-8 check + lxml parse", parse_ms),
        ("walk (main content, table check, anchors, unwrap, blocks)", median_ms(walk) - parse_ms),
        (
            f"split_entries ({len(items)} entries from {len(blocks)} blocks)",
            median_ms(lambda: split_entries(blocks, _URL, normal=True)),
        ),
        (
            "diff of the unchanged entries",
            median_ms(lambda: diff_entries(source, snapshot, items, NOW, announce_since=NOW)),
        ),
    ]
    return [f"    {name}: {ms:.2f} ms" for name, ms in phases]


def main() -> None:
    out = [f"extract + diff vs the bare parse of the same bytes, {RUNS} runs each, alternating"]
    out.append(f"(python {sys.version.split()[0]}; CPU time, medians, p95 of the case in brackets)")
    out.append("")
    for case in _cases():
        runs, parses = _time(case)
        run, parse = statistics.median(runs), statistics.median(parses)
        ratio = run / parse
        p95 = runs[int(len(runs) * 0.95) - 1]
        if case.max_ratio is not None:
            bar, ok = f"bar <= {case.max_ratio:.1f}x", ratio <= case.max_ratio
        else:
            bar, ok = f"bar <= {case.max_ms:.1f} ms", run <= (case.max_ms or 0.0)
        out.append(f"{case.name}: {run:.2f} ms [{p95:.2f}]")
        out.append(
            f"    {case.parser}: {parse:.2f} ms; ratio {ratio:.2f}x; "
            f"{bar}: {'ok' if ok else 'OVER'}"
        )
        if case.phases is not None:
            out.append("  its phases, each alone (medians):")
            out.extend(case.phases())
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
