"""Builds the MIME message: text and HTML alternatives, an optional .ics, bulk-mail headers.

Structure: multipart/mixed [ multipart/alternative [ text/plain, text/html ], text/calendar ]
(no calendar: just the multipart/alternative). Every bulk message carries `List-Unsubscribe`
with an https and a mailto target and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
(RFC 8058), which Gmail and Yahoo require of bulk senders.
"""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

# SMTP policy: CRLF line endings and lines folded at 78, which every mail system accepts.
POLICY = email.policy.SMTP


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """The one-click unsubscribe targets of a bulk message."""

    https: str
    mailto: str  # an address; the subject line names the subscription


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    date: datetime,
    ics: bytes | None = None,
    unsubscribe: Unsubscribe | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """One message, ready for any Mailer. Header values may not contain line breaks."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id or make_msgid(domain=_domain(sender))
    msg["MIME-Version"] = "1.0"
    if unsubscribe is not None:
        mailto = f"mailto:{unsubscribe.mailto}?subject=unsubscribe"
        msg["List-Unsubscribe"] = f"<{unsubscribe.https}>, <{mailto}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if ics is not None:
        msg.add_attachment(
            ics,
            maintype="text",
            subtype="calendar",
            filename="deadlines.ics",
            params={"method": "PUBLISH"},
        )
    return msg


def recipient(message: EmailMessage) -> str:
    """The bare address of the message's To header."""
    return parseaddr(str(message["To"]))[1]


def sender_address(message: EmailMessage) -> str:
    """The bare address of the message's From header."""
    return parseaddr(str(message["From"]))[1]


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"
