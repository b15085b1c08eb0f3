"""Benchmark: rendering JavaScript changelog pages in headless Chromium (render: browser).

Run: PYTHONPATH=. python tests/bench/bench_browser.py [--pages 20] [--runs 5] [--compare]
Writes its figures to stdout (committed as tests/bench/reports/browser.txt).

What it measures, on the fixture single-page app (tests/fixtures/browser/app.html: a shell, a
script, a JSON changelog fetched after load), served from 127.0.0.1 and reached through the
production address guard (tests/support/pages.py):

- cold start: Playwright's driver and Chromium started, until the first page is rendered;
- warm renders: each further page (a fresh browser context per page, as in a run), with the
  wiring's pause between a page's own requests (PAGE_ASSET_DELAY) and none between pages;
- a run: `run_cycle` over a catalog of browser and plain sources into SQLite, with one browser,
  and the peak memory of the whole process tree meanwhile (this Python, Playwright's Node
  driver, every Chromium process), as RSS and as PSS (shared pages counted once: the figure
  that adds up); sampled every 20 ms from /proc.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from radar.fetch.browser import BrowserFetcher, unavailable_reason
from radar.fetch.pagepolicy import PageBudget
from radar.fetch.render import RenderRouter
from radar.model import RenderMode, Source, SourceKind
from radar.store.sqlite import SqliteStore
from radar.watch.cycle import run_cycle
from radar.watch.outcomes import Outcome
from radar.wiring import PAGE_ASSET_DELAY
from tests.support.pages import guarded_fetcher, serve_fixtures

MB = 1024 * 1024


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of `pid` in bytes; (0, 0) once it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0]) * 1024 if rest.split() else 0
    return fields.get("Rss", 0), fields.get("Pss", 0)


class PeakMemory:
    """Samples the process tree's memory in a thread; `rss`/`pss` hold the peaks."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.rss = self.pss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(os.getpid())
            totals = [_memory(p) for p in pids]
            self.rss = max(self.rss, sum(r for r, _ in totals))
            self.pss = max(self.pss, sum(p for _, p in totals))
            self.processes = max(self.processes, len(pids))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def browser_on(budget: PageBudget) -> Iterator[BrowserFetcher]:
    inner = guarded_fetcher(per_host_delay=PAGE_ASSET_DELAY, total_timeout=budget.seconds)
    with inner, BrowserFetcher(inner, budget=budget, page_delay=0) as browser:
        yield browser


def bench_pages(pages: int) -> None:
    budget = PageBudget()
    with serve_fixtures() as site, browser_on(budget) as browser, PeakMemory() as peak:
        started = time.perf_counter()
        browser.fetch(site.url("/app.html"))
        cold = time.perf_counter() - started
        warm = []
        for n in range(pages):
            started = time.perf_counter()
            result = browser.fetch(site.url(f"/app.html?page={n}"))
            warm.append(time.perf_counter() - started)
            assert b"Webhooks v3" in result.body
    launch = browser.stats.launch_seconds or 0.0
    print(f"cold start: {cold:.2f} s to the first rendered page (Chromium launch {launch:.2f} s)")
    q = statistics.quantiles(warm, n=10)
    print(
        f"warm renders ({pages} pages): median {statistics.median(warm):.2f} s, "
        f"p90 {q[-1]:.2f} s, min {min(warm):.2f} s, max {max(warm):.2f} s"
    )
    print(
        f"  peak memory while rendering: PSS {peak.pss / MB:.0f} MB, RSS {peak.rss / MB:.0f} MB "
        f"over {peak.processes} processes"
    )


def bench_runs(sources: int, runs: int) -> None:
    peaks = [bench_run(sources) for _ in range(runs)]
    print(
        f"peak memory over {runs} runs: median PSS {statistics.median(peaks) / MB:.0f} MB, "
        f"max {max(peaks) / MB:.0f} MB"
    )


def bench_run(sources: int) -> int:
    budget = PageBudget()
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with serve_fixtures() as site, tempfile.TemporaryDirectory() as tmp, PeakMemory() as peak:
        catalog = []
        for n in range(sources):
            rendered = n % 2 == 0
            path = f"/app.html?source={n}" if rendered else f"/static.html?source={n}"
            catalog.append(
                Source(
                    id=f"source-{n}",
                    platform="example",
                    kind=SourceKind.CHANGELOG_HTML,
                    url=site.url(path),
                    render=RenderMode.BROWSER if rendered else RenderMode.NONE,
                )
            )
        store = SqliteStore(Path(tmp) / "radar.sqlite3")
        with browser_on(budget) as browser, guarded_fetcher() as http:
            router = RenderRouter(
                http, browser, [s.url for s in catalog if s.render.value == "browser"]
            )
            started = time.perf_counter()
            report = run_cycle(
                catalog,
                fetcher=router,
                store=store,
                now=now,
                announce_since=now - timedelta(days=7),
            )
            took = time.perf_counter() - started
        store.close()
    ok = report.count(Outcome.BASELINE)
    print(
        f"run: {sources} sources ({(sources + 1) // 2} rendered, one browser) in {took:.1f} s, "
        f"{ok} recorded, {report.count(Outcome.FAILED)} failed"
    )
    print(
        f"  peak memory of the run: PSS {peak.pss / MB:.0f} MB, RSS {peak.rss / MB:.0f} MB "
        f"over {peak.processes} processes"
    )
    return peak.pss


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _selenium_driver(chromium: str, *, bidi: bool) -> tuple[object, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from radar.fetch.browser import CHROMIUM_ARGS

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", *CHROMIUM_ARGS[:3]):
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='radar-bench-')}")
    options.enable_bidi = bidi
    started = time.perf_counter()
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    return driver, time.perf_counter() - started


