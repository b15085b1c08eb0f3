"""Helpers for the template tests: the translated template, functions, env and import scans."""

from __future__ import annotations

import ast
import copy
import importlib.util
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

from tests.support.aws import PROJECT_ROOT, load_template

SERVERLESS_FUNCTION = "AWS::Serverless::Function"


class OfflinePolicyLoader:
    """Stands in for samtranslator's IAM-backed loader: no AWS call, no managed policy names."""

    def load(self) -> dict[str, str]:
        return {}


def packaged(template: dict[str, Any]) -> dict[str, Any]:
    """The template as `sam package` leaves it: local code paths replaced by S3 URIs."""
    out = copy.deepcopy(template)
    for resource in out["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://radar-artifacts/{key.lower()}.zip"
    return out


@cache
def translated() -> dict[str, Any]:
    """template.yaml transformed to plain CloudFormation by the SAM translator, offline."""
    from samtranslator.translator.transform import transform

    # The translator insists on a region (pseudo parameters) even offline; a fresh CI machine
    # has none configured.
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"}):
        out: dict[str, Any] = transform(packaged(load_template()), {}, OfflinePolicyLoader())
    return out


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's SAM functions by logical id."""
    return {
        name: res
        for name, res in template["Resources"].items()
        if res["Type"] == SERVERLESS_FUNCTION
    }


def function_env(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A function's environment as Lambda sees it: Globals merged with its own variables."""
    glob = template.get("Globals", {}).get("Function", {})
    env = dict(glob.get("Environment", {}).get("Variables", {}))
    own = template["Resources"][name]["Properties"].get("Environment", {}).get("Variables", {})
    env.update(own)
    return env


def function_property(template: dict[str, Any], name: str, key: str) -> Any:
    """A function property, falling back to Globals."""
    props = template["Resources"][name]["Properties"]
    if key in props:
        return props[key]
    return template.get("Globals", {}).get("Function", {}).get(key)


def handler_file(template: dict[str, Any], name: str) -> tuple[Path, str]:
    """The handler's source file and callable name (`Handler: handler.lambda_handler`)."""
    props = template["Resources"][name]["Properties"]
    module, _, attr = props["Handler"].rpartition(".")
    return PROJECT_ROOT / props["CodeUri"] / f"{module.replace('.', '/')}.py", attr


def _radar_imports(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "radar":
                yield node.module
                for alias in node.names:  # `from radar.store import dynamodb`
                    yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "radar")


def reachable_sources(start: Path) -> list[Path]:
    """`start` and every radar module it can import, lazily imported ones included."""
    seen: dict[Path, None] = {}
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen[path] = None
        tree = ast.parse(path.read_text("utf-8"))
        for name in _radar_imports(tree):
            try:
                spec = importlib.util.find_spec(name)
            except ModuleNotFoundError:  # `from radar.x import a_function`, not a module
                continue
            if spec and spec.origin and spec.origin.endswith(".py"):
                todo.append(Path(spec.origin))
    return list(seen)


def required_settings(paths: list[Path]) -> set[str]:
    """RADAR_* names of every `settings.require("name")` in the given files."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "require"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(f"RADAR_{node.args[0].value.upper()}")
    return names


def statements(role: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every statement of a role's inline policies, both branches of `Fn::If` included."""
    for policy in role["Properties"].get("Policies", []):
        for stmt in policy["PolicyDocument"]["Statement"]:
            if isinstance(stmt, dict) and "Fn::If" in stmt:
                yield from (s for s in stmt["Fn::If"][1:] if isinstance(s, dict) and "Effect" in s)
            else:
                yield stmt


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
