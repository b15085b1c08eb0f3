"""OpenAPI 3.0/3.1 and Swagger 2.0 documents -> one item per operation and per named schema.

An operation's text lists its sections in a fixed order (operationId, summary, description,
parameters with path-level ones merged in, request body, responses, security, media types,
servers, docs, then any other field), each rendered canonically by `_Renderer`, so a changed
contract changes the text and a reformatted document does not. Schemas come from
`components.schemas` or Swagger's `definitions`.
"""

from __future__ import annotations

from collections.abc import Iterator

from radar.errors import ExtractError
from radar.extract.apispec.limits import RENDER_BASE_CHARS, RENDER_BODY_FACTOR, Json
from radar.extract.apispec.reading import _guarded, _parse
from radar.extract.apispec.render import _SKIPPED, _docs_url, _make_item, _Renderer
from radar.extract.common import decode_body, require_items, unique_keys
from radar.model import FetchResult, Item, Source

__all__ = ["extract_openapi", "looks_like_openapi"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def looks_like_openapi(data: object) -> bool:
    """Whether a parsed document is an OpenAPI 3 / Swagger 2 document (cheap: top-level keys)."""
    if not isinstance(data, dict):
        return False
    version = data.get("openapi", data.get("swagger"))
    return isinstance(version, (str, int, float)) and isinstance(data.get("paths"), dict)


def extract_openapi(source: Source, result: FetchResult) -> list[Item]:
    """Operations and schemas of an OpenAPI 3.0/3.1 or Swagger 2.0 document (YAML or JSON)."""
    text = decode_body(result)
    doc = _guarded(lambda: _parse(text, allow_yaml=True), "the OpenAPI document")
    _check_openapi(doc)
    renderer = _Renderer(doc, budget=RENDER_BASE_CHARS + RENDER_BODY_FACTOR * len(text))
    base = result.url or source.url
    items = _guarded(lambda: list(_openapi_items(doc, renderer, base)), "the OpenAPI document")
    return require_items(
        unique_keys(items), "the OpenAPI document has no operations and no schemas"
    )


def _check_openapi(doc: Json) -> None:
    if not isinstance(doc, dict):
        raise ExtractError("the document is not an OpenAPI/Swagger document (not a mapping)")
    version = doc.get("openapi", doc.get("swagger"))
    if version is None:
        raise ExtractError(
            "the document is not an OpenAPI/Swagger document: no 'openapi' or 'swagger' key"
        )
    major = str(version).strip().split(".")[0]
    if major not in ("2", "3"):
        raise ExtractError(f"unsupported OpenAPI/Swagger version {version!r} (2.x or 3.x only)")
    parts = ("paths", "webhooks", "components", "definitions")
    if not any(isinstance(doc.get(p), dict) for p in parts):
        raise ExtractError("the OpenAPI document has no paths, webhooks or schemas")


def _openapi_items(doc: dict[str, Json], r: _Renderer, base: str) -> Iterator[Item]:
    for group, prefix in (("paths", ""), ("webhooks", "webhook:")):
        paths = doc.get(group)
        if not isinstance(paths, dict):
            continue
        for path, path_item in paths.items():
            path_item = r.deref(path_item)
            if not isinstance(path_item, dict):
                continue
            for method in _HTTP_METHODS:
                op = path_item.get(method)
                if isinstance(op, dict):
                    key = f"{method.upper()} {prefix}{path}"
                    yield _operation_item(key, op, path_item, r, base)
    components = doc.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        schemas = doc.get("definitions")
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield _schema_item(name, schema, r, base)


def _operation_item(
    key: str, op: dict[str, Json], path_item: dict[str, Json], r: _Renderer, base: str
) -> Item:
    sections = [r.text(key)]
    if op.get("operationId"):
        sections.append(f"operationId: {r.scalar(op['operationId'])}")
    for field in ("summary", "description"):
        if op.get(field):
            sections.append(f"{field}: {r.prose(op[field])}")
    for field in ("summary", "description"):
        if path_item.get(field):
            sections.append(f"path {field}: {r.prose(path_item[field])}")
    if op.get("deprecated") is True:
        sections.append("deprecated")
    params = _merged_parameters(path_item.get("parameters"), op.get("parameters"), r)
    if params:
        sections.append("parameters: " + "; ".join(_parameter(p, r) for p in params))
    if "requestBody" in op:
        sections.append(_request_body(op["requestBody"], r))
    if isinstance(op.get("responses"), dict):
        responses = op["responses"]
        sections.append(
            "responses: " + "; ".join(_response(str(c), responses[c], r) for c in sorted(responses))
        )
    if "security" in op:
        sections.append(f"security: {_security(op['security'], r)}")
    for field in ("consumes", "produces", "schemes", "tags"):
        if isinstance(op.get(field), list):
            sections.append(f"{field}: " + ", ".join(sorted(r.scalar(v) for v in op[field])))
    for holder, label in ((op, "servers"), (path_item, "path servers")):
        if isinstance(holder.get("servers"), list):
            sections.append(f"{label}: {r.value(holder['servers'])}")
    docs_url = _docs_url(op)
    if docs_url:
        sections.append(f"docs: {r.text(docs_url)}")
    for field in sorted(op):
        if field not in _OPERATION_HANDLED and field not in _SKIPPED:
            sections.append(f"{r.text(field)}: {r.value(op[field])}")
    title = op.get("summary") or op.get("operationId") or key
    return _make_item(key, str(title), " / ".join(sections), docs_url, base)


_OPERATION_HANDLED = frozenset(
    {"operationId", "summary", "description", "deprecated", "parameters", "requestBody",
     "responses", "security", "consumes", "produces", "schemes", "tags", "servers",
     "externalDocs"}
)  # fmt: skip
_PARAMETER_META = (
    frozenset({"name", "in", "description", "required", "deprecated", "schema", "content", "$ref"})
    | _SKIPPED
)


def _merged_parameters(path_level: Json, op_level: Json, r: _Renderer) -> list[dict[str, Json]]:
    merged: dict[tuple[str, str], dict[str, Json]] = {}
    for group in (path_level, op_level):  # operation-level parameters override path-level ones
        for raw in group if isinstance(group, list) else ():
            param = r.deref(raw)
            if not isinstance(param, dict):
                continue
            name, where = str(param.get("name", "")), str(param.get("in", ""))
            if not name and isinstance(raw, dict) and "$ref" in raw:
                name = str(raw["$ref"])
            merged[(name, where)] = param
    return [merged[k] for k in sorted(merged)]


def _parameter(p: dict[str, Json], r: _Renderer) -> str:
    if "schema" in p:
        shape = r.schema(p["schema"], with_description=False)
    else:  # Swagger 2 puts type, format, enum ... on the parameter itself
        shape = r.schema({k: v for k, v in p.items() if k not in _PARAMETER_META})
    attrs = [r.text(str(p.get("in", "?"))), shape]
    attrs.append("required" if p.get("required") is True else "optional")
    if p.get("deprecated") is True:
        attrs.append("deprecated")
    if isinstance(p.get("content"), dict):
        attrs.append(_content(p["content"], r))
    text = f"{r.text(str(p.get('name', '?')))} ({', '.join(a for a in attrs if a)})"
    if p.get("description"):
        text += f": {r.prose(p['description'])}"
    return text


def _request_body(raw: Json, r: _Renderer) -> str:
    body = r.deref(raw)
    if not isinstance(body, dict):
        return f"request body: {r.value(body)}"
    head = "request body (required)" if body.get("required") is True else "request body"
    parts = []
    if body.get("description"):
        parts.append(r.prose(body["description"]))
    if isinstance(body.get("content"), dict):
        parts.append(_content(body["content"], r))
    return f"{head}: " + "; ".join(parts)


def _content(content: dict[str, Json], r: _Renderer) -> str:
    out = []
    for media in sorted(content):
        obj = content[media]
        if not isinstance(obj, dict):
            out.append(r.text(media))
            continue
        text = f"{r.text(media)}: {r.schema(obj.get('schema'))}"
        extra = {k: v for k, v in obj.items() if k != "schema" and k not in _SKIPPED}
        if extra:
            text += f" {r.value(extra)}"
        out.append(text)
    return ", ".join(out)


def _response(code: str, raw: Json, r: _Renderer) -> str:
    resp = r.deref(raw)
    if not isinstance(resp, dict):
        return f"{r.text(code)}: {r.value(resp)}"
    parts = [r.text(code)]
    if resp.get("description"):
        parts.append(r.prose(resp["description"]))
    text = " ".join(parts)
    details = []
    if isinstance(resp.get("content"), dict) and resp["content"]:
        details.append(_content(resp["content"], r))
    if "schema" in resp:  # Swagger 2
        details.append(r.schema(resp["schema"]))
    if isinstance(resp.get("headers"), dict) and resp["headers"]:
        headers = resp["headers"]
        details.append(
            "headers: "
            + ", ".join(f"{r.text(h)} ({r.schema(r.deref(headers[h]))})" for h in sorted(headers))
        )
    for field in sorted(resp):
        if field not in ("description", "content", "schema", "headers") and field not in _SKIPPED:
            details.append(f"{r.text(field)}: {r.value(resp[field])}")
    return f"{text} -> {', '.join(details)}" if details else text


def _security(requirements: Json, r: _Renderer) -> str:
    if not isinstance(requirements, list):
        return r.value(requirements)
    if not requirements:
        return "none"
    options = []
    for req in requirements:
        if not isinstance(req, dict):
            options.append(r.value(req))
            continue
        if not req:
            options.append("anonymous")
            continue
        schemes = []
        for name in sorted(req):
            scopes = req[name] if isinstance(req[name], list) else []
            listed = ", ".join(sorted(r.scalar(s) for s in scopes))
            schemes.append(f"{r.text(name)} ({listed})" if listed else r.text(name))
        options.append(" and ".join(schemes))
    return " or ".join(sorted(options))


def _schema_item(name: str, schema: Json, r: _Renderer, base: str) -> Item:
    key = f"schema:{name}"
    sections = [r.text(key)]
    if isinstance(schema, dict):
        if schema.get("description"):
            sections.append(f"description: {r.prose(schema['description'])}")
        body = r.schema(schema, with_description=False)
        if isinstance(schema.get("$ref"), str) and len(schema) == 1:
            body = f"same as {body}"
        if body:
            sections.append(body)
    else:
        sections.append(r.value(schema))
    return _make_item(key, name, " / ".join(sections), _docs_url(schema), base)
