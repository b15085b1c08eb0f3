"""Large and hostile Markdown (issue 13, item 8): extraction time of 2 MB pages with 50,000
headings, and of 16 KB of `[`.

Targets: a 2 MB page with 50k headings extracts in < 2 s; 16 KB of `[` in < 100 ms. Generated
pages, several shapes, each about 2 MB with 50,000 headings:

- `dated`: `## 2024-05-01` headings, each with two bullets (a dated changelog);
- `versions`: `## [1.2.3] - 2024-05-01` then `### Fixed` and a bullet (Keep a Changelog;
  25,000 releases, 50,000 headings);
- `docs`: `## Section title` and a paragraph (an undated docs page);
- `titled-dates`: `## 2024-05-01 Release 7` and a paragraph (a date and words: the date is
  looked for twice);
- `code`: like `dated`, with a fenced code block holding `# comment` lines in every tenth
  section (lines that look like headings to a quick split).

Each is timed through `radar.extract.extract` (decode, blocks, entries), best of RUNS after a
warm-up, with the page read as one piece (`presplit=False`, markdown-it over the whole page,
the way every page was read before) and as Radar reads it now.

Then the MDX changelogs of ../shared/corpus (issue 10's bar, issue 15): about 100 KB of each
case's newest page, extract and diff timed apart (CPU time, medians); `--mdx` runs this part
alone.

Run: `PYTHONPATH=. python tests/bench/bench_markdown_large.py`; the committed report is
tests/bench/reports/markdown_large.txt.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from radar.errors import ExtractError
from radar.extract import extract, markdown
from radar.model import FetchResult, Snapshot, Source, SourceKind

RUNS = 3
HEADINGS = 50_000
SOURCE = Source(
    id="bench", platform="p", kind=SourceKind.CHANGELOG_MARKDOWN, url="https://example.com/c"
)
DAY0 = date(2000, 1, 1)


def _day(i: int) -> str:
    return (DAY0 + timedelta(days=i)).isoformat()


def dated() -> str:
    return "# Changelog\n\n" + "".join(
        f"## {_day(i)}\n\n- Fixed {i}\n- Added x\n\n" for i in range(HEADINGS)
    )


def versions() -> str:
    return "# Changelog\n\n" + "".join(
        f"## [1.{i // 100}.{i % 100}] - {_day(i)}\n\n### Fixed\n\n- Bug {i} fixed in the api\n\n"
        for i in range(HEADINGS // 2)
    )


def docs() -> str:
    return "# Guide\n\n" + "".join(
        f"## Section {i} title\n\nIt says thing {i}.\n\n" for i in range(HEADINGS)
    )


def titled_dates() -> str:
    return "# Changelog\n\n" + "".join(
        f"## {_day(i)} Release {i}\n\nFix {i}.\n\n" for i in range(HEADINGS)
    )


def code() -> str:
    parts = ["# Changelog\n\n"]
    for i in range(HEADINGS):
        parts.append(f"## {_day(i)}\n\n- Fixed {i}\n\n")
        if i % 10 == 0:
            parts.append("```sh\n# install\npip install x\n```\n\n")
    return "".join(parts)


SHAPES: dict[str, Callable[[], str]] = {
    "dated": dated,
    "versions": versions,
    "docs": docs,
    "titled-dates": titled_dates,
    "code": code,
}


def _extract(body: bytes) -> int:
    try:
        return len(extract(SOURCE, FetchResult(SOURCE.url, 200, body, "text/markdown")))
    except ExtractError:
        return 0


def _best(body: bytes, presplit: bool | None) -> tuple[float, float, int]:
    """Best wall and CPU seconds of RUNS extractions, and the number of entries."""
    original = markdown.markdown_blocks

    def forced(
        text: str, *, presplit_: bool | None = presplit, **kwargs: Any
    ) -> list[markdown.Block]:
        return original(text, presplit=presplit_, **kwargs)

    with mock.patch.object(markdown, "markdown_blocks", forced):
        found = _extract(body)  # warm-up
        wall = cpu = float("inf")
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            _extract(body)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, found


def main() -> None:
    print(f"# {sys.argv[0]}: best of {RUNS} runs, Python {sys.version.split()[0]}")
    print("# seconds: wall / CPU of this process (the CPU figure holds on a busy machine)")
    print(f"{'page':<14}{'size':>9}{'headings':>9}{'entries':>8}{'one piece':>16}{'now':>16}")
    for name, make in SHAPES.items():
        text = make()
        body = text.encode()
        headings = sum(1 for line in text.split("\n") if line.startswith("#"))
        whole, whole_cpu, entries = _best(body, presplit=False)
        now, now_cpu, entries_now = _best(body, presplit=None)
        assert entries == entries_now, (name, entries, entries_now)
        size = f"{len(body) / 1e6:.2f} MB"
        print(
            f"{name:<14}{size:>9}{headings:>9}{entries:>8}"
            f"{whole:>8.2f} /{whole_cpu:>5.2f}s{now:>8.2f} /{now_cpu:>5.2f}s"
        )
    for name, body in (("16 KB of [", b"[" * 16384), ("16 KB of **a", b"**a " * 4096)):
        whole, whole_cpu, _ = _best(body, presplit=False)
        now, now_cpu, _ = _best(body, presplit=None)
        print(
            f"{name:<14}{'16 KB':>9}{'':>9}{'':>8}"
            f"{whole * 1e3:>7.1f} /{whole_cpu * 1e3:>4.1f}ms"
            f"{now * 1e3:>7.1f} /{now_cpu * 1e3:>4.1f}ms"
        )
    mdx()


# --- MDX changelogs (issue 10's bar: extract + diff of ~100 KB, median < 25 ms) --------------

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MDX_RUNS = 25
MDX_SIZE = 100_000
_YEAR = re.compile(rb"\b(?:19|20)\d\d\b")
_SEMVER = re.compile(rb"\b(v?)(\d+)(\.\d+\.\d+)")


def _older(page: bytes, k: int) -> bytes:
    """`page` as the k-th older stretch of a longer history: every year k years earlier and
    every release's major version 10k higher, so its entries are new entries (their own dates
    and keys), not numbered repeats of the newest ones."""
    page = _YEAR.sub(lambda m: str(int(m[0]) - k).encode(), page)
    return _SEMVER.sub(lambda m: m[1] + str(int(m[2]) + 10 * k).encode() + m[3], page)


def _hundred_kb(page: bytes, distinct: bool) -> bytes:
    """About 100 KB from `page`: `repeat` writes it again and again (3 of every 4 entries of
    mem0 are then numbered duplicates, keyed -2, -3, -4, that no real page has); `distinct`
    appends older stretches of history (`_older`)."""
    copies = [
        page if k == 0 or not distinct else _older(page, k)
        for k in range(MDX_SIZE // len(page) + 1)
    ]
    body = b"".join(copies)[:MDX_SIZE]
    return body[: body.rfind(b"\n</Update>") + 10] or page


def _mdx_case(
    case: str, distinct: bool = False
) -> tuple[int, int, Callable[[], object], Callable[[], object]]:
    """About 100 KB of the case's newest page, its size, its numbered duplicate keys, and its
    extract and diff (against the snapshot of the version before) as separate steps.

    `distinct=False` is bench_signal's construction: the newest page repeated, diffed against
    the previous page as recorded. `distinct=True`: the newest page followed by older stretches
    of history, diffed against the previous page built the same way (one commit's change on a
    100 KB changelog).
    """
    from radar.diff import diff_entries

    pages = sorted((CORPUS / case).glob("0*"))
    newest, previous = pages[-1].read_bytes(), pages[-2].read_bytes()
    body = _hundred_kb(newest, distinct)
    if distinct:
        previous = _hundred_kb(previous, distinct)
    source = Source(id=case, platform="b", kind=SourceKind.AUTO, url="https://example.com/c")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    old = extract(source, FetchResult(source.url, 200, previous, "text/plain", fetched_at=now))
    entries = diff_entries(source, None, old, now, announce_since=now).entries
    before = Snapshot(case, 1, entries=entries, content_hash="x")
    items = extract(source, FetchResult(source.url, 200, body, "text/plain", fetched_at=now))
    keys = {item.key for item in items}
    numbered = sum(1 for k in keys if _NUMBERED.search(k) and k.rsplit("-", 1)[0] in keys)

    def run_extract() -> object:
        return extract(source, FetchResult(source.url, 200, body, "text/plain", fetched_at=now))

    def run_diff() -> object:
        return diff_entries(source, before, items, now, announce_since=now)

    return len(body), numbered, run_extract, run_diff


_NUMBERED = re.compile(r"-\d+$")


def _median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(MDX_RUNS):
        start = time.thread_time()
        fn()
        samples.append(time.thread_time() - start)
    return statistics.median(samples) * 1000


def mdx() -> None:
    cases = sorted(p.parent.name for p in CORPUS.glob("*_mdx/truth.json"))
    if not cases:
        print(f"\n# MDX: no cases in {CORPUS}")
        return
    print(f"\n# MDX changelogs, ~100 KB each: CPU ms, medians of {MDX_RUNS} (bar: < 25 ms)")
    print("# repeat: the newest page written 4x (bench_signal's construction); distinct: the")
    print("# newest page, then older stretches of history (years -k, major versions +10k)")
    header = f"{'case':<30}{'build':<10}{'size':>8}{'numbered':>9}{'extract':>9}{'diff':>8}"
    print(f"{header}{'total':>8}")
    for case in cases:
        for distinct in (False, True):
            size, numbered, run_extract, run_diff = _mdx_case(case, distinct)
            ex, df = _median_ms(run_extract), _median_ms(run_diff)
            build = "distinct" if distinct else "repeat"
            print(
                f"{case:<30}{build:<10}{size / 1000:>5.0f} KB{numbered:>9}"
                f"{ex:>9.1f}{df:>8.1f}{ex + df:>8.1f}"
            )


if __name__ == "__main__":
    if sys.argv[1:] == ["--mdx"]:
        mdx()
    else:
        main()
