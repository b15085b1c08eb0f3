"""`radar run` names every outcome of a send run, the new ones included (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime

from radar.briefings.send import Outcome, SendReport
from radar.cli.briefing import describe


def test_cli_describe_counts_rejected_and_done_elsewhere() -> None:
    report = SendReport(
        datetime(2026, 11, 16, 5, tzinfo=UTC),
        (
            Outcome("s1", "2026-W47", "sent"),
            Outcome("s2", "2026-W47", "rejected", detail="MessageRejected"),
            Outcome("s3", "2026-W47", "done-elsewhere"),
        ),
    )
    assert describe(report) == (
        "1 briefing sent, 1 refused by the mail service, 1 already sent by another run"
    )
