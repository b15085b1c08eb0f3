"""HTTP API (API Gateway HTTP API -> here): changes, training packs, the web page."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.api.app import ApiDeps, build_app
from radar.catalog.loader import load_catalog, load_rules
from radar.mail import build_mailer
from radar.settings import load_settings
from radar.wiring import build_store, with_secrets

logger = Logger()


@cache
def build_api() -> APIGatewayHttpResolver:
    settings = with_secrets(load_settings())
    store = build_store(settings)
    return build_app(
        ApiDeps(
            store,
            load_rules(settings.catalog),  # the API lists categories; it classifies nothing
            subscriptions=store,
            settings=settings,
            mailer=build_mailer(settings),
            source_names={s.id: s.name for s in load_catalog(settings.catalog) if s.name},
        )
    )


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True
)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return build_api().resolve(event, context)
