"""The `radar` command end to end, as the README tells a user to run it: run twice, list, pull."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from radar.cli import cli
from tests.support.corpus import versions

DISCORD = "discord_changelog_2024"


@pytest.fixture
def catalog(httpserver: HTTPServer, tmp_path: Path) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(
        "sources:\n"
        "  - id: discord-api\n"
        "    platform: discord\n"
        "    kind: changelog-markdown\n"
        f"    url: {httpserver.url_for('/changelog.md')}\n"
        "  - id: gone\n"
        "    platform: nowhere\n"
        "    kind: rss\n"
        f"    url: {httpserver.url_for('/missing.xml')}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def radar(catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("RADAR_PER_HOST_DELAY", "0")
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "radar.sqlite3"))
    monkeypatch.setenv("RADAR_CATALOG", str(catalog))
    monkeypatch.setenv("RADAR_OUTBOX_DIR", str(tmp_path / "outbox"))
    return CliRunner()


def serve(httpserver: HTTPServer, body: bytes) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/missing.xml").respond_with_data("not here", status=404)
    httpserver.expect_request("/changelog.md").respond_with_data(
        body, content_type="text/markdown; charset=utf-8"
    )


def run_json(radar: CliRunner, *args: str) -> dict[str, object]:
    result = radar.invoke(cli, ["run", "--json", *args], catch_exceptions=False)
    report: dict[str, object] = json.loads(result.stdout)
    # The catalog's "gone" source always fails, and a run with a failed source exits 1.
    assert result.exit_code == (1 if report["failed"] else 0), result.output
    assert report["failed"] in ([], ["gone"])
    return report


def test_cli_run_exit_status_says_whether_sources_failed(
    radar: CliRunner, httpserver: HTTPServer
) -> None:
    serve(httpserver, b"## 1.0.0 (2026-01-05)\n\nFirst release.\n")
    some = radar.invoke(cli, ["run"], catch_exceptions=False)
    assert some.exit_code == 1, some.output
    assert "gone" in some.output
    assert radar.invoke(cli, ["run", "--source", "discord-api"]).exit_code == 0
    every = radar.invoke(cli, ["run", "--json", "--source", "gone"])
    assert every.exit_code == 3
    assert json.loads(every.stdout)["failed"] == ["gone"]


def test_cli_sources_check_url_says_kind_entries_and_first_three(
    radar: CliRunner, httpserver: HTTPServer
) -> None:
    body = b"".join(f"## 1.{n}.0 ({2026 - n}-01-05)\n\nRelease {n}.\n\n".encode() for n in range(5))
    serve(httpserver, body)
    url = httpserver.url_for("/changelog.md")
    result = radar.invoke(cli, ["sources", "check", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{url} is changelog-markdown: 5 entries, 5 with dates" in result.output
    assert "2026-01-05  1.0.0: Release 0." in result.output
    assert "2022-01-05" not in result.output  # only the first three
    missing = radar.invoke(cli, ["sources", "check", httpserver.url_for("/missing.xml")])
    assert missing.exit_code == 1
    assert "broken" in missing.output


def outcomes(report: dict[str, object]) -> dict[str, dict[str, object]]:
    return {o["source_id"]: o for o in report["sources"]}  # type: ignore[attr-defined, index]


def test_cli_second_run_with_nothing_changed_reports_nothing(
    radar: CliRunner, httpserver: HTTPServer
) -> None:
    pages = versions(DISCORD)
    serve(httpserver, pages[-1].path.read_bytes())
    first = outcomes(run_json(radar, "--at", "2024-08-16T06:00Z"))
    assert first["discord-api"]["outcome"] == "baseline"
    assert first["gone"]["outcome"] == "failed" and "404" in str(first["gone"]["error"])
    second = outcomes(run_json(radar, "--at", "2024-08-16T07:00Z"))
    assert second["discord-api"]["outcome"] in ("unchanged", "not modified")
    assert not second["discord-api"]["wrote"]


def test_cli_replay_finds_the_new_entry_and_pulls_it(
    radar: CliRunner, httpserver: HTTPServer, tmp_path: Path
) -> None:
    pages = versions(DISCORD)
    serve(httpserver, pages[7].path.read_bytes())  # v08, 2024-08-09
    run_json(radar, "--at", "2024-08-10T00:00Z")
    serve(httpserver, pages[8].path.read_bytes())  # v09: "Get Guild Role Endpoint" appears
    found = outcomes(run_json(radar, "--at", "2024-08-13T00:00Z"))["discord-api"]
    assert found["outcome"] == "changed" and int(found["added"]) >= 1  # type: ignore[call-overload]

    listed = radar.invoke(cli, ["changes", "--since", "2024-08-12T12:00Z", "--json"])
    new = [json.loads(line) for line in listed.stdout.splitlines()]
    assert new and all(c["kind"] == "added" for c in new)
    assert all(c["category"] and c["severity"] for c in new)  # classified before storing

    out = tmp_path / "pack.csv"
    pulled = radar.invoke(
        cli,
        [
            "pull",
            "--platform",
            "discord",
            "--since",
            "2024-08-01",
            "--until",
            "2024-08-31",
            "-o",
            str(out),
        ],
    )
    assert pulled.exit_code == 0, pulled.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    titles = {r["title"] for r in rows}
    assert {c["title"] for c in new} <= titles  # new ones, and baseline history of August too
    assert len(rows) > len(new)


def test_cli_bad_setting_is_one_clear_line(
    radar: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_WORKERS", "0")
    result = radar.invoke(cli, ["run"])
    assert result.exit_code != 0
    assert "RADAR_WORKERS" in str(result.exception) or "RADAR_WORKERS" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--at", "0001-01-01"],
        ["pull", "--since", "9999-12-31", "--until", "9999-12-31"],
        ["pull", "--since", "0001-01-01"],
    ],
)
def test_cli_dates_at_the_ends_of_the_calendar_are_usage_errors(
    radar: CliRunner, args: list[str]
) -> None:
    result = radar.invoke(cli, args)  # were OverflowError tracebacks
    assert result.exit_code == 2 and "out of range" in result.output
    assert isinstance(result.exception, SystemExit)
