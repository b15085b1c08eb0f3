"""Briefing use cases on both stores: double opt-in, sending once, crashes, retries."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from radar.briefings.send import preview_briefing, send_briefings
from radar.errors import InvalidToken, MailError, SubscriptionError
from radar.model import Snapshot
from radar.settings import Settings, load_settings
from radar.store.ports import BriefingStore
from radar.subscriptions.model import DeliveryStatus, EmptyWeek, SubscriptionStatus
from radar.subscriptions.tokens import Purpose, make_token, secret_from
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe, unsubscribe
from tests.support.briefings import change

SECRET = "test-secret-that-is-long-enough"
# Subscribed on Thursday 12 Nov 2026; first briefing Monday 16 Nov 08:00 Riyadh = 05:00 UTC.
SIGNUP = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass
class FakeMailer:
    sent: list[EmailMessage] = field(default_factory=list)
    fail: Exception | None = None
    crash_after_send: bool = False

    def send(self, message: EmailMessage) -> str:
        if self.fail is not None:
            raise self.fail
        self.sent.append(message)
        if self.crash_after_send:
            raise RuntimeError("process died after the mailer accepted")
        return f"msg-{len(self.sent)}"


@pytest.fixture
def settings() -> Settings:
    return load_settings(secret_key=SECRET, base_url="https://radar.example.com", catalog=None)


def subscribed(
    store: BriefingStore, mailer: FakeMailer, settings: Settings, **fields: object
) -> str:
    request = SubscribeRequest(
        email="Team@Example.com",
        platforms=frozenset({"instagram", "tiktok"}),
        weekday=0,
        hour=8,
        tz="Asia/Riyadh",
        **fields,  # type: ignore[arg-type]
    )
    sub, token = subscribe(store, mailer, SIGNUP, settings, request)
    confirm(store, token, SIGNUP + timedelta(minutes=5), settings)
    mailer.sent.clear()
    return sub.id


def body(message: EmailMessage, kind: str = "plain") -> str:
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    part = parsed.get_body((kind,))  # type: ignore[attr-defined]
    assert part is not None
    return str(part.get_content())


def run(store: BriefingStore, mailer: FakeMailer, settings: Settings, now: datetime = DUE):  # type: ignore[no-untyped-def]
    return send_briefings(store, mailer, now, settings, sources=())


def test_briefings_subscribe_sends_only_a_confirmation(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sub, token = subscribe(
        store, mailer, SIGNUP, settings, SubscribeRequest(email="team@example.com")
    )
    assert sub.status is SubscriptionStatus.PENDING
    (message,) = mailer.sent
    assert f"https://radar.example.com/subscriptions/confirm?token={token}" in body(message)
    assert run(store, mailer, settings, DUE + timedelta(days=30)).outcomes == ()
    assert len(mailer.sent) == 1


def test_briefings_confirm_schedules_in_local_time(
    store: BriefingStore, settings: Settings
) -> None:
    sid = subscribed(store, FakeMailer(), settings)
    sub = store.get_subscription(sid)
    assert sub is not None and sub.status is SubscriptionStatus.ACTIVE and sub.next_due == DUE


def test_briefings_confirm_with_unsubscribe_token_fails(
    store: BriefingStore, settings: Settings
) -> None:
    sub, _ = subscribe(
        store, FakeMailer(), SIGNUP, settings, SubscribeRequest(email="team@example.com")
    )
    wrong = make_token(secret_from(settings), Purpose.UNSUBSCRIBE, sub.id, sub.email)
    with pytest.raises(InvalidToken):
        confirm(store, wrong, SIGNUP, settings)


def test_briefings_send_once_per_period(store: BriefingStore, settings: Settings) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    store.save(Snapshot("ig"), [change("a", detected_at=DUE - timedelta(days=1))])
    first = run(store, mailer, settings)
    second = run(store, mailer, settings, DUE + timedelta(minutes=30))
    assert [o.result for o in first.outcomes] == ["sent"]
    assert second.outcomes == ()
    assert len(mailer.sent) == 1
    delivery = store.get_delivery(sid, "2026-W47")
    assert delivery is not None and delivery.status is DeliveryStatus.SENT
    assert delivery.message_id == "msg-1"
    sub = store.get_subscription(sid)
    assert sub is not None and sub.next_due == DUE + timedelta(days=7)


def test_briefings_not_due_before_the_hour(store: BriefingStore, settings: Settings) -> None:
    mailer = FakeMailer()
    subscribed(store, mailer, settings)
    assert run(store, mailer, settings, DUE - timedelta(seconds=1)).outcomes == ()


def test_briefings_message_has_unsubscribe_headers(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    store.save(Snapshot("ig"), [change("a", detected_at=DUE - timedelta(days=1))])
    run(store, mailer, settings)
    (message,) = mailer.sent
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).split(">")[0].lstrip("<")
    token = url.split("token=")[1]
    unsubscribe(store, token, DUE, settings)
    sub = store.get_subscription(sid)
    assert sub is not None and sub.status is SubscriptionStatus.UNSUBSCRIBED


def test_briefings_unsubscribed_gets_nothing(store: BriefingStore, settings: Settings) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    sub = store.get_subscription(sid)
    assert sub is not None
    token = make_token(secret_from(settings), Purpose.UNSUBSCRIBE, sid, sub.email)
    unsubscribe(store, token, SIGNUP, settings)
    assert run(store, mailer, settings).outcomes == () and mailer.sent == []


def test_briefings_unsubscribe_token_of_other_address_fails(
    store: BriefingStore, settings: Settings
) -> None:
    sid = subscribed(store, FakeMailer(), settings)
    forged = make_token(secret_from(settings), Purpose.UNSUBSCRIBE, sid, "attacker@example.com")
    with pytest.raises(InvalidToken):
        unsubscribe(store, forged, SIGNUP, settings)


def test_briefings_crash_after_accept_is_never_resent(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    mailer.crash_after_send = True
    with pytest.raises(RuntimeError):
        run(store, mailer, settings)
    mailer.crash_after_send = False
    report = run(store, mailer, settings, DUE + timedelta(hours=1))
    assert [o.result for o in report.outcomes] == ["uncertain"]
    assert len(mailer.sent) == 1
    sub = store.get_subscription(sid)
    assert sub is not None and sub.next_due == DUE + timedelta(days=7)


def test_briefings_stale_pending_claim_is_retried_after_lease(
    store: BriefingStore, settings: Settings
) -> None:
    from radar.subscriptions.model import Delivery

    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    # A run that claimed the period and died before handing anything to the mailer.
    store.claim_delivery(
        Delivery(sid, "2026-W47", DeliveryStatus.PENDING, "dead", DUE, DUE - timedelta(7), DUE),
        timedelta(minutes=15),
    )
    within = run(store, mailer, settings, DUE + timedelta(minutes=5))
    after = run(store, mailer, settings, DUE + timedelta(minutes=20))
    assert [o.result for o in within.outcomes] == ["busy"]
    assert [o.result for o in after.outcomes] == ["sent"]
    delivery = store.get_delivery(sid, "2026-W47")
    assert delivery is not None and delivery.attempts == 2 and len(mailer.sent) == 1


def test_briefings_refused_send_is_retried_next_run(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    mailer.fail = MailError("SES refused")
    assert [o.result for o in run(store, mailer, settings).outcomes] == ["failed"]
    assert store.get_delivery(sid, "2026-W47") is None
    mailer.fail = None
    assert [o.result for o in run(store, mailer, settings, DUE + HOUR).outcomes] == ["sent"]


def test_briefings_empty_week_skip_sends_nothing(store: BriefingStore, settings: Settings) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings, empty_week=EmptyWeek.SKIP)
    assert [o.result for o in run(store, mailer, settings).outcomes] == ["skipped"]
    assert mailer.sent == []
    delivery = store.get_delivery(sid, "2026-W47")
    assert delivery is not None and delivery.status is DeliveryStatus.SKIPPED


def test_briefings_empty_week_note_sends_short_note(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    subscribed(store, mailer, settings)
    run(store, mailer, settings)
    (message,) = mailer.sent
    assert "Nothing changed on your platforms this week" in body(message)


def test_briefings_next_week_starts_where_last_ended(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    run(store, mailer, settings)
    store.save(Snapshot("ig"), [change("b", detected_at=DUE + timedelta(days=2))])
    run(store, mailer, settings, DUE + timedelta(days=7))
    second = store.get_delivery(sid, "2026-W48")
    assert second is not None and second.since == DUE
    assert "Change b" in body(mailer.sent[1]) and "Change b" not in body(mailer.sent[0])


def test_briefings_suppressed_cannot_subscribe(store: BriefingStore, settings: Settings) -> None:
    store.suppress("team@example.com", "bounce", SIGNUP)
    with pytest.raises(SubscriptionError, match="bounced or complained"):
        subscribe(store, FakeMailer(), SIGNUP, settings, SubscribeRequest(email="team@example.com"))


def test_briefings_suppressed_after_confirm_gets_nothing(
    store: BriefingStore, settings: Settings
) -> None:
    mailer = FakeMailer()
    sid = subscribed(store, mailer, settings)
    store.suppress("team@example.com", "complaint", SIGNUP + HOUR)
    assert run(store, mailer, settings).outcomes == () and mailer.sent == []
    sub = store.get_subscription(sid)
    assert sub is not None and sub.status is SubscriptionStatus.SUPPRESSED


def test_briefings_preview_without_secret(
    store: BriefingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.briefings import subscription

    monkeypatch.delenv("RADAR_SECRET_KEY", raising=False)
    settings = load_settings(catalog=None)
    store.save(Snapshot("ig"), [change("a", detected_at=DUE - timedelta(days=1))])
    message = preview_briefing(store, settings, DUE, subscription("ar", id="preview"))
    assert "token=preview" in body(message)
    assert 'dir="rtl"' in body(message, "html")
