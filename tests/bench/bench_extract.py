"""Extract + diff timings: a 100 KB changelog (Markdown and its HTML rendering) and a 50-item RSS.

Run: `python tests/bench/bench_extract.py` (needs ../shared/corpus). Output is committed at
tests/bench/reports/extract.txt. Targets: changelog median < 25 ms, RSS median < 5 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from markdown_it import MarkdownIt

from radar.diff import diff_entries
from radar.extract import extract
from radar.model import FetchResult, Snapshot, Source, SourceKind

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RUNS = 60
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _case(kind: SourceKind, old: bytes, new: bytes, content_type: str) -> Callable[[], int]:
    """Extract + diff of `new` against the snapshot of `old` (the watch_source hot path)."""
    source = Source(id="bench", platform="p", kind=kind, url="https://example.com/changelog")
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


def _time(fn: Callable[[], int]) -> tuple[float, float]:
    fn()  # warm-up: imports and caches
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    folder = CORPUS / "discord_changelog_2024"
    files = sorted(folder.glob("*.md"))
    old_md, new_md = files[-2].read_bytes(), files[-1].read_bytes()
    md = MarkdownIt("commonmark").enable("table")

    def html(body: bytes) -> bytes:
        page = "<html><body><main>" + md.render(body.decode()) + "</main></body></html>"
        return page.encode()

    cases = {
        f"changelog-markdown ({len(new_md) // 1024} KB)": _case(
            SourceKind.CHANGELOG_MARKDOWN, old_md, new_md, "text/markdown"
        ),
        f"changelog-html ({len(html(new_md)) // 1024} KB)": _case(
            SourceKind.CHANGELOG_HTML, html(old_md), html(new_md), "text/html"
        ),
        f"rss 50 items ({len(_rss(50)) // 1024} KB)": _case(
            SourceKind.RSS, _rss(50, 1), _rss(50), "application/rss+xml"
        ),
    }
    targets = {"changelog": 25.0, "rss": 5.0}
    out = [f"extract + diff, {RUNS} runs each (python {sys.version.split()[0]})", ""]
    for name, fn in cases.items():
        median, p95 = _time(fn)
        target = targets[name.split("-")[0].split()[0]]
        verdict = "ok" if median < target else "OVER TARGET"
        out.append(
            f"{name:32} median {median:6.2f} ms  p95 {p95:6.2f} ms  "
            f"target {target:4.1f} ms  {verdict}"
        )
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
