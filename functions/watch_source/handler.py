"""SQS batch of watch requests -> fetch, extract, diff, classify, store (partial failures)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache, partial
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.pipeline import Outcome, watch_request
from radar.wiring import WatchDeps, build_watch_deps

logger = Logger()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)


@cache
def build_deps() -> WatchDeps:
    return build_watch_deps()


def watch_record(deps: WatchDeps, record: SQSRecord) -> None:
    outcome = watch_request(
        record.body,
        sources=deps.sources,
        fetcher=deps.fetcher,
        store=deps.store,
        now=datetime.now(UTC),
        announce_days=deps.settings.announce_days,
        classifier=deps.classifier,
    )
    found = outcome.added + outcome.edited + outcome.removed
    metrics.add_metric(name="ChangesDetected", unit=MetricUnit.Count, value=found)
    if outcome.outcome is Outcome.FAILED:
        metrics.add_metric(name="SourcesFailed", unit=MetricUnit.Count, value=1)
    logger.info(
        "source watched",
        source_id=outcome.source_id,
        outcome=outcome.outcome.value,
        changes=found,
        error=outcome.error,
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    deps = build_deps()
    return process_partial_response(
        event=event,
        record_handler=partial(watch_record, deps),
        processor=processor,
        context=context,
    )
