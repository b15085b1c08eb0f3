"""A full disk under the outbox (issue 13, item 4): a message is written whole or not at all.

The outbox's "sent" is its `.eml` file. A disk that fills while the message's files are being
written must leave no `.eml` (then "refused" is true and the next run may resend), never an
`.eml` reported as refused (which the next run sent a second time).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from radar.briefings.send import send_briefings
from radar.errors import MailError
from radar.mail.message import build_message
from radar.mail.outbox import OutboxMailer, write_temp_file
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.model import DeliveryStatus
from tests.support.briefings import SCHEDULED, subscription

NOW = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)


@dataclass
class FillingDisk:
    """Real temporary files until `room` files are written; then the disk is full and the next
    write fails with ENOSPC (`write_temp_file` removes what it wrote of it)."""

    room: int
    written: list[Path] = field(default_factory=list)

    def __call__(self, folder: Path, suffix: str, data: bytes) -> Path:
        if len(self.written) >= self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        tmp = write_temp_file(folder, suffix, data)
        self.written.append(tmp)
        return tmp


def message() -> EmailMessage:
    return build_message(
        sender="Platform Radar <radar@example.com>",
        to="team@example.com",
        subject="Briefing",
        text="Plain text",
        html="<p>HTML</p>",
        date=NOW,
    )


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".tmp-"))


@pytest.mark.parametrize("room", [0, 1])
def test_outbox_full_disk_leaves_no_message(tmp_path: Path, room: int) -> None:
    mailer = OutboxMailer(tmp_path, write_temp=FillingDisk(room))
    with pytest.raises(MailError, match="No space left"):
        mailer.send(message())
    assert visible(tmp_path) == []  # neither an .eml nor an orphan .html
    assert not list(tmp_path.glob(".tmp-*"))
    assert mailer.written == []


def test_outbox_message_appears_with_its_html(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path, write_temp=FillingDisk(2))
    mailer.send(message())
    (eml,) = mailer.written
    assert visible(tmp_path) == sorted([eml.name, eml.with_suffix(".html").name])
    assert not list(tmp_path.glob(".tmp-*"))


def test_outbox_full_disk_briefing_is_sent_once(tmp_path: Path) -> None:
    settings = load_settings(
        secret_key="test-secret-that-is-long-enough",
        base_url="https://radar.example.com",
        catalog=None,
    )
    outbox = tmp_path / "outbox"
    with SqliteStore(tmp_path / "radar.sqlite3") as store:
        store.put_subscription(subscription())
        full = send_briefings(
            store, OutboxMailer(outbox, write_temp=FillingDisk(1)), SCHEDULED, settings, sources=()
        )
        # The disk has room again an hour later: the next run sends the briefing.
        later = send_briefings(
            store, OutboxMailer(outbox), SCHEDULED + timedelta(hours=1), settings, sources=()
        )
        delivery = store.get_delivery("s1", "2026-W47")
    assert [o.result for o in full.outcomes] == ["failed"]
    assert [o.result for o in later.outcomes] == ["sent"]
    assert len(list(outbox.glob("*.eml"))) == 1  # was 2: the first run's .eml, then a resend
    assert delivery is not None and delivery.status is DeliveryStatus.SENT
