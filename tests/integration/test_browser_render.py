"""render: browser end to end: headless Chromium on pages served from 127.0.0.1.

The pages are reached by name through the production address guard (tests/support/pages.py),
so a page's request for the metadata endpoint or a private address is refused as it would be
on AWS. Skipped, with the reason, where Chromium or Playwright is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from radar.errors import BlockedAddress, FetchError, HttpStatusError, RobotsDisallowed
from radar.extract import extract
from radar.fetch.browser import BrowserFetcher, BrowserUnavailable, unavailable_reason
from radar.fetch.pagepolicy import PageBudget
from radar.fetch.render import RenderRouter
from radar.model import Item, RenderMode, Source, SourceKind
from radar.watch.cycle import run_cycle, watch_source
from radar.watch.outcomes import Outcome
from tests.support.fakes import MemoryStore
from tests.support.pages import (
    BROWSER_FIXTURES,
    LoopbackTransport,
    PageServer,
    guarded_fetcher,
    serve_fixtures,
)

MISSING = unavailable_reason()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"no browser here: {MISSING}")

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
BUDGET = PageBudget(seconds=20, settle=2)


@pytest.fixture(scope="module")
def site() -> Iterator[PageServer]:
    with serve_fixtures() as server:
        yield server


@pytest.fixture(scope="module")
def transport() -> LoopbackTransport:
    return LoopbackTransport()


@pytest.fixture(scope="module")
def browser(transport: LoopbackTransport) -> Iterator[BrowserFetcher]:
    """One browser for the module, as in a run: started by the first page, reused after."""
    with (
        guarded_fetcher(transport) as inner,
        BrowserFetcher(inner, budget=BUDGET, page_delay=0) as fetcher,
    ):
        yield fetcher


def page_source(url: str, sid: str = "example-changelog") -> Source:
    return Source(
        id=sid,
        platform="example",
        kind=SourceKind.CHANGELOG_HTML,
        url=url,
        render=RenderMode.BROWSER,
    )


def entries(items: list[Item]) -> list[tuple[str, str, str, datetime | None]]:
    return [(i.key, i.title, i.text, i.published) for i in items]


def watch(src: Source, fetcher: object) -> object:
    return watch_source(
        src,
        fetcher=fetcher,  # type: ignore[arg-type]
        store=MemoryStore(),
        now=NOW,
        announce_since=NOW - timedelta(days=7),
    )


def test_browser_js_page_gives_the_same_entries_as_the_static_page(
    site: PageServer, browser: BrowserFetcher
) -> None:
    with guarded_fetcher() as plain:
        static = extract(
            page_source(site.url("/static.html")), plain.fetch(site.url("/static.html"))
        )
        shell = plain.fetch(site.url("/app.html"))
    with pytest.raises(Exception, match="no entries found"):
        extract(page_source(site.url("/app.html")), shell)  # as served, the page is empty
    rendered = extract(page_source(site.url("/app.html")), browser.fetch(site.url("/app.html")))
    assert entries(rendered) == entries(static)
    assert [i.published for i in rendered] == [
        datetime(2026, 11, 12, tzinfo=UTC),
        datetime(2026, 10, 30, tzinfo=UTC),
        datetime(2026, 9, 2, tzinfo=UTC),
    ]


def test_browser_fetches_only_the_document_scripts_and_data(
    site: PageServer, browser: BrowserFetcher
) -> None:
    before = len(site.seen)
    browser.fetch(site.url("/app.html"))
    asked = site.seen[before:]
    assert asked == ["/app.html", "/assets/app.js", "/api/changelog.json"]  # no css, no image


def test_browser_page_asking_for_the_metadata_endpoint_fails_the_source(
    site: PageServer, browser: BrowserFetcher, transport: LoopbackTransport
) -> None:
    outcome = watch(page_source(site.url("/metadata.html")), browser)
    assert outcome.outcome is Outcome.FAILED  # type: ignore[attr-defined]
    error = outcome.error  # type: ignore[attr-defined]
    assert "169.254.169.254" in error and "link-local" in error
    assert "169.254.169.254" not in transport.hosts  # refused before any connection


def test_browser_page_loading_from_a_private_address_fails_the_source(
    site: PageServer, browser: BrowserFetcher, transport: LoopbackTransport
) -> None:
    with pytest.raises(BlockedAddress, match=r"10\.20\.30\.40 is a private address"):
        browser.fetch(site.url("/private.html"))
    assert "10.20.30.40" not in transport.hosts


def test_browser_page_whose_data_never_comes_is_reported_failed_not_hung(
    site: PageServer,
) -> None:
    with (
        guarded_fetcher(read_timeout=0.5, total_timeout=1) as inner,
        BrowserFetcher(inner, budget=PageBudget(seconds=10, settle=1), page_delay=0) as browser,
    ):
        outcome = watch(page_source(site.url("/slow.html")), browser)
    assert outcome.outcome is Outcome.FAILED  # type: ignore[attr-defined]
    assert "no entries found" in outcome.error  # type: ignore[attr-defined]


def test_browser_request_budget_fails_the_render(site: PageServer) -> None:
    with (
        guarded_fetcher() as inner,
        BrowserFetcher(
            inner, budget=PageBudget(seconds=10, requests=2, settle=1), page_delay=0
        ) as browser,
        pytest.raises(FetchError, match="more than 2 requests"),
    ):
        browser.fetch(site.url("/app.html"))


def test_browser_page_requests_obey_robots_txt(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(BROWSER_FIXTURES, root)
    (root / "robots.txt").write_text("User-agent: PlatformRadar\nDisallow: /api/\n")
    with serve_fixtures(root) as site, guarded_fetcher(respect_robots=True) as inner:
        with BrowserFetcher(inner, budget=BUDGET, page_delay=0) as browser:
            rendered = browser.fetch(site.url("/app.html"))
        assert "/api/changelog.json" not in site.seen
        with pytest.raises(RobotsDisallowed):
            inner.fetch(site.url("/api/changelog.json"))
    assert b"Webhooks v3" not in rendered.body


def test_browser_missing_page_is_the_fetchers_error(
    site: PageServer, browser: BrowserFetcher
) -> None:
    with pytest.raises(HttpStatusError, match="404"):
        browser.fetch(site.url("/no-such-page.html"))


def test_browser_does_not_render_what_is_not_a_page(
    site: PageServer, browser: BrowserFetcher
) -> None:
    with pytest.raises(FetchError, match="is not an HTML page"):
        browser.fetch(site.url("/changelog/rss.xml"))


def test_browser_one_browser_serves_every_page_of_a_run(
    site: PageServer, browser: BrowserFetcher
) -> None:
    for _ in range(2):
        browser.fetch(site.url("/static.html"))
    assert browser.stats.launches == 1


def test_browser_run_cycle_renders_only_the_browser_sources(
    site: PageServer, browser: BrowserFetcher
) -> None:
    rendered = page_source(site.url("/app.html"), "app")
    plain = Source(
        id="static", platform="example", kind=SourceKind.AUTO, url=site.url("/static.html")
    )
    with guarded_fetcher() as http:
        router = RenderRouter(http, browser, [rendered.url])
        pages = browser.stats.pages
        report = run_cycle(
            [rendered, plain],
            fetcher=router,
            store=MemoryStore(),
            now=NOW,
            announce_since=NOW - timedelta(days=7),
        )
    assert [(o.source_id, o.outcome, o.baseline + o.added) for o in report.outcomes] == [
        ("app", Outcome.BASELINE, 3),
        ("static", Outcome.BASELINE, 3),
    ]
    assert browser.stats.pages == pages + 1


def test_browser_that_cannot_start_says_so(site: PageServer) -> None:
    with (
        guarded_fetcher() as inner,
        BrowserFetcher(inner, executable="/nonexistent/chromium", budget=BUDGET) as browser,
    ):
        for _ in range(2):  # the second page fails the same way, without another attempt
            with pytest.raises(BrowserUnavailable, match="could not start Chromium"):
                browser.fetch(site.url("/static.html"))
        assert browser.stats.launches == 0
