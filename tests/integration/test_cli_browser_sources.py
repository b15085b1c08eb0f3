"""`radar run` and `radar sources check` with pages that need a browser or publish a feed.

These use the command's own wiring, so the fixture pages are reached with RADAR_ALLOW_PRIVATE
(the settings' seam for local replays); only harmless pages are served that way here. The
address guard itself is tested in test_browser_render.py with the production guard on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import cli
from radar.fetch.browser import unavailable_reason
from tests.support.pages import PageServer, serve_fixtures

needs_browser = pytest.mark.skipif(
    unavailable_reason() is not None, reason=f"no browser here: {unavailable_reason()}"
)


@pytest.fixture
def site() -> Iterator[PageServer]:
    with serve_fixtures() as server:
        yield server


def local(site: PageServer, path: str) -> str:
    return f"http://127.0.0.1:{site.port}{path}"


@pytest.fixture
def radar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("RADAR_PER_HOST_DELAY", "0")
    monkeypatch.setenv("RADAR_RESPECT_ROBOTS", "false")
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "radar.sqlite3"))
    monkeypatch.setenv("RADAR_OUTBOX_DIR", str(tmp_path / "outbox"))
    return CliRunner()


def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("sources:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("RADAR_CATALOG", str(path))


def test_cli_run_skips_browser_sources_with_one_line_without_chromium(
    radar: CliRunner, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog(
        tmp_path,
        monkeypatch,
        f"  - {{id: app, platform: example, url: '{local(site, '/app.html')}', render: browser}}",
        f"  - {{id: static, platform: example, url: '{local(site, '/static.html')}'}}",
    )
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on this PATH
    result = radar.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    (line,) = [
        x for x in result.output.splitlines() if x.startswith("skipped (page needs a browser")
    ]
    assert line.endswith(": app")
    assert "Chromium is not installed" in line
    report = json.loads(radar.invoke(cli, ["run", "--json"]).stdout)
    assert report["skipped"]["app"].startswith("Chromium is not installed")
    assert [s["source_id"] for s in report["sources"]] == ["static"]


@needs_browser
def test_cli_run_renders_browser_sources(
    radar: CliRunner, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog(
        tmp_path,
        monkeypatch,
        f"  - {{id: app, platform: example, url: '{local(site, '/app.html')}', render: browser}}",
    )
    result = radar.invoke(cli, ["run", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["sources"]
    assert (outcome["source_id"], outcome["outcome"], outcome["baseline"]) == ("app", "baseline", 3)


def test_cli_run_first_fetch_says_the_page_has_a_feed(
    radar: CliRunner, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog(
        tmp_path,
        monkeypatch,
        f"  - {{id: example-api, platform: example, url: '{local(site, '/feed-link.html')}'}}",
    )
    result = radar.invoke(cli, ["run"])
    feed = local(site, "/changelog/rss.xml")
    assert (
        f"note: example-api: this page has a feed (Example Platform API changelog): use it: "
        f"{{id: example-api, platform: example, url: {feed}}}"
    ) in result.output


def test_cli_sources_check_url_finds_the_pages_feed(radar: CliRunner, site: PageServer) -> None:
    result = radar.invoke(cli, ["sources", "check", local(site, "/feed-link.html")])
    feed = local(site, "/changelog/rss.xml")
    assert (
        f"this page has a feed: use it (2 entries, 2 with dates): "
        f"{{id: my-source, platform: ..., url: {feed}}}"
    ) in result.output


def test_cli_sources_check_id_finds_the_pages_feed(
    radar: CliRunner, site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog(
        tmp_path,
        monkeypatch,
        f"  - {{id: example-api, platform: example, url: '{local(site, '/feed-link.html')}'}}",
    )
    result = radar.invoke(cli, ["sources", "check", "example-api"])
    assert "example-api: this page has a feed: use it" in result.output
    assert f"url: {local(site, '/changelog/rss.xml')}}}" in result.output


@needs_browser
def test_cli_sources_check_url_tries_an_empty_page_in_a_browser(
    radar: CliRunner, site: PageServer
) -> None:
    url = local(site, "/app.html")
    result = radar.invoke(cli, ["sources", "check", url])
    assert result.exit_code == 0, result.output
    assert f"ok: {url} rendered in a browser: 3 entries, 3 with dates" in result.output
    assert f"{{id: my-source, platform: ..., url: {url}, render: browser}}" in result.output
