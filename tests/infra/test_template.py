"""template.yaml: lint, offline SAM transform, handlers, settings, IAM, queues, logs and alarms."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from radar.settings import setting_names
from tests.infra.template_support import (
    as_list,
    function_env,
    function_property,
    functions,
    handler_file,
    reachable_sources,
    required_settings,
    statements,
    translated,
)
from tests.support.aws import PROJECT_ROOT, TEMPLATE, load_template, table_definition_from_template

TEMPLATE_DATA = load_template()
FUNCTIONS = sorted(functions(TEMPLATE_DATA))
EVENTS = PROJECT_ROOT / "infra" / "events"

# Actions AWS offers no resource-level permission for: "*" is the only resource they accept.
STAR_RESOURCE_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def resources_of(kind: str, template: dict[str, Any] = TEMPLATE_DATA) -> dict[str, Any]:
    return {n: r for n, r in template["Resources"].items() if r["Type"] == kind}


def ref(value: Any) -> str:
    assert isinstance(value, dict) and set(value) == {"Ref"}, f"expected a !Ref, got {value!r}"
    return str(value["Ref"])


def get_att(value: Any) -> list[str]:
    assert isinstance(value, dict) and "Fn::GetAtt" in value, f"expected !GetAtt, got {value!r}"
    return list(value["Fn::GetAtt"])


# --- the template as a whole ---------------------------------------------------------------


def test_template_passes_cfn_lint() -> None:
    from cfnlint.api import lint_file

    matches = lint_file(TEMPLATE)
    assert [str(m) for m in matches] == []


def test_template_transforms_offline_with_sam_translator() -> None:
    out = translated()
    kinds = {r["Type"] for r in out["Resources"].values()}
    assert not any(k.startswith("AWS::Serverless::") for k in kinds)
    assert {"AWS::Lambda::Function", "AWS::Lambda::LayerVersion", "AWS::Scheduler::Schedule"} <= (
        kinds
    )
    assert set(FUNCTIONS) <= {
        n for n, r in out["Resources"].items() if r["Type"] == "AWS::Lambda::Function"
    }


def test_template_parameters_have_descriptions() -> None:
    missing = [n for n, p in TEMPLATE_DATA["Parameters"].items() if not p.get("Description")]
    assert missing == []


def test_template_has_functions() -> None:
    assert {"ScheduleSourcesFunction", "WatchSourceFunction"} <= set(FUNCTIONS)


# --- handlers and settings -----------------------------------------------------------------


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_handler_resolves_to_callable(name: str) -> None:
    path, attr = handler_file(TEMPLATE_DATA, name)
    assert path.is_file(), f"{name}: no handler file {path}"
    spec = importlib.util.spec_from_file_location(f"handler_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(getattr(module, attr, None)), f"{name}: {path} has no callable {attr}"


# Settings required only in one branch: name -> (the setting that picks the branch, its value).
REQUIRED_ONLY_WHEN = {"RADAR_SMTP_HOST": ("RADAR_MAIL_BACKEND", "smtp")}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_sets_every_setting_the_handler_requires(name: str) -> None:
    path, _ = handler_file(TEMPLATE_DATA, name)
    env = function_env(TEMPLATE_DATA, name)
    needed = {
        setting
        for setting in required_settings(reachable_sources(path))
        if setting not in REQUIRED_ONLY_WHEN
        or env.get(REQUIRED_ONLY_WHEN[setting][0]) == REQUIRED_ONLY_WHEN[setting][1]
    }
    missing = needed - set(env)
    assert not missing, f"{name} needs {sorted(missing)} but template.yaml does not set them"


def test_template_required_settings_scan_finds_the_queue_url() -> None:
    # Guards the scan itself: schedule_sources needs RADAR_QUEUE_URL, so an empty scan is a bug.
    path, _ = handler_file(TEMPLATE_DATA, "ScheduleSourcesFunction")
    assert "RADAR_QUEUE_URL" in required_settings(reachable_sources(path))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_env_names_are_known_settings(name: str) -> None:
    fields = set(setting_names())
    names = {k for k in function_env(TEMPLATE_DATA, name) if k.startswith("RADAR_")}
    assert names - fields == set(), "a RADAR_* variable the settings do not read (typo?)"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_functions_use_the_dynamodb_table(name: str) -> None:
    env = function_env(TEMPLATE_DATA, name)
    assert env["RADAR_STORE"] == "dynamodb"  # the default, SQLite, needs a writable disk
    assert ref(env["RADAR_TABLE_NAME"]) == "RadarTable"


def test_template_queue_url_points_at_the_watch_queue() -> None:
    env = function_env(TEMPLATE_DATA, "ScheduleSourcesFunction")
    assert ref(env["RADAR_QUEUE_URL"]) == "WatchQueue"


# --- package -------------------------------------------------------------------------------


def test_template_functions_share_one_layer_built_by_the_makefile() -> None:
    layers = TEMPLATE_DATA["Globals"]["Function"]["Layers"]
    assert [ref(x) for x in layers] == ["RadarLayer"]
    layer = TEMPLATE_DATA["Resources"]["RadarLayer"]
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    makefile = (PROJECT_ROOT / layer["Properties"]["ContentUri"] / "Makefile").read_text("utf-8")
    assert re.search(r"^build-RadarLayer:", makefile, re.M)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_function_code_is_only_its_folder(name: str) -> None:
    code_uri = TEMPLATE_DATA["Resources"][name]["Properties"]["CodeUri"]
    assert re.fullmatch(r"functions/[a-z_]+/", code_uri)
    assert sorted(p.name for p in (PROJECT_ROOT / code_uri).glob("*.py")) == ["handler.py"]


def test_template_layer_matches_the_runtime_and_architecture() -> None:
    glob = TEMPLATE_DATA["Globals"]["Function"]
    layer = TEMPLATE_DATA["Resources"]["RadarLayer"]["Properties"]
    assert layer["CompatibleRuntimes"] == [glob["Runtime"]]
    assert layer["CompatibleArchitectures"] == glob["Architectures"]
    makefile = (PROJECT_ROOT / "Makefile").read_text("utf-8")
    version = glob["Runtime"].removeprefix("python")
    assert f"LAMBDA_PYTHON ?= {version}" in makefile
    arch = {"arm64": "aarch64", "x86_64": "x86_64"}[glob["Architectures"][0]]
    assert f"LAMBDA_ARCH ?= {arch}" in makefile


# --- IAM -----------------------------------------------------------------------------------


def _roles() -> dict[str, Any]:
    return resources_of("AWS::IAM::Role", translated())


def test_template_iam_has_no_wildcard_actions() -> None:
    bad = [
        (name, action)
        for name, role in _roles().items()
        for stmt in statements(role)
        for action in as_list(stmt["Action"])
        if "*" in action
    ]
    assert bad == []


def test_template_iam_star_resource_only_where_aws_requires_it() -> None:
    bad = [
        (name, stmt["Action"])
        for name, role in _roles().items()
        for stmt in statements(role)
        if "*" in as_list(stmt.get("Resource"))
        and not set(as_list(stmt["Action"])) <= STAR_RESOURCE_ACTIONS
    ]
    assert bad == []


def test_template_roles_attach_no_managed_policies() -> None:
    # Managed policies (AWSLambdaBasicExecutionRole, AWSLambdaSQSQueueExecutionRole) grant on "*".
    attached = {
        n: r["Properties"]["ManagedPolicyArns"]
        for n, r in _roles().items()
        if r["Properties"].get("ManagedPolicyArns")
    }
    assert attached == {}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_function_role_writes_only_its_own_log_group(name: str) -> None:
    role_name = get_att(TEMPLATE_DATA["Resources"][name]["Properties"]["Role"])[0]
    log_group = ref(TEMPLATE_DATA["Resources"][name]["Properties"]["LoggingConfig"]["LogGroup"])
    role = TEMPLATE_DATA["Resources"][role_name]
    log_statements = [
        s for s in statements(role) if any(a.startswith("logs:") for a in as_list(s["Action"]))
    ]
    assert log_statements
    for stmt in log_statements:
        assert get_att(stmt["Resource"]) == [log_group, "Arn"]


def test_template_schedule_sources_cannot_touch_the_table() -> None:
    role = TEMPLATE_DATA["Resources"]["ScheduleSourcesRole"]
    actions = {a for s in statements(role) for a in as_list(s["Action"])}
    assert not any(a.startswith("dynamodb:") for a in actions)
    assert actions & {"sqs:SendMessage"}


# --- table ---------------------------------------------------------------------------------


def test_template_table_is_the_one_the_tests_build(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    props = TEMPLATE_DATA["Resources"]["RadarTable"]["Properties"]
    definition = table_definition_from_template()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**definition)
        table = client.describe_table(TableName=definition["TableName"])
    desc = table["Table"]
    assert desc["KeySchema"] == props["KeySchema"]
    assert sorted(desc["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        props["AttributeDefinitions"], key=lambda a: a["AttributeName"]
    )
    built = {
        g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in desc["GlobalSecondaryIndexes"]
    }
    declared = {
        g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in props["GlobalSecondaryIndexes"]
    }
    assert built == declared
    assert desc["BillingModeSummary"]["BillingMode"] == props["BillingMode"]


def test_template_table_keeps_data_safe() -> None:
    table = TEMPLATE_DATA["Resources"]["RadarTable"]
    props = table["Properties"]
    assert table["DeletionPolicy"] == "Retain"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"]["Enabled"] is True


# --- queues, events, retries ---------------------------------------------------------------


def _sqs_events(name: str) -> list[dict[str, Any]]:
    events = TEMPLATE_DATA["Resources"][name]["Properties"].get("Events", {})
    return [e["Properties"] for e in events.values() if e["Type"] == "SQS"]


def _queue_consumers() -> list[tuple[str, str]]:
    return [(name, get_att(e["Queue"])[0]) for name in FUNCTIONS for e in _sqs_events(name)]


def test_template_has_a_queue_consumer() -> None:
    assert ("WatchSourceFunction", "WatchQueue") in _queue_consumers()


@pytest.mark.parametrize(("name", "queue"), _queue_consumers())
def test_template_queue_visibility_covers_six_function_timeouts(name: str, queue: str) -> None:
    visibility = TEMPLATE_DATA["Resources"][queue]["Properties"]["VisibilityTimeout"]
    assert visibility >= 6 * function_property(TEMPLATE_DATA, name, "Timeout")


@pytest.mark.parametrize(("name", "queue"), _queue_consumers())
def test_template_queue_redrives_to_an_alarmed_dlq(name: str, queue: str) -> None:
    redrive = TEMPLATE_DATA["Resources"][queue]["Properties"]["RedrivePolicy"]
    assert 3 <= redrive["maxReceiveCount"] <= 5
    dlq = get_att(redrive["deadLetterTargetArn"])[0]
    alarmed = {
        get_att(d["Value"])[0]
        for a in resources_of("AWS::CloudWatch::Alarm").values()
        for d in a["Properties"]["Dimensions"]
        if d["Name"] == "QueueName"
    }
    assert dlq in alarmed


@pytest.mark.parametrize(("name", "queue"), _queue_consumers())
def test_template_queue_events_report_batch_item_failures(name: str, queue: str) -> None:
    for event in _sqs_events(name):
        assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert event["BatchSize"] >= 1
        assert "MaximumBatchingWindowInSeconds" in event
        assert "MaximumConcurrency" in event["ScalingConfig"]


def test_template_queues_are_encrypted() -> None:
    queues = resources_of("AWS::SQS::Queue")
    assert queues
    assert all(q["Properties"].get("SqsManagedSseEnabled") is True for q in queues.values())


def _scheduled() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, event["Properties"])
        for name in FUNCTIONS
        for event in TEMPLATE_DATA["Resources"][name]["Properties"].get("Events", {}).values()
        if event["Type"] in ("ScheduleV2", "Schedule")
    ]


@pytest.mark.parametrize(("name", "event"), _scheduled())
def test_template_scheduled_functions_set_retries_on_purpose(
    name: str, event: dict[str, Any]
) -> None:
    assert "MaximumRetryAttempts" in event["RetryPolicy"]
    assert "DeadLetterConfig" in event
    invoke = TEMPLATE_DATA["Resources"][name]["Properties"]["EventInvokeConfig"]
    assert "MaximumRetryAttempts" in invoke
    assert "OnFailure" in invoke["DestinationConfig"]


def test_template_schedule_input_is_the_sample_event() -> None:
    (_, event), *_ = [s for s in _scheduled() if s[0] == "ScheduleSourcesFunction"]
    template_input = json.loads(event["Input"])
    sample = json.loads((EVENTS / "schedule.json").read_text("utf-8"))
    assert set(template_input) == set(sample)
    assert all(re.fullmatch(r"<aws\.scheduler\.[a-z-]+>", v) for v in template_input.values())
    assert template_input["time"] == "<aws.scheduler.scheduled-time>"


# --- logs and alarms -----------------------------------------------------------------------


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_function_has_log_group_with_retention(name: str) -> None:
    props = TEMPLATE_DATA["Resources"][name]["Properties"]
    group = TEMPLATE_DATA["Resources"][ref(props["LoggingConfig"]["LogGroup"])]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert ref(group["Properties"]["RetentionInDays"]) == "LogRetentionDays"
    assert group["Properties"]["LogGroupName"] == {
        "Fn::Sub": f"/aws/lambda/{props['FunctionName']['Fn::Sub']}"
    }


@pytest.mark.parametrize("name", FUNCTIONS)
def test_template_function_errors_are_alarmed(name: str) -> None:
    alarms = [
        a["Properties"]
        for a in resources_of("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "Errors"
        and any(ref(d["Value"]) == name for d in a["Properties"]["Dimensions"])
    ]
    assert len(alarms) == 1
    assert [ref(x) for x in alarms[0]["AlarmActions"]] == ["AlarmTopic"]


def test_template_alarm_email_subscription_is_optional() -> None:
    subscription = TEMPLATE_DATA["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert TEMPLATE_DATA["Parameters"]["AlarmEmail"]["Default"] == ""


def test_template_sample_events_are_json() -> None:
    for path in Path(EVENTS).glob("*.json"):
        json.loads(path.read_text("utf-8"))


def _service_of(name: str) -> str:
    return str(function_env(TEMPLATE_DATA, name)["POWERTOOLS_SERVICE_NAME"])


def test_template_custom_metric_alarms_watch_what_handlers_emit() -> None:
    # Powertools EMF puts every metric under the `service` dimension (POWERTOOLS_SERVICE_NAME);
    # an alarm on another name or dimension would never fire.
    services = {_service_of(name): name for name in FUNCTIONS}
    custom = [
        a["Properties"]
        for a in resources_of("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace")
        == TEMPLATE_DATA["Globals"]["Function"]["Environment"]["Variables"][
            "POWERTOOLS_METRICS_NAMESPACE"
        ]
    ]
    assert custom
    for alarm in custom:
        (dimension,) = alarm["Dimensions"]
        assert dimension["Name"] == "service"
        path, _ = handler_file(TEMPLATE_DATA, services[dimension["Value"]])
        assert f'"{alarm["MetricName"]}"' in path.read_text("utf-8"), alarm["MetricName"]


@pytest.mark.parametrize(
    ("name", "metrics"),
    [
        ("SendBriefingsFunction", {"BriefingsFailed", "BriefingsUncertain"}),
        ("SendAlertsFunction", {"AlertsFailed", "AlertsUncertain"}),
    ],
)
def test_template_mail_functions_alarm_on_failed_and_uncertain_sends(
    name: str, metrics: set[str]
) -> None:
    alarmed = {
        a["Properties"]["MetricName"]
        for a in resources_of("AWS::CloudWatch::Alarm").values()
        if any(d["Value"] == _service_of(name) for d in a["Properties"].get("Dimensions", []))
    }
    assert metrics <= alarmed


def test_template_signing_secret_only_in_functions_that_sign_links() -> None:
    signers = {
        name for name in FUNCTIONS if "RADAR_SECRET_KEY_ARN" in function_env(TEMPLATE_DATA, name)
    }
    assert signers == {"ApiFunction", "SendAlertsFunction", "SendBriefingsFunction"}
    secret = TEMPLATE_DATA["Resources"]["RadarSecretKey"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    for name in FUNCTIONS:  # never the key itself in a function's configuration
        assert "RADAR_SECRET_KEY" not in function_env(TEMPLATE_DATA, name)
    for name in signers:
        assert function_env(TEMPLATE_DATA, name)["RADAR_SECRET_KEY_ARN"] == {
            "Ref": "RadarSecretKey"
        }
        role = TEMPLATE_DATA["Resources"][name.replace("Function", "Role")]
        reads = [
            s for s in statements(role) if "secretsmanager:GetSecretValue" in as_list(s["Action"])
        ]
        (read,) = reads
        assert {"Ref": "RadarSecretKey"} in as_list(read["Resource"])


def test_template_admin_key_only_for_the_api() -> None:
    holders = {n for n in FUNCTIONS if "RADAR_ADMIN_API_KEY_ARN" in function_env(TEMPLATE_DATA, n)}
    assert holders == {"ApiFunction"}
    for name in FUNCTIONS:
        assert "RADAR_ADMIN_API_KEY" not in function_env(TEMPLATE_DATA, name)
    readers = {
        name
        for name, res in TEMPLATE_DATA["Resources"].items()
        if res["Type"] == "AWS::IAM::Role"
        and any({"Ref": "RadarAdminApiKey"} in as_list(s.get("Resource")) for s in statements(res))
    }
    assert readers == {"ApiRole"}


def _ses_statements(role_name: str) -> list[dict[str, Any]]:
    role = TEMPLATE_DATA["Resources"][role_name]
    return [s for s in statements(role) if any(a.startswith("ses:") for a in as_list(s["Action"]))]


@pytest.mark.parametrize("role_name", ["ApiRole", "SendAlertsRole", "SendBriefingsRole"])
def test_template_mail_roles_send_only_as_the_sender_identity(role_name: str) -> None:
    (stmt,) = _ses_statements(role_name)
    assert set(as_list(stmt["Action"])) == {"ses:SendEmail", "ses:SendRawEmail"}
    identity, configuration_set = as_list(stmt["Resource"])
    assert identity["Fn::Sub"].endswith(":identity/${SenderIdentity}")
    assert configuration_set["Fn::Sub"][0].endswith(":configuration-set/${Name}")


def test_template_only_mail_functions_may_send_mail() -> None:
    roles = {n for n, r in resources_of("AWS::IAM::Role").items() if _ses_statements(n)}
    assert roles == {"ApiRole", "SendAlertsRole", "SendBriefingsRole"}


def test_template_ses_feedback_topic_accepts_only_this_accounts_ses() -> None:
    policy = TEMPLATE_DATA["Resources"]["SesFeedbackTopicPolicy"]["Properties"]
    (stmt,) = policy["PolicyDocument"]["Statement"]
    assert stmt["Principal"] == {"Service": "ses.amazonaws.com"}
    assert stmt["Action"] == "sns:Publish"
    assert stmt["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    destination = TEMPLATE_DATA["Resources"]["RadarConfigurationSetFeedback"]["Properties"]
    event_destination = destination["EventDestination"]
    assert sorted(event_destination["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert ref(event_destination["SnsDestination"]["TopicARN"]) == "SesFeedbackTopic"
    events = TEMPLATE_DATA["Resources"]["SesFeedbackFunction"]["Properties"]["Events"]
    assert [ref(e["Properties"]["Topic"]) for e in events.values()] == ["SesFeedbackTopic"]


def test_template_subscribe_route_is_throttled_harder_than_the_rest() -> None:
    events = TEMPLATE_DATA["Resources"]["ApiFunction"]["Properties"]["Events"]
    (subscribe,) = [
        e["Properties"]
        for e in events.values()
        if e["Properties"].get("Path") == "/subscriptions" and e["Properties"]["Method"] == "POST"
    ]
    limits = subscribe["RouteSettings"]
    assert limits["ThrottlingRateLimit"] < TEMPLATE_DATA["Parameters"]["ApiRateLimit"]["Default"]
    assert limits["ThrottlingBurstLimit"] < TEMPLATE_DATA["Parameters"]["ApiBurstLimit"]["Default"]


@pytest.mark.parametrize(
    "name", ["SendBriefingsFunction", "SendAlertsFunction", "DetectTrendsFunction"]
)
def test_template_hourly_input_is_the_sample_event(name: str) -> None:
    (event,) = [e for n, e in _scheduled() if n == name]
    sample = json.loads((EVENTS / "hourly.json").read_text("utf-8"))
    assert set(json.loads(event["Input"])) == set(sample)


def test_template_ses_feedback_sample_is_a_suppressing_bounce() -> None:
    from radar.subscriptions.feedback import parse_sns_event

    event = json.loads((EVENTS / "ses_feedback.json").read_text("utf-8"))
    (feedback,) = parse_sns_event(event)
    assert (feedback.kind, feedback.suppress) == ("bounce", True)
    assert feedback.addresses == ("bounce@simulator.amazonses.com",)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("", True),
        ("example.com", True),
        ("mail.example.co.uk", True),
        ("radar@example.com", True),
        ("Platform Radar <radar@example.com>", False),  # that is SenderAddress
        ("https://example.com", False),
    ],
)
def test_template_sender_identity_is_a_domain_or_an_address(value: str, accepted: bool) -> None:
    # CloudFormation matches AllowedPattern against the whole value.
    pattern = TEMPLATE_DATA["Parameters"]["SenderIdentity"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("", True), ("https://radar.example.com", True), ("http://radar.example.com", False)],
)
def test_template_public_base_url_is_https(value: str, accepted: bool) -> None:
    pattern = TEMPLATE_DATA["Parameters"]["PublicBaseUrl"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted
