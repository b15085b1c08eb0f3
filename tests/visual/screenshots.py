"""Screenshots for the README (docs/img/), taken in headless Chromium from real recorded data.

Run: PYTHONPATH=. python tests/visual/screenshots.py [name ...]   (all of them without names)

Not a test (pytest collects only test_*.py): it writes files that are committed. Real changelog
histories from ../shared/corpus are replayed through the real fetcher, extractor, differ and
classifier into a SQLite file, as `radar run --at <version date>` would on each recorded date,
and the API and web page are served from that file on 127.0.0.1 with the clock set to the day
after the replay. One function per screenshot, registered in SHOTS; each takes the shared
Session (browser, replayed store, served page) and returns the file it wrote.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "img"
# The day after the last recorded version of the Discord API change log (2024-08-15).
CLOCK = datetime(2024, 8, 16, 9, tzinfo=UTC)
# corpus folder, platform, source kind, name readers know the source by
REPLAYED = (
    ("discord_changelog_2024", "discord", "changelog-markdown", "Discord API change log"),
    ("reddit_devvit_changelog_md", "reddit", "changelog-markdown", "Reddit Devvit changelog"),
    ("twitch_scopes_html", "twitch", "changelog-html", "Twitch access token scopes"),
)
CONTENT_TYPES = {".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8"}


@dataclass
class Session:
    """What screenshots share, made on first use and closed once at the end."""

    stack: ExitStack = field(default_factory=ExitStack)
    _browser: Any = None
    _web_url: str | None = None

    def browser(self, width: int = 1280, height: int = 860) -> Any:
        if self._browser is None:
            self._browser = self.stack.enter_context(_chromium())
        self._browser.set_window_size(width, height)
        return self._browser

    def web_url(self) -> str:
        """The API and web page over the replayed corpus."""
        if self._web_url is None:
            folder = Path(self.stack.enter_context(tempfile.TemporaryDirectory()))
            self._web_url = self.stack.enter_context(_served_replay(folder / "radar.sqlite3"))
        return self._web_url


def web_page(session: Session) -> Path:
    """The web page as it opens: the last 30 days by detection date, one row per entry."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = session.browser()
    driver.get(session.web_url())
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rows tr"))
    return _save(driver, "web-page.png")


