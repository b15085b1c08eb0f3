"""Pages filled in by JavaScript, rendered in headless Chromium, every request they make vetted.

For sources with `render: browser`. `BrowserFetcher.fetch(url)` answers like `Fetcher.fetch`,
with the rendered DOM as an HTML body, so the usual extractors (changelog-html) read it.

Why it is built this way:

- **Playwright, not Selenium** (docs/catalog.md, "render: browser", has the measurements): its
  route interception hands Radar every request the page makes, before anything is sent, and
  lets Radar answer it; Selenium has no such hook short of a proxy or raw CDP events.
- **The browser has no network of its own.** Each request is either refused
  (`pagepolicy.vet_request`: images, styles, trackers, anything but GET) or fetched by Radar's
  own `Fetcher` (address guard on every URL and redirect, robots.txt, one request at a time per
  host, size caps, deadlines) and handed to the page. Chromium is started with a proxy that
  leads nowhere and no DNS, so what interception does not see (preconnects, WebRTC) reaches
  nothing; WebSockets are answered by Radar and closed. A request for a private or link-local
  address fails the whole render (`PageLedger.blocked`).
- **One browser per run**, started on the first page and reused; each page gets a new context
  (no cookies or storage carried between sources) and pages are rendered one at a time.
- Playwright's sync API belongs to the thread that started it, while `run_cycle` calls from
  worker threads, so one thread of ours owns the browser: `fetch` hands it a job and waits, for
  at most the page budget plus the browser's start, so a stuck browser never hangs a run.
"""

from __future__ import annotations

