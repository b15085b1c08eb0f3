"""SES bounce and complaint notifications (shapes from the SES developer guide)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from radar.store.sqlite import SqliteStore
from radar.subscriptions.feedback import apply_feedback, parse_notification, parse_sns_event

PERMANENT_BOUNCE = {
    "notificationType": "Bounce",
    "bounce": {
        "bounceType": "Permanent",
        "bounceSubType": "General",
        "bouncedRecipients": [
            {
                "emailAddress": "Jane@Example.com",
                "status": "5.1.1",
                "action": "failed",
                "diagnosticCode": "smtp; 550 5.1.1 user unknown",
            },
            {"emailAddress": "Richard Roe <richard@example.com>"},
        ],
        "timestamp": "2016-01-27T14:59:38.237Z",
        "feedbackId": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
    },
    "mail": {"timestamp": "2016-01-27T14:59:38.237Z", "source": "radar@example.com"},
}
TRANSIENT_BOUNCE = {
    "notificationType": "Bounce",
    "bounce": {
        "bounceType": "Transient",
        "bounceSubType": "MailboxFull",
        "bouncedRecipients": [{"emailAddress": "full@example.com"}],
    },
    "mail": {},
}
COMPLAINT = {
    "notificationType": "Complaint",
    "complaint": {
        "userAgent": "AnyCompany Feedback Loop (V0.01)",
        "complainedRecipients": [{"emailAddress": "angry@example.com"}],
        "complaintFeedbackType": "abuse",
        "timestamp": "2016-01-27T14:59:38.237Z",
        "feedbackId": "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000",
    },
    "mail": {},
}
NOW = datetime(2026, 11, 16, tzinfo=UTC)


def sns_event(*messages: dict[str, object]) -> dict[str, object]:
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "Sns": {"Type": "Notification", "Message": json.dumps(m)},
            }
            for m in messages
        ]
    }


def test_feedback_permanent_bounce_suppresses_every_recipient() -> None:
    fb = parse_notification(json.dumps(PERMANENT_BOUNCE))
    assert fb.suppress and fb.reason == "bounce: Permanent/General"
    assert fb.addresses == ("jane@example.com", "richard@example.com")


def test_feedback_transient_bounce_does_not_suppress() -> None:
    assert not parse_notification(TRANSIENT_BOUNCE).suppress


def test_feedback_complaint_suppresses() -> None:
    fb = parse_notification(COMPLAINT)
    assert (fb.kind, fb.addresses, fb.suppress) == ("complaint", ("angry@example.com",), True)


def test_feedback_event_publishing_shape_is_understood() -> None:
    event_style = {k: v for k, v in COMPLAINT.items() if k != "notificationType"}
    assert parse_notification({**event_style, "eventType": "Complaint"}).suppress


@pytest.mark.parametrize("junk", ["not json", "[]", '{"notificationType": "Other"}'])
def test_feedback_malformed_is_value_error(junk: str) -> None:
    with pytest.raises(ValueError, match="SES"):
        parse_notification(junk)


def test_feedback_apply_suppresses_addresses_in_store() -> None:
    with SqliteStore(":memory:") as store:
        feedback = parse_sns_event(sns_event(PERMANENT_BOUNCE, TRANSIENT_BOUNCE, COMPLAINT))
        assert apply_feedback(store, feedback, NOW) == 3
        assert store.is_suppressed("jane@example.com")
        assert store.is_suppressed("angry@example.com")
        assert not store.is_suppressed("full@example.com")
