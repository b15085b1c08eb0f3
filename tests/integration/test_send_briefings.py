"""The `send_briefings` and `ses_feedback` Lambdas on moto: DynamoDB, SES v2, SNS events.

The sent MIME is read back from moto's SES backend and parsed, as a mail client would.
"""

from __future__ import annotations

import email
import email.policy
import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from icalendar import Calendar
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from radar.model import Snapshot
from radar.settings import load_settings
from radar.store.dynamodb import DynamoDbStore
from radar.subscriptions.model import SubscriptionStatus
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe
from tests.integration.conftest import REGION
from tests.support.briefings import change
from tests.unit.test_feedback import COMPLAINT, PERMANENT_BOUNCE, sns_event

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
SENDER = "radar@example.com"
SECRET = "integration-secret-long-enough"


class NullMailer:
    """Swallows the confirmation mail (the test is about briefings)."""

    def send(self, message: EmailMessage) -> str:
        return "confirmation"


class Ctx:
    function_name = "test"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 600_000  # a whole invocation ahead


def load_handler(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"{name}_under_test", FUNCTIONS / name / "handler.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def env(dynamodb_client: Any, table_name: str, monkeypatch: pytest.MonkeyPatch) -> DynamoDbStore:
    monkeypatch.setenv("RADAR_STORE", "dynamodb")
    monkeypatch.setenv("RADAR_TABLE_NAME", table_name)
    monkeypatch.setenv("RADAR_MAIL_BACKEND", "ses")
    monkeypatch.setenv("RADAR_SENDER", f"Platform Radar <{SENDER}>")
    monkeypatch.setenv("RADAR_SECRET_KEY", SECRET)
    monkeypatch.setenv("RADAR_BASE_URL", "https://radar.example.com")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Radar")
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    return DynamoDbStore(table_name, client=dynamodb_client)


@pytest.fixture
def send_handler(env: DynamoDbStore) -> Iterator[ModuleType]:
    module = load_handler("send_briefings")
    yield module
    module.build_deps.cache_clear()


@pytest.fixture
def feedback_handler(env: DynamoDbStore) -> Iterator[ModuleType]:
    module = load_handler("ses_feedback")
    yield module
    module.build_deps.cache_clear()


def sent_messages() -> list[EmailMessage]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    found = []
    for raw in backend.sent_messages:
        parsed = email.message_from_string(raw.raw_data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def due_subscriber(store: DynamoDbStore, address: str = "team@example.com") -> str:
    """A confirmed Asia/Riyadh subscriber whose briefing was due an hour ago."""
    settings = load_settings()
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo("Asia/Riyadh")) - timedelta(hours=1)
    request = SubscribeRequest(
        email=address,
        platforms=frozenset({"instagram", "tiktok"}),
        weekday=local.weekday(),
        hour=local.hour,
        tz="Asia/Riyadh",
        lang="ar",
    )
    sub, token = subscribe(store, NullMailer(), now - timedelta(days=10), settings, request)
    confirm(store, token, now - timedelta(days=10), settings)
    active = store.get_subscription(sub.id)
    assert active is not None and active.next_due is not None
    # Make it due an hour ago, as if the schedule came round.
    assert store.advance_due(sub.id, active.next_due, now - timedelta(hours=1))
    store.save(
        Snapshot("ig"),
        [
            change(
                "dep",
                detected_at=now - timedelta(days=2),
                severity="action",
                category="deprecation",
                deadline=(now + timedelta(days=40)).date(),
                deadline_text="in forty days",
            ),
            change("feat", detected_at=now - timedelta(days=1)),
        ],
    )
    return sub.id


def test_send_briefings_handler_sends_parsable_mime(
    send_handler: ModuleType, env: DynamoDbStore
) -> None:
    due_subscriber(env)
    result = send_handler.lambda_handler({}, Ctx())
    assert (result["due"], result["sent"]) == (1, 1)
    (message,) = sent_messages()
    assert message["To"] == "team@example.com"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://radar.example.com/subscriptions/")
    assert "إجراء واحد" in message["Subject"]
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    assert 'dir="rtl"' in html.get_content() and "Change dep" in text.get_content()
    (ics,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    events = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["dep@platform-radar"]


def test_send_briefings_handler_twice_sends_once(
    send_handler: ModuleType, env: DynamoDbStore
) -> None:
    sid = due_subscriber(env)
    first = send_handler.lambda_handler({}, Ctx())
    second = send_handler.lambda_handler({}, Ctx())
    assert (first["sent"], second["sent"], second["due"]) == (1, 0, 0)
    assert len(sent_messages()) == 1
    sub = env.get_subscription(sid)
    assert sub is not None and sub.next_due is not None
    assert sub.next_due > datetime.now(UTC) + timedelta(days=6)


def test_send_briefings_handler_nothing_due(send_handler: ModuleType) -> None:
    assert send_handler.lambda_handler({}, Ctx())["due"] == 0
    assert sent_messages() == []


def test_ses_feedback_handler_suppresses_bounce_and_complaint(
    feedback_handler: ModuleType, send_handler: ModuleType, env: DynamoDbStore
) -> None:
    sid = due_subscriber(env, "jane@example.com")
    event = sns_event(PERMANENT_BOUNCE, COMPLAINT)
    assert feedback_handler.lambda_handler(event, Ctx()) == {"suppressed": 3, "rejected": 0}
    sub = env.get_subscription(sid)
    assert sub is not None and sub.status is SubscriptionStatus.SUPPRESSED
    assert send_handler.lambda_handler({}, Ctx())["sent"] == 0
    assert sent_messages() == []


def test_ses_feedback_handler_counts_malformed(feedback_handler: ModuleType) -> None:
    event = {"Records": [{"Sns": {"Message": "not json"}}, {"nope": 1}]}
    assert feedback_handler.lambda_handler(event, Ctx()) == {"suppressed": 0, "rejected": 2}
