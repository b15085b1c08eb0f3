"""Bounces and complaints from SES (through SNS) -> suppressed addresses.

SES publishes JSON with `notificationType` (or `eventType` when sent through a configuration
set's event destination): "Bounce" with `bounce.bounceType` and `bounce.bouncedRecipients`,
"Complaint" with `complaint.complainedRecipients`, "Delivery" (ignored). One notification may
name one or several recipients. Unknown fields are ignored, as AWS asks.

Policy: a permanent bounce or any complaint (other than feedback type "not-spam") suppresses
the address for good; transient and undetermined bounces do not (a full mailbox recovers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from radar.store.ports import SubscriptionStore
from radar.subscriptions.model import normalize_email


@dataclass(frozen=True, slots=True)
class Feedback:
    """What one SES notification says about which addresses."""

    kind: str  # "bounce", "complaint" or "delivery"
    addresses: tuple[str, ...]
    reason: str  # e.g. "bounce: Permanent/General", "complaint: abuse"
    suppress: bool


def parse_notification(message: str | Mapping[str, Any]) -> Feedback:
    """One SES notification (the SNS `Message`, JSON text or already parsed).

    ValueError with a readable reason when it is not an SES notification.
    """
    try:
        data = json.loads(message) if isinstance(message, str) else dict(message)
    except ValueError as exc:
        raise ValueError(f"SES notification is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("SES notification is not a JSON object")
    kind = str(data.get("notificationType") or data.get("eventType") or "")
    if kind == "Bounce":
        bounce = _object(data, "bounce")
        btype = str(bounce.get("bounceType", "Undetermined"))
        subtype = str(bounce.get("bounceSubType", ""))
        return Feedback(
            kind="bounce",
            addresses=_addresses(bounce.get("bouncedRecipients")),
            reason=f"bounce: {btype}/{subtype}" if subtype else f"bounce: {btype}",
            suppress=btype == "Permanent",
        )
    if kind == "Complaint":
        complaint = _object(data, "complaint")
        ftype = str(complaint.get("complaintFeedbackType") or "unspecified")
        return Feedback(
            kind="complaint",
            addresses=_addresses(complaint.get("complainedRecipients")),
            reason=f"complaint: {ftype}",
            suppress=ftype != "not-spam",
        )
    if kind == "Delivery":
        return Feedback(kind="delivery", addresses=(), reason="delivered", suppress=False)
    raise ValueError(f"not an SES bounce, complaint or delivery notification (type {kind!r})")


def parse_sns_event(event: Mapping[str, Any]) -> list[Feedback]:
    """Every SES notification in a Lambda SNS event (`Records[].Sns.Message`)."""
    records = event.get("Records")
    if not isinstance(records, list):
        raise ValueError("event has no SNS Records")
    found = []
    for record in records:
        sns = record.get("Sns") if isinstance(record, dict) else None
        if not isinstance(sns, dict) or "Message" not in sns:
            raise ValueError("SNS record without a Message")
        found.append(parse_notification(sns["Message"]))
    return found


def apply_feedback(store: SubscriptionStore, feedback: Iterable[Feedback], at: datetime) -> int:
    """Suppress every address the feedback says to; the number of addresses suppressed."""
    count = 0
    for item in feedback:
        if not item.suppress:
            continue
        for address in item.addresses:
            store.suppress(address, item.reason, at)
            count += 1
    return count


def _object(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"SES notification has no {key!r} object")
    return value


def _addresses(recipients: object) -> tuple[str, ...]:
    if not isinstance(recipients, list):
        return ()
    found: dict[str, None] = {}
    for r in recipients:
        raw = r.get("emailAddress") if isinstance(r, dict) else None
        if not isinstance(raw, str):
            continue
        # SES may give "Name <addr>"; keep the address only.
        address = raw.rsplit("<", 1)[-1].rstrip(">").strip()
        try:
            found.setdefault(normalize_email(address), None)
        except ValueError:
            continue
    return tuple(found)
