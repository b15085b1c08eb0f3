"""The `schedule_sources` Lambda on moto: the Scheduler event in, one message per due source."""

from __future__ import annotations

import importlib.util
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.metrics.provider import cold_start
from moto import mock_aws

from radar.catalog.loader import load_catalog
from radar.errors import ConfigError
from radar.watch.messages import WatchRequest
from radar.watch.schedule import due_sources

ROOT = Path(__file__).resolve().parents[2]
HANDLER = ROOT / "functions" / "schedule_sources" / "handler.py"
EVENT = json.loads((ROOT / "infra" / "events" / "schedule.json").read_text("utf-8"))
REGION = "us-east-1"


@dataclass
class Ctx:
    """The parts of the Lambda context Powertools reads."""

    function_name: str = "platform-radar-schedule-sources"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:123456789012:function:platform-radar-schedule-sources"
    )
    aws_request_id: str = "6f1b0c4e-2a0b-4c55-9f0e-1d2c3b4a5968"


@pytest.fixture
def queue_url(aws_credentials: None) -> Iterator[str]:
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        yield sqs.create_queue(QueueName="platform-radar-WatchQueue")["QueueUrl"]


@pytest.fixture
def handler(queue_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.setenv("RADAR_QUEUE_URL", queue_url)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "schedule_sources")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    module = _load()
    yield module
    _reset(module)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("schedule_sources_handler_under_test", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reset(module: ModuleType) -> None:
    module.build_deps.cache_clear()
    module.metrics.clear_metrics()
    cold_start.is_cold_start = True


def _drain(queue_url: str) -> list[WatchRequest]:
    sqs = boto3.client("sqs", region_name=REGION)
    found: list[WatchRequest] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        messages = batch.get("Messages", [])
        if not messages:
            return found
        for m in messages:
            found.append(WatchRequest.from_json(m["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


def test_schedule_sources_handler_queues_one_message_per_due_source(
    handler: ModuleType, queue_url: str
) -> None:
    tick = datetime(2026, 11, 22, 21, 45, tzinfo=UTC)
    expected = [s.id for s in due_sources(load_catalog(), tick)]
    assert expected, "the sample tick should make some built-in sources due"

    result = handler.lambda_handler(EVENT, Ctx())

    requests = _drain(queue_url)
    assert result == {"tick": tick.isoformat(), "queued": len(expected)}
    assert sorted(r.source_id for r in requests) == sorted(expected)


def test_schedule_sources_handler_uses_the_scheduled_time_not_the_clock(
    handler: ModuleType, queue_url: str
) -> None:
    late_retry = {**EVENT, "time": "2026-11-22T21:45:00Z", "attempt": "3"}
    handler.lambda_handler(late_retry, Ctx())
    ticks = {r.tick for r in _drain(queue_url)}
    assert ticks == {datetime(2026, 11, 22, 21, 45, tzinfo=UTC)}


def test_schedule_sources_handler_emits_sources_scheduled_metric(
    capsys: pytest.CaptureFixture[str], handler: ModuleType
) -> None:
    result = handler.lambda_handler(EVENT, Ctx())
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    scheduled = [m["SourcesScheduled"] for m in emf if "SourcesScheduled" in m]
    assert scheduled == [[float(result["queued"])]]


def test_schedule_sources_handler_logs_the_execution_id_as_correlation_id(
    handler: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Logger keeps the stream it was first given (one per service), so read its own.
    stream = io.StringIO()
    monkeypatch.setattr(handler.logger.registered_handler, "stream", stream)
    handler.lambda_handler(EVENT, Ctx())
    logs = [json.loads(line) for line in stream.getvalue().splitlines()]
    scheduled = [entry for entry in logs if entry.get("message") == "sources scheduled"]
    assert [entry["correlation_id"] for entry in scheduled] == [EVENT["id"]]


def test_schedule_sources_handler_names_a_missing_queue_url(
    aws_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RADAR_QUEUE_URL", raising=False)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    module = _load()
    try:
        with pytest.raises(ConfigError, match="RADAR_QUEUE_URL"):
            module.lambda_handler(EVENT, Ctx())
    finally:
        _reset(module)


def test_schedule_sources_handler_does_not_need_the_event_source_fields(
    handler: ModuleType, queue_url: str
) -> None:
    # A hand-run invocation ({}), e.g. `sam remote invoke`, schedules the current tick.
    result: dict[str, Any] = handler.lambda_handler({}, Ctx())
    assert result["queued"] == len(_drain(queue_url))
