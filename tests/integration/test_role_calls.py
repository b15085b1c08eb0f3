"""Every AWS call a mail-sending function makes is allowed by its role in template.yaml.

The functions run with their real wiring on moto; every botocore call is recorded as the IAM
requests it needs (a DynamoDB transaction needs PutItem for each Put; SES v2 SendEmail with raw
MIME needs SendRawEmail; a Query with IndexName is on the index's ARN), and each is matched
against the role's statements, resource by resource. For send_briefings and ses_feedback the
DynamoDB actions the role grants must also all be used: the role is exactly what the code needs.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
from botocore.client import BaseClient

from radar.model import Snapshot
from radar.settings import load_settings
from radar.store.dynamodb import DynamoDbStore
from tests.infra.template_support import as_list, statements
from tests.integration.conftest import REGION
from tests.integration.test_send_briefings import (
    SECRET,
    SENDER,
    Ctx,
    NullMailer,
    load_handler,
    sent_messages,
)
from tests.support.aws import load_template
from tests.unit.test_api import EVENT
from tests.unit.test_feedback import PERMANENT_BOUNCE, sns_event

TEMPLATE_DATA = load_template()
CONFIGURATION_SET = "radar-mail"

# A transaction's items are authorised as the single-item actions (DynamoDB developer guide,
# "Using IAM with DynamoDB transactions"); IAM has no TransactWriteItems action.
_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


@dataclass(frozen=True)
class Request:
    """One IAM authorisation: an action on a kind of resource ("table", "index/GSI1", ...)."""

    action: str
    resource: str


def iam_requests(service: str, operation: str, params: dict[str, Any]) -> list[Request]:
    """The IAM requests AWS evaluates for one API call (the parts Radar uses)."""
    if service == "dynamodb":
        if operation in ("TransactWriteItems", "TransactGetItems"):
            return [
                Request(f"dynamodb:{_TRANSACT_ACTIONS[kind]}", "table")
                for item in params["TransactItems"]
                for kind in item
            ]
        if operation in ("Query", "Scan") and params.get("IndexName"):
            return [Request(f"dynamodb:{operation}", f"index/{params['IndexName']}")]
        return [Request(f"dynamodb:{operation}", "table")]
    if service == "ses" and operation == "SendEmail":
        resources = ["identity"]
        if params.get("ConfigurationSetName"):
            resources.append("configuration-set")
        # SES v2 SendEmail with Content.Raw is authorised as SendRawEmail; ask for both.
        return [
            Request(action, resource)
            for action in ("ses:SendEmail", "ses:SendRawEmail")
            for resource in resources
        ]
    return [Request(f"{service}:{operation}", "other")]


def resource_kind(resource: Any) -> str:
    """The kind of resource a template statement names (see `Request.resource`)."""
    if resource == {"Fn::GetAtt": ["RadarTable", "Arn"]}:
        return "table"
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        sub = resource["Fn::Sub"]
        text = sub if isinstance(sub, str) else sub[0]
        if text.startswith("${RadarTable.Arn}/index/"):
            return text.removeprefix("${RadarTable.Arn}/")
        for kind in ("identity", "configuration-set"):
            if f":{kind}/" in text:
                return kind
    return json.dumps(resource)


@dataclass
class Role:
    """A role's Allow statements as (action, resource kind) pairs, both `Fn::If` branches."""

    grants: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of_function(cls, function: str) -> Role:
        props = TEMPLATE_DATA["Resources"][function]["Properties"]
        role = TEMPLATE_DATA["Resources"][props["Role"]["Fn::GetAtt"][0]]
        grants = {
            (action, resource_kind(resource))
            for stmt in statements(role)
            if stmt["Effect"] == "Allow"
            for action in as_list(stmt["Action"])
            for resource in as_list(stmt["Resource"])
        }
        return cls(grants)

    def allows(self, request: Request) -> bool:
        return any(
            action == request.action and fnmatch.fnmatchcase(request.resource, kind)
            for action, kind in self.grants
        )

    def actions(self, prefix: str) -> set[str]:
        return {action for action, _ in self.grants if action.startswith(prefix)}


