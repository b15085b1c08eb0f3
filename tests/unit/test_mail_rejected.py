"""Permanent refusals (issue 13, item 12): the mailers tell "never" from "not now".

SES: MessageRejected, MailFromDomainNotVerifiedException, BadRequestException and
InvalidParameterValue (an invalid address or message) refuse this message for good;
account-wide and passing states (sending paused, daily quota, throttling, an outage) do not.
SMTP: a 5xx for the recipients or the message data is final; a 4xx is "try later".
"""

from __future__ import annotations

import smtplib

import pytest
from botocore.stub import Stubber

from radar.errors import MailError, MailRejected, MailThrottled
from radar.mail.ses import SesMailer
from radar.mail.smtp import SmtpMailer
from tests.unit.test_mail import FakeSmtp, message, ses_client


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSmtp]:
    FakeSmtp.instances = []
    FakeSmtp.fail_with = None
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    return FakeSmtp


@pytest.mark.parametrize(
    "code",
    [
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "BadRequestException",
        "InvalidParameterValue",
    ],
)
def test_mail_ses_permanent_refusal_is_rejected(code: str) -> None:
    client = ses_client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "send_email",
            service_error_code=code,
            service_message="Illegal address",
            http_status_code=400,
        )
        with pytest.raises(MailRejected, match=f"{code}: Illegal address"):
            SesMailer(client, sleep=lambda _: pytest.fail("no retry")).send(message())


@pytest.mark.parametrize(
    "code",
    [
        "SendingPausedException",
        "AccountSuspendedException",
        "LimitExceededException",
        "NotFoundException",
        "InternalFailure",
    ],
)
def test_mail_ses_passing_refusal_is_not_rejected(code: str) -> None:
    client = ses_client()
    with Stubber(client) as stub:
        stub.add_client_error("send_email", service_error_code=code, http_status_code=400)
        with pytest.raises(MailError) as info:
            SesMailer(client, sleep=lambda _: None).send(message())
    assert not isinstance(info.value, MailRejected)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"team@example.com": (550, b"5.1.1 no such user")}),
        smtplib.SMTPDataError(554, b"5.7.1 message content rejected"),
    ],
)
def test_mail_smtp_permanent_refusal_is_rejected(
    fake_smtp: type[FakeSmtp], error: Exception
) -> None:
    fake_smtp.fail_with = error
    with pytest.raises(MailRejected, match="5"):
        SmtpMailer("mail.example.com").send(message())


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (smtplib.SMTPRecipientsRefused({"team@example.com": (450, b"mailbox busy")}), MailError),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "radar@example.com"), MailError),
        (smtplib.SMTPDataError(451, b"try later"), MailThrottled),
    ],
)
def test_mail_smtp_passing_refusal_is_not_rejected(
    fake_smtp: type[FakeSmtp], error: Exception, kind: type[MailError]
) -> None:
    fake_smtp.fail_with = error
    with pytest.raises(kind) as info:
        SmtpMailer("mail.example.com").send(message())
    assert not isinstance(info.value, MailRejected)
