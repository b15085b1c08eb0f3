"""radar.extract.apispec: OpenAPI / Swagger documents and JSON method lists -> items."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from radar.errors import ExtractError
from radar.extract.apispec import extract_json_spec, extract_openapi, looks_like_openapi
from radar.model import FetchResult, Item, Source, SourceKind
from tests.support.corpus import corpus_dir, versions

URL = "https://example.com/spec"

PETSTORE = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
security: [{key: []}]
paths:
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        required: true
        schema: {type: string}
    get:
      operationId: getPet
      summary: Get a pet
      description: Returns the `pet`.
      externalDocs: {url: 'https://docs.example.com/pets#get'}
      parameters:
        - name: fields
          in: query
          description: Fields to return
          schema:
            type: string
            enum: [name, tag]
        - name: verbose
          in: query
          schema: {type: boolean}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              example: {name: Rex}
        '404': {$ref: '#/components/responses/NotFound'}
    delete:
      operationId: deletePet
      security: [{oauth: [write:pets, read:pets]}]
      responses:
        '204': {description: Deleted}
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201': {description: Created}
components:
  responses:
    NotFound:
      description: No such pet
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Pet:
      type: object
      description: A pet
      required: [name]
      properties:
        name: {type: string, description: Name of the pet}
        tag: {type: string}
        kind:
          type: string
          enum: [cat, dog]
        owner: {$ref: '#/components/schemas/Pet'}
    Error:
      type: object
      properties:
        code: {type: integer, format: int32}
"""


def source(kind: SourceKind = SourceKind.OPENAPI, **selectors: str) -> Source:
    return Source("spec", "example", kind, URL, selectors=selectors)


def openapi(body: str | bytes | dict[str, Any]) -> list[Item]:
    if isinstance(body, dict):
        body = json.dumps(body)
    data = body.encode() if isinstance(body, str) else body
    return extract_openapi(source(), FetchResult(URL, 200, data))


def json_spec(body: Any, **selectors: str) -> list[Item]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return extract_json_spec(source(SourceKind.JSON_SPEC, **selectors), FetchResult(URL, 200, data))


def by_key(items: list[Item]) -> dict[str, Item]:
    return {i.key: i for i in items}


def texts(items: list[Item]) -> dict[str, str]:
    return {i.key: f"{i.title}|{i.text}" for i in items}


