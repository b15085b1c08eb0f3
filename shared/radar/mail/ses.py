"""The SES v2 mailer: SendEmail with raw MIME content, throttling retried with backoff.

The client is injected (tests pass a moto or stubbed client), or made at the first send: the API
and the mail functions build a mailer at cold start, and most of their invocations send nothing
(creating an SES client costs 20-40 ms, and more where nothing imported botocore yet). botocore
already retries throttling (standard mode); on top of that a short bounded loop with exponential
backoff and jitter rides out a burst over the account's sending rate before giving up with
MailThrottled.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from radar.errors import MailError, MailRejected, MailThrottled, MailUncertain
from radar.mail.message import recipient, sender_address

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

# The client's botocore Config (explicit timeouts, standard retries).
SES_CONFIG: dict[str, Any] = {
    "connect_timeout": 5,
    "read_timeout": 20,
    "retries": {"mode": "standard", "max_attempts": 3},
}
THROTTLE_CODES = frozenset({"TooManyRequestsException", "Throttling", "ThrottlingException"})
# Refusals of this message for good: its content or an address is invalid (InvalidParameterValue:
# "Missing final '@domain'"), or the sending identity is not verified (an operator must fix it;
# until then every retry fails the same way, and resending every hour would never end).
# Everything else (sending paused, daily quota, account suspended, outages) passes or is
# account-wide: the delivery is retried.
PERMANENT_CODES = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "BadRequestException",
        "InvalidParameterValue",
    }
)
ATTEMPTS = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0


class SesMailer:
    """Sends raw MIME through SES v2 (`send_email` with `Content.Raw`)."""

    def __init__(
        self,
        client: SESV2Client | None = None,
        *,
        configuration_set: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._client_lock = threading.Lock()  # one client, even if two threads send first
        self._configuration_set = configuration_set
        self._sleep = sleep

    @property
    def client(self) -> SESV2Client:
        """The SES client: the one given, else one made now (once)."""
        with self._client_lock:
            if self._client is None:
                import boto3  # slow to import; only AWS runs need it
                from botocore.config import Config

                self._client = boto3.client("sesv2", config=Config(**SES_CONFIG))
            return self._client

    def send(self, message: EmailMessage) -> str:
        """Send; the SES MessageId once SES has accepted the message."""
        from botocore.exceptions import (  # imported with the client, not at cold start
            BotoCoreError,
            ClientError,
            ConnectTimeoutError,
            EndpointConnectionError,
            ReadTimeoutError,
        )

        client = self.client
        kwargs: dict[str, object] = {
            "FromEmailAddress": sender_address(message),
            "Destination": {"ToAddresses": [recipient(message)]},
            "Content": {"Raw": {"Data": message.as_bytes()}},
        }
        if self._configuration_set:
            kwargs["ConfigurationSetName"] = self._configuration_set
        for attempt in range(ATTEMPTS):
            try:
                response = client.send_email(**kwargs)  # type: ignore[arg-type]
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code = error.get("Code", "")
                if code in THROTTLE_CODES and attempt + 1 < ATTEMPTS:
                    self._sleep(_backoff(attempt))
                    continue
                if code in THROTTLE_CODES:
                    raise MailThrottled(f"SES kept throttling after {ATTEMPTS} tries") from exc
                if code in PERMANENT_CODES:
                    raise MailRejected(
                        f"SES refused the message for good: {code}: {error.get('Message', '')}"
                    ) from exc
                raise MailError(
                    f"SES refused the message: {code}: {error.get('Message', '')}"
                ) from exc
            except ReadTimeoutError as exc:
                raise MailUncertain(f"SES did not answer in time: {exc}") from exc
            except (ConnectTimeoutError, EndpointConnectionError) as exc:
                raise MailError(f"SES could not be reached: {exc}") from exc
            except BotoCoreError as exc:
                raise MailError(f"SES call failed: {exc}") from exc
            return str(response["MessageId"])
        raise AssertionError("unreachable")


def _backoff(attempt: int) -> float:
    # Full jitter: spreads retries of concurrent senders apart.
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))  # noqa: S311
