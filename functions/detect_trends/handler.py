"""Hourly: term counts -> emerging signals, each rise recorded once (EventBridge Scheduler)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.catalog.loader import load_catalog
from radar.settings import Settings, load_settings
from radar.store.trend_ports import TrendStore
from radar.trends.model import EMERGING
from radar.trends.usecases import detect_trends, source_kinds
from radar.wiring import build_trend_store

logger = Logger()
metrics = Metrics()


@cache
def build_deps() -> tuple[Settings, TrendStore, dict[str, str]]:
    settings = load_settings()
    settings.trend_config()  # contradictory thresholds fail the cold start, not every hour
    # The kind of signal each source gives: two kinds agreeing fire a new name sooner.
    kinds = source_kinds(load_catalog(settings.catalog))
    return settings, build_trend_store(settings), kinds


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings, trend_store, kinds = build_deps()
    # The scheduled time, not the clock: a retried invocation evaluates the same hour.
    now = datetime.fromisoformat(event.get("time") or datetime.now(UTC).isoformat())
    signals = detect_trends(trend_store, now, settings.trend_config(), kinds=kinds)
    emerging = [s.term for s in signals if s.kind == EMERGING]
    surge = [s.term for s in signals if s.kind != EMERGING]
    metrics.add_metric(name="EmergingSignals", unit=MetricUnit.Count, value=len(emerging))
    metrics.add_metric(name="SurgeSignals", unit=MetricUnit.Count, value=len(surge))
    logger.info("trends detected", at=now.isoformat(), emerging=emerging, surge=surge)
    return {"at": now.isoformat(), "emerging": emerging, "surge": surge}
