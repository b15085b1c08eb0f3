"""Briefing use cases: subscribe (double opt-in), confirm, unsubscribe, send due briefings.

Adapters (store, mailer) and time come in as arguments, so `radar run`, the `send_briefings`
Lambda and tests run the same code.

Delivery semantics (docs/briefings.md): a briefing is claimed for (subscriber, period) with a
conditional write BEFORE anything is sent, marked "sending" just before the mailer is called
and "sent" once it accepted. A crash before "sending" leaves a pending claim that a later run
takes over once its lease has expired; a crash after it leaves "sending", which is never sent
again automatically: at most once after the mailer may have accepted the message, because
neither SES nor SMTP can tell us afterwards whether it did.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import quote

from radar.briefings.content import Briefing, Links, SourceHealth, build_briefing, source_health
from radar.mail.message import Unsubscribe, build_message
from radar.mail.ports import Mailer
from radar.model import Change, ChangeQuery, Source
from radar.render.briefing import RenderedBriefing, render_briefing
from radar.run_deadline import RunDeadline
from radar.settings import LOCAL_BASE_URL, Settings
from radar.store.ports import BriefingStore
from radar.store.trend_ports import TrendStore
from radar.subscriptions.delivery import refused_claim, send_claimed, unsubscribe_mailto
from radar.subscriptions.model import (
    Delivery,
    DeliveryStatus,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
    next_due,
    period_of,
)
from radar.subscriptions.tokens import Purpose, make_token, secret_from
from radar.trends.model import SURGE, TrendSignal
from radar.watch.health import unhealthy_sources

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# A first briefing covers the week before it; after a long pause, at most this far back.
MAX_WINDOW = timedelta(days=31)
DEFERRED = "the run's deadline came first; left for the next run"


@dataclass(frozen=True, slots=True)
class Outcome:
    subscription_id: str
    period: str
    # sent | skipped | rejected | failed | uncertain | busy | done-before | done-elsewhere
    # | inactive | deferred (the run's deadline came first: still due, for the next run)
    result: str
    message_id: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one run of `send_briefings` did, per due subscriber."""

    now: datetime
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


# --- sending --------------------------------------------------------------------------------


def send_briefings(
    store: BriefingStore,
    mailer: Mailer,
    now: datetime,
    settings: Settings,
    *,
    sources: Sequence[Source] | None = None,
    new_claim: Callable[[], str] = lambda: secrets.token_hex(8),
    trend_store: TrendStore | None = None,
    deadline: RunDeadline | None = None,
) -> SendReport:
    """Send every briefing that is due at `now`; a second run sends nothing twice.

    `trend_store`: where the week's surges of established platforms come from (a line each).
    `deadline`: no subscriber is started once it has passed; those left are "deferred" and
    stay due for the next run (nothing claimed, so no lease holds them up).
    """
    if sources is None:
        from radar.catalog.loader import load_catalog

        sources = load_catalog(settings.catalog)
    due = store.due_subscriptions(now)
    if not due:
        return SendReport(now)
    secret_from(settings)  # fail before claiming anything if links cannot be signed
    health = source_health(unhealthy_sources(store, sources, settings.unhealthy_after))
    lease = timedelta(minutes=settings.delivery_lease_minutes)
    weeks = _Weeks(store, trend_store)
    names = source_names(sources)
    outcomes: list[Outcome] = []
    stopped = False
    for listed in due:
        stopped = stopped or (deadline is not None and deadline.passed())
        if stopped:
            outcomes.append(Outcome(listed.id, "", "deferred", detail=DEFERRED))
            continue
        outcome = _send_one(
            store, mailer, now, settings, listed, health, lease, new_claim(), weeks, names
        )
        log.info("briefing %s for %s (%s)", outcome.result, outcome.subscription_id, outcome.period)
        outcomes.append(outcome)
    return SendReport(now, tuple(outcomes))


def _send_one(
    store: BriefingStore,
    mailer: Mailer,
    now: datetime,
    settings: Settings,
    listed: Subscription,
    health: Sequence[SourceHealth],
    lease: timedelta,
    claim_id: str,
    weeks: _Weeks,
    names: Mapping[str, str],
) -> Outcome:
    scheduled = listed.next_due
    assert scheduled is not None
    # The due index may be stale (DynamoDB GSIs are eventually consistent): re-read.
    sub = store.get_subscription(listed.id)
    if sub is None or sub.status is not SubscriptionStatus.ACTIVE or sub.next_due != scheduled:
        return Outcome(listed.id, "", "inactive", detail="changed since it was listed")
    period = period_of(sub, scheduled)
    following = next_due(sub, max(now, scheduled))
    if store.is_suppressed(sub.email):
        store.set_status(sub.id, SubscriptionStatus.SUPPRESSED, at=now, reason="suppressed")
        return Outcome(sub.id, period, "inactive", detail="address is suppressed")
    last = store.last_delivery(sub.id)
    until = scheduled
    since = max(last.until if last else until - WEEK, until - MAX_WINDOW)
    claim = store.claim_delivery(
        Delivery(sub.id, period, DeliveryStatus.PENDING, claim_id, now, since, until), lease
    )
    if claim is None:
        refused = refused_claim(store, sub.id, period, now, lease)
        if refused.result not in ("busy", "done-elsewhere"):
            # Sent earlier, or never resent automatically (see module docstring): only moving
            # the schedule on was lost (a crash). Finish that; move on to next week. (A live
            # claim's run moves the schedule itself.)
            store.advance_due(sub.id, scheduled, following)
        return Outcome(sub.id, period, refused.result, detail=refused.detail)
    briefing = compose_briefing(
        store,
        sub,
        settings,
        claim.period,
        claim.since,
        claim.until,
        health,
        changes=weeks.changes(claim.since, claim.until),
        surges=weeks.surges(claim.since, claim.until),
        source_names=names,
    )
    if briefing.empty and sub.empty_week is EmptyWeek.SKIP:
        store.mark_delivery(sub.id, period, claim_id, DeliveryStatus.SKIPPED, at=now)
        store.advance_due(sub.id, scheduled, following)
        return Outcome(sub.id, period, "skipped", detail="empty week")
    message = briefing_message(briefing, render_briefing(briefing), settings, now)
    sent = send_claimed(store, mailer, sub.id, period, claim_id, message, now)
    # failed: the claim was released, so the next hourly run retries this week's briefing.
    # rejected: this week's is over; its changes go into next week's (`since` is where the
    # last *sent* briefing ended).
    if sent.result in ("sent", "uncertain", "rejected"):
        store.advance_due(sub.id, scheduled, following)
    return Outcome(sub.id, period, sent.result, message_id=sent.message_id, detail=sent.detail)


