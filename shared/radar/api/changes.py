"""The read routes: what Radar found (changes, one change, training packs) and the taxonomy.

Filters are validated from the type annotations, so a bad request gets a 422 that names the
field; lists are paginated by an opaque cursor over (date, id). The list has two views: every
change (`events`, the default that existing clients rely on) or one item per entry (`entries`,
what the web page reads; radar.api.entries).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Annotated, Any, Literal, TypeVar

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from radar.api.entries import EntryItem, entry_items, entry_json, sort_key
from radar.classify import Rules
from radar.dedup import ChangeGroup
from radar.model import Change, ChangeKind
from radar.packs.build import FIRST_DAY, LAST_DAY, PackRequest, build_pack
from radar.store.ports import Store
from radar.text import comma_set

API_VERSION = "1"
MAX_PAGE = 200
# Without `since`, the changes endpoint looks this far back (keeps DynamoDB queries bounded).
DEFAULT_WINDOW = timedelta(days=90)
MAX_DAYS = 3660
LIST_DESCRIPTION = (
    "`view=events` (the default): every change, one item each. `view=entries`: one item per "
    "entry in the period (an entry added and then edited twice is one item) with its latest "
    "title and text, `status` (`new`, `updated` or `removed`), `history_count` (its changes in "
    "the period; all of them: `/changes/{id}/history`), `last_detected_at`, and "
    "`named_links` from every source that reported it. `by` says which date `since`, `until` "
    "and `order` use: the entry's own (`published`, the default) or when Radar detected the "
    "change (`detected`: a fresh edit of an old entry is listed). Without `since`, the period "
    "is `days` (default 90) before `until` (default today); `range` in the answer says which "
    "period was searched. An entry dated only by its month (`published_precision`: `month`, "
    '`date` its first day, `published_label` e.g. "March 2025") is in every period by '
    "`published` that overlaps that month."
)

Csv = Annotated[
    str | None, Query(description="Comma-separated values", max_length=500, pattern=r"^[\w,.\- ]*$")
]
Day = Annotated[date | None, Query(description="A day, YYYY-MM-DD", ge=FIRST_DAY, le=LAST_DAY)]
Severity = Literal["action", "notable", "minor"]
T = TypeVar("T")


def changes_router(
    store: Store,
    rules: Rules,
    clock: Callable[[], datetime],
    source_names: Mapping[str, str] | None = None,
) -> APIGatewayHttpRouter:
    """The read routes, bound to a store and the classification rules; `source_names` (source
    id -> catalog name) label the entries view's links."""
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]
    categories = {c.id: c.label for c in rules.categories}
    source_names = source_names or {}

    @router.get("/health", summary="Liveness and version")
    def health() -> dict[str, str]:
        return {"status": "ok", "api_version": API_VERSION}

    @router.get("/categories", summary="The category taxonomy, in briefing order")
    def list_categories() -> list[dict[str, str]]:
        return [{"id": cid, "label": label} for cid, label in categories.items()]

    @router.get(
        "/changes",
        summary="Changes or entries, filtered, oldest first, paginated by cursor",
        description=LIST_DESCRIPTION,
    )
    def list_changes(
        platform: Csv = None,
        category: Csv = None,
        severity: Annotated[Severity | None, Query()] = None,
        since: Day = None,
        until: Day = None,
        days: Annotated[
            int | None,
            Query(ge=1, le=MAX_DAYS, description="Without `since`: this many days before `until`"),
        ] = None,
        q: Annotated[str, Query(max_length=200, description="Words that must all appear")] = "",
        by: Annotated[Literal["published", "detected"], Query()] = "published",
        view: Annotated[
            Literal["events", "entries"],
            Query(description="`events`: every change; `entries`: one item per entry"),
        ] = "events",
        include_baseline: Annotated[bool, Query()] = True,
        include_cosmetic: Annotated[
            bool, Query(description="Also typo, casing and link-target fixes")
        ] = False,
        order: Annotated[Literal["asc", "desc"], Query(description="By date")] = "asc",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        request = _pack_request(
            clock, categories, platform, category, severity, since, until, q, days
        )
        query = replace(request.query(by=by), include_baseline=include_baseline)
        found = [
            c
            for c in store.query_changes(query)
            if request.covers(c, by)
            and request.matches(c)
            and (include_cosmetic or c.kind is not ChangeKind.COSMETIC)
        ]
        if view == "entries":
            items = sorted(entry_items(found), key=partial(_item_key, by=by))
            page, last = _page(items, partial(_item_key, by=by), order, cursor, limit)
            shown = [_entry_json(i) for i in page]
        else:  # the store's order already (date, id)
            changes, last = _page(found, partial(sort_key, by=by), order, cursor, limit)
            shown = [_change_json(c, categories) for c in changes]
        return {
            "items": shown,
            "next_cursor": _encode_cursor(last) if last else None,
            "view": view,
            # The period as applied (defaults filled in), so a reader sees what was searched.
            "range": {
                "since": request.since.isoformat(),
                "until": request.until.isoformat(),
                "by": by,
            },
        }

    def _entry_json(item: EntryItem) -> dict[str, Any]:
        primary = item.group.primary
        label = categories.get(primary.category or "", primary.category or "")
        return entry_json(item, label, source_names)

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
        request = _pack_request(
            clock, categories, platform, category, severity, since, until, q, None
        )
        from radar.render.pack import FORMATS, MEDIA_TYPES  # Jinja2: only for packs

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
    days: int | None,
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
            since=since
            or max(FIRST_DAY, until - (timedelta(days=days) if days else DEFAULT_WINDOW)),
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
    from radar.render.pack import item_json

    return item_json(ChangeGroup(change), label)


def _page(
    rows: list[T], key: Callable[[T], tuple[str, str]], order: str, cursor: str | None, limit: int
) -> tuple[list[T], tuple[str, str] | None]:
    """The page of `rows` (in ascending `key` order) after `cursor`, and the key to continue
    from when more follow."""
    if order == "desc":
        rows = rows[::-1]
    if cursor:
        after = _decode_cursor(cursor)
        rows = [r for r in rows if _after(key(r), after, order)]
    page = rows[:limit]
    return page, key(page[-1]) if len(rows) > limit and page else None


def _item_key(item: EntryItem, by: str) -> tuple[str, str]:
    # Placed by the entry's latest change; the primary's id is unique per item.
    return (sort_key(item.last, by)[0], item.group.primary.id)


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
