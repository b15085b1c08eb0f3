"""What the `radar` command imports and prints (issue 15): start-up pays only for the command
that runs, an unchanged run loads no parser and no mail stack, and the run report costs little
per source (plain text off a terminal; on one, a table of what happened)."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from pytest_httpserver import HTTPServer
from rich.console import Console

from radar.cli import app, cli
from radar.cli import run as run_module
from radar.cli.run import TERMINAL_ROWS, _print_report, plain_table
from radar.watch.outcomes import CycleReport, Outcome, SourceOutcome

ROOT = Path(__file__).resolve().parents[2]

# Runs the console script's entry point in a fresh interpreter, then prints what it imported.
_MAIN = """
import json, sys
from radar.cli import main
listing, sys.argv = sys.argv[1], ["radar", *sys.argv[2:]]
try:
    main()
except SystemExit:
    pass
with open(listing, "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def imported_by(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh `radar ARGS` process has imported when it ends."""
    listing = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _MAIN, str(listing), *args],
        check=True,
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    return set(json.loads(listing.read_text("utf-8")))


def loaded(modules: set[str], *names: str) -> list[str]:
    return [n for n in names if n in modules or any(m.startswith(n + ".") for m in modules)]


def test_cli_version_imports_no_command(tmp_path: Path) -> None:
    modules = imported_by(tmp_path, "--version")
    assert "radar.cli.app" in modules
    heavy = ("rich", "pydantic", "httpx", "yaml", "jinja2", "boto3", "radar.settings")
    assert loaded(modules, *heavy, "radar.cli.run", "radar.watch", "radar.catalog") == []


def test_cli_unchanged_run_imports_no_parser_and_no_mail(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
        b"<guid>a</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>",
        content_type="application/rss+xml",
    )
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        f"sources:\n  - {{id: f, platform: x, url: '{httpserver.url_for('/feed.xml')}'}}\n"
    )
    env = {
        "RADAR_CATALOG": str(catalog),
        "RADAR_DB_PATH": str(tmp_path / "radar.sqlite3"),
        "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RADAR_ALLOW_PRIVATE": "true",
        "RADAR_PER_HOST_DELAY": "0",
    }
    first = imported_by(tmp_path, "run", env=env)
    assert "radar.extract" in first  # the first run reads the feed...
    unchanged = imported_by(tmp_path, "run", env=env)
    # ...an unchanged one neither parses nor diffs, and with no one subscribed it
    # loads no template, calendar or mailer.
    assert (
        loaded(
            unchanged,
            "radar.extract",
            "radar.diff",
            "feedparser",
            "lxml",
            "radar.briefings.send",
            "radar.alerts.send",
            "radar.mail",
            "jinja2",
            "icalendar",
        )
        == []
    )


def test_cli_every_command_is_listed_where_it_is_defined() -> None:
    ctx = click.Context(cli)
    assert [n for n in app._COMMANDS if cli.get_command(ctx, n) is None] == []
    for module in set(app._COMMANDS.values()):  # and no module defines a command not listed
        importlib.import_module(module)
    assert set(cli.commands) == set(app._COMMANDS)
    assert cli.list_commands(ctx) == sorted(app._COMMANDS)


# --- the run report -------------------------------------------------------------------------

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def report(quiet: int, *loud: SourceOutcome) -> CycleReport:
    calm = [SourceOutcome(f"calm-{n:03d}", "x", Outcome.NOT_MODIFIED) for n in range(quiet)]
    return CycleReport(NOW, (*calm, *loud))


def printed(
    monkeypatch: pytest.MonkeyPatch, result: CycleReport, *, terminal: bool, width: int = 200
) -> str:
    out = Console(force_terminal=terminal, width=width, record=True, file=io.StringIO())
    monkeypatch.setattr(run_module.cli_app, "_consoles", lambda: (out, out))
    monkeypatch.setattr(run_module, "on_terminal", lambda stream: terminal)
    if not terminal:  # off a terminal the table goes through click.echo
        monkeypatch.setattr(click, "echo", lambda text: out.print(text, markup=False))
    _print_report(result, [])
    return out.export_text()


def test_cli_report_off_a_terminal_is_plain_aligned_text(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = SourceOutcome("gone", "x", Outcome.FAILED, error="HTTP 404")
    text = printed(monkeypatch, report(2, failed), terminal=False)
    lines = text.splitlines()
    assert lines[:5] == [
        "Radar run at 2026-11-22 09:00 UTC",
        "source    result        new  edited  removed  details",
        "calm-000  not modified",
        "calm-001  not modified",
        "gone      failed                              HTTP 404",
    ]
    assert not set("┃│━─┏") & set(text)


def test_cli_report_on_a_terminal_lists_only_what_happened_in_a_large_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new = SourceOutcome("news", "x", Outcome.CHANGED, added=2)
    text = printed(monkeypatch, report(TERMINAL_ROWS, new), terminal=True)
    assert f"({TERMINAL_ROWS} unchanged sources not listed)" in " ".join(text.split())
    assert "news" in text and "calm-000" not in text


def test_cli_report_on_a_terminal_lists_every_source_of_a_small_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = printed(monkeypatch, report(3), terminal=True)
    assert all(f"calm-00{n}" in text for n in range(3)) and "not listed" not in text


def test_plain_table_aligns_right_columns_and_keeps_no_trailing_space() -> None:
    text = plain_table("T", (("a", "left"), ("n", "right")), [("x", "10"), ("long", "")])
    assert text.splitlines() == ["T", "a      n", "x     10", "long"]