def _selenium_intercepted_load(
    driver: Any, url: str, seen: list[str], done: threading.Event
) -> None:
    """Load `url` with Selenium's BiDi request handler on (run in a thread: it may hang)."""

    def intercept(request: Any) -> None:
        seen.append(str(request.url))
        request.continue_request()

    try:
        driver.network.add_request_handler("before_request", intercept)
        driver.set_page_load_timeout(15)
        driver.get(url)
    except Exception as exc:
        print(f"  selenium BiDi interception: {type(exc).__name__}: {str(exc)[:80]}")
    finally:
        done.set()


def _selenium_quit(driver: Any) -> None:
    stopper = threading.Thread(target=driver.quit, daemon=True)
    stopper.start()
    stopper.join(20)
    if stopper.is_alive():  # the session is stuck: end the chromedriver (and its Chromium)
        for pid in reversed(_tree(driver.service.process.pid)):  # all started by this bench
            with suppress(OSError):
                os.kill(pid, signal.SIGTERM)


def compare_drivers(url: str) -> None:
    """Playwright against Selenium + chromedriver: install size, start, request interception."""
    import importlib.util

    import playwright
    import selenium
    from playwright.sync_api import sync_playwright

    from radar.fetch.browser import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium() or "chromium"
    print("driver comparison (same Chromium, same flags):")
    pw_size = _size(Path(playwright.__file__).parent)
    se_size = _size(Path(selenium.__file__).parent)
    for extra in ("trio", "trio_websocket", "websocket", "wsproto", "outcome"):
        spec = importlib.util.find_spec(extra)
        if spec and spec.origin:
            se_size += _size(Path(spec.origin).parent)
    print(
        f"  installed: playwright {pw_size / MB:.0f} MB (its Node driver included); "
        f"selenium with its websocket/trio deps {se_size / MB:.0f} MB (+ Debian's chromedriver)"
    )
    starts, seen = [], []
    for _ in range(3):
        started = time.perf_counter()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS[:3]))
            starts.append(time.perf_counter() - started)
            seen = []
            context = browser.new_context()
            context.route("**/*", partial(_note_and_continue, seen))
            context.new_page().goto(url, wait_until="networkidle")
            browser.close()
    print(
        f"  playwright start (driver + Chromium): median {statistics.median(starts):.2f} s; "
        f"route interception held all {len(seen)} requests of the page before they were sent"
    )
    starts = []
    for bidi in (False, False, True):
        driver, took = _selenium_driver(chromium, bidi=bidi)
        starts.append(took)
        if not bidi:
            _selenium_quit(driver)
            continue
        seen = []
        done = threading.Event()
        threading.Thread(
            target=_selenium_intercepted_load, args=(driver, url, seen, done), daemon=True
        ).start()
        finished = done.wait(25)
        state = "finished" if finished else "did not finish in 25 s"
        print(
            f"  selenium start (chromedriver + Chromium): median {statistics.median(starts):.2f} s;"
            f" BiDi request interception {state}, saw {len(seen)} requests"
        )
        _selenium_quit(driver)


def _note_and_continue(seen: list[str], route: Any) -> None:
    seen.append(route.request.url)
    route.continue_()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--sources", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="Playwright against Selenium too")
    args = parser.parse_args()
    missing = unavailable_reason()
    if missing:
        sys.exit(f"cannot benchmark: {missing}")
    from importlib.metadata import version

    from radar.fetch.browser import find_chromium

    chromium = find_chromium()
    where = Path(chromium).resolve() if chromium else "?"
    print(f"render: browser benchmark, {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores")
    print(f"playwright {version('playwright')}, chromium {where} (system package)")
    bench_pages(args.pages)
    bench_runs(args.sources, args.runs)
    if args.compare:
        with serve_fixtures() as site:
            compare_drivers(f"http://127.0.0.1:{site.port}/app.html")


if __name__ == "__main__":
    main()
