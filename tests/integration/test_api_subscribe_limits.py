"""Limits on `POST /subscriptions` (issue 13, items 5, 10 and 12), on a real SQLite store.

- A pending address gets at most one confirmation mail an hour: 300 requests for one address
  mailed it 300 times. A repeat within the hour answers the same 202 and mails nothing.
- One client (API Gateway's source IP) may ask so many times an hour; then 429 with
  Retry-After, counted in the store (with a TTL), so every Lambda container shares the count.
- Known and unknown addresses take the same time to answer (the work that differs is evened
  out); `tests/bench/bench_subscribe_timing.py` measures it.
- `weekly: false` with no alerts asks for nothing: a 400 that says so, not "on its way".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from radar.api.app import ApiDeps, build_app
from radar.api.resolver import Resolver
from radar.api.subscriptions import subscriptions_router
from radar.classify import load_default_rules
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.limits import CLIENT_REQUESTS
from radar.subscriptions.model import SubscriptionStatus
from radar.subscriptions.timing import EvenTiming
from tests.integration.test_api_subscriptions import ADMIN, SECRET, Outbox
from tests.unit.test_api import EVENT, Ctx

NOW = datetime(2026, 11, 20, 12, 10, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "radar.sqlite3") as s:
        yield s


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def app(store: SqliteStore, outbox: Outbox, clock: Clock) -> Any:
    settings = load_settings(
        secret_key=SECRET, base_url="https://radar.example.com", admin_api_key=ADMIN
    )
    deps = ApiDeps(
        store,
        load_default_rules(),
        clock=clock,
        subscriptions=store,
        settings=settings,
        mailer=outbox,
    )
    return build_app(deps)


def post(app: Any, body: dict[str, Any], ip: str = "198.51.100.7") -> Any:
    """POST /subscriptions as API Gateway hands it over, from the client at `ip`."""
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/subscriptions"
    event["requestContext"]["http"]["method"] = "POST"
    event["requestContext"]["http"]["sourceIp"] = ip
    event["rawQueryString"], event["queryStringParameters"] = "", None
    event["headers"] = {**event["headers"], "content-type": "application/json"}
    event["body"] = json.dumps(body)
    return app.resolve(event, Ctx())


def ask(app: Any, email: str = "team@example.com", ip: str = "198.51.100.7", **body: Any) -> Any:
    return post(app, {"email": email, **body}, ip)


# --- one confirmation mail an hour per pending address --------------------------------------


def test_api_subscribe_repeat_within_the_hour_mails_nothing(
    app: Any, outbox: Outbox, clock: Clock
) -> None:
    answers = [ask(app) for _ in range(5)]
    assert {a["statusCode"] for a in answers} == {202}
    assert len({a["body"] for a in answers}) == 1  # the same answer every time
    assert len(outbox.sent) == 1  # was 5
    clock.now = NOW + timedelta(minutes=59)
    ask(app, ip="198.51.100.8")
    assert len(outbox.sent) == 1
    clock.now = NOW + timedelta(hours=1)
    assert ask(app, ip="198.51.100.9")["statusCode"] == 202
    assert len(outbox.sent) == 2  # an hour on, the address may be sent a new link


def test_api_subscribe_records_when_the_confirmation_went(app: Any, store: SqliteStore) -> None:
    ask(app)
    sub = store.find_subscription("team@example.com")
    assert sub is not None and sub.status is SubscriptionStatus.PENDING
    assert sub.confirmation_sent_at == NOW


def test_api_subscribe_failed_mail_does_not_hold_the_address(
    app: Any, outbox: Outbox, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.errors import MailError

    def refuse(message: Any) -> str:
        raise MailError("SES refused")

    monkeypatch.setattr(outbox, "send", refuse)
    assert ask(app)["statusCode"] == 503
    monkeypatch.undo()
    assert ask(app, ip="198.51.100.8")["statusCode"] == 202
    assert len(outbox.sent) == 1  # the retry is mailed: no mail went out the first time


# --- per client -----------------------------------------------------------------------------


def test_api_subscribe_too_many_from_one_client_is_429(
    app: Any, outbox: Outbox, clock: Clock
) -> None:
    for k in range(CLIENT_REQUESTS):
        assert ask(app, f"a{k}@example.com")["statusCode"] == 202
    refused = ask(app, "one-more@example.com")
    assert refused["statusCode"] == 429
    # The window is the clock hour: 12:10 waits until 13:00.
    assert refused["headers"]["Retry-After"] == str(50 * 60)
    assert "too many" in json.loads(refused["body"])["message"]
    assert len(outbox.sent) == CLIENT_REQUESTS
    assert ask(app, "other@example.com", ip="203.0.113.5")["statusCode"] == 202
    clock.now = NOW + timedelta(hours=1)
    assert ask(app, "one-more@example.com")["statusCode"] == 202


def test_api_subscribe_client_counts_are_not_raw_addresses(app: Any, store: SqliteStore) -> None:
    ask(app)
    with store._locked("test") as conn:
        (key,) = conn.execute("SELECT key FROM rate_hits").fetchone()
    assert key.startswith("client:") and "198.51.100.7" not in key


# --- asks for nothing -----------------------------------------------------------------------


def test_api_subscribe_to_nothing_is_400(app: Any, outbox: Outbox, store: SqliteStore) -> None:
    result = ask(app, weekly=False)
    assert result["statusCode"] == 400  # was 202 "a confirmation link is on its way"
    message = json.loads(result["body"])["message"]
    assert message == "a subscription needs the weekly briefing, alerts, or both"
    assert outbox.sent == [] and store.find_subscription("team@example.com") is None


# --- the same time for every address --------------------------------------------------------


class FakeTime:
    """Monotonic time that only moves when slept, or when `spend` says work took time."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_api_subscribe_known_and_unknown_answer_at_the_same_time(
    store: SqliteStore, outbox: Outbox
) -> None:
    time = FakeTime()
    mail_takes = {"seconds": 0.08}

    class SlowOutbox(Outbox):
        def send(self, message: Any) -> str:
            time.now += mail_takes["seconds"]  # a mail send takes 80 ms
            return super().send(message)

    settings = load_settings(secret_key=SECRET, base_url="https://radar.example.com")
    app = Resolver(enable_validation=True)
    even = EvenTiming(start=0.25, jitter=0.0, monotonic=time.monotonic, sleep=time.sleep)
    app.include_router(
        subscriptions_router(
            store=store,
            settings=settings,
            mailer=SlowOutbox(),
            categories=set(),
            clock=lambda: NOW,
            even=even,
        )
    )
    took = []
    for email in ("new@example.com", "new@example.com", "other@example.com"):
        start = time.now
        assert ask(app, email)["statusCode"] == 202
        took.append(round(time.now - start, 6))
    # Mailed, pending (nothing mailed), mailed: each answered after the same 0.25 s.
    assert took == [0.25, 0.25, 0.25]
