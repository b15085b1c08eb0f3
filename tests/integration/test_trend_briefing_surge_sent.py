"""Issue 12 on both stores: `send_briefings` with a trend store gives the week's surges of the
platforms a subscriber follows a line in the briefing; emerging rises stay alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from radar.briefings.send import send_briefings
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import TrendSignal
from tests.integration.test_briefings_use_case import (  # noqa: F401 (settings: a fixture)
    DUE,
    FakeMailer,
    body,
    settings,
    subscribed,
)


def test_trend_briefing_surge_line_in_the_sent_briefing(
    store: BriefingStore,
    settings: Settings,  # noqa: F811
    tmp_path: Path,
) -> None:
    mailer = FakeMailer()
    subscribed(store, mailer, settings)  # follows instagram and tiktok
    at = DUE - timedelta(days=2)
    with SqliteTrendStore(tmp_path / "trends.sqlite3") as trends:
        for term, kind in (("tiktok", "surge"), ("facebook", "surge"), ("noplace", "emerging")):
            signal = TrendSignal(term, term.title(), 1, at.date(), at, 6.0, 16, 2.1, ("hn",), 2)
            assert trends.put_signal(replace(signal, kind=kind))
        report = send_briefings(store, mailer, DUE, settings, sources=(), trend_store=trends)
    assert report.count("sent") == 1
    text = body(mailer.sent[0])
    assert "Tiktok was unusually in the news (16 mentions" in text
    assert "Facebook" not in text.split("In the news")[1]  # not a platform this team follows
    assert "Noplace" not in text  # emerging names are alerts, not briefing lines
