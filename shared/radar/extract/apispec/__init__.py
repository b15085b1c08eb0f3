"""API specifications -> items: one entry per operation or method, and per schema, type or field.

Two extractors:

- `extract_openapi`: OpenAPI 3.0/3.1 and Swagger 2.0 documents, YAML or JSON. One entry per
  operation, keyed `METHOD /path` (path-level parameters merged into each operation; 3.1 webhooks
  as `METHOD webhook:name`), titled by its summary or operationId; one per schema
  (`components.schemas` or Swagger `definitions`), keyed `schema:Name`.
- `extract_json_spec`: JSON documents listing API methods and fields or types, such as Meta's SDK
  codegen node specs (`{"apis": [...], "fields": [...]}`) or Telegram Bot API specs
  (`{"methods": {...}, "types": {...}}`). One entry per method, keyed `METHOD name` when it
  names an HTTP method and `name` otherwise; one per field (`field:name`) and type
  (`type:Name`).

Selector keys of `extract_json_spec` (all optional). Collections are dotted paths from the
document (`spec.methods`, `0.apis`); each may hold a list of objects or an object keyed by name.
Names of members are comma-separated keys tried in order.

- `methods`: the methods. Default: the first of `apis`, `methods`, `endpoints`, `operations`;
  the document itself when it is a list.
- `types`: the types. Default: the first of `types`, `objects`, `models`, `definitions`,
  `schemas`.
- `fields`: the fields of the node the document describes. Default: `fields`, `properties`.
- `name`: what names a method, type or field. Default: `endpoint,path,name,id` for methods,
  `name,id,title` for types and fields; for a collection keyed by name, the key.
- `method`: the HTTP method of a method. Default: `method,http_method,httpMethod,verb`.
- `description`: prose describing a member. Default: `description,summary,doc,docs`.
- `params`: the parameters of a method and the fields of a type. Default:
  `params,parameters,arguments,args,fields,properties`.

Example for a spec nesting everything under `api`: `{"methods": "api.calls", "name": "call"}`.

Entry texts are canonical renderings a developer can read in a word diff: sections
(`parameters: ...`, `request body: ...`, `responses: ...`) in a fixed order, parameters,
properties, enum values and other unordered members sorted, descriptions stripped of quoting
marks (`code`, "quoted"), examples left out. Reformatting, re-quoting or reordering a document
gives identical texts; a parameter added, made required or retyped, an enum value added or
removed, a deprecation, changes the text where a word diff shows it.

`$ref`s are resolved within the document only, never fetched. Named schemas are referred to by
name (`schema:PushMessageResponse`) rather than inlined, so an edit to a shared schema shows once,
as that schema's edit; other references (parameters, responses, request bodies) are inlined.
Hostile documents stop with `ExtractError`: `$ref` cycles, YAML alias bombs (alias expansion is
counted while parsing), nesting deeper than `MAX_DEPTH`, and renderings larger than a budget
proportional to the body. Spec entries carry no date.

The parts: `yaml_loader` reads YAML into plain values with its alias and depth bounds,
`reading` turns a body into a document and any failure into `ExtractError`, `refs` resolves
in-document `$ref`s and guards cycles, depth and the rendering budget, `render` writes the
canonical text of values and schemas and makes the items, `openapi` and `jsonspec` are the
two extractors. `limits` holds the bounds on hostile documents that they share.
"""

from __future__ import annotations

from radar.extract.apispec.jsonspec import extract_json_spec
from radar.extract.apispec.openapi import extract_openapi, looks_like_openapi
from radar.extract.apispec.yaml_loader import load_yaml

__all__ = ["extract_json_spec", "extract_openapi", "load_yaml", "looks_like_openapi"]
