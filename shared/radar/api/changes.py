"""The read routes: what Radar found (changes, one change, training packs) and the taxonomy.

Filters are validated from the type annotations, so a bad request gets a 422 that names the
field; lists are paginated by an opaque cursor over (date, id).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from radar.classify import Rules
from radar.dedup import ChangeGroup
from radar.model import Change, ChangeKind
from radar.packs.build import FIRST_DAY, LAST_DAY, PackRequest, build_pack
from radar.render.pack import FORMATS, MEDIA_TYPES, item_json
from radar.store.ports import Store
from radar.text import comma_set

API_VERSION = "1"
MAX_PAGE = 200
# Without `since`, the changes endpoint looks this far back (keeps DynamoDB queries bounded).
DEFAULT_WINDOW = timedelta(days=90)

Csv = Annotated[
    str | None, Query(description="Comma-separated values", max_length=500, pattern=r"^[\w,.\- ]*$")
]
Day = Annotated[date | None, Query(description="A day, YYYY-MM-DD", ge=FIRST_DAY, le=LAST_DAY)]
Severity = Literal["action", "notable", "minor"]


def changes_router(
    store: Store, rules: Rules, clock: Callable[[], datetime]
) -> APIGatewayHttpRouter:
    """The read routes, bound to a store and the classification rules."""
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]
    categories = {c.id: c.label for c in rules.categories}

    @router.get("/health", summary="Liveness and version")
    def health() -> dict[str, str]:
        return {"status": "ok", "api_version": API_VERSION}

    @router.get("/categories", summary="The category taxonomy, in briefing order")
    def list_categories() -> list[dict[str, str]]:
        return [{"id": cid, "label": label} for cid, label in categories.items()]

    @router.get("/changes", summary="Changes, filtered, oldest first, paginated by cursor")
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
        request = _pack_request(clock, categories, platform, category, severity, since, until, q)
        query = replace(request.query(), by=by, include_baseline=include_baseline)
        found = [
            c
            for c in store.query_changes(query)
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

    @router.get("/changes/<change_id>", summary="One change")
    def get_change(
        change_id: Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$")],
    ) -> dict[str, Any]:
        change = store.get_change(change_id)
        if change is None:
            raise NotFoundError(f"no change with id {change_id}")
        return _change_json(change, categories)

    @router.get("/packs", summary="A training pack as md, html, csv or json")
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
        request = _pack_request(clock, categories, platform, category, severity, since, until, q)
        pack = build_pack(store.query_changes(request.query()), request, rules, clock())
        name = f"radar-pack-{request.since}-{request.until}.{format}"
        return Response(
            status_code=200,
            content_type=MEDIA_TYPES[format],
            body=FORMATS[format](pack),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return router


def _pack_request(
    clock: Callable[[], datetime],
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
    today = clock().date()
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
