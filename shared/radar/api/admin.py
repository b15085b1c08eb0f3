"""The admin's routes (`X-Radar-Admin-Key` from configuration): look up and change a
subscription, and list the briefings and alerts sent (or rejected for good by the mail
service, with the reason)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote

from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    NotFoundError,
    UnauthorizedError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from radar.api.preferences import (
    Preferences,
    checked_names,
    preferences_json,
    save_preferences,
)
from radar.packs.build import FIRST_DAY, LAST_DAY
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.subscriptions.model import Subscription, is_alert_period, normalize_email
from radar.subscriptions.tokens import Purpose, make_token, secret_from

AdminKey = Annotated[str | None, Header(alias="x-radar-admin-key", include_in_schema=False)]
Day = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)]


def admin_router(
    *,
    store: BriefingStore,
    settings: Settings,
    categories: set[str],
    clock: Callable[[], datetime],
) -> APIGatewayHttpRouter:
    """The admin routes, bound to a store and the settings that hold the admin key."""
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

    def authorised(key: str | None) -> None:
        expected = settings.admin_api_key.get_secret_value() if settings.admin_api_key else ""
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
        given = (key or "").encode("utf-8", "surrogatepass")
        if not expected or not given or not hmac.compare_digest(given, expected.encode()):
            raise UnauthorizedError("this needs the admin key (X-Radar-Admin-Key)")

    @router.get("/admin/subscriptions", summary="Look up a subscription (admin key)")
    def admin_find(
        email: Annotated[str, Query(max_length=254)], key: AdminKey = None
    ) -> dict[str, Any]:
        authorised(key)
        sub = store.find_subscription(_address(email))
        if sub is None:
            raise NotFoundError("no subscription for that address")
        return preferences_json(sub)

    @router.patch("/admin/subscriptions/<sub_id>", summary="Change a subscription (admin key)")
    def admin_update(sub_id: str, body: Preferences, key: AdminKey = None) -> dict[str, Any]:
        authorised(key)
        body = checked_names(body, categories, settings.catalog)
        sub = store.get_subscription(sub_id)
        if sub is None:
            raise NotFoundError("no such subscription")
        return preferences_json(save_preferences(store, sub, body, clock()))

    @router.get(
        "/admin/deliveries",
        summary="Briefings and alerts sent, or rejected for good with the reason (admin key)",
    )
    def admin_deliveries(
        since: Day = None,
        until: Day = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        status: Annotated[Literal["sent", "rejected"], Query()] = "sent",
        key: AdminKey = None,
    ) -> dict[str, Any]:
        authorised(key)
        end = (
            datetime.combine(until, time.min, UTC) + timedelta(days=1)
            if until
            else clock() + timedelta(seconds=1)  # what was sent this very second too
        )
        start = datetime.combine(since, time.min, UTC) if since else end - timedelta(days=30)
        subs: dict[str, Subscription | None] = {}
        items = []
        listed = store.sent_deliveries if status == "sent" else store.rejected_deliveries
        for d in listed(start, end, limit):
            if d.subscription_id not in subs:
                subs[d.subscription_id] = store.get_subscription(d.subscription_id)
            sub = subs[d.subscription_id]
            items.append(
                {
                    "kind": "alert" if is_alert_period(d.period) else "briefing",
                    "period": d.period,
                    "email": sub.email if sub else None,
                    "status": d.status.value,
                    # When it was sent, or rejected (a rejected mail was never sent).
                    "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                    "message_id": d.message_id,
                    "reason": d.reason,
                    "online": online_link(sub, d.period) if sub and status == "sent" else None,
                }
            )
        return {"items": items}

    def online_link(sub: Subscription, period: str) -> str | None:
        if is_alert_period(period) or settings.secret_key is None:
            return None
        if not settings.base_url:
            return None  # links come only from configuration (RADAR_BASE_URL)
        token = make_token(secret_from(settings), Purpose.MANAGE, sub.id, sub.email)
        return f"{settings.base_url}/briefings/{quote(period)}?token={token}"

    return router


def _address(email: str) -> str:
    try:
        return normalize_email(email)
    except ValueError as exc:
        raise BadRequestError(f"email: {exc}") from None
