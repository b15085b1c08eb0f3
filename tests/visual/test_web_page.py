"""The web page in headless Chromium: filter, open a change, export, and what a person sees."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from radar.api.app import ApiDeps, build_app
from radar.api.local_server import make_server
from radar.classify import load_default_rules
from radar.model import Snapshot
from tests.support.fakes import MemoryStore
from tests.unit.test_api import NOW, make_change

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian chromium and chromium-driver (.ci/run installs them)",
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">Reels <script>window.pwned=2</script>'


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    store = MemoryStore()
    changes = [make_change(n) for n in range(1, 13)]
    changes.append(replace(make_change(40), title=HOSTILE_TITLE, url="javascript:alert(1)"))
    store.save(Snapshot("seed"), changes)
    server = make_server(
        build_app(ApiDeps(store, load_default_rules(), clock=lambda: NOW)), "127.0.0.1", 0
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


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


def test_web_page_lists_changes_and_filters_by_platform(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    assert len(_rows(browser)) == 13
    field = browser.find_element(By.NAME, "platform")
    field.clear()
    field.send_keys("threads")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 5)  # 4 + the hostile one
    platforms = {r.find_elements(By.TAG_NAME, "td")[1].text for r in _rows(browser)}
    assert platforms == {"threads"}


def test_web_page_opens_a_change(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    first = _rows(browser)[0]
    title = first.find_elements(By.TAG_NAME, "td")[3].text
    first.click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#detail h2"), title)
    )
    link = browser.find_element(By.CSS_SELECTOR, "#detail a")
    assert link.get_attribute("href").startswith("https://example.com/")


def test_web_page_exports_the_current_filter_as_csv(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    field = browser.find_element(By.NAME, "platform")
    field.clear()
    field.send_keys("tiktok")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: len(_rows(d)) == 4)
    href = browser.find_element(By.CSS_SELECTOR, "#exports a[data-format=csv]").get_attribute(
        "href"
    )
    assert "platform=tiktok" in href
    with urllib.request.urlopen(href, timeout=10) as res:  # our own server on 127.0.0.1
        rows = list(csv.DictReader(io.StringIO(res.read().decode("utf-8"))))
    assert len(rows) == 4 and {r["platform"] for r in rows} == {"tiktok"}


def test_web_page_shows_scraped_markup_as_text(browser: Any, base_url: str) -> None:
    _open(browser, base_url)
    hostile = next(r for r in _rows(browser) if "onerror" in r.text)
    hostile.click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#detail h2"), "onerror")
    )
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "#detail a") == []  # javascript: link dropped


def test_web_page_screenshot_is_not_blank(browser: Any, base_url: str, tmp_path: Path) -> None:
    from PIL import Image

    _open(browser, base_url)
    shot = tmp_path / "page.png"
    browser.save_screenshot(str(shot))
    with Image.open(shot) as image:
        colours = image.convert("L").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 20  # text, table lines and controls, not a blank page
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1200


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
    server = make_server(build_app(deps), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    store.close()


def test_web_page_shows_sent_mail_with_the_admin_key(browser: Any, mail_server_url: str) -> None:
    browser.get(mail_server_url)
    browser.find_element(By.CSS_SELECTOR, "#sent summary").click()
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
    browser.find_element(By.CSS_SELECTOR, "#sent summary").click()
    browser.find_element(By.CSS_SELECTOR, "#sent-form input[name=key]").send_keys("wrong")
    browser.find_element(By.CSS_SELECTOR, "#sent-form button").click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.ID, "sent-status"), "Could not load")
    )
    assert browser.find_elements(By.CSS_SELECTOR, "#sent-rows tr") == []
