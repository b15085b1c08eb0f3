"""Hourly: term counts -> emerging signals, each rise recorded once (EventBridge Scheduler)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.settings import Settings, load_settings
from radar.store.trend_ports import TrendStore
from radar.trends.usecases import detect_trends
from radar.wiring import build_trend_store

logger = Logger()
metrics = Metrics()


@cache
def build_deps() -> tuple[Settings, TrendStore]:
    settings = load_settings()
    settings.trend_config()  # contradictory thresholds fail the cold start, not every hour
    return settings, build_trend_store(settings)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings, trend_store = build_deps()
    # The scheduled time, not the clock: a retried invocation evaluates the same hour.
    now = datetime.fromisoformat(event.get("time") or datetime.now(UTC).isoformat())
    signals = detect_trends(trend_store, now, settings.trend_config())
    metrics.add_metric(name="EmergingSignals", unit=MetricUnit.Count, value=len(signals))
    logger.info("trends detected", at=now.isoformat(), emerging=[s.term for s in signals])
    return {"at": now.isoformat(), "emerging": [s.term for s in signals]}
