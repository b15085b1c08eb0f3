"""Replays end to end (issue 12): `radar subscribe`/`radar confirm --at` run on the replay's
clock, so the rises replayed after confirming are mailed; surges go only to those who opted in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from radar.cli import cli
from radar.cli.briefing import describe, send_due_alerts
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import TrendSignal
from tests.unit.test_cli_briefing import env  # noqa: F401 (fixture: DB, outbox, secret)

REPLAY = datetime(2021, 1, 1, tzinfo=UTC)


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def subscribe(*alerts: str, at: datetime = REPLAY) -> None:
    kinds = [a for kind in alerts for a in ("--alerts", kind)]
    output = invoke(
        "subscribe", "strategist@example.com", *kinds, "--no-weekly", "--at", at.isoformat()
    ).output
    token = re.search(r"radar confirm (\S+)", output)
    assert token is not None
    invoke("confirm", token.group(1), "--at", at.isoformat())


def fire(trends: SqliteTrendStore, term: str, when: datetime, kind: str = "emerging") -> None:
    signal = TrendSignal(term, term.title(), 1, when.date(), when, 5.0, 6, 0.2, ("x",), 2, kind)
    assert trends.put_signal(signal)


def send(now: datetime, *fired: tuple[str, datetime, str]) -> str:
    settings = load_settings(base_url="http://127.0.0.1:8080")  # as the radar command has it
    with SqliteStore(settings.db_path) as store, SqliteTrendStore(settings.db_path) as trends:
        for term, when, kind in fired:
            fire(trends, term, when, kind)
        report = send_due_alerts(settings, store, trends, now, sources=[])
        return describe(report, "alerts") or "no alerts"


def test_trend_replay_confirm_at_the_replay_clock_mails_later_rises(env: Path) -> None:  # noqa: F811
    subscribe("emerging")
    rise = REPLAY + timedelta(days=6, hours=1)
    assert send(rise + timedelta(minutes=5), ("parler", rise, "emerging")) == "1 alert sent"


def test_trend_replay_rise_before_the_replayed_confirmation_is_not_mailed(env: Path) -> None:  # noqa: F811
    subscribe("emerging", at=REPLAY + timedelta(days=7))
    rise = REPLAY + timedelta(days=6, hours=1)
    assert send(rise + timedelta(minutes=5), ("parler", rise, "emerging")) == "no alerts"


def test_trend_replay_surges_only_for_those_who_opted_in(env: Path) -> None:  # noqa: F811
    subscribe("emerging")
    rise = REPLAY + timedelta(days=3)
    assert send(rise + timedelta(minutes=5), ("facebook", rise, "surge")) == "no alerts"


def test_trend_replay_surge_opt_in_gets_the_surge(env: Path) -> None:  # noqa: F811
    subscribe("emerging", "surge")
    rise = REPLAY + timedelta(days=3)
    assert send(rise + timedelta(minutes=5), ("facebook", rise, "surge")) == "1 alert sent"
    (eml,) = [p for p in (env / "outbox").glob("*.eml") if b"Surge" in p.read_bytes()]
    assert b"unusually in the news" in eml.read_bytes()