def petstore(edit: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(PETSTORE)
    if edit is not None:
        edit(doc)
    return doc


def get_op(doc: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"]["/pets/{petId}"]["get"]
    return op


# --- OpenAPI: entries -----------------------------------------------------------------------


def test_openapi_one_entry_per_operation_and_schema() -> None:
    assert [i.key for i in openapi(PETSTORE)] == [
        "GET /pets/{petId}",
        "DELETE /pets/{petId}",
        "POST /pets",
        "schema:Pet",
        "schema:Error",
    ]


def test_openapi_title_is_summary_else_operation_id() -> None:
    items = by_key(openapi(PETSTORE))
    assert items["GET /pets/{petId}"].title == "Get a pet"
    assert items["DELETE /pets/{petId}"].title == "deletePet"
    assert items["schema:Pet"].title == "Pet"


def test_openapi_entries_are_undated_and_link_their_docs() -> None:
    items = by_key(openapi(PETSTORE))
    assert all(i.published is None for i in items.values())
    assert items["GET /pets/{petId}"].url == "https://docs.example.com/pets#get"
    assert items["POST /pets"].url == URL


def test_openapi_path_parameters_are_merged_into_each_operation() -> None:
    items = by_key(openapi(PETSTORE))
    assert "petId (path, string, required)" in items["GET /pets/{petId}"].text
    assert "petId (path, string, required)" in items["DELETE /pets/{petId}"].text


def test_openapi_operation_parameters_override_path_parameters() -> None:
    def override(doc: dict[str, Any]) -> None:
        get_op(doc)["parameters"].append(
            {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
        )

    text = by_key(openapi(petstore(override)))["GET /pets/{petId}"].text
    assert "petId (path, integer, required)" in text
    assert "petId (path, string" not in text


def test_openapi_operation_text_lists_parameters_sorted_with_enum_values() -> None:
    text = by_key(openapi(PETSTORE))["GET /pets/{petId}"].text
    assert "fields (query, string, enum: name | tag, optional): Fields to return" in text
    assert text.index("fields (") < text.index("petId (") < text.index("verbose (")


def test_openapi_schemas_are_referenced_by_name_not_inlined() -> None:
    items = by_key(openapi(PETSTORE))
    get = items["GET /pets/{petId}"].text
    assert "200 OK -> application/json: schema:Pet" in get
    assert "Name of the pet" not in get  # Pet's properties live in its own entry
    assert "name (string, required): Name of the pet" in items["schema:Pet"].text


def test_openapi_shared_schema_change_is_one_edit() -> None:
    def add_property(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}

    before, after = texts(openapi(PETSTORE)), texts(openapi(petstore(add_property)))
    assert [k for k in before if before[k] != after[k]] == ["schema:Pet"]
    assert "age (integer)" in after["schema:Pet"]


def test_openapi_component_responses_are_inlined() -> None:
    text = by_key(openapi(PETSTORE))["GET /pets/{petId}"].text
    assert "404 No such pet -> application/json: schema:Error" in text


def test_openapi_request_body_and_required_flag() -> None:
    text = by_key(openapi(PETSTORE))["POST /pets"].text
    assert "request body (required): application/json: schema:Pet" in text


def test_openapi_security_scopes_are_listed_sorted() -> None:
    text = by_key(openapi(PETSTORE))["DELETE /pets/{petId}"].text
    assert "security: oauth (read:pets, write:pets)" in text


def test_openapi_examples_are_not_content() -> None:
    def new_example(doc: dict[str, Any]) -> None:
        media = get_op(doc)["responses"]["200"]["content"]["application/json"]
        media["example"] = {"name": "Fido"}

    assert texts(openapi(PETSTORE)) == texts(openapi(petstore(new_example)))


def test_openapi_whitespace_and_quoting_marks_in_descriptions_are_not_content() -> None:
    def requote(doc: dict[str, Any]) -> None:
        get_op(doc)["description"] = 'Returns the "pet".\n\n'

    assert texts(openapi(PETSTORE)) == texts(openapi(petstore(requote)))


# --- OpenAPI: formatting is not content, real changes are -----------------------------------


def _reordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in reversed(value)]
    return value


def test_openapi_reordering_the_document_gives_identical_texts() -> None:
    reordered = yaml.safe_dump(_reordered(petstore()), sort_keys=False)
    assert texts(openapi(PETSTORE)) == texts(openapi(reordered))


class _DoubleQuoting(yaml.SafeDumper):
    """Writes every string double-quoted (as the LINE spec's re-quoting commit did)."""


_DoubleQuoting.add_representer(
    str, lambda dumper, s: dumper.represent_scalar("tag:yaml.org,2002:str", s, style='"')
)


def test_openapi_requoted_yaml_and_json_give_identical_texts() -> None:
    doc = petstore()
    double_quoted = yaml.dump(doc, Dumper=_DoubleQuoting, sort_keys=True, width=40)
    assert '"200":' in double_quoted
    assert texts(openapi(PETSTORE)) == texts(openapi(double_quoted)) == texts(openapi(doc))


def _shuffled(param_order: list[int], prop_order: list[int]) -> dict[str, Any]:
    def shuffle(doc: dict[str, Any]) -> None:
        params = [*get_op(doc)["parameters"], {"name": "a", "in": "header"}, {"name": "z"}]
        get_op(doc)["parameters"] = [params[i] for i in param_order]
        props = doc["components"]["schemas"]["Error"]["properties"]
        props.update({"b": {"type": "string"}, "a": {"type": "number"}})
        names = list(props)
        doc["components"]["schemas"]["Error"]["properties"] = {
            names[i]: props[names[i]] for i in prop_order
        }

    return petstore(shuffle)


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)), st.permutations(range(3)))
def test_openapi_parameter_and_property_order_is_not_content(
    param_order: list[int], prop_order: list[int]
) -> None:
    baseline = _shuffled(list(range(4)), list(range(3)))
    assert texts(openapi(_shuffled(param_order, prop_order))) == texts(openapi(baseline))


