"""Every 15 minutes: put one SQS message per due source (EventBridge Scheduler -> here).

The event is the schedule's input in template.yaml (infra/events/schedule.json is one, filled
in): the execution id, the scheduled time and the attempt number. This function parses no pages,
so it must not import bs4 or feedparser (tests/infra/test_packaging.py checks).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.catalog.loader import load_catalog
from radar.model import Source
from radar.queue.sqs import SqsQueue
from radar.settings import load_settings
from radar.watch.schedule import schedule_due, tick_start

logger = Logger()
metrics = Metrics()


@cache
def build_deps() -> tuple[list[Source], SqsQueue]:
    """Settings (ConfigError names a bad or missing one), catalog and queue, once per container."""
    settings = load_settings()
    return load_catalog(settings.catalog), SqsQueue(settings.require("queue_url"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sources, queue = build_deps()
    # The scheduled time, not the clock: a late or retried invocation queues its own tick.
    tick = tick_start(datetime.fromisoformat(event.get("time") or datetime.now(UTC).isoformat()))
    queued = schedule_due(sources, tick, queue)
    metrics.add_metric(name="SourcesScheduled", unit=MetricUnit.Count, value=queued)
    logger.info(
        "sources scheduled", tick=tick.isoformat(), queued=queued, attempt=event.get("attempt")
    )
    return {"tick": tick.isoformat(), "queued": queued}
