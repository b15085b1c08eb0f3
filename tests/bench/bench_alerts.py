"""Benchmark: `send_alerts` for many strategists (the alert mail's whole path).

Run: PYTHONPATH=. python tests/bench/bench_alerts.py
Writes its figures to stdout (committed as tests/bench/reports/alerts.txt). Pinned to one CPU.

1. Rendering one alert (English and Arabic): median over repeated renders.
2. The whole `send_alerts` for 1,000 alert subscribers (mixed languages, regions and platform
   filters) and 3 rises on SQLite with a mailer that only counts: listing, filters, claims,
   rendering, MIME building, marking sent. Then a second run (everything done before).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from radar.alerts.send import send_alerts
from radar.model import Source, SourceKind
from radar.render.alert import render_alert
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.subscriptions.model import SubscriptionStatus
from radar.trends.model import Link, Mention, TermCount, TrendSignal
from radar.trends.usecases import alert_for
from tests.support.briefings import subscription

NOW = datetime(2026, 11, 16, 9, 10, tzinfo=UTC)
SOURCES = [
    Source("hn", "trends", SourceKind.JSON, "https://hn.example/"),
    Source("gt-in", "trends", SourceKind.RSS, "https://gt.example/in", selectors={"region": "IN"}),
    Source("gt-us", "trends", SourceKind.RSS, "https://gt.example/us", selectors={"region": "US"}),
]
RISES = (("noplace", ("hn", "gt-in")), ("bluesky", ("hn", "gt-us")), ("spill", ("gt-in",)))


class CountingMailer:
    def __init__(self) -> None:
        self.sent = 0

    def send(self, message: EmailMessage) -> str:
        self.sent += 1
        return f"m{self.sent}"


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one CPU"
    return "not pinned"


def seed(trends: SqliteTrendStore) -> None:
    for term, sources in RISES:
        for day in range(14):
            d = (NOW - timedelta(days=13 - day)).date()
            for source in sources:
                mentions = tuple(
                    Mention(
                        f"{term}{source}{day}{k}", Link(f"https://n.example/{k}", f"{term} {k}")
                    )
                    for k in range(1 + day // 3)
                )
                trends.add_counts(source, d, [TermCount(term, d, source, mentions)])
        signal = TrendSignal(
            term, term, 1, NOW.date(), NOW - timedelta(minutes=5), 5.0, 9, 0.5, sources, 2
        )
        trends.put_signal(signal)


def main() -> None:
    print(f"bench_alerts: Python {platform.python_version()}, {pin_one_core()}")
    settings = load_settings(secret_key="bench-secret-long-enough", catalog=None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "radar.sqlite3"
        with SqliteStore(path) as store, SqliteTrendStore(path) as trends:
            seed(trends)
            content = alert_for(trends.signals_between(NOW - timedelta(days=1), NOW)[0], trends)
            for lang in ("en", "ar"):
                times = []
                for _ in range(200):
                    t = time.perf_counter()
                    render_alert(content, unsubscribe_url="https://r.example/u", lang=lang)
                    times.append(time.perf_counter() - t)
                print(f"render one alert ({lang}): median {statistics.median(times) * 1000:.2f} ms")
            rng = random.Random(7)
            for k in range(1000):
                store.put_subscription(
                    subscription(
                        lang=rng.choice(("en", "ar")),
                        id=f"s{k:04d}",
                        email=f"s{k:04d}@example.com",
                        alerts=frozenset({"emerging"}),
                        weekly=rng.random() < 0.5,
                        regions=rng.choice((frozenset(), frozenset({"IN"}), frozenset({"US"}))),
                        platforms=rng.choice((frozenset(), frozenset({"instagram"}))),
                        status=SubscriptionStatus.ACTIVE,
                        confirmed_at=NOW - timedelta(days=30),
                    )
                )
            mailer = CountingMailer()
            t = time.perf_counter()
            report = send_alerts(store, trends, mailer, NOW, settings, sources=SOURCES)
            first = time.perf_counter() - t
            t = time.perf_counter()
            again = send_alerts(store, trends, mailer, NOW, settings, sources=SOURCES)
            second = time.perf_counter() - t
    print(
        f"send_alerts, 1,000 subscribers x 3 rises: {report.count('sent')} sent in {first:.2f} s "
        f"({first / max(report.count('sent'), 1) * 1000:.2f} ms per alert)"
    )
    print(
        f"second run: {again.count('done-before')} done-before, {mailer.sent} mails in total, "
        f"{second:.2f} s"
    )


if __name__ == "__main__":
    main()
