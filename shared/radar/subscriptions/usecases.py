"""Subscribing: double opt-in, confirm and unsubscribe, for briefings and alerts alike.

The store and mailer come in as arguments, and time as `now`, so the API, `radar subscribe`
and tests run the same code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage

from radar.errors import InvalidToken, MailError, MailUncertain, SubscriptionError
from radar.mail.message import build_message
from radar.mail.ports import Mailer
from radar.render.briefing import render_confirmation
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.subscriptions.limits import ConfirmationRecent, confirmation_recent
from radar.subscriptions.model import (
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
    next_due,
    normalize_email,
)
from radar.subscriptions.tokens import Purpose, make_token, read_token, secret_from, verify_token


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    email: str
    platforms: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    weekday: int = 0
    hour: int = 8
    tz: str = "UTC"
    lang: str = "en"
    empty_week: EmptyWeek = EmptyWeek.NOTE
    # Alerts (docs/trends.md, "Alerts"): weekly False with alerts is alerts only.
    weekly: bool = True
    alerts: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()


def subscribe(
    store: BriefingStore,
    mailer: Mailer,
    now: datetime,
    settings: Settings,
    request: SubscribeRequest,
) -> tuple[Subscription, str]:
    """Create (or renew) a pending subscription and mail the confirmation link.

    Returns the subscription and the confirm token. Nothing else is mailed until confirmed.
    Raises SubscriptionError for a request that is not a subscription, a suppressed or active
    address, and (`ConfirmationRecent`) a pending one mailed less than an hour ago: nothing is
    stored or sent then. Whatever the address's state, the same reads, signing and rendering
    happen before that is decided, so the work done does not tell states apart (the API evens
    out the rest: radar.subscriptions.timing).
    """
    try:
        email = normalize_email(request.email)
    except ValueError as exc:
        raise SubscriptionError(str(exc)) from None
    secret = secret_from(settings)
    base = settings.link_base()  # before anything is stored: no link, no mail
    suppressed = store.is_suppressed(email)
    existing = store.find_subscription(email)
    sub = new_subscription(request, existing.id if existing else secrets.token_hex(8), now)
    token = make_token(secret, Purpose.CONFIRM, sub.id, sub.email)
    message = _confirmation(sub, f"{base}/subscriptions/confirm?token={token}", settings, now)
    if suppressed:
        raise SubscriptionError(
            f"{email} bounced or complained before, so Radar will not mail it again"
        )
    if existing is not None and existing.status is SubscriptionStatus.ACTIVE:
        raise SubscriptionError(
            f"{email} is already subscribed; change what it gets with the manage link in any "
            "briefing or alert"
        )
    if confirmation_recent(existing, now):
        raise ConfirmationRecent(
            f"a confirmation link went to {email} less than an hour ago; use it, or ask again later"
        )
    store.put_subscription(sub)
    try:
        mailer.send(message)
    except MailUncertain:
        raise  # it may have gone: the hour's limit holds
    except MailError:
        store.put_subscription(replace(sub, confirmation_sent_at=None))  # nothing went out
        raise
    return sub, token


def new_subscription(
    request: SubscribeRequest, sub_id: str = "new", now: datetime | None = None
) -> Subscription:
    """The pending subscription a request asks for (confirmation mailed at `now`);
    SubscriptionError naming what is wrong (a subscription that asks for nothing, ...)."""
    try:
        return Subscription(
            id=sub_id,
            email=normalize_email(request.email),
            platforms=request.platforms,
            categories=request.categories,
            severities=request.severities,
            weekday=request.weekday,
            hour=request.hour,
            tz=request.tz,
            lang=request.lang,
            empty_week=request.empty_week,
            weekly=request.weekly,
            alerts=request.alerts,
            regions=request.regions,
            status=SubscriptionStatus.PENDING,
            created_at=now,
            confirmation_sent_at=now,
        )
    except ValueError as exc:
        raise SubscriptionError(str(exc)) from None


def _confirmation(
    sub: Subscription, confirm_url: str, settings: Settings, now: datetime
) -> EmailMessage:
    subject, html, text = render_confirmation(
        lang=sub.lang,
        confirm_url=confirm_url,
        weekday=sub.weekday,
        hour=sub.hour,
        tz=sub.tz,
        platforms=sorted(sub.platforms),
        weekly=sub.weekly,
        alerts=bool(sub.alerts),
        regions=sorted(sub.regions),
    )
    # Transactional, not bulk: no List-Unsubscribe (there is nothing to unsubscribe from yet).
    return build_message(
        sender=settings.sender, to=sub.email, subject=subject, text=text, html=html, date=now
    )


def confirm(store: BriefingStore, token: str, now: datetime, settings: Settings) -> Subscription:
    """Activate a pending subscription from its confirm token (idempotent)."""
    sub = _verified(store, token, Purpose.CONFIRM, settings)
    if sub.status is SubscriptionStatus.ACTIVE:
        return sub
    if sub.status is not SubscriptionStatus.PENDING:
        raise InvalidToken(f"this subscription is {sub.status.value}; subscribe again")
    updated = store.set_status(
        sub.id, SubscriptionStatus.ACTIVE, at=now, next_due=next_due(sub, now)
    )
    assert updated is not None
    return updated


def unsubscribe(
    store: BriefingStore, token: str, now: datetime, settings: Settings
) -> Subscription:
    """Stop briefings for the token's subscription (idempotent; manage tokens work too)."""
    claims = read_token(token)
    purpose = Purpose.MANAGE if claims.purpose is Purpose.MANAGE else Purpose.UNSUBSCRIBE
    sub = _verified(store, token, purpose, settings)
    if sub.status in (SubscriptionStatus.UNSUBSCRIBED, SubscriptionStatus.SUPPRESSED):
        return sub
    updated = store.set_status(sub.id, SubscriptionStatus.UNSUBSCRIBED, at=now, reason="link")
    assert updated is not None
    return updated


def _verified(
    store: BriefingStore, token: str, purpose: Purpose, settings: Settings
) -> Subscription:
    claims = read_token(token)
    sub = store.get_subscription(claims.subscription_id)
    if sub is None:
        raise InvalidToken("this link is for a subscription that no longer exists")
    verify_token(secret_from(settings), token, purpose, sub.id, sub.email)
    return sub
