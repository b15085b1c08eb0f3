"""Hourly (EventBridge Scheduler, after detect_trends): mail new emerging-platform alerts.

Safe to run twice or concurrently: each (subscriber, rise) is claimed with a conditional write
before it is sent (radar.alerts.send), so a retried or overlapping invocation sends nothing twice.
Signals of the last 24 hours are considered, so a failed hour is caught up by the next.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.alerts.send import send_alerts
from radar.run_deadline import RunDeadline
from radar.wiring import MailDeps, build_mail_deps

logger = Logger()
metrics = Metrics()
METRICS = {
    "sent": "AlertsSent",
    "failed": "AlertsFailed",
    "uncertain": "AlertsUncertain",
    "rejected": "AlertsRejected",
    "deferred": "AlertsDeferred",
}
# Seconds kept in reserve: no alert starts with less time left, as one send can take that
# long at worst (SES timeouts and retries); Lambda must not kill the run mid-send.
MARGIN = 90.0


@cache
def build_deps() -> MailDeps:
    """Settings (ConfigError names a bad one), stores, SES mailer and catalog, once."""
    return build_mail_deps()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    deps = build_deps()
    # The clock, not the event's time: every signal up to now is considered, so a late or
    # retried invocation catches up (the lookback bounds how far).
    report = send_alerts(
        deps.store,
        deps.trend_store,
        deps.mailer,
        datetime.now(UTC),
        deps.settings,
        sources=deps.sources,
        deadline=RunDeadline.from_lambda(context, MARGIN),
    )
    counts = {result: report.count(result) for result in METRICS}
    for result, name in METRICS.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=counts[result])
    for outcome in report.outcomes:
        if outcome.result in ("failed", "uncertain", "rejected"):
            logger.warning(
                "alert not sent",
                subscription_id=outcome.subscription_id,
                period=outcome.period,
                result=outcome.result,
                detail=outcome.detail,
            )
    logger.info("alerts sent", considered=len(report.outcomes), counts=counts)
    return {"now": report.now.isoformat(), "considered": len(report.outcomes), **counts}