CHANGES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "parameter added": (
        lambda d: get_op(d)["parameters"].append({"name": "limit", "in": "query"}),
        "limit (query",
    ),
    "made required": (
        lambda d: get_op(d)["parameters"][1].update(required=True),
        "verbose (query, boolean, required)",
    ),
    "type changed": (
        lambda d: get_op(d)["parameters"][1]["schema"].update(type="string"),
        "verbose (query, string",
    ),
    "enum value added": (
        lambda d: get_op(d)["parameters"][0]["schema"]["enum"].append("age"),
        "enum: age | name | tag",
    ),
    "enum value removed": (
        lambda d: get_op(d)["parameters"][0]["schema"]["enum"].remove("tag"),
        "enum: name,",
    ),
    "deprecated": (lambda d: get_op(d).update(deprecated=True), "deprecated"),
    "response schema changed": (
        lambda d: get_op(d)["responses"]["200"]["content"]["application/json"].update(
            schema={"$ref": "#/components/schemas/Error"}
        ),
        "200 OK -> application/json: schema:Error",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_openapi_real_change_changes_the_operation_text(change: str) -> None:
    edit, shows = CHANGES[change]
    before = by_key(openapi(PETSTORE))["GET /pets/{petId}"].text
    after = by_key(openapi(petstore(edit)))["GET /pets/{petId}"].text
    assert before != after
    assert shows in after


def test_openapi_schema_made_required_and_enum_changed_show_in_schema_text() -> None:
    def edit(doc: dict[str, Any]) -> None:
        pet = doc["components"]["schemas"]["Pet"]
        pet["required"].append("kind")
        pet["properties"]["kind"]["enum"].append("bird")

    text = by_key(openapi(petstore(edit)))["schema:Pet"].text
    assert "kind (string, enum: bird | cat | dog, required)" in text


def test_openapi_change_past_the_text_cap_still_changes_the_text() -> None:
    def huge(doc: dict[str, Any]) -> None:
        props = {f"p{i:04}": {"type": "string", "description": "words " * 5} for i in range(2000)}
        doc["components"]["schemas"]["Error"]["properties"] = props

    def huge_plus_one(doc: dict[str, Any]) -> None:
        huge(doc)
        doc["components"]["schemas"]["Error"]["properties"]["zz"] = {"type": "string"}

    before = by_key(openapi(petstore(huge)))["schema:Error"].text
    after = by_key(openapi(petstore(huge_plus_one)))["schema:Error"].text
    assert before != after


# --- OpenAPI: dialects ------------------------------------------------------------------------

SWAGGER = {
    "swagger": "2.0",
    "paths": {
        "/users": {
            "post": {
                "summary": "Create a user",
                "consumes": ["application/json"],
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {"$ref": "#/definitions/User"},
                    },
                    {"name": "dry", "in": "query", "type": "boolean", "default": False},
                ],
                "responses": {
                    "200": {"description": "OK", "schema": {"$ref": "#/definitions/User"}}
                },
            }
        }
    },
    "definitions": {"User": {"type": "object", "properties": {"id": {"type": "integer"}}}},
}


def test_swagger2_definitions_body_parameters_and_inline_types() -> None:
    items = by_key(openapi(SWAGGER))
    assert list(items) == ["POST /users", "schema:User"]
    text = items["POST /users"].text
    assert "body (body, schema:User, required)" in text
    assert "dry (query, boolean, default: false, optional)" in text
    assert "200 OK -> schema:User" in text


def test_openapi_31_webhooks_and_type_lists() -> None:
    doc = {
        "openapi": "3.1.0",
        "webhooks": {"newPet": {"post": {"operationId": "newPet", "responses": {}}}},
        "components": {"schemas": {"Tag": {"type": ["string", "null"]}}},
    }
    items = by_key(openapi(doc))
    assert list(items) == ["POST webhook:newPet", "schema:Tag"]
    assert "null or string" in items["schema:Tag"].text


def test_openapi_remote_refs_are_named_never_fetched() -> None:
    doc = petstore()
    get_op(doc)["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "https://evil.example/schemas.yaml#/Pet"
    }
    text = by_key(openapi(doc))["GET /pets/{petId}"].text
    assert "ref:https://evil.example/schemas.yaml#/Pet" in text


