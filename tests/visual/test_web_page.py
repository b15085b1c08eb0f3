"""The web page in headless Chromium: the range it opens on, one item per entry, the entry view
with its history, filters, the empty state, export, keyboard use and what a person sees."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from radar.api.app import ApiDeps
from radar.classify import load_default_rules
from radar.model import Snapshot
from tests.support.fakes import MemoryStore
from tests.support.web import serve_api
from tests.unit.test_api import NOW, make_change
from tests.unit.test_api_entries import VOICE, entry_story

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian chromium and chromium-driver (.ci/run installs them)",
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">Reels <script>window.pwned=2</script>'
OLD_ENTRY = "Activity Instances"  # published two years ago, edited yesterday
ANCIENT = "Ancient announcement"  # detected 100 days ago: outside the page's first range


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    store = MemoryStore()
    changes = [make_change(n) for n in range(1, 13)]
    hostile = replace(make_change(40), title=HOSTILE_TITLE, url="javascript:alert(1)")
    changes.append(replace(hostile, detected_at=NOW - timedelta(days=13)))
    changes.append(replace(make_change(100), title=ANCIENT, platform="discord"))
    store.save(Snapshot("seed"), changes)
    # Added 45 days ago (before the page's range), edited 10 and 2 days ago.
    store.save(Snapshot("discord"), entry_story())
    two_years = NOW - timedelta(days=730)
    old = entry_story(edits_days_ago=(1,), published=two_years, detected_at=two_years)
    store.save(
        Snapshot("old"),
        [
            replace(
                c,
                id=c.id.replace("a", "c").replace("e", "d"),
                entry_key="activity",
                title=OLD_ENTRY,
            )
            for c in old
        ],
    )
    with serve_api(ApiDeps(store, load_default_rules(), clock=lambda: NOW)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="radar-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1200,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _rows(driver: Any) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, "#rows tr")


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: len(_rows(d)) > 0)


def _row(driver: Any, title: str) -> Any:
    (row,) = [r for r in _rows(driver) if title in r.text]
    return row


def _filter(driver: Any, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def _cells(row: Any) -> list[str]:
    return [td.text for td in row.find_elements(By.TAG_NAME, "td")]


def _open_entry(driver: Any, title: str) -> Any:
    _row(driver, title).find_element(By.CSS_SELECTOR, "button.open-entry").click()
    WebDriverWait(driver, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#detail .history li")) > 0
    )
    return driver.find_element(By.ID, "detail")


def test_web_page_opens_on_the_last_30_days_by_detection(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=by][value=detected]").is_selected()
    assert browser.find_element(By.NAME, "since").get_attribute("value") == "2026-10-21"
    assert browser.find_element(By.NAME, "until").get_attribute("value") == "2026-11-20"
    assert "detected from 2026-10-21 to 2026-11-20" in browser.find_element(By.ID, "status").text
    # Edited yesterday, published two years ago: listed under the day Radar saw the edit.
    date, platform, status, *_ = _cells(_row(browser, OLD_ENTRY))
    assert (date, platform, status) == ("2026-11-19", "Discord", "UPDATED")
    assert len(_rows(browser)) == 15 and ANCIENT not in browser.find_element(By.ID, "rows").text


def test_web_page_switches_between_detected_and_published_dates(
    browser: Any, base_url: str
) -> None:
    _open(browser, base_url)
    browser.find_element(By.CSS_SELECTOR, "input[name=by][value=published]").click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.ID, "date-head"), "Published")
    )
    WebDriverWait(browser, 10).until(lambda d: OLD_ENTRY not in d.find_element(By.ID, "rows").text)
    assert "published from 2026-10-21 to 2026-11-20" in browser.find_element(By.ID, "status").text
    browser.find_element(By.CSS_SELECTOR, "input[name=by][value=detected]").click()
    WebDriverWait(browser, 10).until(lambda d: OLD_ENTRY in d.find_element(By.ID, "rows").text)


def test_web_page_empty_state_says_why_and_widens_the_range(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    _filter(browser, "q", "ancient")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "empty").is_displayed())
    why = browser.find_element(By.ID, "empty-why").text
    assert why == "Nothing detected from 2026-10-21 to 2026-11-20 with words “ancient”."
    widen = browser.find_element(By.ID, "widen")
    assert widen.text == "Widen to the last 12 months"
    widen.click()
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 1)
    assert ANCIENT in _rows(browser)[0].text
    assert browser.find_element(By.NAME, "since").get_attribute("value") == "2025-11-20"


def test_web_page_empty_state_clears_the_filters(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    _filter(browser, "platform", "bluesky")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "clear").is_displayed())
    assert "with platforms “bluesky”" in browser.find_element(By.ID, "empty-why").text
    browser.find_element(By.ID, "clear").click()
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 15)
    assert not browser.find_element(By.ID, "empty").is_displayed()


def test_web_page_shows_an_entry_edited_twice_once_with_its_history(
    browser: Any, base_url: str
) -> None:
    _open(browser, base_url)
    row = _row(browser, VOICE)  # exactly one row
    assert _cells(row)[2] == "UPDATED" and "2 changes in this range" in row.text
    detail = _open_entry(browser, VOICE)
    history = detail.find_elements(By.CSS_SELECTOR, ".history li")
    assert len(history) == 3
    assert [h.find_element(By.CSS_SELECTOR, ".when").text for h in history] == [
        "2026-10-06 · Added",
        "2026-11-10 · Edited",
        "2026-11-18 · Edited",
    ]
    assert [
        e.get_attribute("textContent") for e in detail.find_elements(By.CSS_SELECTOR, "ins")
    ] == [
        "added: officially",
        "added: gateway",
        "added: below 4",
    ]
    assert len(detail.find_elements(By.CSS_SELECTOR, "del")) == 2
    html = browser.page_source
    assert "{+" not in html and "[-" not in html and "+}" not in html
    links = detail.find_elements(By.CSS_SELECTOR, ".links a")
    assert [a.text for a in links] == [f"Discord: {VOICE}"]


def test_web_page_entry_view_works_from_the_keyboard(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    opener = _row(browser, VOICE).find_element(By.CSS_SELECTOR, "button.open-entry")
    assert opener.get_attribute("tabindex") in (None, "0")  # a native button: in the tab order
    assert opener.accessible_name == VOICE
    opener.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "detail").is_displayed())
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "close"  # focus moved into the entry view
    assert active.accessible_name == "Close the entry view"
    active.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 10).until(lambda d: not d.find_element(By.ID, "detail").is_displayed())
    assert browser.switch_to.active_element == opener  # focus returns to where it was


def test_web_page_controls_have_accessible_names(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    controls = browser.find_elements(By.CSS_SELECTOR, "#filters input, #filters select, button")
    shown = [c for c in controls if c.is_displayed()]
    assert len(shown) >= 10
    unnamed = [c.get_attribute("outerHTML") for c in shown if not c.accessible_name.strip()]
    assert unnamed == []


def test_web_page_lists_changes_and_filters_by_platform(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    _filter(browser, "platform", "threads")
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 5)  # 4 + the hostile one
    platforms = {_cells(r)[1] for r in _rows(browser)}
    assert platforms == {"Threads"}


def test_web_page_opens_a_change(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    title = make_change(1).title
    _row(browser, title).click()  # anywhere on the row
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#detail h2"), title)
    )
    link = browser.find_element(By.CSS_SELECTOR, "#detail a")
    assert link.get_attribute("href").startswith("https://example.com/")
    browser.find_element(By.ID, "close").click()


def test_web_page_exports_the_current_filter_as_csv(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    _filter(browser, "platform", "tiktok")
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 4)
    href = browser.find_element(By.CSS_SELECTOR, "#exports a[data-format=csv]").get_attribute(
        "href"
    )
    assert "platform=tiktok" in href and "since=2026-10-21" in href
    with urllib.request.urlopen(href, timeout=10) as res:  # our own server on 127.0.0.1
        rows = list(csv.DictReader(io.StringIO(res.read().decode("utf-8"))))
    assert len(rows) == 4 and {r["platform"] for r in rows} == {"tiktok"}


def test_web_page_shows_scraped_markup_as_text(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    _row(browser, "onerror").click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#detail h2"), "onerror")
    )
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "#detail a") == []  # javascript: link dropped
    browser.find_element(By.ID, "close").click()


def test_web_page_screenshot_is_not_blank(browser: Any, base_url: str, tmp_path: Path) -> None:
    from PIL import Image

    _open(browser, base_url)
    shot = tmp_path / "page.png"
    browser.save_screenshot(str(shot))
    with Image.open(shot) as image:
        colours = image.convert("L").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 20  # text, table lines and controls, not a blank page
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1200


def test_web_page_fits_a_phone(browser: Any, base_url: str) -> None:
    browser.set_window_size(390, 844)
    try:
        _open(browser, base_url)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        detail = _open_entry(browser, VOICE)
        assert detail.rect["width"] <= width
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        browser.find_element(By.ID, "close").click()
    finally:
        browser.set_window_size(1200, 900)


ADMIN_KEY = "admin-key-for-the-browser-test-0123"


@pytest.fixture(scope="module")
def mail_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from radar.settings import load_settings
    from radar.store.sqlite import SqliteStore
    from radar.subscriptions.model import Subscription, SubscriptionStatus
    from tests.support.briefings import record_sent

    store = SqliteStore(tmp_path_factory.mktemp("web") / "radar.sqlite3")
    sub = Subscription("s1", "team@example.com", status=SubscriptionStatus.ACTIVE)
    store.put_subscription(sub)
    record_sent(store, "s1", "2026-W46", NOW)
    settings = load_settings(secret_key="x" * 40, admin_api_key=ADMIN_KEY)
    deps = ApiDeps(
        store, load_default_rules(), clock=lambda: NOW, subscriptions=store, settings=settings
    )
    with serve_api(deps) as url:
        yield url
    store.close()


def _open_sent_mail(driver: Any) -> None:
    """Opens the admin panel once the first load has settled: the empty state it shows moves the
    panel down the page, and a click made before that lands on whatever took its place."""
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.ID, "empty").is_displayed() or _rows(d)
    )
    driver.find_element(By.CSS_SELECTOR, "#sent summary").click()
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#sent-form input[name=key]").is_displayed()
    )


def test_web_page_shows_sent_mail_with_the_admin_key(browser: Any, mail_server_url: str) -> None:
    browser.get(mail_server_url)
    _open_sent_mail(browser)
    browser.find_element(By.CSS_SELECTOR, "#sent-form input[name=key]").send_keys(ADMIN_KEY)
    browser.find_element(By.CSS_SELECTOR, "#sent-form button").click()
    WebDriverWait(browser, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sent-rows tr")) == 1
    )
    row = browser.find_element(By.CSS_SELECTOR, "#sent-rows tr").text
    assert "briefing" in row and "2026-W46" in row and "team@example.com" in row


def test_web_page_sent_mail_refuses_a_wrong_key(browser: Any, mail_server_url: str) -> None:
    browser.get(mail_server_url)
    browser.execute_script("sessionStorage.clear()")
    browser.get(mail_server_url)
    _open_sent_mail(browser)
    browser.find_element(By.CSS_SELECTOR, "#sent-form input[name=key]").send_keys("wrong")
    browser.find_element(By.CSS_SELECTOR, "#sent-form button").click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.ID, "sent-status"), "Could not load")
    )
    assert browser.find_elements(By.CSS_SELECTOR, "#sent-rows tr") == []
