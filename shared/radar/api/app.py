"""The HTTP API (Powertools event handler): the same code behind API Gateway and `radar serve`.

One router per group of routes: what Radar found (radar.api.changes), the subscriber's routes
(radar.api.subscriptions), the admin's (radar.api.admin) and the web page (radar.api.pages).
Input is validated from the type annotations, so a bad request gets a 422 that names the
field, and the OpenAPI document at /openapi.json is generated from the same code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from radar.api.admin import admin_router
from radar.api.changes import API_VERSION, changes_router
from radar.api.entries import entries_router
from radar.api.openapi import document_responses
from radar.api.pages import web_router
from radar.api.resolver import Resolver
from radar.api.subscriptions import subscriptions_router
from radar.classify import Rules
from radar.store.ports import BriefingStore, Store

if TYPE_CHECKING:
    from radar.mail.ports import Mailer
    from radar.settings import Settings

# Deeper JSON bodies are refused before they reach a handler (nothing Radar takes nests deeper).
MAX_JSON_DEPTH = 32


@dataclass(frozen=True, slots=True)
class ApiDeps:
    store: Store
    rules: Rules
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    # Subscription routes, when the server manages subscriptions (the same store, as its
    # subscription port, the settings that hold the signing secret, and a mailer).
    subscriptions: BriefingStore | None = None
    settings: Settings | None = None
    mailer: Mailer | None = None
    # Source id -> catalog name, for link texts ("Discord API change log: Voice gateway v8").
    source_names: Mapping[str, str] = field(default_factory=dict)


def build_app(deps: ApiDeps) -> APIGatewayHttpResolver:
    """The API with its routers bound to `deps` (a store and the classification rules)."""
    app = Resolver(enable_validation=True, json_body_deserializer=_json_body)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def invalid_request(exc: RequestValidationError) -> Response[dict[str, Any]]:
        # Powertools' default body names the field but not what is wrong with it.
        # Only location, type and message: an error's context may hold exceptions (not JSON).
        detail = [
            {k: e.get(k) for k in ("loc", "type", "msg")} | _json_problem(e) for e in exc.errors()
        ]
        message = "; ".join(_problem(e) for e in detail)
        return Response(422, "application/json", {"message": message, "detail": detail})

    app.include_router(changes_router(deps.store, deps.rules, deps.clock, deps.source_names))
    labels = {c.id: c.label for c in deps.rules.categories}
    app.include_router(entries_router(deps.store, labels, deps.source_names))
    if deps.subscriptions is not None and deps.settings is not None:
        categories = {c.id for c in deps.rules.categories}
        app.include_router(
            subscriptions_router(
                store=deps.subscriptions,
                settings=deps.settings,
                mailer=deps.mailer,
                categories=categories,
                clock=deps.clock,
            )
        )
        app.include_router(
            admin_router(
                store=deps.subscriptions,
                settings=deps.settings,
                categories=categories,
                clock=deps.clock,
            )
        )
    app.include_router(web_router())

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(200, "application/json", json.dumps(openapi_document(app), indent=2))

    return app


def openapi_document(app: APIGatewayHttpResolver) -> dict[str, Any]:
    """The OpenAPI document generated from the routes' annotations, with every status and
    media type the routes answer with (radar.api.openapi)."""
    return document_responses(json.loads(app.get_openapi_json_schema(**_OPENAPI_INFO)))


_OPENAPI_INFO: dict[str, Any] = {
    "title": "Platform Radar API",
    "version": API_VERSION,
    "description": "What changed on the social platforms you run: changes and training packs.",
}


def _problem(error: Mapping[str, Any]) -> str:
    """`field: what is wrong` from one pydantic error (the location without query/body)."""
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
    return f"{where or 'request'}: {error.get('msg') or error.get('type', 'invalid')}"


def _json_body(text: str) -> Any:
    """The request body as JSON, refused (as invalid JSON: a 422) when nested too deeply.

    json.loads recurses once per level: 10,000 levels raise RecursionError, a 500 without this.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError(
            f"nested deeper than {MAX_JSON_DEPTH} levels", text[:100], 0
        ) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise json.JSONDecodeError(f"nested deeper than {MAX_JSON_DEPTH} levels", text[:100], 0)
    return value


def _depth(value: Any) -> int:
    """How deeply `value` nests lists and objects (a scalar: 0), counted without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, level + 1)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _json_problem(error: Mapping[str, Any]) -> dict[str, Any]:
    """For a body that is not JSON, why (Powertools' message says only "JSON decode error")."""
    why = (error.get("ctx") or {}).get("error")
    if error.get("type") != "json_invalid" or not isinstance(why, str):
        return {}
    return {"msg": f"{error.get('msg')}: {why}"}
