"""Per-run deadlines on AWS (issue 13, item 5): the handlers stop starting work they could not
finish before Lambda's timeout, and leave it for the next run.

Each handler is called with a fake context whose remaining time is short (less than the
handler's safety margin): nothing is started, nothing is left half done (no claim, no
"sending"), and a run with time to spare afterwards does all of it. The use cases are also
run with a deadline that passes midway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from radar.alerts.send import send_alerts
from radar.briefings.send import send_briefings
from radar.run_deadline import RunDeadline
from radar.settings import load_settings
from radar.store.dynamodb import DynamoDbStore
from radar.store.sqlite import SqliteStore
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.store.trend_sqlite import SqliteTrendStore
from radar.subscriptions.model import Subscription, SubscriptionStatus, period_of
from tests.integration.test_briefings_use_case import FakeMailer
from tests.integration.test_handler_watch_source import (  # noqa: F401 (fixtures)
    NEWSROOM,
    RELEASES,
    batch,
    fetcher,
    handler,
    injected,
    request,
)
from tests.integration.test_send_alerts import (  # noqa: F401 (fixtures)
    alerts_handler,
    recorded_rise,
    subscriber,
    trends,
)
from tests.integration.test_send_briefings import (  # noqa: F401 (fixtures)
    due_subscriber,
    env,
    load_handler,
    sent_messages,
)
from tests.support.briefings import SCHEDULED, subscription
from tests.support.fakes import ScriptedFetcher


@dataclass
class Context:
    """A Lambda context with `remaining_ms` left (what Powertools and the handlers read)."""

    remaining_ms: int = 600_000
    function_name: str = "test"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test"
    aws_request_id: str = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def short(module: ModuleType) -> Context:
    """Less time left than the handler keeps in reserve."""
    return Context(remaining_ms=int(module.MARGIN * 1000) - 1)


@pytest.fixture
def send_handler(env: DynamoDbStore) -> ModuleType:  # noqa: F811
    module = load_handler("send_briefings")
    yield module  # type: ignore[misc]
    module.build_deps.cache_clear()


# --- send_briefings -------------------------------------------------------------------------


def test_deadline_send_briefings_handler_out_of_time_starts_nothing(
    send_handler: ModuleType,
    env: DynamoDbStore,  # noqa: F811
) -> None:
    sid = due_subscriber(env)
    before = env.get_subscription(sid)
    out_of_time = send_handler.lambda_handler({}, short(send_handler))
    assert (out_of_time["due"], out_of_time["sent"], out_of_time["deferred"]) == (1, 0, 1)
    assert sent_messages() == []
    # Still due, nothing claimed: the next run is not held up by a lease.
    assert env.get_subscription(sid) == before
    assert before is not None and before.next_due is not None
    assert env.get_delivery(sid, period_of(before, before.next_due)) is None
    later = send_handler.lambda_handler({}, Context())
    assert (later["sent"], later["deferred"]) == (1, 0)
    assert len(sent_messages()) == 1


class Ticks:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_deadline_send_briefings_stops_midway_and_the_next_run_finishes(tmp_path: Path) -> None:
    settings = load_settings(
        secret_key="test-secret-that-is-long-enough",
        base_url="https://radar.example.com",
        catalog=None,
    )
    with SqliteStore(tmp_path / "radar.sqlite3") as store:
        for k in range(3):
            store.put_subscription(subscription(id=f"s{k}", email=f"t{k}@example.com"))
        mailer = FakeMailer()
        ticks = Ticks()
        # One check before each subscriber: the clock reads 1 and 2 (before 2.5), then 3.
        first = send_briefings(
            store, mailer, SCHEDULED, settings, sources=(), deadline=RunDeadline(2.5, ticks)
        )
        statuses = [store.get_subscription(f"s{k}") for k in range(3)]
        second = send_briefings(store, mailer, SCHEDULED + timedelta(hours=1), settings, sources=())
    assert [o.result for o in first.outcomes] == ["sent", "sent", "deferred"]
    assert [s.next_due if s else None for s in statuses][2] == SCHEDULED  # still due
    assert [o.result for o in second.outcomes] == ["sent"]
    assert len(mailer.sent) == 3


# --- send_alerts ----------------------------------------------------------------------------


def test_deadline_send_alerts_handler_out_of_time_starts_nothing(
    alerts_handler: ModuleType,  # noqa: F811
    env: DynamoDbStore,  # noqa: F811
    trends: DynamoDbTrendStore,  # noqa: F811
) -> None:
    subscriber(env, "strategist@example.com", alerts=frozenset({"emerging"}), weekly=False)
    recorded_rise(trends)
    out_of_time = alerts_handler.lambda_handler({}, short(alerts_handler))
    assert (out_of_time["sent"], out_of_time["deferred"]) == (0, 1)
    assert sent_messages() == []
    later = alerts_handler.lambda_handler({}, Context())
    assert (later["sent"], later["deferred"]) == (1, 0)


def test_deadline_send_alerts_stops_midway(tmp_path: Path) -> None:
    from radar.model import Source, SourceKind
    from radar.trends.model import Link, Mention, TermCount, TrendSignal

    settings = load_settings(
        secret_key="test-secret-that-is-long-enough",
        base_url="https://radar.example.com",
        catalog=None,
    )
    fired = datetime(2026, 11, 16, 9, tzinfo=UTC)
    path = tmp_path / "radar.sqlite3"
    with SqliteStore(path) as store, SqliteTrendStore(path) as trend_store:
        for k in range(3):
            store.put_subscription(
                Subscription(
                    id=f"a{k}",
                    email=f"a{k}@example.com",
                    status=SubscriptionStatus.ACTIVE,
                    weekly=False,
                    alerts=frozenset({"emerging"}),
                    confirmed_at=fired - timedelta(days=3),
                )
            )
        sources = ("trend-hn", "trend-x")
        for source in sources:
            mention = Mention(f"{source}-1", Link(f"https://news.example/{source}", "Noplace"))
            trend_store.add_counts(
                source, fired.date(), [TermCount("noplace", fired.date(), source, (mention,))]
            )
        assert trend_store.put_signal(
            TrendSignal("noplace", "Noplace", 1, fired.date(), fired, 6.0, 8, 0.4, sources, 2)
        )
        catalog = [Source(s, "trends", SourceKind.JSON, f"https://{s}.example/") for s in sources]
        mailer = FakeMailer()
        now = fired + timedelta(minutes=5)
        first = send_alerts(
            store,
            trend_store,
            mailer,
            now,
            settings,
            sources=catalog,
            deadline=RunDeadline(1.5, Ticks()),  # one send, then the deadline is gone
        )
        second = send_alerts(
            store, trend_store, mailer, now + timedelta(hours=1), settings, sources=catalog
        )
    assert [o.result for o in first.outcomes] == ["sent", "deferred", "deferred"]
    assert sorted(o.result for o in second.outcomes) == ["done-before", "sent", "sent"]
    assert len(mailer.sent) == 3


# --- watch_source ---------------------------------------------------------------------------


def test_deadline_watch_source_handler_out_of_time_returns_the_batch(
    injected: ModuleType,  # noqa: F811
    fetcher: ScriptedFetcher,  # noqa: F811
) -> None:
    event = batch(("m1", request(NEWSROOM)), ("m2", request(RELEASES)))
    out_of_time = injected.lambda_handler(event, short(injected))
    assert out_of_time == {
        "batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]
    }
    assert fetcher.calls == []  # nothing was started
    assert injected.lambda_handler(event, Context()) == {"batchItemFailures": []}
    assert len(fetcher.calls) == 2


def test_deadline_watch_source_handler_returns_only_what_it_could_not_start(
    injected: ModuleType,  # noqa: F811
    fetcher: ScriptedFetcher,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first record's fetch uses up the time: the second is not started.
    left = {"ms": int(injected.MARGIN * 1000) + 5_000}

    def slow(url: str) -> None:
        left["ms"] = 0

    fetcher.hook = slow
    ticking = Context()
    monkeypatch.setattr(ticking, "get_remaining_time_in_millis", lambda: left["ms"])
    event = batch(("m1", request(NEWSROOM)), ("m2", request(RELEASES)))
    assert injected.lambda_handler(event, ticking) == {
        "batchItemFailures": [{"itemIdentifier": "m2"}]
    }
    assert len(fetcher.calls) == 1
