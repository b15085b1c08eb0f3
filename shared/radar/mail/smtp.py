"""The SMTP mailer: STARTTLS (or implicit TLS on port 465), login, timeouts."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from radar.errors import MailError, MailRejected, MailThrottled, MailUncertain


class SmtpMailer:
    """Sends through an SMTP server; one connection per message (briefings are few)."""

    def __init__(
        self,
        host: str,
        port: int = 587,
        *,
        user: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._user = user
        self._password = password
        self._starttls = starttls
        self._timeout = timeout
        self._context = context or ssl.create_default_context()

    def send(self, message: EmailMessage) -> str:
        """Send; the Message-ID header is the id (SMTP servers do not return one)."""
        try:
            server = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                f"cannot connect to SMTP server {self._host}:{self._port}: {exc}"
            ) from exc
        try:
            server.send_message(message)
        except smtplib.SMTPSenderRefused as exc:  # our From: a setting to fix, then retry
            raise MailError(
                f"SMTP server {self._host} refused the sender: {exc.smtp_code} {exc.smtp_error!r}"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            text = (
                f"SMTP server {self._host} refused the message: {exc.smtp_code} {exc.smtp_error!r}"
            )
            if 400 <= exc.smtp_code < 500:
                raise MailThrottled(text) from exc
            if isinstance(exc, smtplib.SMTPDataError):  # 5xx to the message itself: final
                raise MailRejected(text) from exc
            raise MailError(text) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            text = f"SMTP server {self._host} refused the recipient: {exc.recipients}"
            # 5xx for every recipient is final (RFC 5321: no such mailbox, bad address).
            if all(code >= 500 for code, _ in exc.recipients.values()):
                raise MailRejected(text) from exc
            raise MailError(text) from exc
        except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:
            # The data may have reached the server before it went quiet.
            raise MailUncertain(f"SMTP server {self._host} stopped answering: {exc}") from exc
        finally:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()
        return str(message["Message-ID"])

    def _connect(self) -> smtplib.SMTP:
        if self._port == 465:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                self._host, self._port, timeout=self._timeout, context=self._context
            )
        else:
            server = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            if self._starttls:
                server.starttls(context=self._context)
        if self._user:
            server.login(self._user, self._password)
        return server
