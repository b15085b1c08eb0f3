"""Mail: MIME structure and headers, outbox files, SMTP and SES adapters (no network)."""

from __future__ import annotations

import email
import email.policy
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.stub import Stubber

from radar.errors import MailError, MailThrottled, MailUncertain
from radar.mail.message import Unsubscribe, build_message
from radar.mail.outbox import OutboxMailer
from radar.mail.ses import ATTEMPTS, SesMailer
from radar.mail.smtp import SmtpMailer

NOW = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)


def message(**overrides: Any) -> EmailMessage:
    values: dict[str, Any] = {
        "sender": "Platform Radar <radar@example.com>",
        "to": "team@example.com",
        "subject": "3 actions, 7 changes: platform briefing, week of 16 Nov",
        "text": "Plain text",
        "html": "<p>HTML</p>",
        "date": NOW,
        "ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "unsubscribe": Unsubscribe("https://radar.example.com/u?token=t", "unsub@example.com"),
        "message_id": "<m1@example.com>",
    }
    values.update(overrides)
    return build_message(**values)


def reparse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_mail_message_structure_is_mixed_alternative_plus_calendar() -> None:
    parsed = reparse(message())
    assert parsed.get_content_type() == "multipart/mixed"
    alt, cal = parsed.get_payload()  # type: ignore[misc]
    assert alt.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alt.get_payload()] == ["text/plain", "text/html"]
    assert cal.get_content_type() == "text/calendar"
    assert cal.get_filename() == "deadlines.ics"
    assert cal.get_param("method") == "PUBLISH"


def test_mail_message_without_ics_is_alternative() -> None:
    assert reparse(message(ics=None)).get_content_type() == "multipart/alternative"


def test_mail_message_one_click_unsubscribe_headers() -> None:
    parsed = reparse(message())
    assert parsed["List-Unsubscribe"] == (
        "<https://radar.example.com/u?token=t>, <mailto:unsub@example.com?subject=unsubscribe>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mail_message_arabic_subject_round_trips() -> None:
    subject = "3 إجراءات، 7 تغييرات: موجز المنصات، أسبوع 16 نوفمبر"
    parsed = reparse(message(subject=subject))
    assert parsed["Subject"] == subject
    assert parsed.get_body(("html",)) is not None


def test_mail_message_refuses_header_injection() -> None:
    with pytest.raises(ValueError, match=r"linefeed|newline|CR|LF"):
        message(to="team@example.com\r\nBcc: victim@example.com")


def test_mail_outbox_writes_eml_and_html(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox")
    assert mailer.send(message()) == "<m1@example.com>"
    (eml,) = mailer.written
    assert eml.suffix == ".eml" and eml.with_suffix(".html").read_text() == "<p>HTML</p>\n"
    assert reparse(message()).get("Subject") in eml.read_text()


def test_mail_outbox_names_are_unique(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    for _ in range(5):
        mailer.send(message())
    assert len({p.name for p in mailer.written}) == 5
    assert not list(tmp_path.glob(".tmp-*"))


def test_mail_outbox_unwritable_is_mail_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MailError, match="outbox"):
        OutboxMailer(blocker / "sub").send(message())


# --- SES ------------------------------------------------------------------------------------


def ses_client() -> Any:
    return boto3.client(
        "sesv2",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def throttled(stub: Stubber) -> None:
    stub.add_client_error(
        "send_email", service_error_code="TooManyRequestsException", http_status_code=429
    )


def test_mail_ses_retries_throttling_then_sends() -> None:
    client = ses_client()
    sleeps: list[float] = []
    with Stubber(client) as stub:
        throttled(stub)
        throttled(stub)
        stub.add_response("send_email", {"MessageId": "ses-1"})
        assert SesMailer(client, sleep=sleeps.append).send(message()) == "ses-1"
    assert len(sleeps) == 2


def test_mail_ses_gives_up_after_attempts() -> None:
    client = ses_client()
    with Stubber(client) as stub:
        for _ in range(ATTEMPTS):
            throttled(stub)
        with pytest.raises(MailThrottled):
            SesMailer(client, sleep=lambda _: None).send(message())


def test_mail_ses_rejection_is_mail_error_without_retry() -> None:
    client = ses_client()
    with Stubber(client) as stub:
        stub.add_client_error("send_email", service_error_code="MessageRejected")
        with pytest.raises(MailError, match="MessageRejected") as info:
            SesMailer(client, sleep=lambda _: pytest.fail("no retry")).send(message())
    assert not isinstance(info.value, MailThrottled)


def test_mail_ses_sends_raw_mime() -> None:
    client = ses_client()
    msg = message()
    expected = {
        "FromEmailAddress": "radar@example.com",
        "Destination": {"ToAddresses": ["team@example.com"]},
        "Content": {"Raw": {"Data": msg.as_bytes()}},
        "ConfigurationSetName": "radar",
    }
    with Stubber(client) as stub:
        stub.add_response("send_email", {"MessageId": "ses-2"}, expected)
        assert SesMailer(client, configuration_set="radar").send(msg) == "ses-2"


# --- SMTP -----------------------------------------------------------------------------------


class FakeSmtp:
    instances: ClassVar[list[FakeSmtp]] = []
    fail_with: ClassVar[BaseException | None] = None

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.calls: list[str] = [f"connect {host}:{port} timeout={timeout}"]
        FakeSmtp.instances.append(self)

    def starttls(self, context: Any) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user}")

    def send_message(self, msg: EmailMessage) -> None:
        if FakeSmtp.fail_with is not None:
            raise FakeSmtp.fail_with
        self.calls.append(f"send {msg['To']}")

    def quit(self) -> None:
        self.calls.append("quit")

    def close(self) -> None:
        self.calls.append("close")


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSmtp]:
    FakeSmtp.instances = []
    FakeSmtp.fail_with = None
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    return FakeSmtp


def test_mail_smtp_uses_starttls_login_and_timeout(fake_smtp: type[FakeSmtp]) -> None:
    mailer = SmtpMailer("mail.example.com", 587, user="u", password="p", timeout=12)
    assert mailer.send(message()) == "<m1@example.com>"
    assert fake_smtp.instances[0].calls == [
        "connect mail.example.com:587 timeout=12",
        "starttls",
        "login u",
        "send team@example.com",
        "quit",
    ]


def test_mail_smtp_temporary_failure_is_throttled(fake_smtp: type[FakeSmtp]) -> None:
    fake_smtp.fail_with = smtplib.SMTPDataError(451, b"try later")
    with pytest.raises(MailThrottled):
        SmtpMailer("mail.example.com").send(message())


def test_mail_smtp_timeout_is_uncertain(fake_smtp: type[FakeSmtp]) -> None:
    fake_smtp.fail_with = TimeoutError("timed out")
    with pytest.raises(MailUncertain):
        SmtpMailer("mail.example.com").send(message())
