"""JSON API specs listing methods, types and fields -> one item per method, type and field.

For documents that are not OpenAPI but list an API's calls (Meta's SDK codegen node specs,
Telegram Bot API specs ...). Where the collections and the names of members live is set by
`source.selectors` (see the package docstring), with `SPEC_DEFAULTS` covering the common
layouts; each member's text is rendered canonically by `_Renderer`, parameters sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from radar.errors import ExtractError
from radar.extract.apispec.limits import RENDER_BASE_CHARS, RENDER_BODY_FACTOR, Json
from radar.extract.apispec.openapi import _HTTP_METHODS
from radar.extract.apispec.reading import _guarded, _parse
from radar.extract.apispec.render import _SKIPPED, _make_item, _Renderer
from radar.extract.common import decode_body, require_items, unique_keys
from radar.model import FetchResult, Item, Source

__all__ = ["SPEC_DEFAULTS", "extract_json_spec"]

SPEC_DEFAULTS: dict[str, tuple[str, ...]] = {
    "methods": ("apis", "methods", "endpoints", "operations"),
    "types": ("types", "objects", "models", "definitions", "schemas"),
    "fields": ("fields", "properties"),
    "method_name": ("endpoint", "path", "name", "id"),
    "name": ("name", "id", "title"),
    "method": ("method", "http_method", "httpMethod", "verb"),
    "description": ("description", "summary", "doc", "docs"),
    "params": ("params", "parameters", "arguments", "args", "fields", "properties"),
}
_HTTP_VERBS = frozenset(m.upper() for m in _HTTP_METHODS)
_MISSING = object()


def extract_json_spec(source: Source, result: FetchResult) -> list[Item]:
    """Methods, types and fields of a JSON API spec, located by `source.selectors`."""
    text = decode_body(result)
    doc = _guarded(lambda: _parse(text, allow_yaml=False), "the JSON spec")
    selectors = dict(source.selectors)
    renderer = _Renderer(doc, budget=RENDER_BASE_CHARS + RENDER_BODY_FACTOR * len(text))
    base = result.url or source.url
    items = _guarded(
        lambda: list(_json_spec_items(doc, selectors, renderer, base)), "the JSON spec"
    )
    return require_items(unique_keys(items), "the JSON spec lists no methods, types or fields")


def _json_spec_items(
    doc: Json, selectors: dict[str, str], r: _Renderer, base: str
) -> Iterator[Item]:
    names = _keys(selectors, "name", "name")
    conf = _SpecKeys(
        method_names=_keys(selectors, "name", "method_name"),
        names=names,
        methods=_keys(selectors, "method", "method"),
        descriptions=_keys(selectors, "description", "description"),
        params=_keys(selectors, "params", "params"),
    )
    found = False
    for kind in ("methods", "types", "fields"):
        members = _collection(doc, selectors, kind)
        if members is None:
            continue
        found = True
        for fallback, member in members:
            if kind == "methods":
                yield _method_item(fallback, member, conf, r, base)
            else:
                prefix = "type" if kind == "types" else "field"
                yield _member_item(prefix, fallback, member, conf, r, base)
    if not found:
        raise ExtractError(
            "the JSON is not an API spec: it has no list of methods "
            f"({', '.join(SPEC_DEFAULTS['methods'])}), types "
            f"({', '.join(SPEC_DEFAULTS['types'])}) or fields; set the source's selectors"
        )


class _SpecKeys:
    __slots__ = ("descriptions", "method_names", "methods", "names", "params")

    def __init__(
        self,
        *,
        method_names: tuple[str, ...],
        names: tuple[str, ...],
        methods: tuple[str, ...],
        descriptions: tuple[str, ...],
        params: tuple[str, ...],
    ) -> None:
        self.method_names = method_names
        self.names = names
        self.methods = methods
        self.descriptions = descriptions
        self.params = params


def _keys(selectors: dict[str, str], selector: str, default: str) -> tuple[str, ...]:
    if selector in selectors:
        return tuple(k.strip() for k in selectors[selector].split(",") if k.strip())
    return SPEC_DEFAULTS[default]


def _collection(
    doc: Json, selectors: dict[str, str], kind: str
) -> list[tuple[str, dict[str, Json]]] | None:
    """(name from the collection's key, member) pairs, or None when there is no collection."""
    if kind in selectors:
        found = _lookup(doc, selectors[kind])
        if found is _MISSING or not isinstance(found, (list, dict)):
            raise ExtractError(
                f"the JSON has no list or object at {selectors[kind]!r} (selector {kind!r})"
            )
    elif kind == "methods" and isinstance(doc, list):
        found = doc
    else:
        found = _MISSING
        for candidate in SPEC_DEFAULTS[kind] if isinstance(doc, dict) else ():
            value = doc.get(candidate)
            if isinstance(value, (list, dict)) and value and _members_are_objects(value):
                found = value
                break
        if found is _MISSING:
            return None
    if isinstance(found, dict):
        return [(str(k), v) for k, v in found.items() if isinstance(v, dict)]
    return [("", v) for v in found if isinstance(v, dict)]


def _members_are_objects(value: list[Json] | dict[str, Json]) -> bool:
    members = value.values() if isinstance(value, dict) else value
    return all(isinstance(m, dict) for m in members)


def _lookup(data: Json, path: str) -> Json:
    value = data
    for step in path.split(".") if path else ():
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return _MISSING
    return value


def _first(member: dict[str, Json], keys: Iterable[str]) -> tuple[str, Json] | None:
    for key in keys:
        value = member.get(key)
        if value is not None and value != "" and not isinstance(value, (dict, list)):
            return key, value
    return None


def _method_item(
    fallback: str, member: dict[str, Json], conf: _SpecKeys, r: _Renderer, base: str
) -> Item:
    named = _first(member, conf.method_names)
    name = str(named[1]) if named else fallback
    verb = _first(member, conf.methods)
    method = str(verb[1]).upper() if verb else ""
    key = f"{method} {name}" if method in _HTTP_VERBS and name else name or method
    if not key:
        key = "method:" + r.value(member)[:80]
    used = {k for k in (named and named[0], verb and verb[0]) if k}
    text = _member_text(key, member, used, conf, r)
    return _make_item(key, key, text, _member_url(member), base)


def _member_item(
    prefix: str, fallback: str, member: dict[str, Json], conf: _SpecKeys, r: _Renderer, base: str
) -> Item:
    named = _first(member, conf.names)
    name = str(named[1]) if named else fallback
    key = f"{prefix}:{name}" if name else f"{prefix}:" + r.value(member)[:80]
    used = {named[0]} if named else set()
    text = _member_text(key, member, used, conf, r)
    return _make_item(key, name or key, text, _member_url(member), base)


def _member_text(
    key: str, member: dict[str, Json], used: set[str], conf: _SpecKeys, r: _Renderer
) -> str:
    sections = [r.text(key)]
    described = _first_any(member, conf.descriptions)
    if described is not None:
        used.add(described[0])
        sections.append(f"description: {r.prose(described[1])}")
    params_key = next((k for k in conf.params if isinstance(member.get(k), (list, dict))), None)
    rest = sorted(k for k in member if k not in used and k != params_key and k not in _SKIPPED)
    for field in rest:
        sections.append(f"{r.text(field)}: {_plain_value(member[field], r)}")
    if params_key is not None:
        params = member[params_key]
        rows = (
            [(str(k), v) for k, v in params.items()]
            if isinstance(params, dict)
            else [("", v) for v in params]
        )
        rendered = sorted(_spec_param(fallback, p, conf, r) for fallback, p in rows)
        sections.append(f"{r.text(params_key)}: " + ("; ".join(rendered) or "none"))
    return " / ".join(sections)


def _first_any(member: dict[str, Json], keys: Iterable[str]) -> tuple[str, Json] | None:
    for key in keys:
        value = member.get(key)
        if value not in (None, "", []):
            return key, value
    return None


def _plain_value(value: Json, r: _Renderer) -> str:
    # Telegram writes types as ["Integer", "String"]; a short list of words reads as "a or b".
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return " or ".join(sorted(r.scalar(v) for v in value))
    return r.value(value)


def _spec_param(fallback: str, p: Json, conf: _SpecKeys, r: _Renderer) -> str:
    if not isinstance(p, dict):
        return r.value(p)
    named = _first(p, conf.names)
    name = str(named[1]) if named else fallback
    attrs = []
    for key in ("type", "types"):
        if key in p:
            attrs.append(_plain_value(p[key], r))
    if "required" in p:
        attrs.append("required" if p["required"] is True else "optional")
    described = _first_any(p, conf.descriptions)
    skip = (
        {"type", "types", "required"}
        | {named[0] if named else ""}
        | ({described[0]} if described else set())
    )
    for key in sorted(p):
        if key not in skip and key not in _SKIPPED:
            attrs.append(f"{r.text(key)} {_plain_value(p[key], r)}")
    text = f"{r.text(name)} ({', '.join(attrs)})" if attrs else r.text(name)
    if described is not None:
        text += f": {r.prose(described[1])}"
    return text


def _member_url(member: dict[str, Json]) -> str | None:
    for key in ("href", "documentation_link", "url", "link"):
        value = member.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None
