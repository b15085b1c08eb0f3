"""Classify on a first run: its CPU against extract's on the pages of bench_vs_urlwatch.py (issues
11 and 15).

Each of the 100 pages (vs_urlwatch_sites.corpus_pages(), real recorded versions) is extracted
with kind auto and diffed as a first run (no previous snapshot), as watch_source does on an empty
state; every change is then classified with the default rules by one classifier, as a run does.
Reported: classify's total CPU and per-entry median, p95 and max (overall and by the page's
kind), extract's CPU on the same pages for scale, and the costliest entries.

CPU is the thread's CPU time; extract and classify are timed in alternating rounds (best of
ROUNDS by total), each classify round with a new classifier, so its word memo starts empty as a
first run's does. Bar (issue 11): classify at most 5% of a first run's CPU.

Run: `python tests/bench/bench_classify_first_run.py [--write]` (needs ../shared/corpus). Output
is committed at tests/bench/reports/classify_first_run.txt.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vs_urlwatch_sites import Page, corpus_pages

from radar.classify import Classifier, load_default_rules
from radar.diff import diff_entries
from radar.extract import extract
from radar.model import Change, FetchResult, Source, SourceKind

REPORT = Path(__file__).resolve().parent / "reports" / "classify_first_run.txt"
NOW = datetime(2026, 11, 26, tzinfo=UTC)
ROUNDS = 5
TOP = 10
CPU = time.thread_time


@dataclass(frozen=True)
class Entry:
    page: Page
    change: Change


def _source(page: Page) -> Source:
    return Source(
        id=page.name, platform=page.platform, kind=SourceKind.AUTO, url=f"http://x/{page.name}"
    )


def _extract_all(pages: list[Page]) -> tuple[float, list[Entry]]:
    """CPU seconds to extract and diff every page as a first run, and the changes made."""
    entries: list[Entry] = []
    start = CPU()
    for page in pages:
        source = _source(page)
        items = extract(source, FetchResult(source.url, 200, page.body, page.content_type))
        diff = diff_entries(source, None, items, NOW, announce_since=NOW - timedelta(days=7))
        entries.extend(Entry(page, c) for c in diff.changes)
    return CPU() - start, entries


def _classify_all(entries: list[Entry]) -> list[float]:
    """CPU milliseconds of each entry's classification by a new classifier."""
    classifier = Classifier(load_default_rules())
    times = []
    for e in entries:
        start = CPU()
        classifier.classify(e.change)
        times.append((CPU() - start) * 1000)
    return times


def _stats(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{len(times):>6} {sum(times) / 1000:>8.3f} {statistics.median(times):>8.4f} "
        f"{statistics.mean(times):>8.4f} {p95:>8.4f} {max(times):>8.3f}"
    )


def run() -> str:
    pages = corpus_pages()
    load_default_rules()  # the rules are parsed once per process; not a first run's classify
    best_extract = best_classify = None
    entries: list[Entry] = []
    for _ in range(ROUNDS):
        seconds, entries = _extract_all(pages)
        times = _classify_all(entries)
        if best_extract is None or seconds < best_extract:
            best_extract = seconds
        if best_classify is None or sum(times) < sum(best_classify):
            best_classify = times
    assert best_extract is not None and best_classify is not None
    classify_s = sum(best_classify) / 1000
    header = f"  {'':14} {'n':>6} {'total s':>8} {'median':>8} {'mean':>8} {'p95':>8} {'max':>8}"
    lines = [
        f"pages: {len(pages)} (tests/bench/vs_urlwatch_sites.py), first-run changes: "
        f"{len(entries)}; CPU time, best of {ROUNDS} rounds; per-entry figures in ms",
        "",
        f"extract + first-run diff: {best_extract:.3f} s",
        f"classify:                 {classify_s:.3f} s "
        f"({classify_s / (classify_s + best_extract):.1%} of extract + classify; "
        "bar: classify <= 5% of a first run's CPU)",
        "",
        "classify per entry:",
        header,
        f"  {'all':14} {_stats(best_classify)}",
    ]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for e, t in zip(entries, best_classify, strict=True):
        by_kind[e.page.kind].append(t)
    for kind in sorted(by_kind):
        lines.append(f"  {kind:14} {_stats(by_kind[kind])}")
    lines += [
        "",
        f"the first entry builds the matcher and compiles its first patterns: "
        f"{best_classify[0]:.3f} ms",
        f"costliest {TOP} entries (ms, text length, page, title):",
    ]
    ranked = sorted(zip(best_classify, entries, strict=True), key=lambda p: -p[0])
    for t, e in ranked[:TOP]:
        title = e.change.title.replace("\n", " ")[:50]
        lines.append(f"  {t:8.3f} {len(e.change.text):>7} {e.page.name[:44]:44} {title}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = run()
    sys.stdout.write(out)
    if "--write" in sys.argv:
        REPORT.write_text(out, encoding="utf-8")
