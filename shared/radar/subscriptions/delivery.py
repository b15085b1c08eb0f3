"""Exactly-once mail delivery, shared by weekly briefings and alerts.

Both claim (subscriber, period) with `SubscriptionStore.claim_delivery` BEFORE composing
anything, then hand the message to `send_claimed`: mark "sending", call the mailer, mark
"sent" (or release the claim when the mailer certainly refused). The semantics and why a
"sending" delivery is never sent again: docs/briefings.md, "Delivery semantics".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr

from radar.errors import MailError, MailUncertain
from radar.mail.ports import Mailer
from radar.settings import Settings
from radar.store.ports import SubscriptionStore
from radar.subscriptions.model import FINISHED, DeliveryStatus


@dataclass(frozen=True, slots=True)
class Sent:
    """What became of one claimed delivery."""

    result: str  # sent | busy | uncertain | failed
    message_id: str = ""
    detail: str = ""


def send_claimed(
    store: SubscriptionStore,
    mailer: Mailer,
    sub_id: str,
    period: str,
    claim: str,
    message: EmailMessage,
    now: datetime,
) -> Sent:
    """Send `message` for a delivery this run has claimed, moving the delivery on.

    - busy: the claim was taken over before sending (nothing sent);
    - uncertain: the mailer may have accepted it; left "sending", never resent automatically;
    - failed: the mailer certainly refused it; the claim is released so a later run retries;
    - sent: accepted and recorded.
    """
    if not store.mark_delivery(sub_id, period, claim, DeliveryStatus.SENDING):
        return Sent("busy", detail="claim taken over")
    try:
        message_id = mailer.send(message)
    except MailUncertain as exc:
        return Sent("uncertain", detail=str(exc))
    except MailError as exc:
        store.release_delivery(sub_id, period, claim)
        return Sent("failed", detail=str(exc))
    store.mark_delivery(sub_id, period, claim, DeliveryStatus.SENT, at=now, message_id=message_id)
    return Sent("sent", message_id=message_id)


def refused_claim(store: SubscriptionStore, sub_id: str, period: str) -> Sent:
    """Why `claim_delivery` returned None for (sub_id, period).

    - done-before: it was sent (or skipped) already;
    - uncertain: an earlier send never finished (never resent automatically);
    - busy: another run holds a live claim.
    """
    existing = store.get_delivery(sub_id, period)
    if existing is not None and existing.status in FINISHED:
        return Sent("done-before")
    if existing is not None and existing.status is DeliveryStatus.SENDING:
        return Sent("uncertain", detail="an earlier send never finished")
    return Sent("busy", detail="another run holds the claim")


def unsubscribe_mailto(settings: Settings) -> str:
    """The mailto target of List-Unsubscribe: the configured one, else the sender's address."""
    return settings.unsubscribe_mailto or parseaddr(settings.sender)[1]
