"""Subscription routes of the HTTP API: subscribe (double opt-in), confirm, manage, one-click
unsubscribe, and the online copy of a briefing.

Who may do what: anyone may ask to subscribe an address, but nothing is sent to it except the
confirmation mail until its owner clicks the link. Everything else needs the signed token from
that subscriber's own mail, or the admin key from configuration (`X-Radar-Admin-Key`). Answers
never tell whether an address is subscribed (no enumeration). Links that change state are POST:
mail scanners open GET links by themselves.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, quote

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    NotFoundError,
    ServiceError,
    UnauthorizedError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from radar.briefings.send import compose_briefing
from radar.classify import SEVERITIES
from radar.errors import ConfigError, InvalidToken, MailError, StoreError, SubscriptionError
from radar.mail.ports import Mailer
from radar.packs.build import FIRST_DAY, LAST_DAY
from radar.render.briefing import render_briefing
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.subscriptions.model import (
    WEEKDAYS,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
    is_alert_period,
    next_due,
    normalize_email,
    zone,
)
from radar.subscriptions.tokens import Purpose, make_token, read_token, secret_from, verify_token
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe, unsubscribe
from radar.text import comma_set

Token = Annotated[str, Query(min_length=20, max_length=600, description="Signed link token")]
AdminKey = Annotated[str | None, Header(alias="x-radar-admin-key", include_in_schema=False)]
Name = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class Preferences(BaseModel):
    """What a subscriber chooses; every field optional in an update."""

    model_config = ConfigDict(extra="forbid")

    platforms: list[Name] | None = Field(None, max_length=50)
    categories: list[Name] | None = Field(None, max_length=20)
    severities: list[Literal["action", "notable", "minor"]] | None = None
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = None
    hour: int | None = Field(None, ge=0, le=23)
    tz: str | None = Field(None, max_length=64)
    lang: Literal["en", "ar"] | None = None
    empty_week: Literal["note", "skip"] | None = None
    weekly: bool | None = None  # False: alerts only
    alerts: list[Literal["emerging"]] | None = None
    regions: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] | None = Field(
        None, max_length=50
    )

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone(value)  # ValueError naming the zone, reported against the field
        return value


class SubscribeBody(Preferences):
    email: str = Field(max_length=254)

    @field_validator("email")
    @classmethod
    def _address(cls, value: str) -> str:
        return normalize_email(value)


_SINGLE_FIELDS = ("weekday", "hour", "tz", "lang", "empty_week")
ACCEPTED = {
    "status": "accepted",
    "message": "If this address can receive briefings, a confirmation link is on its way.",
}


def register_subscription_routes(
    app: APIGatewayHttpResolver,
    *,
    store: BriefingStore,
    settings: Settings,
    mailer: Mailer | None,
    categories: set[str],
    clock: Callable[[], datetime],
) -> None:
    """Add the subscription routes to `app`."""

    def checked_categories(prefs: Preferences) -> None:
        unknown = set(prefs.categories or ()) - categories
        if unknown:
            raise BadRequestError(f"categories: unknown value {sorted(unknown)[0]!r}")

    @app.post("/subscriptions", summary="Ask for weekly briefings (a confirmation mail follows)")
    def create_subscription(body: SubscribeBody) -> Response[dict[str, str]]:
        checked_categories(body)
        if mailer is None:
            raise ServiceError(503, "subscriptions are not set up on this server")
        request = SubscribeRequest(
            email=body.email,
            platforms=frozenset(body.platforms or ()),
            categories=frozenset(body.categories or ()),
            severities=frozenset(body.severities or ()),
            weekday=WEEKDAYS.index(body.weekday or "mon"),
            hour=8 if body.hour is None else body.hour,
            tz=body.tz or "UTC",
            lang=body.lang or "en",
            empty_week=EmptyWeek(body.empty_week or "note"),
            weekly=True if body.weekly is None else body.weekly,
            alerts=frozenset(body.alerts or ()),
            regions=frozenset(r.upper() for r in body.regions or ()),
        )
        try:
            subscribe(store, mailer, clock(), settings, request)
        except SubscriptionError:
            pass  # already subscribed or suppressed: the same answer, so addresses stay private
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        except MailError:
            raise ServiceError(503, "the confirmation mail could not be sent; try later") from None
        return Response(202, "application/json", ACCEPTED)

    @app.get("/subscriptions/confirm", summary="Confirm a subscription (link in the mail)")
    def confirm_page(token: Token) -> Response[str]:
        _claims(token)
        return _page(
            "Confirm your subscription",
            "Press the button to start receiving Platform Radar briefings.",
            action="Confirm",
        )

    @app.post("/subscriptions/confirm", summary="Confirm a subscription")
    def confirm_subscription(token: Token) -> Response[str]:
        sub = _guard(lambda: confirm(store, token, clock(), settings))
        return _page("Subscribed", f"{sub.email} will receive briefings. Welcome.")

    @app.get("/subscriptions/unsubscribe", summary="The unsubscribe page (link in every mail)")
    def unsubscribe_page(token: Token) -> Response[str]:
        _claims(token)
        return _page(
            "Unsubscribe",
            "Press the button to stop receiving Platform Radar mail.",
            action="Unsubscribe",
        )

    @app.post(
        "/subscriptions/unsubscribe",
        summary="Unsubscribe (also the RFC 8058 one-click target of List-Unsubscribe-Post)",
    )
    def unsubscribe_now(token: Token) -> Response[str]:
        sub = _guard(lambda: unsubscribe(store, token, clock(), settings))
        return _page("Unsubscribed", f"{sub.email} will not receive Platform Radar mail again.")

    @app.get("/subscriptions/manage", summary="A subscriber's preferences (manage link)")
    def get_preferences(token: Token) -> Response[Any]:
        prefs = _preferences(_subscriber(token, Purpose.MANAGE))
        if "text/html" in (app.current_event.headers.get("accept") or ""):
            return _manage_page(prefs, sorted(categories))  # the link, opened in a browser
        return Response(200, "application/json", prefs)

    @app.post("/subscriptions/manage", summary="Change preferences from the manage page's form")
    def update_from_form(token: Token) -> Response[str]:
        form = parse_qs(app.current_event.decoded_body or "", max_num_fields=100)
        try:
            prefs = Preferences.model_validate(
                {
                    "platforms": sorted(comma_set(form.get("platforms", [""])[0])),
                    "categories": form.get("categories", []),
                    "severities": form.get("severities", []),
                    "alerts": form.get("alerts", []),
                    "regions": [
                        r.strip() for r in form.get("regions", [""])[0].split(",") if r.strip()
                    ],
                    "weekly": form.get("weekly", ["yes"])[0] == "yes",
                    **{k: v[0] for k, v in form.items() if k in _SINGLE_FIELDS and v},
                }
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(p) for p in problem["loc"])
            return _page("Not saved", f"{field}: {problem['msg']}", status=422)
        checked_categories(prefs)
        try:
            _update(_subscriber(token, Purpose.MANAGE), prefs)
        except BadRequestError as exc:
            return _page("Not saved", str(exc.msg), status=422)
        return _page("Saved", "Your preferences are saved.")

    @app.patch("/subscriptions/manage", summary="Change a subscriber's preferences")
    def update_preferences(token: Token, body: Preferences) -> dict[str, Any]:
        checked_categories(body)
        return _preferences(_update(_subscriber(token, Purpose.MANAGE), body))

    @app.get("/admin/subscriptions", summary="Look up a subscription (admin key)")
    def admin_find(
        email: Annotated[str, Query(max_length=254)], key: AdminKey = None
    ) -> dict[str, Any]:
        _admin(key)
        sub = store.find_subscription(_address(email))
        if sub is None:
            raise NotFoundError("no subscription for that address")
        return _preferences(sub)

    @app.patch("/admin/subscriptions/<sub_id>", summary="Change a subscription (admin key)")
    def admin_update(sub_id: str, body: Preferences, key: AdminKey = None) -> dict[str, Any]:
        _admin(key)
        checked_categories(body)
        sub = store.get_subscription(sub_id)
        if sub is None:
            raise NotFoundError("no such subscription")
        return _preferences(_update(sub, body))

    @app.get("/admin/deliveries", summary="Briefings and alerts sent (admin key)")
    def admin_deliveries(
        since: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)] = None,
        until: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        key: AdminKey = None,
    ) -> dict[str, Any]:
        _admin(key)
        end = (
            datetime.combine(until, time.min, UTC) + timedelta(days=1)
            if until
            else clock() + timedelta(seconds=1)  # what was sent this very second too
        )
        start = datetime.combine(since, time.min, UTC) if since else end - timedelta(days=30)
        subs: dict[str, Subscription | None] = {}
        items = []
        for d in store.sent_deliveries(start, end, limit):
            if d.subscription_id not in subs:
                subs[d.subscription_id] = store.get_subscription(d.subscription_id)
            sub = subs[d.subscription_id]
            items.append(
                {
                    "kind": "alert" if is_alert_period(d.period) else "briefing",
                    "period": d.period,
                    "email": sub.email if sub else None,
                    "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                    "message_id": d.message_id,
                    "online": _online_copy(sub, d.period) if sub else None,
                }
            )
        return {"items": items}

    def _online_copy(sub: Subscription, period: str) -> str | None:
        if is_alert_period(period) or settings.secret_key is None:
            return None
        if not settings.base_url:
            return None  # links come only from configuration (RADAR_BASE_URL)
        token = make_token(secret_from(settings), Purpose.MANAGE, sub.id, sub.email)
        return f"{settings.base_url}/briefings/{quote(period)}?token={token}"

    @app.get("/briefings/<period>", summary="The online copy of a briefing (link in the mail)")
    def archived_briefing(period: str, token: Token) -> Response[str]:
        sub = _subscriber(token, Purpose.MANAGE)
        delivery = None if is_alert_period(period) else store.get_delivery(sub.id, period)
        if delivery is None:
            raise NotFoundError("no briefing for that week")
        try:
            briefing = compose_briefing(
                store, sub, settings, period, delivery.since, delivery.until, signed=True
            )
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        # Online there is no mail client to clip it: the whole briefing.
        rendered = render_briefing(briefing, max_html_bytes=10 * 1024 * 1024)
        return Response(200, "text/html; charset=utf-8", rendered.html, headers=_PAGE_HEADERS)

    def _subscriber(token: str, purpose: Purpose) -> Subscription:
        claims = _claims(token)
        sub = store.get_subscription(claims.subscription_id)
        try:
            if sub is None:
                raise InvalidToken("this link is for a subscription that no longer exists")
            verify_token(secret_from(settings), token, purpose, sub.id, sub.email)
        except InvalidToken as exc:
            raise UnauthorizedError(str(exc)) from None
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        return sub

    def _update(sub: Subscription, prefs: Preferences) -> Subscription:
        changes: dict[str, Any] = {}
        for name in ("platforms", "categories", "severities"):
            value = getattr(prefs, name)
            if value is not None:
                changes[name] = frozenset(value)
        if prefs.weekday is not None:
            changes["weekday"] = WEEKDAYS.index(prefs.weekday)
        for name in ("hour", "tz", "lang"):
            if getattr(prefs, name) is not None:
                changes[name] = getattr(prefs, name)
        if prefs.empty_week is not None:
            changes["empty_week"] = EmptyWeek(prefs.empty_week)
        if prefs.weekly is not None:
            changes["weekly"] = prefs.weekly
        if prefs.alerts is not None:
            changes["alerts"] = frozenset(prefs.alerts)
        if prefs.regions is not None:
            changes["regions"] = frozenset(r.upper() for r in prefs.regions)
        try:
            updated = replace(sub, **changes)
        except ValueError as exc:  # e.g. neither weekly briefings nor alerts left
            raise BadRequestError(str(exc)) from None
        if updated.status is SubscriptionStatus.ACTIVE:
            updated = replace(updated, next_due=next_due(updated, clock()))
        try:
            store.put_subscription(updated)
        except StoreError as exc:
            raise ServiceError(503, f"could not save the change: {exc}") from None
        return updated

    def _admin(key: str | None) -> None:
        expected = settings.admin_api_key.get_secret_value() if settings.admin_api_key else ""
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
        given = (key or "").encode("utf-8", "surrogatepass")
        if not expected or not given or not hmac.compare_digest(given, expected.encode()):
            raise UnauthorizedError("this needs the admin key (X-Radar-Admin-Key)")

    def _guard(action: Callable[[], Subscription]) -> Subscription:
        try:
            return action()
        except InvalidToken as exc:
            raise UnauthorizedError(str(exc)) from None
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None


def _claims(token: str) -> Any:
    try:
        return read_token(token)
    except InvalidToken as exc:
        raise UnauthorizedError(str(exc)) from None


def _address(email: str) -> str:
    try:
        return normalize_email(email)
    except ValueError as exc:
        raise BadRequestError(f"email: {exc}") from None


def _preferences(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "email": sub.email,
        "status": sub.status.value,
        "platforms": sorted(sub.platforms),
        "categories": sorted(sub.categories),
        "severities": sorted(sub.severities, key=SEVERITIES.index),
        "weekday": WEEKDAYS[sub.weekday],
        "hour": sub.hour,
        "tz": sub.tz,
        "lang": sub.lang,
        "empty_week": sub.empty_week.value,
        "weekly": sub.weekly,
        "alerts": sorted(sub.alerts),
        "regions": sorted(sub.regions),
        "next_due": sub.next_due.isoformat() if sub.next_due else None,
    }


_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _page(
    title: str, message: str, *, action: str = "", form: str = "", status: int = 200
) -> Response[str]:
    """A small page; `action` adds a button that POSTs back to the same URL (with its token)."""
    if action:
        form = f'<form method="post"><button type="submit">{escape(action)}</button></form>'
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>body{{font:16px/1.5 system-ui,sans-serif;"
        "max-width:32rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}"
        f"</style></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p>{form}"
        "</body></html>"
    )
    return Response(status, "text/html; charset=utf-8", body, headers=_PAGE_HEADERS)


def _manage_page(prefs: dict[str, Any], categories: list[str]) -> Response[str]:
    """The preferences as a form that POSTs back to the manage link (no script needed)."""

    def options(name: str, values: Sequence[str], chosen: str) -> str:
        return (
            f'<select name="{name}">'
            + "".join(
                f"<option{' selected' if v == chosen else ''}>{escape(v)}</option>" for v in values
            )
            + "</select>"
        )

    def boxes(name: str, values: Sequence[str], chosen: Sequence[str]) -> str:
        return " ".join(
            f'<label><input type="checkbox" name="{name}" value="{escape(v)}"'
            f"{' checked' if v in chosen else ''}> {escape(v)}</label>"
            for v in values
        )

    fields = [
        ("Platforms (comma-separated, empty for all)",
         f'<input name="platforms" value="{escape(", ".join(prefs["platforms"]))}" size="40">'),
        ("Categories (none ticked: all)", boxes("categories", categories, prefs["categories"])),
        ("Severities (none ticked: all)", boxes("severities", SEVERITIES, prefs["severities"])),
        ("Day", options("weekday", WEEKDAYS, prefs["weekday"])),
        ("Hour (0-23)",
         f'<input name="hour" type="number" min="0" max="23" value="{prefs["hour"]}">'),
        ("Time zone", f'<input name="tz" value="{escape(prefs["tz"])}">'),
        ("Language", options("lang", ("en", "ar"), prefs["lang"])),
        ("When nothing changed", options("empty_week", ("note", "skip"), prefs["empty_week"])),
        ("Weekly briefing", options("weekly", ("yes", "no"), "yes" if prefs["weekly"] else "no")),
        ("Alerts", boxes("alerts", ("emerging",), prefs["alerts"])),
        ("Alert regions (comma-separated country codes, empty for all)",
         f'<input name="regions" value="{escape(", ".join(prefs["regions"]))}" size="20">'),
    ]  # fmt: skip
    rows = "".join(f"<p><b>{escape(label)}</b><br>{control}</p>" for label, control in fields)
    form = f'<form method="post">{rows}<button type="submit">Save</button></form>'
    return _page("Your briefing", f"Preferences of {prefs['email']}.", form=form)
