"""The web page in headless Chromium shows an entry dated only by its month as "March 2025",
in the list by published date and in the entry view, never as the 1st (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from radar.api.app import ApiDeps
from radar.classify import load_default_rules
from radar.model import Snapshot
from tests.support.fakes import MemoryStore
from tests.support.web import serve_api
from tests.unit.test_api import NOW, make_change

# The Chromium fixture and helpers (that module skips without Chromium or Selenium).
from tests.visual.test_web_page import _cells, _open, _row, browser  # noqa: F401

MONTH_TITLE = "Age targeting increase"
FIRST = datetime(NOW.year, NOW.month, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    store = MemoryStore()
    month_entry = replace(
        make_change(1),
        title=MONTH_TITLE,
        published=FIRST,
        detected_at=NOW - timedelta(days=1),
        month_only=True,
    )
    store.save(Snapshot("seed"), [month_entry, make_change(2)])
    with serve_api(ApiDeps(store, load_default_rules(), clock=lambda: NOW)) as url:
        yield url


def test_web_page_shows_a_month_only_entry_as_its_month(browser: Any, base_url: str) -> None:  # noqa: F811
    label = f"{FIRST:%B %Y}"
    _open(browser, base_url)
    browser.find_element(By.CSS_SELECTOR, "input[name=by][value=published]").click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.ID, "date-head"), "Published")
    )
    WebDriverWait(browser, 10).until(lambda d: _cells(_row(d, MONTH_TITLE))[0] == label)
    _row(browser, MONTH_TITLE).click()
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#detail h2"), MONTH_TITLE)
    )
    meta = browser.find_element(By.CSS_SELECTOR, "#detail p.muted").text
    assert f"dated {label}" in meta and FIRST.date().isoformat() not in meta
