"""Every 15 minutes: put one SQS message per due source (EventBridge Scheduler -> here)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.catalog.loader import load_catalog
from radar.model import Source
from radar.queue.sqs import SqsQueue
from radar.schedule import schedule_due, tick_start
from radar.settings import load_settings

logger = Logger()
metrics = Metrics()


@cache
def build_deps() -> tuple[list[Source], SqsQueue]:
    settings = load_settings()
    return load_catalog(settings.catalog), SqsQueue(settings.require("queue_url"))


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sources, queue = build_deps()
    # The event's own time, not the clock: a late or retried invocation schedules its own tick.
    tick = tick_start(datetime.fromisoformat(event.get("time") or datetime.now(UTC).isoformat()))
    queued = schedule_due(sources, tick, queue)
    metrics.add_metric(name="SourcesScheduled", unit=MetricUnit.Count, value=queued)
    logger.info("sources scheduled", tick=tick.isoformat(), queued=queued)
    return {"tick": tick.isoformat(), "queued": queued}
