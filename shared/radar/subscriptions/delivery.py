"""Exactly-once mail delivery, shared by weekly briefings and alerts.

Both claim (subscriber, period) with `SubscriptionStore.claim_delivery` BEFORE composing
anything, then hand the message to `send_claimed`: mark "sending", call the mailer, mark
"sent" (or "rejected" when the mail service refused it for good, or release the claim when it
refused it for now). The semantics and why a "sending" delivery is never sent again:
docs/briefings.md, "Delivery semantics".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from radar.errors import MailError, MailRejected, MailUncertain
from radar.mail.ports import Mailer
from radar.settings import Settings
from radar.store.ports import SubscriptionStore
from radar.subscriptions.model import FINISHED, DeliveryStatus

# A rejection's reason is kept for the admin; SES messages are short, this caps a verbose one.
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class Sent:
    """What became of one claimed delivery."""

    result: str  # sent | busy | uncertain | rejected | failed
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
    - rejected: the mail service refused it for good; recorded with the reason, never retried;
    - failed: the mailer refused it for now; the claim is released so a later run retries;
    - sent: accepted and recorded.
    """
    if not store.mark_delivery(sub_id, period, claim, DeliveryStatus.SENDING):
        return Sent("busy", detail="claim taken over")
    try:
        message_id = mailer.send(message)
    except MailUncertain as exc:
        return Sent("uncertain", detail=str(exc))
    except MailRejected as exc:
        reason = str(exc)[:REASON_MAX]
        store.mark_delivery(sub_id, period, claim, DeliveryStatus.REJECTED, at=now, reason=reason)
        return Sent("rejected", detail=reason)
    except MailError as exc:
        store.release_delivery(sub_id, period, claim)
        return Sent("failed", detail=str(exc))
    store.mark_delivery(sub_id, period, claim, DeliveryStatus.SENT, at=now, message_id=message_id)
    return Sent("sent", message_id=message_id)


def refused_claim(
    store: SubscriptionStore, sub_id: str, period: str, now: datetime, lease: timedelta
) -> Sent:
    """Why `claim_delivery` (at `now`, with `lease`) returned None for (sub_id, period).

    - done-before: it was sent, skipped or rejected already;
    - done-elsewhere: another run claimed it within the lease and is sending it now;
    - uncertain: a send that started longer than the lease ago never finished (the run
      crashed after calling the mailer; never resent automatically);
    - busy: another run holds a live claim and has not started sending.
    """
    existing = store.get_delivery(sub_id, period)
    if existing is not None and existing.status in FINISHED:
        return Sent("done-before")
    if existing is not None and existing.status is DeliveryStatus.SENDING:
        # A send takes seconds and a lease is minutes: a recent claim is a live run's
        # (concurrent runs), which reports its own outcome; only a stale one is ours to flag.
        if existing.claimed_at > now - lease:
            return Sent("done-elsewhere", detail="another run is sending it")
        return Sent("uncertain", detail="an earlier send never finished")
    return Sent("busy", detail="another run holds the claim")


def unsubscribe_mailto(settings: Settings) -> str:
    """The mailto target of List-Unsubscribe: the configured one, else the sender's address."""
    return settings.unsubscribe_mailto or parseaddr(settings.sender)[1]
