"""The subscriber's routes: subscribe (double opt-in), confirm, manage, one-click unsubscribe,
and the online copy of a briefing.

Who may do what: anyone may ask to subscribe an address, but nothing is sent to it except the
confirmation mail until its owner clicks the link, and that at most once an hour; one client
may ask only so often (radar.subscriptions.limits: 429 with Retry-After). Everything else needs
the signed token from that subscriber's own mail. Answers never tell whether an address is
subscribed (no enumeration), neither by what they say nor by how long they take
(radar.subscriptions.timing). Links that change state are POST: mail scanners open GET links
by themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    NotFoundError,
    ServiceError,
    UnauthorizedError,
)
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import ValidationError

from radar.api.pages import manage_page, online_copy, page
from radar.api.preferences import (
    Preferences,
    SubscribeBody,
    checked_names,
    preferences_json,
    save_preferences,
)
from radar.errors import ConfigError, InvalidToken, MailError, SubscriptionError
from radar.mail.ports import Mailer
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.subscriptions.limits import client_key, client_wait
from radar.subscriptions.model import WEEKDAYS, EmptyWeek, Subscription, is_alert_period
from radar.subscriptions.timing import EvenTiming
from radar.subscriptions.tokens import Purpose, read_token, secret_from, verify_token
from radar.subscriptions.usecases import (
    SubscribeRequest,
    confirm,
    new_subscription,
    subscribe,
    unsubscribe,
)
from radar.text import comma_set

Token = Annotated[str, Query(min_length=20, max_length=600, description="Signed link token")]

_SINGLE_FIELDS = ("weekday", "hour", "tz", "lang", "empty_week")
ACCEPTED = {
    "status": "accepted",
    "message": "If this address can receive briefings, a confirmation link is on its way.",
}


def subscriptions_router(
    *,
    store: BriefingStore,
    settings: Settings,
    mailer: Mailer | None,
    categories: set[str],
    clock: Callable[[], datetime],
    even: EvenTiming | None = None,
) -> APIGatewayHttpRouter:
    """The subscriber's routes, bound to a store, the signing settings and a mailer.

    `even`: pads subscription answers to one duration (a default EvenTiming if None).
    """
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]
    timing = even or EvenTiming()

    @router.post("/subscriptions", summary="Ask for weekly briefings (a confirmation mail follows)")
    def create_subscription(body: SubscribeBody) -> Response[dict[str, Any]]:
        began = timing.monotonic()
        body = checked_names(body, categories, settings.catalog)
        if mailer is None:
            raise ServiceError(503, "subscriptions are not set up on this server")
        request = _subscribe_request(body)
        try:
            new_subscription(request)
        except SubscriptionError as exc:  # the request (it asks for nothing), whoever it names
            raise BadRequestError(str(exc)) from None
        wait = _client_wait()
        if wait is not None:
            return Response(
                429,
                "application/json",
                {
                    "statusCode": 429,
                    "message": f"too many subscription requests; try again in {wait} s",
                },
                headers={"Retry-After": str(wait)},
            )
        full = False
        try:
            subscribe(store, mailer, clock(), settings, request)
            full = True
        except SubscriptionError:
            pass  # subscribed, suppressed or mailed lately: the same answer, addresses stay private
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        except MailError:
            raise ServiceError(503, "the confirmation mail could not be sent; try later") from None
        finally:
            timing.finish(began, full=full)
        return Response(202, "application/json", ACCEPTED)

    def _client_wait() -> int | None:
        """Seconds this client must wait (None: go ahead), counting this request."""
        http = router.current_event.request_context.http
        try:
            key = client_key(secret_from(settings), http.source_ip or "unknown")
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        return client_wait(store, key, clock())

    @router.get("/subscriptions/confirm", summary="Confirm a subscription (link in the mail)")
    def confirm_page(token: Token) -> Response[str]:
        _claims(token)
        return page(
            "Confirm your subscription",
            "Press the button to start receiving Platform Radar briefings.",
            action="Confirm",
        )

    @router.post("/subscriptions/confirm", summary="Confirm a subscription")
    def confirm_subscription(token: Token) -> Response[str]:
        sub = _guard(lambda: confirm(store, token, clock(), settings))
        return page("Subscribed", f"{sub.email} will receive briefings. Welcome.")

    @router.get("/subscriptions/unsubscribe", summary="The unsubscribe page (link in every mail)")
    def unsubscribe_page(token: Token) -> Response[str]:
        _claims(token)
        return page(
            "Unsubscribe",
            "Press the button to stop receiving Platform Radar mail.",
            action="Unsubscribe",
        )

    @router.post(
        "/subscriptions/unsubscribe",
        summary="Unsubscribe (also the RFC 8058 one-click target of List-Unsubscribe-Post)",
    )
    def unsubscribe_now(token: Token) -> Response[str]:
        sub = _guard(lambda: unsubscribe(store, token, clock(), settings))
        return page("Unsubscribed", f"{sub.email} will not receive Platform Radar mail again.")

    @router.get("/subscriptions/manage", summary="A subscriber's preferences (manage link)")
    def get_preferences(token: Token) -> Response[Any]:
        prefs = preferences_json(_subscriber(token))
        if "text/html" in (router.current_event.headers.get("accept") or ""):
            return manage_page(prefs, sorted(categories))  # the link, opened in a browser
        return Response(200, "application/json", prefs)

    @router.post("/subscriptions/manage", summary="Change preferences from the manage page's form")
    def update_from_form(token: Token) -> Response[str]:
        form = parse_qs(router.current_event.decoded_body or "", max_num_fields=100)
        try:
            prefs = _form_preferences(form)
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(p) for p in problem["loc"])
            return page("Not saved", f"{field}: {problem['msg']}", status=422)
        try:
            prefs = checked_names(prefs, categories, settings.catalog)
            save_preferences(store, _subscriber(token), prefs, clock())
        except BadRequestError as exc:
            return page("Not saved", str(exc.msg), status=422)
        return page("Saved", "Your preferences are saved.")

    @router.patch("/subscriptions/manage", summary="Change a subscriber's preferences")
    def update_preferences(token: Token, body: Preferences) -> dict[str, Any]:
        body = checked_names(body, categories, settings.catalog)
        return preferences_json(save_preferences(store, _subscriber(token), body, clock()))

    @router.get("/briefings/<period>", summary="The online copy of a briefing (link in the mail)")
    def archived_briefing(period: str, token: Token) -> Response[str]:
        sub = _subscriber(token)
        delivery = None if is_alert_period(period) else store.get_delivery(sub.id, period)
        if delivery is None:
            raise NotFoundError("no briefing for that week")
        # The briefing stack (templates, calendar, CSS inliner) only for the pages that show one.
        from radar.briefings.send import compose_briefing
        from radar.render.briefing import render_briefing

        try:
            briefing = compose_briefing(
                store, sub, settings, period, delivery.since, delivery.until, signed=True
            )
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        # Online there is no mail client to clip it: the whole briefing.
        return online_copy(render_briefing(briefing, max_html_bytes=10 * 1024 * 1024).html)

    def _subscriber(token: str) -> Subscription:
        """The subscription a manage token was signed for."""
        claims = _claims(token)
        sub = store.get_subscription(claims.subscription_id)
        try:
            if sub is None:
                raise InvalidToken("this link is for a subscription that no longer exists")
            verify_token(secret_from(settings), token, Purpose.MANAGE, sub.id, sub.email)
        except InvalidToken as exc:
            raise UnauthorizedError(str(exc)) from None
        except ConfigError as exc:
            raise ServiceError(503, str(exc)) from None
        return sub

    return router


def _subscribe_request(body: SubscribeBody) -> SubscribeRequest:
    return SubscribeRequest(
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


def _form_preferences(form: dict[str, list[str]]) -> Preferences:
    """The manage page's form fields as preferences (ValidationError when one is wrong)."""
    return Preferences.model_validate(
        {
            "platforms": sorted(comma_set(form.get("platforms", [""])[0])),
            "categories": form.get("categories", []),
            "severities": form.get("severities", []),
            "alerts": form.get("alerts", []),
            "regions": [r.strip() for r in form.get("regions", [""])[0].split(",") if r.strip()],
            "weekly": form.get("weekly", ["yes"])[0] == "yes",
            **{k: v[0] for k, v in form.items() if k in _SINGLE_FIELDS and v},
        }
    )


def _claims(token: str) -> Any:
    try:
        return read_token(token)
    except InvalidToken as exc:
        raise UnauthorizedError(str(exc)) from None


def _guard(action: Callable[[], Subscription]) -> Subscription:
    try:
        return action()
    except InvalidToken as exc:
        raise UnauthorizedError(str(exc)) from None
    except ConfigError as exc:
        raise ServiceError(503, str(exc)) from None
