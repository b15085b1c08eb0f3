"""The local mailer: each message becomes an `.eml` file (and its HTML an `.html` file).

A message is written all or nothing: both files go to temporary names in the same folder
first, and only once both are on disk are they renamed, the `.eml` last. The `.eml` is the
message: while it is absent nothing was sent, so a failure before its rename (a full disk) is a
certain refusal that the next run may retry, and no failure can follow it. Files are named
uniquely (time, recipient, random suffix), so two runs never overwrite each other.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from radar.errors import MailError
from radar.mail.message import recipient

# (folder, suffix, data) -> the temporary file in `folder` now holding `data`.
WriteTemp = Callable[[Path, str, bytes], Path]


class OutboxMailer:
    """Writes messages to a folder instead of sending them."""

    def __init__(self, folder: Path, *, write_temp: WriteTemp | None = None) -> None:
        self.folder = Path(folder)
        self._write_temp = write_temp or write_temp_file
        self.written: list[Path] = []  # the .eml files written, in order

    def send(self, message: EmailMessage) -> str:
        """Write the message; its Message-ID is the "accepted" id."""
        self.write(message)
        return str(message["Message-ID"])

    def write(self, message: EmailMessage) -> Path:
        """Write `<name>.eml` and, if the message has HTML, `<name>.html`; return the .eml.

        MailError (and no file left behind) when either cannot be written.
        """
        stem = self._stem(message)
        eml = self.folder / f"{stem}.eml"
        files = [(eml, message.as_bytes())]
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            files.insert(0, (eml.with_suffix(".html"), str(html.get_content()).encode("utf-8")))
        staged: list[tuple[Path, Path]] = []
        published: list[Path] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for final, data in files:
                staged.append((self._write_temp(self.folder, final.suffix, data), final))
            for tmp, final in staged:  # the .eml last: once it is there, the message is sent
                os.replace(tmp, final)
                published.append(final)
        except OSError as exc:
            for path in [tmp for tmp, _ in staged] + published:
                path.unlink(missing_ok=True)
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


def write_temp_file(folder: Path, suffix: str, data: bytes) -> Path:
    """Write `data` to a new hidden temporary file in `folder`, on disk (fsync) when it returns."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp
