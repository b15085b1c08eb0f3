"""The briefing commands end to end on a temporary SQLite file and outbox folder."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import cli
from tests.support.cli import local_state


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return local_state(tmp_path, monkeypatch)


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_briefing_subscribe_confirm_send_unsubscribe(env: Path) -> None:
    output = invoke(
        "subscribe",
        "team@example.com",
        "--platforms",
        "instagram,tiktok",
        "--weekly",
        "mon",
        "08:00",
        "--tz",
        "Asia/Riyadh",
        "--lang",
        "ar",
    )
    token = re.search(r"radar confirm (\S+)", output)
    assert token is not None
    assert len(list((env / "outbox").glob("*.eml"))) == 1  # the confirmation only
    assert "subscribed" in invoke("confirm", token.group(1))
    assert "1 briefing sent" in invoke("brief", "--send", "--at", "2030-01-07T05:00Z")
    assert "no briefings due" in invoke("brief", "--send", "--at", "2030-01-07T05:30Z")
    emls = sorted((env / "outbox").glob("*.eml"))
    assert len(emls) == 2
    briefing = email.message_from_bytes(emls[-1].read_bytes(), policy=email.policy.default)
    unsubscribe_url = str(briefing["List-Unsubscribe"]).split(">")[0].lstrip("<")
    unsub_token = unsubscribe_url.split("token=")[1]
    assert "no more briefings" in invoke("unsubscribe", unsub_token)


def test_cli_briefing_preview_writes_eml_and_html(env: Path) -> None:
    output = invoke("brief", "--preview", "--lang", "ar", "--at", "2026-11-16T05:00Z")
    paths = [Path(line) for line in output.splitlines() if line.endswith((".eml", ".html"))]
    assert [p.suffix for p in paths] == [".eml", ".html"] and all(p.exists() for p in paths)
    assert 'dir="rtl"' in paths[1].read_text(encoding="utf-8")


def test_cli_briefing_bad_weekly_is_usage_error(env: Path) -> None:
    result = CliRunner().invoke(cli, ["subscribe", "a@example.com", "--weekly", "mon", "08:30"])
    assert result.exit_code == 2 and "on the hour" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["subscribe", "a@example.com", "--tz", "America"], "unknown time zone 'America'"),
        (["brief", "--preview", "--at", "0001-01-01"], "out of range"),
    ],
)
def test_cli_briefing_bad_zone_or_time_is_usage_error(
    env: Path, args: list[str], says: str
) -> None:
    result = CliRunner().invoke(cli, args)  # IsADirectoryError / OverflowError tracebacks
    assert result.exit_code == 2 and says in result.output
    assert isinstance(result.exception, SystemExit)
