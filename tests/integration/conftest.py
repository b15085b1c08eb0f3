"""Store fixtures: the same contract runs on SQLite (a temp file) and DynamoDB (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from radar.store.dynamodb import AWS_CONFIG, DynamoDbStore
from radar.store.ports import Store
from radar.store.sqlite import SqliteStore
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.store.trend_sqlite import SqliteTrendStore
from tests.support.aws import table_definition_from_template, time_to_live_attribute
from tests.support.stores import Stores

REGION = "us-east-1"


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region, so nothing can reach a real AWS account."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def dynamodb_client(aws_credentials: None) -> Iterator[Any]:
    """A moto DynamoDB client with the table created from template.yaml."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION, config=AWS_CONFIG)
        definition = table_definition_from_template()
        client.create_table(**definition)
        client.update_time_to_live(
            TableName=definition["TableName"],
            TimeToLiveSpecification={"AttributeName": time_to_live_attribute(), "Enabled": True},
        )
        yield client


@pytest.fixture
def table_name() -> str:
    return str(table_definition_from_template()["TableName"])


@pytest.fixture
def dynamodb_store(dynamodb_client: Any, table_name: str) -> DynamoDbStore:
    return DynamoDbStore(table_name, client=dynamodb_client)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "data" / "radar.sqlite3") as store:
        yield store


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Store:
    """Each contract test runs once per adapter."""
    found: Store = request.getfixturevalue(f"{request.param}_store")
    return found


@pytest.fixture
def dynamodb_calls(dynamodb_client: Any) -> list[str]:
    """Names of the DynamoDB operations the client makes from now on (GetItem, Query, ...)."""
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    dynamodb_client.meta.events.register("before-call.dynamodb", record)
    return calls


@pytest.fixture
def sqlite_stores(tmp_path: Path) -> Iterator[Stores]:
    path = tmp_path / "data" / "radar.sqlite3"
    with SqliteStore(path) as main, SqliteTrendStore(path) as trends:
        yield Stores(main, trends)


@pytest.fixture
def dynamodb_stores(dynamodb_client: Any, table_name: str) -> Stores:
    return Stores(
        DynamoDbStore(table_name, client=dynamodb_client),
        DynamoDbTrendStore(table_name, client=dynamodb_client),
    )


@pytest.fixture(params=["sqlite", "dynamodb"])
def stores(request: pytest.FixtureRequest) -> Stores:
    found: Stores = request.getfixturevalue(f"{request.param}_stores")
    return found
