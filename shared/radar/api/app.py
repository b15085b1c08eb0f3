"""The HTTP API (Powertools event handler): the same code behind API Gateway and `radar serve`.

Read endpoints serve what Radar found (changes, one change, training packs) and the web page;
subscription routes (radar.api.subscriptions) manage briefings with signed links;
their input is validated from the type annotations, so a bad request gets a 422 that names the
field, and the OpenAPI document at /openapi.json is generated from the same code.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from radar.api.openapi import document_responses
from radar.api.resolver import Resolver
from radar.api.subscriptions import register_subscription_routes
from radar.classify import Rules
from radar.dedup import ChangeGroup
from radar.model import Change, ChangeKind
from radar.packs.build import FIRST_DAY, LAST_DAY, PackRequest, build_pack
from radar.render.pack import FORMATS, MEDIA_TYPES, item_json
from radar.store.ports import BriefingStore, Store
from radar.text import comma_set

if TYPE_CHECKING:
    from radar.mail.ports import Mailer
    from radar.settings import Settings

API_VERSION = "1"
MAX_PAGE = 200
# Without `since`, the changes endpoint looks this far back (keeps DynamoDB queries bounded).
DEFAULT_WINDOW = timedelta(days=90)

Csv = Annotated[
    str | None, Query(description="Comma-separated values", max_length=500, pattern=r"^[\w,.\- ]*$")
]
Day = Annotated[date | None, Query(description="A day, YYYY-MM-DD", ge=FIRST_DAY, le=LAST_DAY)]
# Deeper JSON bodies are refused before they reach a handler (nothing Radar takes nests deeper).
MAX_JSON_DEPTH = 32
Severity = Literal["action", "notable", "minor"]


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


def build_app(deps: ApiDeps) -> APIGatewayHttpResolver:
    """The API with its routes bound to `deps` (a store and the classification rules)."""
    app = Resolver(enable_validation=True, json_body_deserializer=_json_body)
    categories = {c.id: c.label for c in deps.rules.categories}

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def invalid_request(exc: RequestValidationError) -> Response[dict[str, Any]]:
        # Powertools' default body names the field but not what is wrong with it.
        # Only location, type and message: an error's context may hold exceptions (not JSON).
        detail = [
            {k: e.get(k) for k in ("loc", "type", "msg")} | _json_problem(e) for e in exc.errors()
        ]
        message = "; ".join(_problem(e) for e in detail)
        return Response(422, "application/json", {"message": message, "detail": detail})

    @app.get("/health", summary="Liveness and version")
    def health() -> dict[str, str]:
        return {"status": "ok", "api_version": API_VERSION}

    @app.get("/categories", summary="The category taxonomy, in briefing order")
    def list_categories() -> list[dict[str, str]]:
        return [{"id": cid, "label": label} for cid, label in categories.items()]

    @app.get("/changes", summary="Changes, filtered, oldest first, paginated by cursor")
    def list_changes(
        platform: Csv = None,
        category: Csv = None,
        severity: Annotated[Severity | None, Query()] = None,
        since: Day = None,
        until: Day = None,
        q: Annotated[str, Query(max_length=200, description="Words that must all appear")] = "",
        by: Annotated[Literal["published", "detected"], Query()] = "published",
        include_baseline: Annotated[bool, Query()] = True,
        include_cosmetic: Annotated[
            bool, Query(description="Also typo, casing and link-target fixes")
        ] = False,
        order: Annotated[Literal["asc", "desc"], Query(description="By date")] = "asc",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        request = _pack_request(deps, categories, platform, category, severity, since, until, q)
        query = replace(request.query(), by=by, include_baseline=include_baseline)
        found = [
            c
            for c in deps.store.query_changes(query)
            if request.matches(c) and (include_cosmetic or c.kind is not ChangeKind.COSMETIC)
        ]
        if order == "desc":
            found.reverse()
        after = _decode_cursor(cursor) if cursor else None
        if after is not None:
            found = [c for c in found if _after(_sort_key(c, by), after, order)]
        page = found[:limit]
        more = len(found) > limit
        return {
            "items": [_change_json(c, categories) for c in page],
            "next_cursor": _encode_cursor(_sort_key(page[-1], by)) if more and page else None,
        }

    @app.get("/changes/<change_id>", summary="One change")
    def get_change(
        change_id: Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$")],
    ) -> dict[str, Any]:
        change = deps.store.get_change(change_id)
        if change is None:
            raise NotFoundError(f"no change with id {change_id}")
        return _change_json(change, categories)

    @app.get("/packs", summary="A training pack as md, html, csv or json")
    def get_pack(
        since: Annotated[
            date, Query(description="First day of the period", ge=FIRST_DAY, le=LAST_DAY)
        ],
        until: Day = None,
        platform: Csv = None,
        category: Csv = None,
        severity: Annotated[Severity | None, Query()] = None,
        q: Annotated[str, Query(max_length=200)] = "",
        format: Annotated[Literal["md", "html", "csv", "json"], Query()] = "json",
    ) -> Response[str]:
        request = _pack_request(deps, categories, platform, category, severity, since, until, q)
        pack = build_pack(
            deps.store.query_changes(request.query()), request, deps.rules, deps.clock()
        )
        name = f"radar-pack-{request.since}-{request.until}.{format}"
        return Response(
            status_code=200,
            content_type=MEDIA_TYPES[format],
            body=FORMATS[format](pack),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    if deps.subscriptions is not None and deps.settings is not None:
        register_subscription_routes(
            app,
            store=deps.subscriptions,
            settings=deps.settings,
            mailer=deps.mailer,
            categories=set(categories),
            clock=deps.clock,
        )

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(200, "application/json", json.dumps(openapi_document(app), indent=2))

    @app.get("/", include_in_schema=False)
    def web_page() -> Response[str]:
        return _static("index.html", "text/html; charset=utf-8")

    @app.get("/app.js", include_in_schema=False)
    def web_script() -> Response[str]:
        return _static("app.js", "text/javascript; charset=utf-8")

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
# The page is ours and loads nothing from elsewhere; scraped text is inserted as text only.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
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


def _static(name: str, content_type: str) -> Response[str]:
    body = resources.files("radar.api.web").joinpath(name).read_text("utf-8")
    return Response(200, content_type, body, headers=_PAGE_HEADERS)


def _pack_request(
    deps: ApiDeps,
    categories: dict[str, str],
    platform: str | None,
    category: str | None,
    severity: str | None,
    since: date | None,
    until: date | None,
    q: str,
) -> PackRequest:
    wanted = comma_set(category)
    unknown = wanted - set(categories)
    if unknown:
        raise BadRequestError(
            f"category: unknown value {sorted(unknown)[0]!r}; known: {', '.join(categories)}"
        )
    today = deps.clock().date()
    until = until or today
    try:
        return PackRequest(
            since=since or max(FIRST_DAY, until - DEFAULT_WINDOW),
            until=until,
            platforms=comma_set(platform),
            categories=wanted,
            severities=frozenset({severity}) if severity else frozenset(),
            text=q,
        )
    except ValueError as exc:
        raise BadRequestError(f"until: {exc}") from None


def _change_json(change: Change, categories: dict[str, str]) -> dict[str, Any]:
    label = categories.get(change.category or "", change.category or "")
    return item_json(ChangeGroup(change), label)


def _sort_key(change: Change, by: str) -> tuple[str, str]:
    when = change.effective_date if by == "published" else change.detected_at
    return (when.astimezone(UTC).isoformat(), change.id)


def _after(key: tuple[str, str], cursor: tuple[str, str], order: str) -> bool:
    return key > cursor if order == "asc" else key < cursor


def _encode_cursor(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, cid = json.loads(raw)
        datetime.fromisoformat(when)
    except (binascii.Error, ValueError, TypeError):
        raise BadRequestError("cursor: not a cursor this API returned") from None
    return (str(when), str(cid))
