"""/openapi.json describes every answer the API gives (issue 13, item 12: 29 mismatches, such as
undocumented 400/401/404 and the packs' media types). The full check is the schema-driven fuzz
in tests/fuzz/test_api_schema.py; these pin the cases the issue named."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from radar.api.app import ApiDeps, build_app, openapi_document
from radar.api.openapi import ADMIN_HEADER, RESPONSES
from radar.classify import load_default_rules
from radar.settings import load_settings
from tests.support.fakes import MemoryStore
from tests.unit.test_api import EVENT, Ctx


@pytest.fixture
def app() -> Any:
    settings = load_settings(secret_key="x" * 40, admin_api_key="k" * 20, base_url="http://x")
    store = MemoryStore()  # registering the subscription routes calls none of its methods
    return build_app(
        ApiDeps(store, load_default_rules(), subscriptions=store, settings=settings)  # type: ignore[arg-type]
    )


@pytest.fixture
def doc(app: Any) -> dict[str, Any]:
    return openapi_document(app)


def _statuses(doc: dict[str, Any], method: str, path: str) -> set[str]:
    return set(doc["paths"][path][method]["responses"])


def _media(doc: dict[str, Any], method: str, path: str, status: int) -> set[str]:
    return set(doc["paths"][path][method]["responses"][str(status)]["content"])


def test_api_openapi_every_documented_operation_exists(doc: dict[str, Any]) -> None:
    # A route renamed or removed must take its line in RESPONSES with it.
    for method, path in RESPONSES:
        assert method in doc["paths"].get(path, {}), f"{method.upper()} {path}"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/changes", "400"),
        ("get", "/changes/{change_id}", "404"),
        ("get", "/packs", "400"),
        ("get", "/subscriptions/manage", "401"),
        ("get", "/admin/subscriptions", "401"),
        ("get", "/admin/subscriptions", "404"),
        ("patch", "/admin/subscriptions/{sub_id}", "404"),
        ("get", "/briefings/{period}", "404"),
        ("post", "/subscriptions", "202"),
        ("post", "/subscriptions", "415"),
    ],
)
def test_api_openapi_documents_the_error_answers(
    doc: dict[str, Any], method: str, path: str, status: str
) -> None:
    assert status in _statuses(doc, method, path)


def test_api_openapi_subscribe_answers_202_not_200(doc: dict[str, Any]) -> None:
    assert "200" not in _statuses(doc, "post", "/subscriptions")


def test_api_openapi_packs_come_in_four_media_types(doc: dict[str, Any]) -> None:
    assert _media(doc, "get", "/packs", 200) == {
        "application/json",
        "text/markdown",
        "text/html",
        "text/csv",
    }


@pytest.mark.parametrize(
    "path", ["/subscriptions/confirm", "/subscriptions/unsubscribe", "/briefings/{period}"]
)
def test_api_openapi_pages_are_html(doc: dict[str, Any], path: str) -> None:
    assert _media(doc, "get", path, 200) == {"text/html"}


def test_api_openapi_admin_routes_name_their_key(doc: dict[str, Any]) -> None:
    scheme = doc["components"]["securitySchemes"]["AdminKey"]
    assert scheme == {"type": "apiKey", "in": "header", "name": ADMIN_HEADER}
    for path, operations in doc["paths"].items():
        for operation in operations.values():
            assert ("security" in operation) == path.startswith("/admin/"), path


def test_api_openapi_bodies_refuse_unknown_fields(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert schemas["Preferences"]["additionalProperties"] is False
    assert schemas["SubscribeBody"]["additionalProperties"] is False


def test_api_openapi_json_serves_the_document(app: Any, doc: dict[str, Any]) -> None:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/openapi.json"
    result = app.resolve(event, Ctx())
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == doc


def test_api_wrong_method_is_a_405_with_allow(app: Any) -> None:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/changes"
    event["requestContext"]["http"]["method"] = "DELETE"
    result = app.resolve(event, Ctx())
    assert result["statusCode"] == 405  # Powertools said 404, as for a path that does not exist
    assert result["headers"]["Allow"] == "GET"


def test_api_unknown_path_is_still_a_404(app: Any) -> None:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/nothing-here"
    event["requestContext"]["http"]["method"] = "DELETE"
    assert app.resolve(event, Ctx())["statusCode"] == 404


def test_api_multipart_body_is_a_415(app: Any) -> None:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/subscriptions"
    event["requestContext"]["http"]["method"] = "POST"
    event["headers"] = {**event["headers"], "content-type": "multipart/form-data"}
    event["body"] = '{"email": "a@example.com"}'
    result = app.resolve(event, Ctx())  # was ValueError out of Powertools' validation: a 500
    assert result["statusCode"] == 415