class Recorder:
    """Records the IAM requests of every botocore call while `on`."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.on = False

    def denied_by(self, role: Role) -> list[Request]:
        return sorted({r for r in self.requests if not role.allows(r)}, key=str)

    def actions(self, prefix: str) -> set[str]:
        return {r.action for r in self.requests if r.action.startswith(prefix)}


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    found = Recorder()
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def record(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if found.on:
            service = self.meta.service_model.signing_name
            found.requests += iam_requests(service, operation, params)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return found


@pytest.fixture
def env(dynamodb_client: Any, table_name: str, monkeypatch: pytest.MonkeyPatch) -> DynamoDbStore:
    """The environment template.yaml gives the mail functions, on moto."""
    monkeypatch.setenv("RADAR_STORE", "dynamodb")
    monkeypatch.setenv("RADAR_TABLE_NAME", table_name)
    monkeypatch.setenv("RADAR_MAIL_BACKEND", "ses")
    monkeypatch.setenv("RADAR_SENDER", f"Platform Radar <{SENDER}>")
    monkeypatch.setenv("RADAR_SECRET_KEY", SECRET)
    monkeypatch.setenv("RADAR_BASE_URL", "https://radar.example.com")
    monkeypatch.setenv("RADAR_SES_CONFIGURATION_SET", CONFIGURATION_SET)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    ses = boto3.client("ses", region_name=REGION)
    ses.verify_email_identity(EmailAddress=SENDER)
    ses.create_configuration_set(ConfigurationSet={"Name": CONFIGURATION_SET})
    return DynamoDbStore(table_name, client=dynamodb_client)


def due_subscriber(store: DynamoDbStore, address: str) -> str:
    """A confirmed subscriber whose briefing was due an hour ago; the first one adds changes."""
    from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe
    from tests.support.briefings import change

    settings = load_settings()
    now = datetime.now(UTC)
    before = now - timedelta(days=10)
    sub, token = subscribe(store, NullMailer(), before, settings, SubscribeRequest(email=address))
    active = confirm(store, token, before, settings)
    assert active.next_due is not None
    assert store.advance_due(sub.id, active.next_due, now - timedelta(hours=1))
    if store.get_snapshot("ig") is None:
        store.save(Snapshot("ig"), [change("feat", detected_at=now - timedelta(days=1))])
    return sub.id


def ses_refuses_for_now(module: ModuleType) -> None:
    """SES answers the function's sends with LimitExceededException (its daily quota): a
    refusal for now, so the claim is released for the next hour. (An unverified sender is a
    refusal for good since issue 13: recorded "rejected", never retried.)"""
    from botocore.awsrequest import AWSResponse

    error = {"Code": "LimitExceededException", "Message": "Daily message quota exceeded"}

    def refuse(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parsed = {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}
        return AWSResponse("https://email.us-east-1.amazonaws.com", 400, {}, None), parsed

    module.build_deps().mailer.client.meta.events.register("before-call.sesv2.SendEmail", refuse)


def handler(name: str) -> Iterator[ModuleType]:
    module = load_handler(name)
    yield module
    cached = getattr(module, "build_deps", None) or module.build_api
    cached.cache_clear()
    if hasattr(module, "metrics"):
        module.metrics.clear_metrics()


@pytest.fixture
def send_briefings(env: DynamoDbStore) -> Iterator[ModuleType]:
    yield from handler("send_briefings")


@pytest.fixture
def ses_feedback(env: DynamoDbStore) -> Iterator[ModuleType]:
    yield from handler("ses_feedback")


@pytest.fixture
def api(env: DynamoDbStore) -> Iterator[ModuleType]:
    yield from handler("api")


@pytest.fixture
def send_alerts(env: DynamoDbStore) -> Iterator[ModuleType]:
    yield from handler("send_alerts")


# --- send_briefings ------------------------------------------------------------------------


def test_role_calls_send_briefings_within_its_role(
    send_briefings: ModuleType, env: DynamoDbStore, recorder: Recorder
) -> None:
    due_subscriber(env, "team@example.com")
    suppressed = due_subscriber(env, "gone@example.com")
    env.suppress("gone@example.com", "bounce: Permanent/General", datetime.now(UTC))
    recorder.on = True
    result = send_briefings.lambda_handler({}, Ctx())
    assert (result["sent"], len(sent_messages())) == (1, 1)
    sub = env.get_subscription(suppressed)
    assert sub is not None and sub.status.value == "suppressed"
    assert recorder.denied_by(Role.of_function("SendBriefingsFunction")) == []


def test_role_calls_send_briefings_failed_send_within_its_role(
    send_briefings: ModuleType, env: DynamoDbStore, recorder: Recorder
) -> None:
    due_subscriber(env, "team@example.com")
    # SES refuses for now: the claim is released (DeleteItem) for next hour.
    ses_refuses_for_now(send_briefings)
    recorder.on = True
    result = send_briefings.lambda_handler({}, Ctx())
    assert result["failed"] == 1
    assert "dynamodb:DeleteItem" in recorder.actions("dynamodb:")
    assert recorder.denied_by(Role.of_function("SendBriefingsFunction")) == []


def test_role_calls_send_briefings_role_grants_only_what_is_used(
    send_briefings: ModuleType, env: DynamoDbStore, recorder: Recorder
) -> None:
    due_subscriber(env, "team@example.com")
    suppressed = due_subscriber(env, "gone@example.com")
    env.suppress("gone@example.com", "bounce: Permanent/General", datetime.now(UTC))
    recorder.on = True
    send_briefings.lambda_handler({}, Ctx())
    recorder.on = False
    due_subscriber(env, "later@example.com")
    ses_refuses_for_now(send_briefings)
    recorder.on = True
    send_briefings.lambda_handler({}, Ctx())
    assert suppressed
    role = Role.of_function("SendBriefingsFunction")
    assert role.actions("dynamodb:") == recorder.actions("dynamodb:")
    assert role.actions("ses:") == recorder.actions("ses:")


# --- ses_feedback --------------------------------------------------------------------------


def test_role_calls_ses_feedback_exactly_its_role(
    ses_feedback: ModuleType, env: DynamoDbStore, recorder: Recorder
) -> None:
    due_subscriber(env, "jane@example.com")
    recorder.on = True
    assert ses_feedback.lambda_handler(sns_event(dict(PERMANENT_BOUNCE)), Ctx())["suppressed"] >= 1
    role = Role.of_function("SesFeedbackFunction")
    assert recorder.denied_by(role) == []
    assert role.actions("dynamodb:") == recorder.actions("dynamodb:")


# --- api -----------------------------------------------------------------------------------


def request(
    api: ModuleType, method: str, path: str, query: dict[str, str] | None = None, body: Any = None
) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["rawQueryString"] = urlencode(query or {})
    event["queryStringParameters"] = query or None
    if body is not None:
        event["body"] = json.dumps(body)
        event["headers"] = {**event["headers"], "content-type": "application/json"}
    result: dict[str, Any] = api.lambda_handler(event, Ctx())
    return result


def mailed_token(path: str) -> str:
    text = sent_messages()[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    url = next(w for w in text.split() if f"{path}?" in w)
    return str(parse_qs(urlsplit(url.strip("<>()")).query)["token"][0])


def test_role_calls_api_subscription_flow_within_its_role(
    api: ModuleType, env: DynamoDbStore, recorder: Recorder
) -> None:
    from tests.support.briefings import change

    now = datetime.now(UTC)
    env.save(Snapshot("ig"), [change("feat", detected_at=now - timedelta(days=1))])
    recorder.on = True
    created = request(
        api,
        "POST",
        "/subscriptions",
        body={"email": "team@example.com", "platforms": ["instagram"]},
    )
    assert created["statusCode"] == 202, created["body"]
    token = mailed_token("/subscriptions/confirm")
    assert request(api, "POST", "/subscriptions/confirm", {"token": token})["statusCode"] == 200
    sub = env.find_subscription("team@example.com")
    assert sub is not None
    from radar.subscriptions.tokens import Purpose, make_token, secret_from

    manage = make_token(secret_from(load_settings()), Purpose.MANAGE, sub.id, sub.email)
    patched = request(api, "PATCH", "/subscriptions/manage", {"token": manage}, {"hour": 9})
    assert patched["statusCode"] == 200, patched["body"]
    assert request(api, "GET", "/changes", {"platform": "ig"})["statusCode"] == 200
    gone = request(api, "POST", "/subscriptions/unsubscribe", {"token": manage})
    assert gone["statusCode"] == 200, gone["body"]
    role = Role.of_function("ApiFunction")
    assert recorder.denied_by(role) == []
    assert {"dynamodb:PutItem", "ses:SendRawEmail"} <= recorder.actions("")


# --- send_alerts ---------------------------------------------------------------------------


def alert_subscriber(store: DynamoDbStore, address: str) -> str:
    """A confirmed alerts-only subscriber (confirmed ten days ago)."""
    from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe

    settings = load_settings()
    before = datetime.now(UTC) - timedelta(days=10)
    request = SubscribeRequest(email=address, weekly=False, alerts=frozenset({"emerging"}))
    sub, token = subscribe(store, NullMailer(), before, settings, request)
    confirm(store, token, before, settings)
    return sub.id


def rise(dynamodb_client: Any, table_name: str) -> None:
    """A rise of a new term, recorded an hour ago (as detect_trends would)."""
    from radar.store.trend_dynamodb import DynamoDbTrendStore
    from radar.trends.model import TrendSignal

    fired = datetime.now(UTC) - timedelta(hours=1)
    signal = TrendSignal(
        term="spill",
        display="Spill",
        rise=1,
        day=fired.date(),
        fired_at=fired,
        score=6.0,
        count=8,
        expected=0.5,
        sources=("trend-hn", "trend-reddit"),
        days=1,
    )
    assert DynamoDbTrendStore(table_name, client=dynamodb_client).put_signal(signal)


def test_role_calls_send_alerts_within_its_role(
    send_alerts: ModuleType,
    env: DynamoDbStore,
    recorder: Recorder,
    dynamodb_client: Any,
    table_name: str,
) -> None:
    alert_subscriber(env, "strategist@example.com")
    alert_subscriber(env, "gone@example.com")
    env.suppress("gone@example.com", "complaint: abuse", datetime.now(UTC))
    alert_subscriber(env, "later@example.com")
    rise(dynamodb_client, table_name)
    recorder.on = True
    first = send_alerts.lambda_handler({}, Ctx())
    assert (first["sent"], len(sent_messages())) == (2, 2)
    assert send_alerts.lambda_handler({}, Ctx())["sent"] == 0  # a retry sends nothing twice
    role = Role.of_function("SendAlertsFunction")
    assert recorder.denied_by(role) == []


def test_role_calls_send_alerts_failed_send_within_its_role(
    send_alerts: ModuleType,
    env: DynamoDbStore,
    recorder: Recorder,
    dynamodb_client: Any,
    table_name: str,
) -> None:
    alert_subscriber(env, "strategist@example.com")
    rise(dynamodb_client, table_name)
    ses_refuses_for_now(send_alerts)
    recorder.on = True
    assert send_alerts.lambda_handler({}, Ctx())["failed"] == 1
    role = Role.of_function("SendAlertsFunction")
    assert recorder.denied_by(role) == []
    # Suppressed subscribers are marked with PutItem, failed claims released with DeleteItem.
    assert (
        role.actions("dynamodb:")
        >= recorder.actions("dynamodb:")
        >= {
            "dynamodb:DeleteItem",
            "dynamodb:Query",
        }
    )


# --- detect_trends (no mail, but its rise is a transaction: PutItem, not TransactWriteItems) ---


def test_role_calls_detect_trends_within_its_role(
    env: DynamoDbStore, recorder: Recorder, dynamodb_client: Any, table_name: str
) -> None:
    from radar.store.trend_dynamodb import DynamoDbTrendStore
    from tests.integration.test_handler_detect_trends import _seed

    _seed(DynamoDbTrendStore(table_name, client=dynamodb_client))
    module = load_handler("detect_trends")
    try:
        recorder.on = True
        event = {"id": "exec-1", "time": "2026-03-11T12:05:00Z"}
        assert module.lambda_handler(event, Ctx())["emerging"] == ["spill"]
    finally:
        module.build_deps.cache_clear()
    assert "dynamodb:PutItem" in recorder.actions("dynamodb:")
    assert recorder.denied_by(Role.of_function("DetectTrendsFunction")) == []
