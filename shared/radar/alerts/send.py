"""Emerging-platform alerts: mail each new rise of a term to the strategists who want it.

`detect_trends` records each rise once (a `TrendSignal`); `send_alerts` runs after it (in
`radar run`, and hourly in the `send_alerts` Lambda) and mails every signal of the last
`LOOKBACK` to each active subscriber who asked for alerts and whose region and platform
filters pass (`radar.alerts.content.wants_alert`). The lookback catches up a missed or failed
hour; the delivery claim keeps a signal from being mailed twice.

Delivery semantics are the briefings' (`radar.subscriptions.delivery`): a delivery keyed by
(subscriber, `alert:<term>:<rise>`) is claimed with a conditional write before anything is sent,
marked "sending" before the mailer is called and "sent" once it accepted. A retried or
concurrent run finds the claim and sends nothing; a mail the mailer refused for now is released
and retried by the next run while the signal is still inside the lookback; one it refused for
good is recorded "rejected" and never retried."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from radar.alerts.content import AlertContent, signal_regions, source_regions, wants_alert
from radar.briefings.send import DEFERRED, Outcome, SendReport, links_for
from radar.mail.message import Unsubscribe, build_message
from radar.mail.ports import Mailer
from radar.model import Source
from radar.render.alert import render_alert
from radar.run_deadline import RunDeadline
from radar.settings import Settings
from radar.store.ports import SubscriptionStore
from radar.store.trend_ports import TrendStore
from radar.subscriptions.delivery import refused_claim, send_claimed, unsubscribe_mailto
from radar.subscriptions.model import (
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
    alert_period,
)
from radar.subscriptions.tokens import secret_from
from radar.trends.model import TrendSignal
from radar.trends.terms import TermExtractor, load_extractor
from radar.trends.usecases import alert_for

log = logging.getLogger(__name__)

# Signals this old are still mailed (a missed hourly run is caught up); older ones are stale.
LOOKBACK = timedelta(hours=24)
KIND = "emerging"


@dataclass(frozen=True, slots=True)
class _Rise:
    """One signal with what every subscriber's alert about it shares."""

    signal: TrendSignal
    period: str
    content: AlertContent
    regions: frozenset[str]


def send_alerts(
    store: SubscriptionStore,
    trend_store: TrendStore,
    mailer: Mailer,
    now: datetime,
    settings: Settings,
    *,
    sources: Sequence[Source] | None = None,
    extractor: TermExtractor | None = None,
    lookback: timedelta = LOOKBACK,
    new_claim: Callable[[], str] = lambda: secrets.token_hex(8),
    deadline: RunDeadline | None = None,
) -> SendReport:
    """Mail the signals fired in the last `lookback` (up to `now`) to the subscribers who
    want them; each (subscriber, rise) at most once, however often this runs.

    `sources`: the catalog (for the regions of trend sources); loaded from settings if None.
    `deadline`: no alert is started once it has passed; those left are "deferred" (nothing
    claimed) and the next run sends them while the rise is inside the lookback.
    """
    signals = trend_store.signals_between(now - lookback, now + timedelta(microseconds=1))
    if not signals:
        return SendReport(now)
    subscribers = store.alert_subscriptions()
    if not subscribers:
        return SendReport(now)
    secret_from(settings)  # fail before claiming anything if links cannot be signed
    if sources is None:
        from radar.catalog.loader import load_catalog

        sources = load_catalog(settings.catalog)
    extractor = extractor or load_extractor()
    regions = source_regions(sources)
    names = {s.id: s.name for s in sources if s.name}  # "across Hacker News and ..."
    rises = [
        _Rise(
            signal,
            alert_period(signal.term, signal.rise),
            alert_for(signal, trend_store, extractor, source_names=names),
            signal_regions(signal, regions),
        )
        for signal in signals
    ]
    lease = timedelta(minutes=settings.delivery_lease_minutes)
    outcomes: list[Outcome] = []
    stopped = False
    for listed in subscribers:
        wanted = [r for r in rises if _wants(listed, r, extractor)]
        if not wanted:
            continue
        if stopped:  # the deadline passed at an earlier subscriber's alert
            outcomes += [Outcome(listed.id, r.period, "deferred", detail=DEFERRED) for r in wanted]
            continue
        # The alerts index may be stale (DynamoDB GSIs are eventually consistent): re-read.
        sub = store.get_subscription(listed.id)
        if sub is None or sub.status is not SubscriptionStatus.ACTIVE or not sub.alerts:
            outcomes.append(Outcome(listed.id, "", "inactive", detail="changed since listed"))
            continue
        if store.is_suppressed(sub.email):
            store.set_status(sub.id, SubscriptionStatus.SUPPRESSED, at=now, reason="suppressed")
            outcomes.append(Outcome(sub.id, "", "inactive", detail="address is suppressed"))
            continue
        for rise in wanted:
            if not _wants(sub, rise, extractor):
                continue
            stopped = stopped or (deadline is not None and deadline.passed())
            if stopped:
                outcomes.append(Outcome(sub.id, rise.period, "deferred", detail=DEFERRED))
                continue
            outcome = _send_one(store, mailer, now, settings, sub, rise, lease, new_claim())
            log.info("alert %s for %s (%s)", outcome.result, sub.id, outcome.period)
            outcomes.append(outcome)
    return SendReport(now, tuple(outcomes))


def _wants(sub: Subscription, rise: _Rise, extractor: TermExtractor) -> bool:
    # A rise that fired before the address confirmed is not news to it: its alerts start
    # with the first rise after confirming.
    if sub.confirmed_at is not None and rise.signal.fired_at < sub.confirmed_at:
        log.info(
            "alert rise dropped",
            extra={
                "subscriber": sub.id,
                "term": rise.signal.term,
                "reason": "fired before confirm",
            },
        )
        return False
    # Surges (established platforms) go only to those who opted in to them (issue 12).
    kind = rise.signal.kind or KIND
    return wants_alert(sub, rise.regions, extractor.platform(rise.signal.term), kind)


def _send_one(
    store: SubscriptionStore,
    mailer: Mailer,
    now: datetime,
    settings: Settings,
    sub: Subscription,
    rise: _Rise,
    lease: timedelta,
    claim_id: str,
) -> Outcome:
    period = rise.period
    claim = store.claim_delivery(
        Delivery(sub.id, period, DeliveryStatus.PENDING, claim_id, now, rise.signal.fired_at, now),
        lease,
    )
    if claim is None:
        refused = refused_claim(store, sub.id, period, now, lease)
        return Outcome(sub.id, period, refused.result, detail=refused.detail)
    message = alert_message(sub, rise.content, settings, now, period)
    sent = send_claimed(store, mailer, sub.id, period, claim_id, message, now)
    return Outcome(sub.id, period, sent.result, message_id=sent.message_id, detail=sent.detail)


def alert_message(
    sub: Subscription,
    content: AlertContent,
    settings: Settings,
    now: datetime,
    period: str = "",
) -> EmailMessage:
    """The MIME message of one alert for `sub`: in its language, with signed manage and
    unsubscribe links and one-click unsubscribe headers."""
    links = links_for(sub, settings)
    rendered = render_alert(
        content, unsubscribe_url=links.unsubscribe, manage_url=links.manage, lang=sub.lang
    )
    return build_message(
        sender=settings.sender,
        to=sub.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        date=now,
        unsubscribe=Unsubscribe(links.unsubscribe, unsubscribe_mailto(settings)),
        headers={"X-Radar-Period": period or alert_period(content.term, content.rise)},
    )
