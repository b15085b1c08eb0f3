"""`radar trends` (radar.cli.trends), on a SQLite trend store in a temp dir."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from radar.cli.trends import register
from radar.model import Item, Source, SourceKind, SourceRole
from radar.settings import load_settings
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.usecases import count_trend_items

D0 = date(2026, 3, 1)
SOURCES = [
    Source(s, "trends", SourceKind.RSS, f"https://{s}.example/", role=SourceRole.TREND)
    for s in ("hn", "reddit")
]


def make_cli(db: Path) -> click.Group:
    @click.group()
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        ctx.obj = load_settings(db_path=db)

    register(cli)
    return cli


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "radar.sqlite3"
    with SqliteTrendStore(path) as store:
        for i in range(25):
            for src in SOURCES:
                item = Item(f"{src.id}{i}", "Twitter is busy", "", f"https://x.example/{i}")
                count_trend_items(src, [item], D0 + timedelta(days=i), store)
        rise = D0 + timedelta(days=25)
        for src in SOURCES:
            items = [Item(f"{src.id}s{k}", "Lemon8 is everywhere", "", None) for k in range(3)]
            count_trend_items(src, items, rise, store)
    return path


def test_cli_trends_json_lines_with_daily_counts(db: Path) -> None:
    result = CliRunner().invoke(
        make_cli(db), ["trends", "--at", "2026-03-26T12:00Z", "--days", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows[0]["term"] == "lemon8"
    assert rows[0]["emerging"] is True
    assert "ByteDance" in rows[0]["what"]
    assert [d["count"] for d in rows[0]["daily"]] == [0, 0, 6]


def test_cli_trends_table_shows_terms_and_status(db: Path) -> None:
    result = CliRunner().invoke(make_cli(db), ["trends", "--at", "2026-03-26"])
    assert result.exit_code == 0, result.output
    assert "Lemon8" in result.output
    assert "emerging" in result.output


def test_cli_trends_empty_store_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        make_cli(tmp_path / "empty.sqlite3"), ["trends", "--at", "2026-03-26"]
    )
    assert result.exit_code == 0
    assert "No trend mentions" in result.output


def test_cli_trends_bad_time_is_a_usage_error(db: Path) -> None:
    result = CliRunner().invoke(make_cli(db), ["trends", "--at", "yesterday-ish"])
    assert result.exit_code == 2
    assert "--at" in result.output
