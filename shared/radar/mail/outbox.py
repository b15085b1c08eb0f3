"""The local mailer: each message becomes an `.eml` file (and its HTML an `.html` file).

Files are written atomically (a temporary file in the same folder, then renamed), so a reader
never sees half a message, and named uniquely (time, recipient, random suffix), so two runs
never overwrite each other.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from radar.errors import MailError
from radar.mail.message import recipient


class OutboxMailer:
    """Writes messages to a folder instead of sending them."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.written: list[Path] = []  # the .eml files written, in order

    def send(self, message: EmailMessage) -> str:
        """Write the message; its Message-ID is the "accepted" id."""
        self.write(message)
        return str(message["Message-ID"])

    def write(self, message: EmailMessage) -> Path:
        """Write `<name>.eml` and, if the message has HTML, `<name>.html`; return the .eml."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = self._stem(message)
            eml = self.folder / f"{stem}.eml"
            _atomic_write(eml, message.as_bytes())
            html = message.get_body(preferencelist=("html",))
            if html is not None:
                _atomic_write(self.folder / f"{stem}.html", str(html.get_content()).encode("utf-8"))
        except OSError as exc:
            raise MailError(f"cannot write to the outbox folder {self.folder}: {exc}") from exc
        self.written.append(eml)
        return eml

    def _stem(self, message: EmailMessage) -> str:
        try:
            when = parsedate_to_datetime(str(message["Date"])).astimezone(UTC)
        except (TypeError, ValueError):
            when = datetime.fromtimestamp(0, UTC)
        who = re.sub(r"[^A-Za-z0-9._-]+", "_", recipient(message))[:60] or "unknown"
        return f"{when:%Y%m%dT%H%M%SZ}-{who}-{secrets.token_hex(4)}"


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
