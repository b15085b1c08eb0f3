"""SNS (from SES): bounces and complaints -> suppressed addresses, never mailed again.

A malformed notification is logged and counted, not retried: SNS would redeliver the same
bytes and fail the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.settings import load_settings
from radar.store.ports import SubscriptionStore
from radar.subscriptions.feedback import apply_feedback, parse_notification
from radar.wiring import build_store

logger = Logger()
metrics = Metrics()


@cache
def build_deps() -> SubscriptionStore:
    """Settings and store, once per container."""
    # Both adapters implement the subscription port as well as the change store.
    return cast(SubscriptionStore, build_store(load_settings()))


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    store = build_deps()
    suppressed = rejected = 0
    for record in event.get("Records", []):
        try:
            feedback = parse_notification(record["Sns"]["Message"])
        except (KeyError, TypeError, ValueError) as exc:
            rejected += 1
            logger.warning("ses notification rejected", reason=str(exc))
            continue
        suppressed += apply_feedback(store, [feedback], datetime.now(UTC))
        logger.info(
            "ses notification",
            kind=feedback.kind,
            reason=feedback.reason,
            count=len(feedback.addresses),
        )
    metrics.add_metric(name="AddressesSuppressed", unit=MetricUnit.Count, value=suppressed)
    metrics.add_metric(name="NotificationsRejected", unit=MetricUnit.Count, value=rejected)
    return {"suppressed": suppressed, "rejected": rejected}
