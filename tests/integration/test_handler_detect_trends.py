"""The detect_trends Lambda on moto: a scheduled event, counts in the table, each rise once."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from radar.model import Item, Source, SourceKind, SourceRole
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.trends.usecases import count_trend_items

HANDLER = Path(__file__).resolve().parents[2] / "functions" / "detect_trends" / "handler.py"
RISE = date(2026, 3, 11)
SOURCES = [
    Source(id=f"trend-{n}", platform="trends", kind=SourceKind.RSS, url=f"https://{n}.example/",
           role=SourceRole.TREND)
    for n in ("hn", "reddit")
]  # fmt: skip


class Ctx:
    function_name = "detect-trends"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:detect-trends"
    aws_request_id = "req"


@pytest.fixture
def handler(
    dynamodb_client: Any, table_name: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModuleType]:
    monkeypatch.setenv("RADAR_STORE", "dynamodb")
    monkeypatch.setenv("RADAR_TABLE_NAME", table_name)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    spec = importlib.util.spec_from_file_location("detect_trends_under_test", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.build_deps.cache_clear()


def _seed(store: DynamoDbTrendStore) -> None:
    for back in range(25, 0, -1):  # weeks of ordinary news on both sources (issue 12: a name
        # is told new only against enough history)
        day = RISE - timedelta(days=back)
        for src in SOURCES:
            count_trend_items(src, [Item(f"{src.id}-{back}", "Markets open", "")], day, store)
    for src in SOURCES:  # then the rise, on both sources
        items = [Item(f"{src.id}-s{k}", f"Spill app waitlist {k}", "") for k in range(2)]
        count_trend_items(src, items, RISE, store)


def test_detect_trends_handler_fires_once_for_a_rise(
    handler: ModuleType, dynamodb_client: Any, table_name: str
) -> None:
    _seed(DynamoDbTrendStore(table_name, client=dynamodb_client))
    event = {"id": "exec-1", "time": "2026-03-11T12:05:00Z"}
    assert handler.lambda_handler(event, Ctx())["emerging"] == ["spill"]
    assert handler.lambda_handler(event, Ctx())["emerging"] == []  # a retry: recorded once
