"""AWS test helpers: the moto table is built from template.yaml, so tests cannot drift from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = PROJECT_ROOT / "template.yaml"

# Properties of AWS::DynamoDB::Table that create_table takes under the same name. The others
# (TTL, point-in-time recovery, tags) are separate API calls.
_CREATE_TABLE_PROPERTIES = (
    "TableName",
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "ProvisionedThroughput",
    "StreamSpecification",
)


class TemplateLoader(yaml.SafeLoader):
    """A SafeLoader that reads CloudFormation short tags (!Ref, !Sub, !GetAtt ...)."""


def _intrinsic(loader: TemplateLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


TemplateLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The SAM template as data, short tags turned into their long `Fn::` forms."""
    with path.open(encoding="utf-8") as f:
        data = yaml.load(f, Loader=TemplateLoader)
    assert isinstance(data, dict)
    return data


def _resolve(value: Any, parameters: dict[str, Any]) -> Any:
    """Replace `!Ref Parameter` with the parameter's default, recursively."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return parameters[value["Ref"]].get("Default")
        return {k: _resolve(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, parameters) for v in value]
    return value


def table_definition_from_template(
    path: Path | str = TEMPLATE, resource: str = "RadarTable"
) -> dict[str, Any]:
    """Keyword arguments for `client.create_table(...)` built from the template's table."""
    template = load_template(Path(path))
    table = template["Resources"][resource]
    assert table["Type"] == "AWS::DynamoDB::Table", f"{resource} is not a DynamoDB table"
    properties = _resolve(table["Properties"], template.get("Parameters", {}))
    kwargs = {k: properties[k] for k in _CREATE_TABLE_PROPERTIES if k in properties}
    sse = properties.get("SSESpecification")
    if sse:
        kwargs["SSESpecification"] = {"Enabled": bool(sse.get("SSEEnabled"))}
    return kwargs


def time_to_live_attribute(path: Path | str = TEMPLATE, resource: str = "RadarTable") -> str:
    """The table's TTL attribute name as the template declares it."""
    table = load_template(Path(path))["Resources"][resource]
    spec = table["Properties"]["TimeToLiveSpecification"]
    assert spec["Enabled"] is True
    return str(spec["AttributeName"])
