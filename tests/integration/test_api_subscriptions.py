"""Subscription routes through the resolver with API Gateway v2 events, on a real SQLite store."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from radar.api.app import ApiDeps, build_app
from radar.classify import load_default_rules
from radar.errors import ConfigError
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.model import Delivery, DeliveryStatus, SubscriptionStatus
from radar.subscriptions.tokens import Purpose, make_token
from tests.support.briefings import record_sent
from tests.unit.test_api import EVENT, Ctx

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
SECRET = "a-test-secret-that-is-long-enough-0123456789"
ADMIN = "admin-key-for-tests-0123456789"


class Outbox:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return f"m{len(self.sent)}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "radar.sqlite3") as s:
        yield s


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def app(store: SqliteStore, outbox: Outbox) -> Any:
    settings = load_settings(
        secret_key=SECRET, base_url="https://radar.example.com", admin_api_key=ADMIN
    )
    deps = ApiDeps(
        store,
        load_default_rules(),
        clock=lambda: NOW,
        subscriptions=store,
        settings=settings,
        mailer=outbox,
    )
    return build_app(deps)


def call(
    app: Any,
    method: str,
    path: str,
    *,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw_body: str | None = None,
) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["rawQueryString"] = urlencode(query or {})
    event["queryStringParameters"] = query or None
    event["headers"] = {**event["headers"], **(headers or {})}
    if body is not None:
        event["body"] = json.dumps(body)
        event["headers"]["content-type"] = "application/json"
    if raw_body is not None:
        event["body"] = raw_body
    result: dict[str, Any] = app.resolve(event, Ctx())
    return result


def confirm_token(message: EmailMessage) -> str:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    url = next(w for w in text.split() if "/subscriptions/confirm?" in w)
    return parse_qs(urlsplit(url.strip("<>()")).query)["token"][0]


def active_token(app: Any, outbox: Outbox, store: SqliteStore, purpose: Purpose) -> str:
    """Subscribe and confirm team@example.com; a token of `purpose` as its mail would carry."""
    token = subscribe(app, outbox)
    call(app, "POST", "/subscriptions/confirm", query={"token": token})
    sub = store.find_subscription("team@example.com")
    assert sub is not None
    return make_token(SECRET.encode(), purpose, sub.id, sub.email)


def subscribe(app: Any, outbox: Outbox, email: str = "team@example.com") -> str:
    result = call(
        app,
        "POST",
        "/subscriptions",
        body={"email": email, "platforms": ["instagram"], "weekday": "mon", "tz": "Asia/Riyadh"},
    )
    assert result["statusCode"] == 202, result["body"]
    return confirm_token(outbox.sent[-1])


def test_api_subscribe_sends_one_confirmation_and_nothing_else(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    subscribe(app, outbox)
    assert len(outbox.sent) == 1
    sub = store.find_subscription("team@example.com")
    assert sub is not None and sub.status is SubscriptionStatus.PENDING


def test_api_confirm_get_only_shows_a_button(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    token = subscribe(app, outbox)
    page = call(app, "GET", "/subscriptions/confirm", query={"token": token})
    assert page["statusCode"] == 200 and '<form method="post">' in page["body"]
    sub = store.find_subscription("team@example.com")
    assert sub is not None and sub.status is SubscriptionStatus.PENDING  # scanners click GETs


def test_api_confirm_post_activates(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    token = subscribe(app, outbox)
    assert call(app, "POST", "/subscriptions/confirm", query={"token": token})["statusCode"] == 200
    sub = store.find_subscription("team@example.com")
    assert sub is not None and sub.status is SubscriptionStatus.ACTIVE


def test_api_subscribe_answers_the_same_for_an_active_address(app: Any, outbox: Outbox) -> None:
    token = subscribe(app, outbox)
    call(app, "POST", "/subscriptions/confirm", query={"token": token})
    again = call(app, "POST", "/subscriptions", body={"email": "team@example.com"})
    fresh = call(app, "POST", "/subscriptions", body={"email": "new@example.com"})
    assert again["statusCode"] == fresh["statusCode"] == 202
    assert again["body"] == fresh["body"]  # nothing tells whether an address is subscribed


def test_api_subscribe_rejects_a_bad_time_zone_naming_the_field(app: Any) -> None:
    result = call(app, "POST", "/subscriptions", body={"email": "a@example.com", "tz": "Mars/Base"})
    assert result["statusCode"] == 422 and "tz" in result["body"]


@pytest.mark.parametrize("tz", ["America", "Asia", "Europe"])
def test_api_subscribe_rejects_a_zone_folder_naming_the_field(app: Any, tz: str) -> None:
    # ZoneInfo("America") raises IsADirectoryError: it was a 500.
    result = call(app, "POST", "/subscriptions", body={"email": "a@example.com", "tz": tz})
    assert result["statusCode"] == 422
    assert "tz: Value error, unknown time zone" in json.loads(result["body"])["message"]


def test_api_manage_rejects_a_zone_folder_before_the_token(app: Any) -> None:
    query = {"token": "x" * 40}
    patch = call(app, "PATCH", "/subscriptions/manage", query=query, body={"tz": "America"})
    form = call(app, "POST", "/subscriptions/manage", query=query, raw_body="tz=Europe")
    assert patch["statusCode"] == 422 and "tz" in patch["body"]
    assert form["statusCode"] == 422 and "unknown time zone" in form["body"]


def test_api_admin_key_with_non_ascii_characters_is_401(app: Any) -> None:
    headers = {"x-radar-admin-key": "clé-ünïcode-☃"}  # hmac.compare_digest: TypeError, a 500
    query = {"email": "team@example.com"}
    result = call(app, "GET", "/admin/subscriptions", query=query, headers=headers)
    assert result["statusCode"] == 401 and "admin key" in result["body"]


def test_api_deeply_nested_json_body_is_422(app: Any) -> None:
    nested = '{"a":' * 10_000 + "1" + "}" * 10_000  # json.loads: RecursionError, a 500
    result = call(
        app,
        "POST",
        "/subscriptions",
        raw_body=nested,
        headers={"content-type": "application/json"},
    )
    assert result["statusCode"] == 422
    assert "nested deeper than 32 levels" in json.loads(result["body"])["message"]


def test_api_subscribe_rejects_unknown_fields(app: Any) -> None:
    body = {"email": "a@example.com", "admin": True}
    result = call(app, "POST", "/subscriptions", body=body)
    assert result["statusCode"] == 422 and "admin" in result["body"]


def test_api_one_click_unsubscribe_post(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    unsub = active_token(app, outbox, store, Purpose.UNSUBSCRIBE)
    result = call(
        app,
        "POST",
        "/subscriptions/unsubscribe",
        query={"token": unsub},
        headers={"content-type": "application/x-www-form-urlencoded"},
        raw_body="List-Unsubscribe=One-Click",  # RFC 8058
    )
    assert result["statusCode"] == 200
    done = store.find_subscription("team@example.com")
    assert done is not None and done.status is SubscriptionStatus.UNSUBSCRIBED


def test_api_token_for_another_purpose_is_refused(app: Any, outbox: Outbox) -> None:
    token = subscribe(app, outbox)  # a confirm token cannot manage
    result = call(app, "GET", "/subscriptions/manage", query={"token": token})
    assert result["statusCode"] == 401


def test_api_tampered_token_is_refused(app: Any, outbox: Outbox) -> None:
    token = subscribe(app, outbox)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    result = call(app, "POST", "/subscriptions/confirm", query={"token": forged})
    assert result["statusCode"] == 401


def test_api_manage_updates_preferences(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    result = call(
        app,
        "PATCH",
        "/subscriptions/manage",
        query={"token": manage},
        body={"platforms": ["tiktok", "threads"], "weekday": "fri", "hour": 9, "lang": "ar"},
    )
    assert result["statusCode"] == 200, result["body"]
    prefs = json.loads(result["body"])
    assert (prefs["platforms"], prefs["weekday"], prefs["hour"], prefs["lang"]) == (
        ["threads", "tiktok"],
        "fri",
        9,
        "ar",
    )
    assert prefs["next_due"].startswith("2026-11-27T06:00")  # Friday 09:00 in Riyadh


def test_api_admin_routes_need_the_key(app: Any, outbox: Outbox) -> None:
    subscribe(app, outbox)
    query = {"email": "team@example.com"}
    assert call(app, "GET", "/admin/subscriptions", query=query)["statusCode"] == 401
    wrong = {"x-radar-admin-key": "nope"}
    assert call(app, "GET", "/admin/subscriptions", query=query, headers=wrong)["statusCode"] == 401
    right = {"x-radar-admin-key": ADMIN}
    found = call(app, "GET", "/admin/subscriptions", query=query, headers=right)
    assert found["statusCode"] == 200 and json.loads(found["body"])["email"] == "team@example.com"


def test_api_online_briefing_needs_its_manage_token(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    sub = store.find_subscription("team@example.com")
    assert sub is not None
    claim = Delivery(sub.id, "2026-W47", DeliveryStatus.PENDING, "c1", NOW, NOW - timedelta(7), NOW)
    assert store.claim_delivery(claim, timedelta(minutes=15)) is not None
    page = call(app, "GET", "/briefings/2026-W47", query={"token": manage})
    assert page["statusCode"] == 200 and "<html" in page["body"]
    missing = call(app, "GET", "/briefings/2026-W01", query={"token": manage})
    assert missing["statusCode"] == 404
    unsubscribe_only = make_token(SECRET.encode(), Purpose.UNSUBSCRIBE, sub.id, sub.email)
    other = call(app, "GET", "/briefings/2026-W47", query={"token": unsubscribe_only})
    assert other["statusCode"] == 401


def test_api_manage_link_in_a_browser_is_a_form(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    page = call(
        app, "GET", "/subscriptions/manage", query={"token": manage},
        headers={"accept": "text/html,application/xhtml+xml"},
    )  # fmt: skip
    assert page["statusCode"] == 200
    assert '<form method="post">' in page["body"] and 'value="instagram"' in page["body"]


def test_api_manage_form_post_saves(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    form = "platforms=TikTok%2C+threads&severities=action&weekday=wed&hour=7&tz=UTC&lang=en"
    saved = call(app, "POST", "/subscriptions/manage", query={"token": manage}, raw_body=form)
    assert saved["statusCode"] == 200, saved["body"]
    sub = store.find_subscription("team@example.com")
    assert sub is not None
    assert (sub.platforms, sub.severities, sub.weekday, sub.hour) == (
        frozenset({"tiktok", "threads"}),
        frozenset({"action"}),
        2,
        7,
    )


def test_api_manage_form_bad_hour_is_not_saved(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    bad = call(app, "POST", "/subscriptions/manage", query={"token": manage}, raw_body="hour=25")
    assert bad["statusCode"] == 422 and "hour" in bad["body"]
    sub = store.find_subscription("team@example.com")
    assert sub is not None and sub.hour == 8


def test_api_subscribe_to_alerts_only(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    body = {"email": "strategy@example.com", "weekly": False, "alerts": ["emerging"],
            "regions": ["in"]}  # fmt: skip
    assert call(app, "POST", "/subscriptions", body=body)["statusCode"] == 202
    sub = store.find_subscription("strategy@example.com")
    assert sub is not None
    assert (sub.weekly, sub.alerts, sub.regions) == (False, frozenset({"emerging"}), {"IN"})


def test_api_manage_cannot_turn_everything_off(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    result = call(
        app, "PATCH", "/subscriptions/manage", query={"token": manage}, body={"weekly": False}
    )
    assert result["statusCode"] == 400 and "weekly briefing, alerts, or both" in result["body"]


def test_api_online_copy_is_only_for_weekly_briefings(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    page = call(app, "GET", "/briefings/alert:noplace:1", query={"token": manage})
    assert page["statusCode"] == 404


def test_api_admin_lists_sent_mail_with_online_copies(
    app: Any, outbox: Outbox, store: SqliteStore
) -> None:
    manage = active_token(app, outbox, store, Purpose.MANAGE)
    sub = store.find_subscription("team@example.com")
    assert sub is not None
    for period in ("2026-W46", "alert:noplace:1"):
        record_sent(store, sub.id, period, NOW)
    right = {"x-radar-admin-key": ADMIN}
    assert call(app, "GET", "/admin/deliveries")["statusCode"] == 401
    items = json.loads(call(app, "GET", "/admin/deliveries", headers=right)["body"])["items"]
    by_kind = {i["kind"]: i for i in items}
    assert set(by_kind) == {"briefing", "alert"}
    assert by_kind["alert"]["online"] is None
    online = urlsplit(by_kind["briefing"]["online"])
    token = parse_qs(online.query)["token"][0]
    assert token == manage  # the subscriber's own manage link
    assert call(app, "GET", online.path, query={"token": token})["statusCode"] == 200


def test_api_subscribe_without_base_url_sends_nothing(store: SqliteStore, outbox: Outbox) -> None:
    settings = load_settings(secret_key=SECRET)  # RADAR_BASE_URL unset
    app = build_app(
        ApiDeps(
            store,
            load_default_rules(),
            clock=lambda: NOW,
            subscriptions=store,
            settings=settings,
            mailer=outbox,
        )
    )
    # The Host and X-Forwarded-Proto headers used to become the links of the mail.
    forged = {"host": "evil.example", "x-forwarded-proto": "javascript:alert(1)//"}
    event_body = {"email": "team@example.com", "tz": "UTC"}
    result = call(app, "POST", "/subscriptions", body=event_body, headers=forged)
    assert result["statusCode"] == 503 and "RADAR_BASE_URL" in result["body"]
    assert outbox.sent == [] and store.find_subscription("team@example.com") is None


def test_api_links_come_from_base_url_never_from_headers(app: Any, outbox: Outbox) -> None:
    forged = {"host": "evil.example", "x-forwarded-proto": "javascript:alert(1)//"}
    body = {"email": "team@example.com", "tz": "UTC"}
    assert call(app, "POST", "/subscriptions", body=body, headers=forged)["statusCode"] == 202
    text = outbox.sent[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "https://radar.example.com/subscriptions/confirm?" in text
    assert "evil.example" not in text and "javascript:" not in text


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)//", "data:text/html,x", "ftp://radar.example.com", "https://", "//x.y"],
)
def test_settings_refuse_a_base_url_that_is_not_http(url: str) -> None:
    with pytest.raises(ConfigError, match="RADAR_BASE_URL"):
        load_settings(base_url=url)
