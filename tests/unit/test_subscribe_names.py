"""Platform and category names in a subscribe request (issue 14): any spelling the alias table
knows, in any case, is stored as the catalog's id; an unknown one is a one-line error that
names the known ones, from the API and from `radar subscribe` alike."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from radar.api.app import ApiDeps, build_app
from radar.briefings.content import Links, build_briefing
from radar.classify import load_default_rules
from radar.cli import cli
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.model import Subscription, SubscriptionStatus
from radar.subscriptions.names import UnknownName, catalog_platform_names, platform_names
from radar.trends.model import SURGE, TrendSignal
from tests.support.cli import local_state
from tests.unit.test_api import EVENT, Ctx

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_platform_names_resolve_aliases_case_insensitively_to_catalog_ids() -> None:
    names = platform_names(["x", "instagram", "discord"])
    assert names.resolve(["Twitter", "X", "x.com", "INSTAGRAM", "Insta"]) == {"x", "instagram"}


def test_platform_names_accept_platforms_only_alerts_know() -> None:
    assert platform_names(["x"]).resolve(["Clubhouse"]) == {"clubhouse"}


def test_platform_names_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownName) as caught:
        platform_names(["x", "discord"]).resolve(["discrod"])
    message = str(caught.value)
    assert message.startswith("unknown platform 'discrod' (did you mean discord?); known: ")
    assert "discord, " in message and "\n" not in message


def test_catalog_platform_names_know_the_built_in_catalog() -> None:
    assert catalog_platform_names(None).canonical("Twitter") == "x"


class Outbox:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return "m1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "radar.sqlite3") as s:
        yield s


@pytest.fixture
def app(store: SqliteStore) -> Any:
    settings = load_settings(secret_key="s" * 40, base_url="https://radar.example.com")
    deps = ApiDeps(
        store,
        load_default_rules(),
        clock=lambda: NOW,
        subscriptions=store,
        settings=settings,
        mailer=Outbox(),
    )
    return build_app(deps)


def post(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/subscriptions"
    event["requestContext"]["http"]["method"] = "POST"
    event["rawQueryString"] = urlencode({})
    event["body"] = json.dumps(body)
    event["headers"] = {**event["headers"], "content-type": "application/json"}
    result: dict[str, Any] = app.resolve(event, Ctx())
    return result


def test_api_subscribe_stores_aliases_as_catalog_ids(app: Any, store: SqliteStore) -> None:
    result = post(app, {"email": "a@example.com", "platforms": ["Twitter", "Instagram"]})
    assert result["statusCode"] == 202, result["body"]
    sub = store.find_subscription("a@example.com")
    assert sub is not None and sub.platforms == {"x", "instagram"}


def test_api_subscribe_unknown_platform_names_the_known_ones(app: Any, store: SqliteStore) -> None:
    result = post(app, {"email": "a@example.com", "platforms": ["discrod"]})
    assert result["statusCode"] == 400
    message = json.loads(result["body"])["message"]
    assert message.startswith("platforms: unknown platform 'discrod' (did you mean discord?)")
    assert "known: " in message and store.find_subscription("a@example.com") is None


def test_api_subscribe_unknown_category_names_the_known_ones(app: Any) -> None:
    result = post(app, {"email": "a@example.com", "categories": ["deprecaton"]})
    assert result["statusCode"] == 400
    message = json.loads(result["body"])["message"]
    assert "unknown category 'deprecaton' (did you mean deprecation?); known: " in message


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return local_state(tmp_path, monkeypatch)


def test_cli_subscribe_accepts_aliases(env: Path) -> None:
    args = ["subscribe", "a@example.com", "--platforms", "twitter,Threads"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with SqliteStore(env / "radar.sqlite3") as store:
        sub = store.find_subscription("a@example.com")
    assert sub is not None and sub.platforms == {"x", "threads"}


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--platforms", "discrod", "unknown platform 'discrod' (did you mean discord?); known:"),
        ("--categories", "deprecaton", "unknown category 'deprecaton' (did you mean"),
    ],
)
def test_cli_subscribe_unknown_name_is_a_usage_error(
    env: Path, option: str, value: str, expected: str
) -> None:
    result = CliRunner().invoke(cli, ["subscribe", "a@example.com", option, value])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())


def test_briefing_surge_of_twitter_reaches_a_subscriber_of_x() -> None:
    sub = Subscription(
        id="s",
        email="a@example.com",
        platforms=frozenset({"x"}),
        status=SubscriptionStatus.ACTIVE,
    )
    surge = TrendSignal(
        term="twitter",
        display="X (Twitter)",
        rise=1,
        day=NOW.date(),
        fired_at=NOW,
        score=9.0,
        count=40,
        expected=4.0,
        sources=("hn",),
        days=2,
        kind=SURGE,
    )
    briefing = build_briefing(
        sub,
        [],
        period="2026-W47",
        since=NOW.replace(day=16),
        until=NOW.replace(day=23),
        links=Links("https://m", "https://u"),
        surges=[surge],
    )
    assert len(briefing.surges) == 1