class _Weeks:
    """Changes of a window, queried once per run for every subscriber that shares it (most
    subscribers due in the same hour cover the same week)."""

    def __init__(self, store: BriefingStore, trend_store: TrendStore | None = None) -> None:
        self._store = store
        self._trends = trend_store
        self._found: dict[tuple[datetime, datetime], list[Change]] = {}
        self._surges: dict[tuple[datetime, datetime], list[TrendSignal]] = {}

    def surges(self, since: datetime, until: datetime) -> list[TrendSignal]:
        """The surges of established platforms in the window (docs/trends.md)."""
        if self._trends is None:
            return []
        key = (since, until)
        if key not in self._surges:
            found = self._trends.signals_between(since, until)
            self._surges[key] = [s for s in found if s.kind == SURGE]
        return self._surges[key]

    def changes(self, since: datetime, until: datetime) -> list[Change]:
        key = (since, until)
        if key not in self._found:
            self._found[key] = self._store.query_changes(
                ChangeQuery(since=since, until=until, by="detected")
            )
        return self._found[key]


def compose_briefing(
    store: BriefingStore,
    sub: Subscription,
    settings: Settings,
    period: str,
    since: datetime,
    until: datetime,
    health: Sequence[SourceHealth] = (),
    *,
    signed: bool = True,
    changes: Sequence[Change] | None = None,
    surges: Sequence[TrendSignal] = (),
    source_names: Mapping[str, str] | None = None,
) -> Briefing:
    """The briefing for `sub` over [since, until), with signed links (placeholders if not
    `signed`: previews work without a secret). `changes`: the window's changes if the caller
    already has them."""
    if changes is None:
        changes = store.query_changes(
            ChangeQuery(since=since, until=until, platforms=sub.platforms, by="detected")
        )
    return build_briefing(
        sub,
        changes,
        period=period,
        since=since,
        until=until,
        links=links_for(sub, settings, period, signed=signed),
        health=health,
        surges=surges,
        source_names=source_names,
    )


def source_names(sources: Sequence[Source]) -> dict[str, str]:
    """Source id -> the name a reader knows it by, for link texts."""
    return {s.id: s.name for s in sources if s.name}


def links_for(
    sub: Subscription, settings: Settings, period: str = "", *, signed: bool = True
) -> Links:
    """Manage, unsubscribe and archive links with signed tokens (or "preview" placeholders)."""
    manage = unsub = "preview"
    if signed:
        secret = secret_from(settings)
        manage = make_token(secret, Purpose.MANAGE, sub.id, sub.email)
        unsub = make_token(secret, Purpose.UNSUBSCRIBE, sub.id, sub.email)
    # A preview is never sent: its placeholder links may point at the local default.
    base = settings.link_base() if signed else (settings.base_url or LOCAL_BASE_URL)
    archive = f"{base}/briefings/{quote(period)}?token={manage}" if period else ""
    return Links(
        manage=f"{base}/subscriptions/manage?token={manage}",
        unsubscribe=f"{base}/subscriptions/unsubscribe?token={unsub}",
        archive=archive,
    )


def briefing_message(
    briefing: Briefing, rendered: RenderedBriefing, settings: Settings, now: datetime
) -> EmailMessage:
    """The MIME message of a rendered briefing, with one-click unsubscribe headers."""
    sub = briefing.subscription
    return build_message(
        sender=settings.sender,
        to=sub.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        date=now,
        ics=rendered.ics,
        unsubscribe=Unsubscribe(briefing.links.unsubscribe, unsubscribe_mailto(settings)),
        headers={"X-Radar-Period": briefing.period},
    )


# --- preview --------------------------------------------------------------------------------


def preview_briefing(
    store: BriefingStore,
    settings: Settings,
    now: datetime,
    sub: Subscription,
    *,
    sources: Sequence[Source] = (),
) -> EmailMessage:
    """The briefing `sub` would get if it were sent now (covering the last week).

    Links are signed when a secret is configured, placeholders otherwise.
    """
    health = source_health(unhealthy_sources(store, sources, settings.unhealthy_after))
    period = period_of(sub, now)
    signed = settings.secret_key is not None
    briefing = compose_briefing(
        store,
        sub,
        settings,
        period,
        now - WEEK,
        now,
        health,
        signed=signed,
        source_names=source_names(sources),
    )
    return briefing_message(briefing, render_briefing(briefing), settings, now)