def web_entry(session: Session) -> Path:
    """One entry's view: its latest text, sources and history with word diffs."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = session.browser()
    driver.get(session.web_url())
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rows tr"))
    # The entry with the most changes in the range shows what the view is for.
    counts = driver.find_elements(By.CSS_SELECTOR, "#rows .count")
    if not counts:
        raise SystemExit("no entry with more than one change in the replayed range")
    busiest = max(counts, key=lambda c: int(c.text.split()[0]))
    busiest.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#detail .history ins, #detail .history del")
    )
    return _save(driver, "web-entry.png")


# --- mail: the weekly briefing (English, Arabic) and an alert ---------------------------------

# What the mail screenshots show of a message: a phone-to-desktop width, the top of it.
MAIL_WIDTH, MAIL_HEIGHT = 640, 1500
_STORES: dict[int, Any] = {}  # per session: the replayed changelogs, made once


def briefing_en(session: Session) -> Path:
    """The weekly briefing of the replayed week (the Discord, Reddit Devvit and Twitch
    changelogs), as a subscriber in Riyadh gets it: platform chips, severity badges."""
    return _mail(session, _briefing_html(session, "en"), "briefing-en.png")


def briefing_ar(session: Session) -> Path:
    """The same briefing in Arabic, right to left."""
    return _mail(session, _briefing_html(session, "ar"), "briefing-ar.png")


def alert(session: Session) -> Path:
    """The emerging-platform alert the recorded Twitter trends (India, January 2021) fire:
    Parler, with a quiet past before them (as docs/replay.md replays it)."""
    from radar.render.alert import render_alert
    from radar.store.trend_sqlite import SqliteTrendStore
    from radar.trends.score import TrendConfig
    from radar.trends.usecases import alert_for
    from tests.bench.trends_replay import TWITTER, replay_corpus

    folder = Path(session.stack.enter_context(tempfile.TemporaryDirectory()))
    with SqliteTrendStore(folder / "trends.sqlite3") as trends:
        replayed = replay_corpus(
            "twitter_trends_india", TWITTER, trends, TrendConfig(), quiet_past=True
        )
        (signal,) = [s for s in replayed.fired if s.term == "parler"]
        content = alert_for(signal, trends, source_names={TWITTER.id: TWITTER.name})
    html = render_alert(
        content,
        unsubscribe_url="https://radar.example.com/subscriptions/unsubscribe?token=...",
        manage_url="https://radar.example.com/subscriptions/manage?token=...",
    ).html
    return _mail(session, html, "alert.png", height=900)


def _briefing_html(session: Session, lang: str) -> str:
    from radar.briefings.content import Links, build_briefing
    from radar.model import ChangeQuery
    from radar.render.briefing import render_briefing
    from radar.subscriptions.model import Subscription, SubscriptionStatus

    store = _replayed_store(session)
    week = timedelta(days=7)
    changes = store.query_changes(ChangeQuery(since=CLOCK - week, until=CLOCK))
    sub = Subscription(
        id="screenshot", email="team@example.com", tz="Asia/Riyadh", lang=lang,
        status=SubscriptionStatus.ACTIVE,
    )  # fmt: skip
    links = Links(
        manage="https://radar.example.com/subscriptions/manage?token=...",
        unsubscribe="https://radar.example.com/subscriptions/unsubscribe?token=...",
    )
    briefing = build_briefing(
        sub, changes, period="2024-W33", since=CLOCK - week, until=CLOCK, links=links,
        source_names={folder: name for folder, _, _, name in REPLAYED},
    )  # fmt: skip
    return render_briefing(briefing).html


def _replayed_store(session: Session) -> Any:
    from radar.store.sqlite import SqliteStore

    if id(session) not in _STORES:
        folder = Path(session.stack.enter_context(tempfile.TemporaryDirectory()))
        store = session.stack.enter_context(SqliteStore(folder / "radar.sqlite3"))
        _replay(store)
        _STORES[id(session)] = store
        session.stack.callback(_STORES.pop, id(session), None)
    return _STORES[id(session)]


def _mail(session: Session, html: str, name: str, *, height: int = MAIL_HEIGHT) -> Path:
    """A mail's HTML as a reader's client shows it (no scripts run: it has none)."""
    folder = Path(session.stack.enter_context(tempfile.TemporaryDirectory()))
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    driver = session.browser(MAIL_WIDTH, height)
    driver.get(page.as_uri())
    return _save(driver, name)


SHOTS: dict[str, Callable[[Session], Path]] = {
    "web-page": web_page,
    "web-entry": web_entry,
    "briefing-en": briefing_en,
    "briefing-ar": briefing_ar,
    "alert": alert,
}


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        print(f"unknown screenshot {unknown[0]!r}; known: {', '.join(SHOTS)}", file=sys.stderr)
        return 2
    with _session() as session:
        for name in names or list(SHOTS):
            print(f"{name}: {SHOTS[name](session).relative_to(ROOT)}")
    return 0


@contextmanager
def _session() -> Iterator[Session]:
    session = Session()
    with session.stack:
        yield session


def _save(driver: Any, name: str) -> Path:
    IMG.mkdir(parents=True, exist_ok=True)
    path = IMG / name
    driver.save_screenshot(str(path))
    return path


@contextmanager
def _chromium() -> Iterator[Any]:
    from selenium import webdriver

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        raise SystemExit("needs Debian chromium and chromium-driver (.ci/run installs them)")
    profile = tempfile.mkdtemp(prefix="radar-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def _served_replay(db: Path) -> Iterator[str]:
    from radar.api.app import ApiDeps
    from radar.classify import load_default_rules
    from radar.store.sqlite import SqliteStore
    from tests.support.web import serve_api

    with SqliteStore(db) as store:
        _replay(store)
        deps = ApiDeps(
            store,
            load_default_rules(),
            clock=lambda: CLOCK,
            source_names={folder: name for folder, _, _, name in REPLAYED},
        )
        with serve_api(deps) as url:
            yield url


def _replay(store: Any) -> None:
    """Every recorded version up to CLOCK, in date order across sources, served from 127.0.0.1."""
    from pytest_httpserver import HTTPServer

    from radar.classify import Classifier, load_default_rules
    from radar.fetch import Fetcher, FetchPolicy
    from radar.model import Source, SourceKind
    from radar.watch.cycle import watch_source
    from tests.support.corpus import versions

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    http = HTTPServer(host="127.0.0.1", port=0)
    http.start()
    classifier = Classifier(load_default_rules())
    policy = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)
    runs = []
    for folder, platform, kind, name in REPLAYED:
        source = Source(
            id=folder,
            platform=platform,
            kind=SourceKind(kind),
            url=http.url_for(f"/{folder}"),
            name=name,
        )
        runs += [(v.date, folder, v.path, source) for v in versions(folder) if v.date < CLOCK]
    try:
        with Fetcher(policy) as fetcher:
            for when, folder, path, source in sorted(runs, key=lambda r: (r[0], r[1])):
                http.clear()
                http.expect_request(f"/{folder}").respond_with_data(
                    path.read_bytes(), content_type=CONTENT_TYPES[path.suffix]
                )
                watch_source(
                    source,
                    fetcher=fetcher,
                    store=store,
                    now=when,
                    announce_since=when - timedelta(days=7),
                    classifier=classifier,
                )
    finally:
        http.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
