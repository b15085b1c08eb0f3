"""`radar subscribe --alerts` and `send_due_alerts` (what `radar run` calls), on temp SQLite."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from radar.cli import cli
from radar.cli.briefing import describe, send_due_alerts
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import TrendSignal
from tests.unit.test_cli_briefing import env  # noqa: F401 (fixture: DB, outbox, secret)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def subscribe_alerts_only(address: str = "strategist@example.com") -> str:
    result = invoke("subscribe", address, "--alerts", "emerging", "--no-weekly", "--region", "in")
    assert result.exit_code == 0, result.output
    token = re.search(r"radar confirm (\S+)", result.output)
    assert token is not None
    return token.group(1)


def test_cli_subscribe_alerts_only_confirms_without_a_briefing(env: Path) -> None:  # noqa: F811
    output = invoke("confirm", subscribe_alerts_only()).output
    assert "emerging alerts as rises are detected in IN" in output
    assert "first briefing" not in output
    (eml,) = (env / "outbox").glob("*.eml")
    confirmation = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert confirmation["Subject"] == "Confirm your emerging-platform alerts"


def test_cli_subscribe_no_weekly_needs_alerts(env: Path) -> None:  # noqa: F811
    result = invoke("subscribe", "a@example.com", "--no-weekly")
    assert result.exit_code != 0 and "--alerts emerging" in result.output


def test_cli_subscribe_region_needs_alerts(env: Path) -> None:  # noqa: F811
    result = invoke("subscribe", "a@example.com", "--region", "IN")
    assert result.exit_code != 0 and "--region filters alerts" in result.output


def test_cli_subscribe_bad_region(env: Path) -> None:  # noqa: F811
    result = invoke("subscribe", "a@example.com", "--alerts", "emerging", "--region", "india")
    assert result.exit_code != 0 and "two-letter" in result.output


def test_cli_send_due_alerts_writes_the_alert_to_the_outbox(env: Path) -> None:  # noqa: F811
    invoke("confirm", subscribe_alerts_only())
    settings = load_settings(base_url="http://127.0.0.1:8080")  # as the radar command has it
    now = datetime.now(UTC) + timedelta(minutes=2)
    with SqliteStore(settings.db_path) as store, SqliteTrendStore(settings.db_path) as trends:
        fired = now - timedelta(minutes=1)  # after confirming
        # Counted by a global source: reaches a subscriber who asked for India.
        trends.put_signal(
            TrendSignal("noplace", "noplace", 1, fired.date(), fired, 5.0, 6, 0.2, ("x",), 2)
        )
        report = send_due_alerts(settings, store, trends, now, sources=[])
        again = send_due_alerts(settings, store, trends, now, sources=[])
    assert describe(report, "alerts") == "1 alert sent"
    assert describe(again, "alerts") == "1 alert already sent"
    alerts = [p for p in (env / "outbox").glob("*.eml") if b"rising" in p.read_bytes()]
    assert len(alerts) == 1


@pytest.mark.parametrize("flag", ["--alerts", "--region"])
def test_cli_subscribe_help_documents_alert_options(flag: str) -> None:
    assert flag in invoke("subscribe", "--help").output
