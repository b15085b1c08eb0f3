"""The `send_alerts` Lambda on moto: DynamoDB and SES v2, the sent MIME read back and parsed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from bs4 import BeautifulSoup

from radar.settings import load_settings
from radar.store.dynamodb import DynamoDbStore
from radar.store.trend_dynamodb import DynamoDbTrendStore
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe
from radar.trends.model import Link, Mention, TermCount, TrendSignal
from tests.integration.test_send_briefings import (
    Ctx,
    NullMailer,
    env,  # noqa: F401 (a fixture: DynamoDB table, SES identity, settings in the environment)
    load_handler,
    sent_messages,
)

HOSTILE = '<script>alert(1)</script><img src="https://tracker.example/p.gif">Noplace'


@pytest.fixture
def alerts_handler(env: DynamoDbStore) -> Iterator[ModuleType]:  # noqa: F811
    module = load_handler("send_alerts")
    yield module
    module.build_deps.cache_clear()


@pytest.fixture
def trends(dynamodb_client: Any, table_name: str) -> DynamoDbTrendStore:
    return DynamoDbTrendStore(table_name, client=dynamodb_client)


def subscriber(store: DynamoDbStore, address: str, **fields: Any) -> str:
    settings = load_settings()
    signup = datetime.now(UTC) - timedelta(days=3)
    sub, token = subscribe(
        store, NullMailer(), signup, settings, SubscribeRequest(email=address, **fields)
    )
    confirm(store, token, signup, settings)
    return sub.id


def recorded_rise(trends: DynamoDbTrendStore, term: str = "noplace") -> TrendSignal:
    fired = datetime.now(UTC) - timedelta(minutes=10)
    for source in ("trend-hn", "trend-techcrunch-social"):
        mentions = tuple(
            Mention(f"{source}{k}", Link(f"https://news.example/{source}/{k}", HOSTILE))
            for k in range(3)
        )
        trends.add_counts(source, fired.date(), [TermCount(term, fired.date(), source, mentions)])
    signal = TrendSignal(
        term, term, 1, fired.date(), fired, 5.5, 6, 0.3, ("trend-hn", "trend-techcrunch-social"), 1
    )
    assert trends.put_signal(signal)
    return signal


def test_send_alerts_handler_sends_parsable_mime(
    alerts_handler: ModuleType,
    env: DynamoDbStore,  # noqa: F811
    trends: DynamoDbTrendStore,
) -> None:
    subscriber(env, "strategist@example.com", alerts=frozenset({"emerging"}), weekly=False)
    recorded_rise(trends)
    result = alerts_handler.lambda_handler({}, Ctx())
    assert (result["considered"], result["sent"]) == (1, 1)
    (message,) = sent_messages()
    assert message["To"] == "strategist@example.com"
    assert message["Subject"] == "New name rising: noplace (6 mentions, 2 sources)"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(
        "<https://radar.example.com/subscriptions/unsubscribe?token=v1.unsubscribe."
    )
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    soup = BeautifulSoup(html.get_content(), "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert len(soup.select("td.bar")) == 1  # one day with mentions
    assert "Unsubscribe: https://radar.example.com/" in text.get_content()


def test_send_alerts_handler_twice_sends_once(
    alerts_handler: ModuleType,
    env: DynamoDbStore,  # noqa: F811
    trends: DynamoDbTrendStore,
) -> None:
    subscriber(env, "strategist@example.com", alerts=frozenset({"emerging"}))
    recorded_rise(trends)
    first = alerts_handler.lambda_handler({}, Ctx())
    second = alerts_handler.lambda_handler({}, Ctx())
    assert (first["sent"], second["sent"]) == (1, 0)
    assert len(sent_messages()) == 1


def test_send_alerts_handler_weekly_only_subscriber_gets_nothing(
    alerts_handler: ModuleType,
    env: DynamoDbStore,  # noqa: F811
    trends: DynamoDbTrendStore,
) -> None:
    subscriber(env, "team@example.com")
    recorded_rise(trends)
    assert alerts_handler.lambda_handler({}, Ctx())["considered"] == 0
    assert sent_messages() == []