def test_looks_like_openapi() -> None:
    assert looks_like_openapi({"openapi": "3.1.0", "paths": {}})
    assert looks_like_openapi({"swagger": "2.0", "paths": {"/a": {}}})
    assert not looks_like_openapi({"openapi": "3.1.0"})
    assert not looks_like_openapi({"paths": {}})
    assert not looks_like_openapi(["openapi"])
    assert not looks_like_openapi({"apis": [], "fields": []})


# --- OpenAPI: errors and hostile documents --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"openapi: 3.0.0\npaths: [\n", "not valid YAML"),
        (b'{"openapi": "3.0.0", "paths": ', "not valid JSON"),
        (b"title: a blog post\n", "no 'openapi' or 'swagger' key"),
        (b"- a\n- b\n", "not a mapping"),
        (b"swagger: '1.2'\npaths: {}\n", "unsupported OpenAPI/Swagger version"),
        (b"openapi: 3.0.0\npaths: {}\n", "no operations and no schemas"),
        (b"openapi: 3.0.0\npaths: {}\n---\nb: 1\n", "more than one document"),
        (b"openapi: 3.0.0\npaths:\n  ? [a]\n  : b\n", "mapping key"),
    ],
)
def test_openapi_malformed_or_not_a_spec_raises_extract_error(body: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        openapi(body)


def test_openapi_odd_value_types_do_not_crash() -> None:
    body = (
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: 5\n      responses: [1, 2]\n"
        "      requestBody: 7\n      security: {a: 1}\n      tags: [1, null, {a: b}]\n"
    )
    assert [i.key for i in openapi(body)] == ["GET /a"]


def _alias_bomb() -> str:
    lines = ["openapi: 3.0.0", "paths: {}", "x-lol:", "  a: &a [lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _reference_bomb() -> dict[str, Any]:
    # Ten levels of ten references each: 10^10 leaves when inlined, a few kB as written.
    levels: dict[str, Any] = {
        f"L{i}": {
            "type": "object",
            "properties": {f"p{j}": {"$ref": f"#/x-defs/L{i + 1}"} for j in range(10)},
        }
        for i in range(10)
    }
    levels["L10"] = {"type": "string", "description": "lol " * 50}
    param = {"name": "q", "in": "query", "schema": {"$ref": "#/x-defs/L0"}}
    return {
        "openapi": "3.0.0",
        "paths": {"/a": {"get": {"parameters": [param], "responses": {}}}},
        "x-defs": levels,
    }


HOSTILE: dict[str, tuple[bytes, str]] = {
    "yaml alias bomb": (_alias_bomb().encode(), "alias bomb"),
    "yaml recursive alias": (
        b"openapi: 3.0.0\npaths: {}\nx-r: &r [1, *r]\n",
        "refers to a node that contains it",
    ),
    "deep yaml": (
        ("openapi: 3.0.0\npaths: {}\nx: " + "[" * 10_000 + "]" * 10_000).encode(),
        "nesting depth|nested deeper",
    ),
    "deep yaml blocks": (
        (
            "openapi: 3.0.0\npaths: {}\nx:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 400))
        ).encode(),
        "nested deeper",
    ),
    "deep json": (
        ('{"openapi": "3.0.0", "paths": ' + "[" * 10_000 + "]" * 10_000 + "}").encode(),
        "nested too deeply",
    ),
    "deep json inside an operation": (
        json.dumps(
            {
                "openapi": "3.0.0",
                "paths": {"/a": {"get": {"x-deep": json.loads("[" * 500 + "]" * 500)}}},
            }
        ).encode(),
        "nests deeper",
    ),
    "schema $ref cycle": (
        b"openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n"
        b"    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        r"\$ref cycle",
    ),
    "parameter $ref cycle": (
        b"openapi: 3.0.0\npaths:\n  /a:\n    get:\n"
        b"      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {}\n"
        b"components:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n"
        b"    Q: {$ref: '#/components/parameters/P'}\n",
        r"\$ref cycle",
    ),
    "inline $ref cycle": (
        json.dumps(
            {
                "openapi": "3.0.0",
                "paths": {
                    "/a": {
                        "get": {
                            "parameters": [
                                {"name": "q", "in": "query", "schema": {"$ref": "#/x/A"}}
                            ]
                        }
                    }
                },
                "x": {"A": {"type": "object", "properties": {"b": {"$ref": "#/x/A"}}}},
            }
        ).encode(),
        r"\$ref cycle",
    ),
    "reference expansion bomb": (json.dumps(_reference_bomb()).encode(), "refusing to read it"),
    "one big string shared by reference": (
        json.dumps(
            {
                "openapi": "3.0.0",
                "paths": {
                    f"/p{i}": {"get": {"parameters": [{"$ref": "#/components/parameters/B"}]}}
                    for i in range(2000)
                },
                "components": {
                    "parameters": {
                        "B": {"name": "b", "in": "query", "description": "lol " * 100_000}
                    }
                },
            }
        ).encode(),
        "renders to over",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_openapi_hostile_document_stops_quickly_with_extract_error(case: str) -> None:
    body, message = HOSTILE[case]
    started = time.perf_counter()
    with pytest.raises(ExtractError, match=message):
        openapi(body)
    assert time.perf_counter() - started < 1.0


# --- JSON method/type specs -----------------------------------------------------------------

META = {
    "apis": [
        {
            "method": "POST",
            "endpoint": "flows",
            "return": "Flow",
            "params": [
                {"name": "name", "required": True, "type": "string"},
                {"name": "categories", "required": False, "type": "list<enum>"},
            ],
        },
        {"method": "GET", "endpoint": "flows", "return": "Flow", "params": []},
        {"name": "#get", "method": "GET", "return": "WhatsAppBusinessAccount", "params": []},
    ],
    "fields": [{"name": "id", "type": "string"}, {"name": "status", "type": "Status"}],
}


def test_json_spec_meta_node_spec_entries() -> None:
    items = by_key(json_spec(META))
    assert list(items) == ["POST flows", "GET flows", "GET #get", "field:id", "field:status"]
    post = items["POST flows"].text
    assert "params: categories (list<enum>, optional); name (string, required)" in post
    assert "return: Flow" in post
    assert items["field:status"].text == "field:status / type: Status"
    assert all(i.published is None for i in items.values())


def test_json_spec_parameter_order_is_not_content() -> None:
    reordered = json.loads(json.dumps(META))
    reordered["apis"][0]["params"].reverse()
    reordered["apis"][0] = dict(reversed(list(reordered["apis"][0].items())))
    assert texts(json_spec(META)) == texts(json_spec(reordered))


@pytest.mark.parametrize(
    ("edit", "shows"),
    [
        (
            lambda d: d["apis"][0]["params"].append({"name": "publish", "type": "bool"}),
            "publish (bool)",
        ),
        (
            lambda d: d["apis"][0]["params"][1].update(required=True),
            "categories (list<enum>, required)",
        ),
        (lambda d: d["apis"][0]["params"][0].update(type="int"), "name (int, required)"),
    ],
)
def test_json_spec_parameter_changes_change_the_method_text(
    edit: Callable[[dict[str, Any]], None], shows: str
) -> None:
    doc = json.loads(json.dumps(META))
    edit(doc)
    before, after = texts(json_spec(META)), texts(json_spec(doc))
    assert [k for k in before if before[k] != after[k]] == ["POST flows"]
    assert shows in after["POST flows"]


TELEGRAM = {
    "version": "Bot API 7.0",
    "methods": {
        "sendMessage": {
            "name": "sendMessage",
            "href": "https://core.telegram.org/bots/api#sendmessage",
            "description": ["Use this method to send text messages."],
            "returns": ["Message"],
            "fields": [
                {
                    "name": "text",
                    "types": ["String"],
                    "required": True,
                    "description": "Text of the message",
                },
                {
                    "name": "chat_id",
                    "types": ["String", "Integer"],
                    "required": True,
                    "description": "Unique identifier",
                },
            ],
        },
        "getMe": {"name": "getMe", "description": ["A simple method."], "returns": ["User"]},
    },
    "types": {
        "User": {
            "name": "User",
            "description": ["A Telegram user."],
            "fields": [
                {
                    "name": "id",
                    "types": ["Integer"],
                    "required": True,
                    "description": "Unique identifier",
                }
            ],
        },
    },
}


def test_json_spec_telegram_methods_and_types() -> None:
    items = by_key(json_spec(TELEGRAM))
    assert list(items) == ["sendMessage", "getMe", "type:User"]
    send = items["sendMessage"]
    assert send.url == "https://core.telegram.org/bots/api#sendmessage"
    assert "description: Use this method to send text messages." in send.text
    assert "returns: Message" in send.text
    assert "chat_id (Integer or String, required): Unique identifier" in send.text
    assert send.text.index("chat_id") < send.text.index("text (String")
    assert "id (Integer, required)" in items["type:User"].text


def test_json_spec_selectors_locate_methods_names_and_params() -> None:
    doc = {
        "api": {"calls": [{"call": "ping", "verb": "get", "args": {"x": {"kind": "int"}}}]},
        "fields": "not a list",
    }
    items = json_spec(doc, methods="api.calls", name="call", params="args")
    assert [i.key for i in items] == ["GET ping"]
    assert "args: x (kind int)" in items[0].text


def test_json_spec_selector_naming_a_missing_path_raises() -> None:
    with pytest.raises(ExtractError, match="selector 'methods'"):
        json_spec(META, methods="api.calls")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"apis": [', "not valid JSON"),
        (b"apis: []", "not JSON"),
        (b'{"title": "a blog"}', "not an API spec"),
        (b'{"apis": [], "fields": []}', "not an API spec"),
    ],
)
def test_json_spec_malformed_or_not_a_spec_raises_extract_error(body: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        json_spec(body)


# --- corpus replay --------------------------------------------------------------------------


def _replay(
    folder: str, extractor: Callable[[Source, FetchResult], list[Item]], kind: SourceKind
) -> dict[str, float]:
    """Entries found and added/removed/edited precision and recall against truth.json."""
    truth = json.loads((corpus_dir(folder) / "truth.json").read_text("utf-8"))
    src = Source(folder, "corpus", kind, URL)
    states = [
        texts(extractor(src, FetchResult(URL, 200, v.path.read_bytes()))) for v in versions(folder)
    ]
    found = sum(
        len({e["key"] for e in v["entries"]} & set(s))
        for v, s in zip(truth["versions"], states, strict=True)
    )
    expected = sum(v["n_entries"] for v in truth["versions"])
    counts = {name: [0, 0, 0] for name in ("added", "removed", "edited")}  # tp, fp, fn
    formatting_only_changes = 0
    for pair, a, b in zip(truth["pairs"], states, states[1:], strict=False):
        ours = {
            "added": set(b) - set(a),
            "removed": set(a) - set(b),
            "edited": {k for k in set(a) & set(b) if a[k] != b[k]},
        }
        if pair["formatting_only"]:
            formatting_only_changes += len(ours["edited"])
            ours.pop("edited")
        for name, keys in ours.items():
            theirs = set(pair[name])
            counts[name][0] += len(keys & theirs)
            counts[name][1] += len(keys - theirs)
            counts[name][2] += len(theirs - keys)
    figures = {"found": found / expected, "formatting_only_changes": formatting_only_changes}
    for name, (tp, fp, fn) in counts.items():
        figures[f"{name}_precision"] = tp / (tp + fp) if tp + fp else 1.0
        figures[f"{name}_recall"] = tp / (tp + fn) if tp + fn else 1.0
    return figures


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("folder", "extractor", "kind"),
    [
        ("line_messaging_openapi_yaml", extract_openapi, SourceKind.OPENAPI),
        ("meta_waba_api_spec_json", extract_json_spec, SourceKind.JSON_SPEC),
    ],
)
def test_apispec_corpus_replay_agrees_with_truth(
    folder: str, extractor: Callable[[Source, FetchResult], list[Item]], kind: SourceKind
) -> None:
    figures = _replay(folder, extractor, kind)
    assert figures.pop("formatting_only_changes") == 0  # re-quoting and reordering commits
    assert figures.pop("found") >= 0.98
    assert all(value >= 0.95 for value in figures.values()), figures
