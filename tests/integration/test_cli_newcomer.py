"""The newcomer's path (issue 14): what `radar` says when a new user gets something wrong, or
right for the first time. One-line errors instead of tracebacks, names checked against the
ones Radar knows, times in the subscriber's zone, plain words for runs and sends, and `--at`
wherever a command acts on time."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from radar.cli import cli
from tests.support.catalogs import write_discord_catalog
from tests.support.corpus import versions

DISCORD = "discord_changelog_2024"
# The installed command, as a user runs it (its errors go through radar.cli.main).
RADAR = str(Path(sys.executable).parent / "radar")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> Path:
    catalog = write_discord_catalog(tmp_path / "catalog.yaml", httpserver.url_for("/changelog.md"))
    monkeypatch.setenv("RADAR_CATALOG", str(catalog))
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "radar.sqlite3"))
    monkeypatch.setenv("RADAR_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("RADAR_SECRET_KEY", "newcomer-test-secret-long-enough")
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("RADAR_PER_HOST_DELAY", "0")
    monkeypatch.delenv("RADAR_MAIL_BACKEND", raising=False)
    return tmp_path


def radar(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def ok(*args: str) -> str:
    result = radar(*args)
    assert result.exit_code == 0, result.output
    return result.output


# --- unknown names --------------------------------------------------------------------------


def test_cli_pull_unknown_platform_is_named_with_a_suggestion(env: Path) -> None:
    result = radar("pull", "--platform", "discrod", "--since", "2024-08-01")
    assert result.exit_code == 2
    assert "unknown platform 'discrod' (did you mean discord?)" in result.output
    assert "known: " in result.output and "instagram" in result.output  # the built-in ones too
    assert "marp" not in result.output  # no empty pack written


def test_cli_pull_unknown_category_suggests_the_close_one(env: Path) -> None:
    result = radar("pull", "--category", "deprecaton", "--since", "2024-08-01")
    assert result.exit_code == 2
    assert "unknown category 'deprecaton' (did you mean deprecation?)" in result.output


def test_cli_changes_unknown_platform_is_a_usage_error(env: Path) -> None:
    result = radar("changes", "--since", "2024-08-01", "--platform", "instagram,tiktk")
    assert result.exit_code == 2
    assert "unknown platform 'tiktk' (did you mean tiktok?)" in result.output


def test_cli_pull_known_platform_without_a_source_is_fine(env: Path) -> None:
    # The built-in catalog knows Instagram: no typo, just nothing stored for it here.
    assert "0 changes" in ok("pull", "--platform", "instagram", "--since", "2024-08-01")


def test_cli_group_option_after_the_command_says_where_it_goes(env: Path) -> None:
    done = subprocess.run(
        [RADAR, "run", "--catalog", "my.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "put it before the command: radar --catalog FILE run" in done.stderr


# --- a busy port ----------------------------------------------------------------------------


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_cli_serve_on_a_busy_port_is_one_line_not_a_traceback(env: Path, busy_port: int) -> None:
    done = subprocess.run(
        [RADAR, "serve", "--port", str(busy_port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: cannot listen on 127.0.0.1:{busy_port}: the port is")
    assert f"--port {busy_port + 1}" in lines[0]


# --- times in the subscriber's zone, and --at -----------------------------------------------


def token_of(output: str) -> str:
    found = re.search(r"radar confirm (\S+)", output)
    assert found is not None, output
    return found.group(1)


def test_cli_confirm_shows_the_first_briefing_in_the_subscribers_zone(env: Path) -> None:
    at = "2026-11-18T10:00Z"  # a Wednesday
    subscribed = ok("subscribe", "team@example.com", "--weekly", "mon", "08:00",
                    "--tz", "Asia/Riyadh", "--at", at)  # fmt: skip
    confirmed = ok("confirm", token_of(subscribed), "--at", at)
    assert "first briefing on Monday 23 Nov 2026 at 08:00 Asia/Riyadh" in confirmed
    assert "05:00" not in confirmed and "+00:00" not in confirmed


def test_cli_unsubscribe_takes_at_like_the_other_commands(env: Path) -> None:
    at = "2021-01-01T00:00Z"
    token = token_of(ok("subscribe", "a@example.com", "--at", at))
    ok("confirm", token, "--at", at)
    preview = ok("brief", "--preview", "--email", "a@example.com", "--at", "2021-01-04T00:00Z")
    manage = re.search(r"token=([\w.-]+)", Path(preview.splitlines()[-1]).read_text("utf-8"))
    assert manage is not None
    assert "no more briefings" in ok("unsubscribe", manage.group(1), "--at", "2021-01-05T00:00Z")


def test_cli_brief_preview_works_without_at(env: Path) -> None:
    assert ok("brief", "--preview").strip().endswith(".html")


def test_cli_pull_at_prepares_the_pack_on_the_replay_clock(env: Path) -> None:
    pack = ok("pull", "--platform", "discord", "--since", "2024-08-01", "--at", "2024-08-20T09:00Z")
    assert "1 Aug to 20 Aug 2024" in pack and "prepared 20 August 2024" in pack


# --- plain words for runs -------------------------------------------------------------------


def serve(httpserver: HTTPServer, body: bytes) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/changelog.md").respond_with_data(
        body, content_type="text/markdown; charset=utf-8"
    )


def test_cli_first_run_counts_the_sources_that_announced_something(
    env: Path, httpserver: HTTPServer
) -> None:
    page = versions(DISCORD)[-1]  # 2024-08-16: its newest entries are days old
    serve(httpserver, page.path.read_bytes())
    first = ok("run", "--at", "2024-08-16T06:00Z")
    summary = first.strip().splitlines()[-1]
    assert re.fullmatch(
        r"\d+ changes? in 1 source; first look at 1 source: \d+ existing entries recorded",
        summary,
    ), summary
    assert "in 0 sources" not in first
    assert ok("run", "--at", "2024-08-16T07:00Z").strip().splitlines()[-1] == "nothing new"
