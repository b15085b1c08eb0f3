"""The `api` Lambda on moto: an API Gateway v2 event in, the stored change out of DynamoDB."""

from __future__ import annotations

import copy
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from radar.model import Snapshot
from radar.store.dynamodb import DynamoDbStore
from tests.unit.test_api import EVENT, Ctx, make_change

HANDLER = Path(__file__).resolve().parents[2] / "functions" / "api" / "handler.py"


@pytest.fixture
def handler(
    dynamodb_client: Any, table_name: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModuleType]:
    monkeypatch.setenv("RADAR_STORE", "dynamodb")
    monkeypatch.setenv("RADAR_TABLE_NAME", table_name)
    spec = importlib.util.spec_from_file_location("api_handler_under_test", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.build_api.cache_clear()


def test_api_handler_serves_changes_from_dynamodb(
    handler: ModuleType, dynamodb_client: Any, table_name: str
) -> None:
    DynamoDbStore(table_name, client=dynamodb_client).save(Snapshot("src-1"), [make_change(1)])
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/changes"
    event["rawQueryString"] = "platform=threads&since=2026-11-01"
    event["queryStringParameters"] = {"platform": "threads", "since": "2026-11-01"}
    result = handler.lambda_handler(event, Ctx())
    assert result["statusCode"] == 200
    items = json.loads(result["body"])["items"]
    assert [i["title"] for i in items] == [make_change(1).title]
