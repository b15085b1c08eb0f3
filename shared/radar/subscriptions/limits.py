"""Limits on subscription requests (issue 13, item 5): anyone may ask to subscribe any
address, so without limits the API mails whoever an attacker names, as often as asked.

- Per address: a pending address gets at most one confirmation mail per `CONFIRMATION_EVERY`
  (its time is kept on the pending subscription). A repeat inside that time mails nothing.
- Per client: at most `CLIENT_REQUESTS` requests per `CLIENT_WINDOW` from one source address,
  counted in the store (so every Lambda container and `radar serve` thread share the count)
  under a keyed hash of the address, never the address itself, and kept only for the window.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from radar.errors import SubscriptionError
from radar.store.codec import window_of
from radar.store.ports import SubscriptionStore
from radar.subscriptions.model import Subscription, SubscriptionStatus

CONFIRMATION_EVERY = timedelta(hours=1)
CLIENT_WINDOW = timedelta(hours=1)
# A team subscribing its members from one office network stays well below this.
CLIENT_REQUESTS = 20


class ConfirmationRecent(SubscriptionError):
    """A confirmation mail went to this pending address less than an hour ago; nothing sent."""


def confirmation_recent(existing: Subscription | None, now: datetime) -> bool:
    """Whether `existing` is pending with a confirmation mailed less than the limit ago."""
    return (
        existing is not None
        and existing.status is SubscriptionStatus.PENDING
        and existing.confirmation_sent_at is not None
        and now - existing.confirmation_sent_at < CONFIRMATION_EVERY
    )


def client_key(secret: bytes, source_ip: str) -> str:
    """The store key of a client: a keyed hash of its address (no raw IPs at rest)."""
    digest = hmac.new(secret, source_ip.encode("utf-8", "replace"), hashlib.sha256)
    return f"client:{digest.hexdigest()[:24]}"


def client_wait(store: SubscriptionStore, key: str, now: datetime) -> int | None:
    """Count this request of the client `key`; the seconds it must wait if over its limit."""
    if store.count_hit(key, now, CLIENT_WINDOW) <= CLIENT_REQUESTS:
        return None
    _, end = window_of(now, CLIENT_WINDOW)
    return max(1, math.ceil((end - now).total_seconds()))
