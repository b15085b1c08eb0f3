"""SQS batch of watch requests -> fetch, extract, diff, classify, store (partial failures).

A failing source is not a failed message: its failure is recorded in its snapshot. Only a
malformed request or an unknown source id raises, so only that message is reported in
`batchItemFailures`, goes back to the queue and, after a few receives, to the dead-letter queue.
A request the invocation has no time left for (less than `MARGIN` before Lambda's timeout) is
not started and goes back to the queue the same way, instead of the timeout failing the whole
batch mid-fetch.
"""

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
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.run_deadline import DeadlinePassed, RunDeadline
from radar.watch.cycle import watch_request
from radar.watch.outcomes import Outcome
from radar.wiring import WatchDeps, build_watch_deps

logger = Logger()
metrics = Metrics()
# A batch whose every record failed is reported like any other (each message back to the
# queue), not raised as an invocation error: a batch deferred whole for lack of time is no
# crash, and poison messages still end in the dead-letter queue (and its alarm).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
# Seconds kept in reserve: a request starts only with at least this much time left, enough
# for one fetch at its longest (a quick 429, up to 30 s of Retry-After, then the fetcher's
# 60 s deadline) and storing the result.
MARGIN = 100.0


@cache
def build_deps() -> WatchDeps:
    """Settings (ConfigError names a bad one), catalog and clients, once per container."""
    return build_watch_deps()


def watch_record(deps: WatchDeps, deadline: RunDeadline, record: SQSRecord) -> None:
    # The message id follows one request through its retries and into the dead-letter queue.
    logger.set_correlation_id(record.message_id)
    if deadline.passed():  # back to the queue untouched: a later invocation watches it
        metrics.add_metric(name="WatchRequestsDeferred", unit=MetricUnit.Count, value=1)
        logger.info("watch request deferred", seconds_left=round(deadline.left() + MARGIN, 1))
        raise DeadlinePassed("no time left in this invocation to watch the source")
    try:
        outcome = watch_request(
            record.body,
            sources=deps.sources,
            fetcher=deps.fetcher,
            store=deps.store,
            now=datetime.now(UTC),
            announce_days=deps.settings.announce_days,
            classifier=deps.classifier,
        )
    except ValueError as exc:  # poison: counted and logged here, reported failed by the batch
        metrics.add_metric(name="WatchRequestsRejected", unit=MetricUnit.Count, value=1)
        logger.warning("watch request rejected", reason=str(exc))
        raise
    found = outcome.added + outcome.edited + outcome.removed
    metrics.add_metric(name="SourcesWatched", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="ChangesDetected", unit=MetricUnit.Count, value=found)
    if outcome.outcome is Outcome.FAILED:
        metrics.add_metric(name="SourcesFailed", unit=MetricUnit.Count, value=1)
    logger.info(
        "source watched",
        source_id=outcome.source_id,
        outcome=outcome.outcome.value,
        changes=found,
        wrote=outcome.wrote,
        error=outcome.error,
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    deps = build_deps()
    return process_partial_response(
        event=event,
        record_handler=partial(watch_record, deps, RunDeadline.from_lambda(context, MARGIN)),
        processor=processor,
        context=context,
    )
