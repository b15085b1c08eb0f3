"""The `watch_source` Lambda on moto: SQS batches in, snapshots and changes in DynamoDB.

Most tests inject a scripted fetcher through the handler's cached deps; one runs the real wiring
against pytest-httpserver on 127.0.0.1 (RADAR_ALLOW_PRIVATE, a catalog written in tmp_path).
"""

from __future__ import annotations

import copy
import importlib.util
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aws_lambda_powertools.metrics.provider import cold_start
from pytest_httpserver import HTTPServer

from radar.catalog.loader import load_catalog
from radar.settings import load_settings
from radar.store.dynamodb import DynamoDbStore
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.wiring import WatchDeps, build_classifier
from tests.infra.template_support import as_list, statements
from tests.support.aws import load_template
from tests.support.fakes import ScriptedFetcher

ROOT = Path(__file__).resolve().parents[2]
HANDLER = ROOT / "functions" / "watch_source" / "handler.py"
BATCH = json.loads((ROOT / "infra" / "events" / "sqs_batch.json").read_text("utf-8"))
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
POISONED = "2e1424d4-f796-459a-8184-9c92662be6da"  # the malformed body in sqs_batch.json
NEWSROOM, RELEASES = "meta-newsroom", "meta-business-sdk-python-releases"


@dataclass
class Ctx:
    """The parts of the Lambda context Powertools reads."""

    function_name: str = "platform-radar-watch-source"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:123456789012:function:platform-radar-watch-source"
    )
    aws_request_id: str = "0d9a3c1e-5b7f-4e2a-8c6d-3f1e2d4c5b6a"

    def get_remaining_time_in_millis(self) -> int:
        return 240_000  # a whole invocation ahead


