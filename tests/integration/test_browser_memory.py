"""render: browser runs one renderer per page: no address-bar WebUI, no spare (issue 17 memory).

The run's peak memory is measured by tests/bench/bench_browser.py (report in
tests/bench/reports/browser.txt); these tests check the processes that peak is made of, from
/proc, while the production fetcher renders a fixture page. Skipped where Chromium or Playwright
is not installed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from radar.fetch.browser import (
    LEAN_DISABLED_FEATURES,
    PLAYWRIGHT_DISABLED_FEATURES,
    BrowserFetcher,
    unavailable_reason,
)
from radar.fetch.pagepolicy import PageBudget
from tests.support.pages import guarded_fetcher, serve_fixtures

MISSING = unavailable_reason()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"no browser here: {MISSING}")


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return seen


def _command_line(pid: int) -> list[str]:
    """The process's arguments (Chromium rewrites its title: split on spaces as well)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.replace(b"\0", b" ").decode(errors="replace").split()


class _Chromium:
    """Samples this test's Chromium processes while a page renders."""

    def __init__(self) -> None:
        self.renderers = 0  # the most renderer processes seen at once
        self.webui = 0  # the most renderers of browser WebUI (the address bar) seen at once
        self.browser_args: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            lines = [_command_line(p) for p in _tree(os.getpid())]
            renderers = [a for a in lines if "--type=renderer" in a]
            self.renderers = max(self.renderers, len(renderers))
            self.webui = max(self.webui, sum("--top-chrome-webui" in a for a in renderers))
            browser = [a for a in lines if "--remote-debugging-pipe" in a and not _typed(a)]
            self.browser_args = browser[0] if browser else self.browser_args
            self._stop.wait(0.01)

    def __enter__(self) -> _Chromium:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _typed(args: list[str]) -> bool:
    return any(a.startswith("--type=") for a in args)


@pytest.fixture(scope="module")
def rendered() -> Iterator[_Chromium]:
    with (
        serve_fixtures() as site,
        guarded_fetcher() as inner,
        BrowserFetcher(inner, budget=PageBudget(seconds=20, settle=2), page_delay=0) as browser,
        _Chromium() as chromium,
    ):
        for n in range(2):  # two pages: a second context must not bring a second renderer
            assert b"Webhooks v3" in browser.fetch(site.url(f"/app.html?n={n}")).body
        yield chromium


def test_browser_memory_page_renders_in_one_renderer(rendered: _Chromium) -> None:
    assert rendered.renderers == 1


def test_browser_memory_no_address_bar_webui_renderer(rendered: _Chromium) -> None:
    assert rendered.webui == 0


def test_browser_memory_playwrights_disabled_features_survive(rendered: _Chromium) -> None:
    """Chromium reads only the last --disable-features: it must hold Playwright's list too."""
    lists = [
        a.split("=", 1)[1].split(",")
        for a in rendered.browser_args
        if a.startswith("--disable-features=")
    ]
    assert lists, "the browser's command line was not seen"
    effective = set(lists[-1])
    assert set().union(*lists) <= effective
    assert set(PLAYWRIGHT_DISABLED_FEATURES) | set(LEAN_DISABLED_FEATURES) <= effective
