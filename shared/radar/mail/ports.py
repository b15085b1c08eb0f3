"""The mail port: hand over one finished message, learn whether it was accepted."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> str:
        """Send `message`; return the provider's message id once it has accepted it.

        Raises `MailThrottled` or `MailError` when the message was certainly not accepted,
        and `MailUncertain` when it may have been (a timeout after the data was sent).
        """
        ...