@pytest.fixture
def handler(
    dynamodb_client: Any, table_name: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModuleType]:
    monkeypatch.setenv("RADAR_STORE", "dynamodb")
    monkeypatch.setenv("RADAR_TABLE_NAME", table_name)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "watch_source")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    spec = importlib.util.spec_from_file_location("watch_source_handler_under_test", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    build_deps = module.build_deps  # tests may replace it; clear the real cache
    yield module
    build_deps.cache_clear()
    module.metrics.clear_metrics()
    cold_start.is_cold_start = True


@pytest.fixture
def fetcher() -> ScriptedFetcher:
    urls = {s.id: s.url for s in load_catalog()}
    return ScriptedFetcher(
        pages={
            urls[NEWSROOM]: (FIXTURES / "rss.xml").read_bytes(),
            urls[RELEASES]: (FIXTURES / "atom.xml").read_bytes(),
        }
    )


@pytest.fixture
def injected(
    handler: ModuleType,
    fetcher: ScriptedFetcher,
    dynamodb_client: Any,
    table_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> ModuleType:
    """The handler with its cached deps replaced: scripted fetcher, store on the moto client."""
    settings = load_settings()
    deps = WatchDeps(
        settings=settings,
        sources={s.id: s for s in load_catalog()},
        fetcher=fetcher,  # type: ignore[arg-type]
        store=DynamoDbStore(table_name, client=dynamodb_client),
        classifier=build_classifier(settings),
        trend_store=DynamoDbTrendStore(table_name, client=dynamodb_client),
    )
    monkeypatch.setattr(handler, "build_deps", lambda: deps)
    return handler


def batch(*records: tuple[str, str]) -> dict[str, Any]:
    """An SQS event shaped like infra/events/sqs_batch.json with the given (id, body) records."""
    template = BATCH["Records"][0]
    return {
        "Records": [
            {**copy.deepcopy(template), "messageId": mid, "body": body} for mid, body in records
        ]
    }


def request(source_id: str) -> str:
    return json.dumps({"source_id": source_id, "tick": "2026-11-22T21:45:00+00:00"})


def test_watch_source_handler_reports_only_the_poisoned_message(injected: ModuleType) -> None:
    result = injected.lambda_handler(BATCH, Ctx())
    assert result == {"batchItemFailures": [{"itemIdentifier": POISONED}]}


def test_watch_source_handler_reports_an_unknown_source(injected: ModuleType) -> None:
    event = batch(("m-1", request(NEWSROOM)), ("m-2", request("no-such-source")))
    result = injected.lambda_handler(event, Ctx())
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}


def test_watch_source_handler_stores_the_sources_of_the_batch(
    injected: ModuleType, dynamodb_client: Any, table_name: str
) -> None:
    injected.lambda_handler(BATCH, Ctx())
    store = DynamoDbStore(table_name, client=dynamodb_client)
    for source_id in (NEWSROOM, RELEASES):
        snapshot = store.get_snapshot(source_id)
        assert snapshot is not None and snapshot.entries, source_id


def test_watch_source_handler_fetch_failure_is_not_a_failed_message(
    injected: ModuleType, fetcher: ScriptedFetcher, dynamodb_client: Any, table_name: str
) -> None:
    from radar.errors import ConnectionFailed

    url = next(s.url for s in load_catalog() if s.id == NEWSROOM)
    fetcher.pages[url] = ConnectionFailed("connection refused")
    result = injected.lambda_handler(batch(("m-1", request(NEWSROOM))), Ctx())
    assert result == {"batchItemFailures": []}
    snapshot = DynamoDbStore(table_name, client=dynamodb_client).get_snapshot(NEWSROOM)
    assert snapshot is not None and snapshot.failures == 1


def test_watch_source_handler_unchanged_source_reads_once_and_writes_nothing(
    injected: ModuleType, dynamodb_calls: list[str]
) -> None:
    event = batch(("m-1", request(NEWSROOM)))
    injected.lambda_handler(event, Ctx())  # first run: the baseline is stored
    dynamodb_calls.clear()

    result = injected.lambda_handler(event, Ctx())

    assert result == {"batchItemFailures": []}
    assert dynamodb_calls == ["GetItem"]


def test_watch_source_handler_makes_only_calls_its_role_allows(
    injected: ModuleType, fetcher: ScriptedFetcher, dynamodb_calls: list[str]
) -> None:
    injected.lambda_handler(BATCH, Ctx())  # baseline of two sources
    url = next(s.url for s in load_catalog() if s.id == NEWSROOM)
    page = (FIXTURES / "rss.xml").read_bytes()
    fetcher.pages[url] = page.replace(b"<item>", _NEW_ITEM + b"<item>", 1)
    injected.lambda_handler(batch(("m-1", request(NEWSROOM))), Ctx())  # one new entry

    role = load_template()["Resources"]["WatchSourceRole"]
    allowed = {
        a.removeprefix("dynamodb:")
        for s in statements(role)
        for a in as_list(s["Action"])
        if a.startswith("dynamodb:")
    }
    assert {"GetItem", "PutItem", "BatchWriteItem", "UpdateItem"} <= set(dynamodb_calls)
    assert set(dynamodb_calls) <= allowed


_NEW_ITEM = b"""<item>
      <title>Threads API adds polls</title>
      <link>https://about.fb.com/news/2026/11/threads-api-polls/</link>
      <guid>https://about.fb.com/news/2026/11/threads-api-polls/</guid>
      <pubDate>Sun, 22 Nov 2026 09:00:00 +0000</pubDate>
      <description>Developers can now create polls through the Threads API.</description>
    </item>
    """


def test_watch_source_handler_counts_changes_and_rejections(
    injected: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    injected.lambda_handler(BATCH, Ctx())
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    names = {
        m["Name"] for line in emf for d in line["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]
    }
    assert {"SourcesWatched", "ChangesDetected", "WatchRequestsRejected"} <= names


# --- the real wiring: settings from the environment, the real fetcher on 127.0.0.1 ---------


@pytest.fixture
def local_catalog(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.xml").respond_with_data(
        (FIXTURES / "rss.xml").read_bytes(),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        "sources:\n"
        "  - id: local-newsroom\n"
        "    platform: facebook\n"
        "    kind: rss\n"
        f"    url: {httpserver.url_for('/feed.xml')}\n",
        "utf-8",
    )
    monkeypatch.setenv("RADAR_CATALOG", str(catalog))
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("RADAR_PER_HOST_DELAY", "0")
    return "local-newsroom"


def test_watch_source_handler_runs_with_the_real_wiring(
    local_catalog: str, handler: ModuleType, dynamodb_client: Any, table_name: str
) -> None:
    result = handler.lambda_handler(batch(("m-1", request(local_catalog))), Ctx())
    assert result == {"batchItemFailures": []}
    snapshot = DynamoDbStore(table_name, client=dynamodb_client).get_snapshot(local_catalog)
    assert snapshot is not None and snapshot.entries
    assert snapshot.etag == '"v1"'
