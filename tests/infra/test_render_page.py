"""render_page in template.yaml, its image recipe, and its handler (issue 17).

render_page is a container image and a plain AWS::Lambda::Function (Globals and the shared layer
do not apply to images), so the generic per-function tests, which iterate over the SAM
functions, do not see it: this file holds it to the same rules.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from radar.extract import extract
from radar.fetch.browser import unavailable_reason
from radar.fetch.pagepolicy import PageBudget
from radar.fetch.render import read_render_response
from radar.model import Source, SourceKind
from radar.settings import setting_names
from tests.infra.template_support import as_list, statements, translated
from tests.support.aws import PROJECT_ROOT, load_template
from tests.support.pages import PageServer, serve_fixtures

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
FUNCTION = RESOURCES["RenderPageFunction"]
PROPS = FUNCTION["Properties"]
DOCKERFILE = PROJECT_ROOT / "functions" / "render_page" / "Dockerfile"
HANDLER = PROJECT_ROOT / "functions" / "render_page" / "handler.py"


def test_render_page_is_an_image_created_only_when_one_is_named() -> None:
    assert FUNCTION["Type"] == "AWS::Lambda::Function"
    assert FUNCTION["Condition"] == "HasRenderPage"
    assert TEMPLATE["Conditions"]["HasRenderPage"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "RenderPageImageUri"}, ""]}]
    }
    assert TEMPLATE["Parameters"]["RenderPageImageUri"]["Default"] == ""
    assert PROPS["PackageType"] == "Image"
    assert PROPS["Code"] == {"ImageUri": {"Ref": "RenderPageImageUri"}}
    assert PROPS["Architectures"] == TEMPLATE["Globals"]["Function"]["Architectures"]
    for name in ("RenderPageLogGroup", "RenderPageRole", "RenderPageErrorsAlarm"):
        assert RESOURCES[name]["Condition"] == "HasRenderPage", name


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("", True),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/radar-render-page:1", True),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/radar@sha256:" + "a" * 64, True),
        ("docker.io/library/radar:latest", False),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/radar", False),  # no tag or digest
    ],
)
def test_render_page_image_uri_is_an_ecr_image(value: str, accepted: bool) -> None:
    pattern = TEMPLATE["Parameters"]["RenderPageImageUri"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted


def test_render_page_transforms_with_the_stack() -> None:
    out = translated()["Resources"]
    assert out["RenderPageFunction"]["Type"] == "AWS::Lambda::Function"
    assert out["RenderPageFunction"]["Properties"]["PackageType"] == "Image"


def test_render_page_budget_fits_its_timeout_and_the_watchers() -> None:
    budget = PageBudget()
    from radar.fetch.browser import LAUNCH_TIMEOUT

    assert PROPS["Timeout"] >= budget.seconds + LAUNCH_TIMEOUT
    watch_timeout = RESOURCES["WatchSourceFunction"]["Properties"]["Timeout"]
    assert watch_timeout >= PROPS["Timeout"]  # a watcher outlives the render it waits for
    assert PROPS["MemorySize"] >= 1024


def test_render_page_logs_to_its_own_group_with_retention() -> None:
    group = RESOURCES["RenderPageLogGroup"]["Properties"]
    assert PROPS["LoggingConfig"]["LogGroup"] == {"Ref": "RenderPageLogGroup"}
    assert group["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/{PROPS['FunctionName']['Fn::Sub']}"}
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_render_page_role_may_only_write_its_logs() -> None:
    assert PROPS["Role"] == {"Fn::GetAtt": ["RenderPageRole", "Arn"]}
    role = RESOURCES["RenderPageRole"]
    actions = {a for s in statements(role) for a in as_list(s["Action"])}
    assert actions <= {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    }
    for stmt in statements(role):
        if any(a.startswith("logs:") for a in as_list(stmt["Action"])):
            assert stmt["Resource"] == {"Fn::GetAtt": ["RenderPageLogGroup", "Arn"]}
    assert not role["Properties"].get("ManagedPolicyArns")


def test_render_page_is_invoked_only_by_watch_source() -> None:
    invokers = {
        name
        for name, res in RESOURCES.items()
        if res["Type"] == "AWS::IAM::Role"
        and any("lambda:InvokeFunction" in as_list(s["Action"]) for s in statements(res))
    }
    assert invokers == {"WatchSourceRole"}
    (stmt,) = [
        s
        for s in statements(RESOURCES["WatchSourceRole"])
        if "lambda:InvokeFunction" in as_list(s["Action"])
    ]
    assert stmt["Resource"] == {"Fn::GetAtt": ["RenderPageFunction", "Arn"]}
    env = RESOURCES["WatchSourceFunction"]["Properties"]["Environment"]["Variables"]
    assert env["RADAR_RENDER_FUNCTION"] == {
        "Fn::If": ["HasRenderPage", {"Ref": "RenderPageFunction"}, {"Ref": "AWS::NoValue"}]
    }
    assert "RADAR_RENDER_FUNCTION" in setting_names()


def test_render_page_errors_are_alarmed() -> None:
    alarm = RESOURCES["RenderPageErrorsAlarm"]["Properties"]
    assert alarm["MetricName"] == "Errors"
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "RenderPageFunction"}}]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_render_page_env_names_are_known_settings_and_hold_no_secret() -> None:
    env = PROPS["Environment"]["Variables"]
    fields = set(setting_names())
    assert {k for k in env if k.startswith("RADAR_")} <= fields
    assert not {k for k in env if "SECRET" in k or "KEY" in k}


# --- the image recipe ----------------------------------------------------------------------


def _dockerfile() -> list[str]:
    lines = DOCKERFILE.read_text("utf-8").replace("\\\n", " ").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_render_page_image_installs_chromium_and_the_render_page_extra() -> None:
    lines = _dockerfile()
    assert lines[0].startswith("FROM ") and "python:3.12" in lines[0]  # the stack's runtime
    assert any("apt-get install" in x and " chromium " in f"{x} " for x in lines)
    assert any('pip install --no-cache-dir ".[render-page]"' in x for x in lines)
    extras = (PROJECT_ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^render-page = \[.*"awslambdaric', extras, re.M)
    assert any("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1" in x for x in lines)


def test_render_page_image_runs_the_handler_that_exists() -> None:
    lines = _dockerfile()
    assert 'ENTRYPOINT ["python", "-m", "awslambdaric"]' in lines
    (cmd,) = [x for x in lines if x.startswith("CMD ")]
    module, _, attr = json.loads(cmd.removeprefix("CMD "))[0].rpartition(".")
    assert f"COPY functions/render_page/{module}.py ./" in lines
    assert callable(getattr(_load_handler(), attr))


# --- the handler -----------------------------------------------------------------------------


class Ctx:
    function_name = "render-page"
    memory_limit_in_mb = 2048
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:render-page"
    aws_request_id = "req-1"


def _load_handler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_page_handler", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    # The fixture pages live on 127.0.0.1: the settings' seam for local replays lets them be
    # fetched; only harmless pages are rendered this way (the guard is tested elsewhere).
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("RADAR_PER_HOST_DELAY", "0")
    monkeypatch.setenv("RADAR_RESPECT_ROBOTS", "false")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "PlatformRadar")
    module = _load_handler()
    yield module
    if module.build_deps.cache_info().currsize:
        module.build_deps().close()
    module.build_deps.cache_clear()


@pytest.fixture
def site() -> Iterator[PageServer]:
    with serve_fixtures() as server:
        yield server


def test_render_page_refuses_an_event_without_a_url(handler: ModuleType) -> None:
    with pytest.raises(ValueError, match="needs an event"):
        handler.lambda_handler({"source_id": "x"}, Ctx())


needs_browser = pytest.mark.skipif(
    unavailable_reason() is not None, reason=f"no browser here: {unavailable_reason()}"
)


@needs_browser
def test_render_page_answers_the_rendered_page(handler: ModuleType, site: PageServer) -> None:
    url = f"http://127.0.0.1:{site.port}/app.html"
    answer: dict[str, Any] = json.loads(json.dumps(handler.lambda_handler({"url": url}, Ctx())))
    result = read_render_response(answer, url)
    source = Source(id="app", platform="example", kind=SourceKind.CHANGELOG_HTML, url=url)
    assert len(extract(source, result)) == 3


@needs_browser
def test_render_page_answers_a_failed_page_with_its_error(
    handler: ModuleType, site: PageServer
) -> None:
    url = f"http://127.0.0.1:{site.port}/no-such-page.html"
    answer = handler.lambda_handler({"url": url}, Ctx())
    assert answer["error"] == "HttpStatusError"
    assert "404" in answer["message"]
