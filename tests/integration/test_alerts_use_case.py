"""`send_alerts` on both stores: who gets an alert, exactly once, failures and retries."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from bs4 import BeautifulSoup

from radar.alerts.send import send_alerts
from radar.briefings.send import send_briefings
from radar.errors import MailError, MailUncertain
from radar.model import Source, SourceKind
from radar.settings import Settings, load_settings
from radar.subscriptions.model import Delivery, DeliveryStatus, SubscriptionStatus, alert_period
from radar.subscriptions.tokens import Purpose, make_token, secret_from
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe, unsubscribe
from radar.trends.model import Link, Mention, TermCount, TrendSignal
from tests.integration.test_briefings_use_case import FakeMailer
from tests.support.stores import Stores

SECRET = "alerts-test-secret-long-enough"
SIGNUP = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
FIRED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
NOW = FIRED + timedelta(minutes=5)
HOSTILE = '<script>alert(1)</script>Noplace <a href="javascript:x">invite</a>'
SOURCES = [
    Source("trend-hn", "trends", SourceKind.JSON, "https://hn.example/api"),
    Source(
        "trend-gt-in",
        "trends",
        SourceKind.RSS,
        "https://trends.example/rss?geo=IN",
        selectors={"terms": "topic", "region": "IN"},
    ),
    Source(
        "trend-gt-us",
        "trends",
        SourceKind.RSS,
        "https://trends.example/rss?geo=US",
        selectors={"terms": "topic", "region": "US"},
    ),
]


@pytest.fixture
def settings() -> Settings:
    return load_settings(secret_key=SECRET, base_url="https://radar.example.com", catalog=None)


def subscribed(
    stores: Stores,
    settings: Settings,
    address: str = "strategist@example.com",
    **fields: Any,
) -> str:
    values: dict[str, Any] = {"alerts": frozenset({"emerging"})}
    values.update(fields)
    request = SubscribeRequest(email=address, **values)
    mailer = FakeMailer()
    sub, token = subscribe(stores.main, mailer, SIGNUP, settings, request)
    confirm(stores.main, token, SIGNUP + timedelta(minutes=5), settings)
    return sub.id


def rise(
    stores: Stores,
    term: str = "noplace",
    sources: tuple[str, ...] = ("trend-hn", "trend-gt-in"),
    fired: datetime = FIRED,
    rise_number: int = 1,
) -> TrendSignal:
    """A recorded rise of `term`, with counts (and a hostile link title) for its chart."""
    for source in sources:
        mentions = [
            Mention(f"{source}-{k}", Link(f"https://news.example/{source}/{k}", HOSTILE))
            for k in range(4)
        ]
        mentions.append(Mention(f"{source}-js", Link("javascript:alert(1)", "click me")))
        stores.trends.add_counts(
            source, fired.date(), [TermCount(term, fired.date(), source, tuple(mentions))]
        )
    signal = TrendSignal(
        term, term.title(), rise_number, fired.date(), fired, 6.0, 8, 0.4, sources, 2
    )
    assert stores.trends.put_signal(signal)
    return signal


def run(stores: Stores, mailer: FakeMailer, settings: Settings, now: datetime = NOW):  # type: ignore[no-untyped-def]
    return send_alerts(stores.main, stores.trends, mailer, now, settings, sources=SOURCES)


def parsed(message: EmailMessage) -> EmailMessage:
    found = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(found, EmailMessage)
    return found


def test_send_alerts_mails_a_rise_once_with_one_click_unsubscribe(
    stores: Stores, settings: Settings
) -> None:
    sid = subscribed(stores, settings)
    rise(stores)
    mailer = FakeMailer()
    report = run(stores, mailer, settings)
    assert [o.result for o in report.outcomes] == ["sent"]
    (message,) = [parsed(m) for m in mailer.sent]
    assert message["To"] == "strategist@example.com"
    assert message["Subject"].startswith("New name rising: Noplace")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(
        "<https://radar.example.com/subscriptions/unsubscribe?token="
    )
    assert message["X-Radar-Period"] == "alert:noplace:1"
    delivery = stores.main.get_delivery(sid, alert_period("noplace", 1))
    assert delivery is not None and delivery.status is DeliveryStatus.SENT


def test_send_alerts_second_run_sends_nothing(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings)
    rise(stores)
    mailer = FakeMailer()
    run(stores, mailer, settings)
    again = run(stores, mailer, settings, NOW + timedelta(hours=1))
    assert [o.result for o in again.outcomes] == ["done-before"]
    assert len(mailer.sent) == 1


def test_send_alerts_weekly_only_subscriber_gets_none(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings, alerts=frozenset())
    rise(stores)
    mailer = FakeMailer()
    assert run(stores, mailer, settings).outcomes == ()
    assert mailer.sent == []


def test_send_alerts_alerts_only_subscriber_gets_no_briefing(
    stores: Stores, settings: Settings
) -> None:
    sid = subscribed(stores, settings, weekly=False)
    sub = stores.main.get_subscription(sid)
    assert sub is not None and sub.status is SubscriptionStatus.ACTIVE and sub.next_due is None
    mailer = FakeMailer()
    briefings = send_briefings(stores.main, mailer, NOW + timedelta(days=30), settings, sources=[])
    assert briefings.outcomes == () and mailer.sent == []


def test_send_alerts_region_filter(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings, "india@example.com", regions=frozenset({"IN"}))
    subscribed(stores, settings, "us@example.com", regions=frozenset({"US"}))
    rise(stores, "spill", sources=("trend-gt-in",))
    mailer = FakeMailer()
    run(stores, mailer, settings)
    assert [m["To"] for m in mailer.sent] == ["india@example.com"]


def test_send_alerts_platform_filter_known_and_new_names(
    stores: Stores, settings: Settings
) -> None:
    subscribed(stores, settings, platforms=frozenset({"instagram"}))
    rise(stores, "bluesky")
    rise(stores, "noplace")
    mailer = FakeMailer()
    run(stores, mailer, settings)
    assert [m["X-Radar-Period"] for m in mailer.sent] == ["alert:noplace:1"]


def test_send_alerts_failed_mail_is_retried_next_run(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings)
    rise(stores)
    refusing = FakeMailer(fail=MailError("SES said no"))
    assert [o.result for o in run(stores, refusing, settings).outcomes] == ["failed"]
    mailer = FakeMailer()
    later = run(stores, mailer, settings, NOW + timedelta(hours=1))
    assert [o.result for o in later.outcomes] == ["sent"] and len(mailer.sent) == 1


def test_send_alerts_uncertain_send_is_never_repeated(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings)
    rise(stores)
    unsure = FakeMailer(fail=MailUncertain("timed out after sending"))
    assert [o.result for o in run(stores, unsure, settings).outcomes] == ["uncertain"]
    mailer = FakeMailer()
    later = run(stores, mailer, settings, NOW + timedelta(hours=1))
    assert [o.result for o in later.outcomes] == ["uncertain"] and mailer.sent == []


def test_send_alerts_claim_held_by_another_run_is_busy(stores: Stores, settings: Settings) -> None:
    sid = subscribed(stores, settings)
    rise(stores)
    period = alert_period("noplace", 1)
    other = Delivery(sid, period, DeliveryStatus.PENDING, "other-run", NOW, FIRED, NOW)
    assert stores.main.claim_delivery(other, timedelta(minutes=15)) is not None
    mailer = FakeMailer()
    assert [o.result for o in run(stores, mailer, settings).outcomes] == ["busy"]
    assert mailer.sent == []


def test_send_alerts_crash_after_send_is_not_resent(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings)
    rise(stores)
    crashing = FakeMailer(crash_after_send=True)
    with pytest.raises(RuntimeError):
        run(stores, crashing, settings)
    mailer = FakeMailer()
    later = run(stores, mailer, settings, NOW + timedelta(hours=1))
    assert [o.result for o in later.outcomes] == ["uncertain"] and mailer.sent == []


def test_send_alerts_rise_before_confirmation_or_lookback_not_sent(
    stores: Stores, settings: Settings
) -> None:
    subscribed(stores, settings)
    rise(stores, "early", fired=SIGNUP)  # before the address confirmed
    rise(stores, "stale", fired=NOW - timedelta(hours=25))  # outside the 24 h lookback
    mailer = FakeMailer()
    assert run(stores, mailer, settings).outcomes == () and mailer.sent == []


def test_send_alerts_new_rise_of_same_term_is_mailed_again(
    stores: Stores, settings: Settings
) -> None:
    subscribed(stores, settings)
    rise(stores)
    mailer = FakeMailer()
    run(stores, mailer, settings)
    rise(stores, fired=FIRED + timedelta(hours=3), rise_number=2)
    run(stores, mailer, settings, NOW + timedelta(hours=3))
    assert [m["X-Radar-Period"] for m in mailer.sent] == ["alert:noplace:1", "alert:noplace:2"]


def test_send_alerts_unsubscribed_and_suppressed_get_none(
    stores: Stores, settings: Settings
) -> None:
    gone = subscribed(stores, settings, "gone@example.com")
    subscribed(stores, settings, "bounced@example.com")
    token = make_token(secret_from(settings), Purpose.UNSUBSCRIBE, gone, "gone@example.com")
    unsubscribe(stores.main, token, NOW, settings)
    stores.main.suppress("bounced@example.com", "bounce", NOW)
    rise(stores)
    mailer = FakeMailer()
    report = run(stores, mailer, settings)
    assert mailer.sent == [] and all(o.result != "sent" for o in report.outcomes)


def test_send_alerts_injected_script_is_inert(stores: Stores, settings: Settings) -> None:
    subscribed(stores, settings)
    rise(stores)
    mailer = FakeMailer()
    run(stores, mailer, settings)
    html = parsed(mailer.sent[0]).get_body(("html",))
    assert html is not None
    soup = BeautifulSoup(html.get_content(), "html.parser")
    assert soup.find("script") is None
    hrefs = [str(a["href"]) for a in soup.find_all("a")]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert "<script>alert(1)</script>" in soup.get_text()  # shown as text, not run


def test_send_alerts_arabic_subscriber_gets_arabic_alert(
    stores: Stores, settings: Settings
) -> None:
    subscribed(stores, settings, lang="ar")
    rise(stores)
    mailer = FakeMailer()
    run(stores, mailer, settings)
    message = parsed(mailer.sent[0])
    assert message["Subject"].startswith("اسم جديد في صعود")
    html = message.get_body(("html",))
    assert html is not None and 'dir="rtl"' in html.get_content()


def test_send_alerts_alert_is_not_the_last_briefing(stores: Stores, settings: Settings) -> None:
    sid = subscribed(stores, settings)  # weekly and alerts
    rise(stores)
    run(stores, FakeMailer(), settings)
    assert stores.main.last_delivery(sid) is None
