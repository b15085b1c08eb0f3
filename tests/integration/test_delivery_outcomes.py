"""What becomes of a delivery the mailer refuses for good, or another run is sending (issue 13,
item 12), for briefings and alerts on both stores.

- A permanent refusal (SES MessageRejected, an invalid address, ...) ends that delivery: it is
  recorded "rejected" with the reason, listed for the admin, and never retried (it was retried
  every hour with no end).
- A run that finds the delivery being sent by a concurrent run reports it "done-elsewhere",
  not "uncertain" (which counts toward the BriefingsUncertain alarm).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from radar.briefings.send import SendReport, send_briefings
from radar.errors import MailError, MailRejected
from radar.mail.ports import Mailer
from radar.settings import Secret, Settings, load_settings
from radar.store.dynamodb import DynamoDbStore
from radar.subscriptions.model import DeliveryStatus, alert_period
from tests.integration.test_alerts_use_case import NOW, SECRET, rise
from tests.integration.test_alerts_use_case import run as run_alerts
from tests.integration.test_alerts_use_case import subscribed as subscribed_to_alerts
from tests.integration.test_briefings_use_case import DUE, HOUR, FakeMailer, subscribed
from tests.integration.test_send_briefings import (  # noqa: F401 (env: a fixture)
    Ctx,
    due_subscriber,
    env,
    load_handler,
    sent_messages,
)
from tests.support.stores import Stores

WEEK = "2026-W47"
REFUSAL = MailRejected("SES refused the message for good: MessageRejected: Illegal address")


@pytest.fixture
def settings() -> Settings:
    return load_settings(secret_key=SECRET, base_url="https://radar.example.com", catalog=None)


def briefings(stores: Stores, mailer: Mailer, settings: Settings, at: datetime = DUE) -> SendReport:
    return send_briefings(stores.main, mailer, at, settings, sources=())


# --- permanent refusals ---------------------------------------------------------------------


def test_delivery_rejected_briefing_is_recorded_and_never_retried(
    stores: Stores, settings: Settings
) -> None:
    sid = subscribed(stores.main, FakeMailer(), settings)
    refusing = FakeMailer(fail=REFUSAL)
    first = briefings(stores, refusing, settings)
    mailer = FakeMailer()
    later = [briefings(stores, mailer, settings, DUE + k * HOUR) for k in range(1, 4)]
    assert [(o.result, o.detail) for o in first.outcomes] == [("rejected", str(REFUSAL))]
    assert [r.outcomes for r in later] == [(), (), ()]  # nothing due: the week is over
    assert mailer.sent == []
    found = stores.main.get_delivery(sid, WEEK)
    assert found is not None
    assert (found.status, found.reason, found.sent_at) == (
        DeliveryStatus.REJECTED,
        str(REFUSAL),
        DUE,
    )
    sub = stores.main.get_subscription(sid)
    assert sub is not None and sub.next_due == DUE + timedelta(days=7)  # next week still comes


def test_delivery_rejected_week_rolls_into_the_next_briefing(
    stores: Stores, settings: Settings
) -> None:
    sid = subscribed(stores.main, FakeMailer(), settings)
    week = timedelta(days=7)
    assert [o.result for o in briefings(stores, FakeMailer(), settings).outcomes] == ["sent"]
    refused = briefings(stores, FakeMailer(fail=REFUSAL), settings, DUE + week)
    report = briefings(stores, FakeMailer(), settings, DUE + 2 * week)
    assert [o.result for o in refused.outcomes] == ["rejected"]
    assert [o.result for o in report.outcomes] == ["sent"]
    sent = stores.main.get_delivery(sid, "2026-W49")
    # The rejected week's changes are not lost: the next briefing starts where the last
    # *sent* one ended.
    assert sent is not None and (sent.since, sent.until) == (DUE, DUE + 2 * week)


def test_delivery_transient_refusal_is_still_retried(stores: Stores, settings: Settings) -> None:
    sid = subscribed(stores.main, FakeMailer(), settings)
    assert [
        o.result for o in briefings(stores, FakeMailer(fail=MailError("x")), settings).outcomes
    ] == ["failed"]
    assert stores.main.get_delivery(sid, WEEK) is None
    mailer = FakeMailer()
    assert [o.result for o in briefings(stores, mailer, settings, DUE + HOUR).outcomes] == ["sent"]


def test_delivery_rejected_alert_is_recorded_and_never_retried(
    stores: Stores, settings: Settings
) -> None:
    sid = subscribed_to_alerts(stores, settings)
    rise(stores)
    first = run_alerts(stores, FakeMailer(fail=REFUSAL), settings)
    mailer = FakeMailer()
    later = run_alerts(stores, mailer, settings, NOW + HOUR)
    assert [o.result for o in first.outcomes] == ["rejected"]
    assert [o.result for o in later.outcomes] == ["done-before"] and mailer.sent == []
    found = stores.main.get_delivery(sid, alert_period("noplace", 1))
    assert found is not None and found.status is DeliveryStatus.REJECTED
    assert found.reason == str(REFUSAL)


def test_delivery_rejected_is_listed_for_the_admin(stores: Stores, settings: Settings) -> None:
    sid = subscribed(stores.main, FakeMailer(), settings)
    briefings(stores, FakeMailer(fail=REFUSAL), settings)
    (listed,) = stores.main.rejected_deliveries(DUE - HOUR, DUE + HOUR)
    assert (listed.subscription_id, listed.period, listed.reason) == (sid, WEEK, str(REFUSAL))
    assert stores.main.sent_deliveries(DUE - HOUR, DUE + HOUR) == []


# --- a concurrent run -----------------------------------------------------------------------


@dataclass
class MeanwhileMailer(FakeMailer):
    """Runs `meanwhile` (another run) while it holds the message, as a slow SES call would."""

    meanwhile: list[SendReport] = field(default_factory=list)
    other: object = None

    def send(self, message: EmailMessage) -> str:
        if callable(self.other) and not self.meanwhile:
            self.meanwhile.append(self.other())
        return super().send(message)


def test_delivery_sending_by_a_concurrent_run_is_done_elsewhere(
    stores: Stores, settings: Settings
) -> None:
    subscribed(stores.main, FakeMailer(), settings)
    second = FakeMailer()
    first = MeanwhileMailer(other=lambda: briefings(stores, second, settings, DUE + 1 * HOUR / 60))
    report = briefings(stores, first, settings)
    (concurrent,) = first.meanwhile
    assert [o.result for o in report.outcomes] == ["sent"]
    assert [o.result for o in concurrent.outcomes] == ["done-elsewhere"]  # was "uncertain"
    assert concurrent.count("uncertain") == 0 and second.sent == []


def test_delivery_concurrent_alert_run_is_done_elsewhere(
    stores: Stores, settings: Settings
) -> None:
    subscribed_to_alerts(stores, settings)
    rise(stores)
    second = FakeMailer()
    first = MeanwhileMailer(other=lambda: run_alerts(stores, second, settings, NOW))
    report = run_alerts(stores, first, settings)
    (concurrent,) = first.meanwhile
    assert [o.result for o in report.outcomes] == ["sent"]
    assert [o.result for o in concurrent.outcomes] == ["done-elsewhere"]
    assert second.sent == []


# --- on AWS ---------------------------------------------------------------------------------


def test_delivery_ses_rejection_on_aws_is_counted_and_not_retried(
    env: DynamoDbStore,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Never verified in SES: moto answers MessageRejected, as SES does.
    monkeypatch.setenv("RADAR_SENDER", "Platform Radar <radar@unverified.example>")
    sid = due_subscriber(env)
    handler = load_handler("send_briefings")
    try:
        first = handler.lambda_handler({}, Ctx())
        again = handler.lambda_handler({}, Ctx())
    finally:
        handler.build_deps.cache_clear()
    assert (first["due"], first["rejected"], first["failed"]) == (1, 1, 0)
    assert again["due"] == 0  # was due (and refused) again every hour
    assert sent_messages() == []
    (rejected,) = env.rejected_deliveries(first_instant(), far_future())
    assert rejected.subscription_id == sid and "MessageRejected" in rejected.reason


def first_instant() -> datetime:
    return datetime(2000, 1, 1, tzinfo=UTC)


def far_future() -> datetime:
    return datetime.now(UTC) + timedelta(days=1)


def test_delivery_rejected_is_in_the_admin_view_with_its_reason(
    sqlite_stores: Stores, settings: Settings
) -> None:
    import json

    from radar.api.app import ApiDeps, build_app
    from radar.classify import load_default_rules
    from tests.integration.test_api_subscriptions import call

    store = sqlite_stores.main
    subscribed(store, FakeMailer(), settings)
    briefings(sqlite_stores, FakeMailer(fail=REFUSAL), settings)
    admin = replace(settings, admin_api_key=Secret("admin-key-0123456789"))
    app = build_app(
        ApiDeps(
            store,
            load_default_rules(),
            clock=lambda: DUE + HOUR,
            subscriptions=store,
            settings=admin,
        )
    )
    key = {"x-radar-admin-key": "admin-key-0123456789"}
    rejected = call(app, "GET", "/admin/deliveries", query={"status": "rejected"}, headers=key)
    sent = call(app, "GET", "/admin/deliveries", headers=key)
    (item,) = json.loads(rejected["body"])["items"]
    assert (item["status"], item["period"], item["email"]) == ("rejected", WEEK, "team@example.com")
    assert item["reason"] == str(REFUSAL) and item["online"] is None
    assert json.loads(sent["body"])["items"] == []