import importlib.util
import logging
import queue
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from radar.errors import FetchError, FetchTimeout
from radar.fetch.discover import PageFetcher
from radar.fetch.pagepolicy import PageBudget, PageLedger
from radar.fetch.pageroute import refuse_socket, serve
from radar.fetch.policy import DEFAULT_USER_AGENT
from radar.model import FetchResult

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
# Chromium reads only the last --disable-features switch, and Playwright passes one of its own
# first: ours must repeat Playwright's list (its chromiumSwitches.ts, 1.65), or the browser
# would upgrade http navigations and lose what Playwright's interception relies on.
# tests/integration/test_browser_memory.py checks the running browser against Playwright's.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# Memory (issue 17 bar: a run under 600 MB). Headless Chromium is the whole browser: for every
# browser context it preloads the address bar's popup as a WebUI page in a renderer of its own
# (~80 MB PSS, the largest process after the browser's), and it keeps a spare renderer warm
# for the next navigation (~20 MB). Radar shows no address bar and renders one page at a time.
# (Puppeteer disables the same WebUI features by default.)
LEAN_DISABLED_FEATURES = (
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "WebUIReloadButton",
    "SpareRendererForSitePerProcess",
)
# Playwright adds --headless, --no-sandbox (chromium_sandbox=False) and a fresh temporary
# --user-data-dir of its own, which it deletes when the browser closes.
CHROMIUM_ARGS = (
    "--disable-features=" + ",".join((*PLAYWRIGHT_DISABLED_FEATURES, *LEAN_DISABLED_FEATURES)),
    "--disable-gpu",
    # With no GPU, the GPU process only composites in software: as a thread of the browser
    # process it shares that process's memory (~15 MB less).
    "--in-process-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-sync",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    # No DNS and no direct connections: everything goes through interception or nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)
LAUNCH_TIMEOUT = 30.0  # seconds for Chromium to start
_SPARE = 15.0  # on top of a page's budget before a caller stops waiting for the browser thread
# Scripts and styles say nothing an extractor reads, and their nonces would change the page's
# hash on every render; feed <link>s are kept for feed discovery.
_STRIP = (
    "() => document.querySelectorAll('script,noscript,style,template').forEach(e => e.remove())"
)
INSTALL_HINT = (
    "render: browser needs Playwright (pip install 'platform-radar[browser]') and Chromium "
    "(Debian: apt-get install chromium)"
)


class BrowserUnavailable(FetchError):
    """Chromium or Playwright is not installed, or Chromium would not start."""


def find_chromium() -> str | None:
    """The system's Chromium (or Chrome) executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason(executable: str | None = None) -> str | None:
    """Why pages cannot be rendered on this machine (one line), or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return f"Playwright is not installed; {INSTALL_HINT}"
    if not (executable or find_chromium()):
        return f"Chromium is not installed; {INSTALL_HINT}"
    return None


def _dead_end_proxy() -> str:
    """A loopback address where nothing listens: Chromium's own connections are refused there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass(slots=True)
class _Job:
    url: str
    done: threading.Event = field(default_factory=threading.Event)
    result: FetchResult | None = None
    error: BaseException | None = None


@dataclass(slots=True)
class BrowserStats:
    """What the browser did in this run (for logs and the benchmark)."""

    launch_seconds: float | None = None
    launches: int = 0
    pages: int = 0
    refused: int = 0


class BrowserFetcher:
    """Renders pages in one headless Chromium, fetching each of their requests with `fetcher`.

    `fetcher` is Radar's polite `Fetcher` (or anything with its `fetch`): it decides which
    addresses may be contacted, so tests give it the same test seams as any fetcher.
    """

    def __init__(
        self,
        fetcher: PageFetcher,
        *,
        executable: str | None = None,
        budget: PageBudget | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        page_delay: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self._fetcher = fetcher
        self._args = [*CHROMIUM_ARGS, *extra_args]
        self._executable = executable
        self._budget = budget or PageBudget()
        self._user_agent = user_agent
        self._page_delay = page_delay  # between two pages of one host, like the fetcher's delay
        self._clock = clock
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._next_page: dict[str, float] = {}
        self.stats = BrowserStats()

    # --- the caller's side ----------------------------------------------------------------

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """The page at `url` as the browser renders it (status 200, the DOM as UTF-8 HTML).

        Validators are ignored: what a page shows depends on more than its document. Raises a
        FetchError naming the URL: the document's own fetch error, a blocked request, the budget
        or `BrowserUnavailable`.
        """
        with self._lock:
            if self._closed:
                raise FetchError(f"the browser was already closed ({url})")
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="radar-browser", daemon=True)
                self._worker.start()
        job = _Job(url)
        self._jobs.put(job)
        if not job.done.wait(self._budget.seconds + LAUNCH_TIMEOUT + _SPARE):
            raise FetchTimeout(
                f"the browser did not render {url} within {self._budget.seconds:g} s"
            )
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def close(self) -> None:
        """Close the browser (and the Playwright driver) this fetcher started, if any."""
        with self._lock:
            self._closed = True
            worker = self._worker
        if worker is not None:
            self._jobs.put(None)
            worker.join(timeout=LAUNCH_TIMEOUT)
            if worker.is_alive():
                log.warning("browser did not close in time")

    def __enter__(self) -> BrowserFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- the browser thread ---------------------------------------------------------------

    def _run(self) -> None:
        playwright: Playwright | None = None
        browser: Browser | None = None
        broken: FetchError | None = None  # Chromium would not start: every page fails the same
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    if broken is not None:
                        raise broken
                    if browser is None or not browser.is_connected():
                        playwright, browser = self._launch(playwright)
                    job.result = self._render(browser, job.url)
                except BrowserUnavailable as exc:
                    broken = exc
                    job.error = exc
                except FetchError as exc:
                    job.error = exc
                except Exception as exc:  # Playwright's own errors, in words
                    job.error = FetchError(f"the browser failed on {job.url}: {_first_line(exc)}")
                finally:
                    job.done.set()
        finally:
            if browser is not None:
                with suppress(Exception):
                    browser.close()
            if playwright is not None:
                with suppress(Exception):
                    playwright.stop()

    def _launch(self, playwright: Playwright | None) -> tuple[Playwright, Browser]:
        reason = unavailable_reason(self._executable)
        if reason:
            raise BrowserUnavailable(reason)
        from playwright.sync_api import sync_playwright

        executable = self._executable or find_chromium()
        started = time.monotonic()
        own = playwright is None  # a driver started here is stopped here if Chromium fails
        try:
            playwright = playwright or sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=executable,
                headless=True,
                chromium_sandbox=False,
                args=self._args,
                proxy={"server": _dead_end_proxy()},
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
                timeout=LAUNCH_TIMEOUT * 1000,
            )
        except Exception as exc:
            if own and playwright is not None:
                with suppress(Exception):
                    playwright.stop()
            raise BrowserUnavailable(
                f"could not start Chromium ({executable}): {_first_line(exc)}"
            ) from exc
        self.stats.launch_seconds = time.monotonic() - started
        self.stats.launches += 1
        log.info("browser started", extra={"seconds": round(self.stats.launch_seconds, 2)})
        return playwright, browser

    def _render(self, browser: Browser, url: str) -> FetchResult:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self._wait_turn(url)
        budget = self._budget
        deadline = time.monotonic() + budget.seconds
        ledger = PageLedger(budget)
        context = browser.new_context(
            user_agent=self._user_agent,
            accept_downloads=False,
            service_workers="block",
            locale="en-US",
        )
        try:
            context.route("**/*", lambda route: serve(route, self._fetcher, ledger, deadline))
            context.route_web_socket(re.compile(".*"), lambda ws: refuse_socket(ws, ledger))
            page = context.new_page()  # popups share the context's routes and close with it
            try:
                page.goto(url, wait_until="load", timeout=_ms_left(deadline))
            except PlaywrightTimeout:
                raise ledger.failure or FetchTimeout(
                    f"{url} did not load within {budget.seconds:g} s in the browser"
                ) from None
            except PlaywrightError as exc:
                raise ledger.failure or FetchError(
                    f"the browser could not load {url}: {_first_line(exc)}"
                ) from None
            with suppress(PlaywrightTimeout):  # a page that polls never goes quiet: read it now
                settle = min(budget.settle, max(deadline - time.monotonic(), 0.0))
                page.wait_for_load_state("networkidle", timeout=max(settle * 1000, 1.0))
            if ledger.failure is not None:
                raise ledger.failure
            page.evaluate(_STRIP)
            html, final_url = page.content(), page.url
        finally:
            with suppress(PlaywrightError):
                context.close()
            self._next_page[_host(url)] = time.monotonic() + self._page_delay
        self.stats.pages += 1
        self.stats.refused += len(ledger.refused)
        if ledger.refused:
            log.info(
                "page requests refused",
                extra={"url": url, "count": len(ledger.refused), "first": ledger.refused[:3]},
            )
        return FetchResult(
            url=final_url,
            status=200,
            body=html.encode("utf-8"),
            content_type="text/html; charset=utf-8",
            fetched_at=self._clock(),
        )

    def _wait_turn(self, url: str) -> None:
        wait = self._next_page.get(_host(url), 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _ms_left(deadline: float) -> float:
    return max((deadline - time.monotonic()) * 1000, 1.0)
