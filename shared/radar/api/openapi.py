"""What /openapi.json says beyond what Powertools derives from the routes' annotations.

Powertools documents each route's 200 (as JSON) and the 422 of its own validation. The routes
also answer 400 (a value out of range or unknown), 401 (a bad link token or admin key), 404,
415 (a body that is not JSON), 503 (a server that cannot mail or sign), 202 for a subscription
request, and pages in HTML, Markdown and CSV. This table says so, per operation, and names the
admin key's header, so the document matches every answer (tests/fuzz/test_api_schema.py sends
generated requests to `radar serve` and checks each answer against it).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from radar.api.preferences import Preferences, SubscribeBody

JSON, HTML = "application/json", "text/html"
_TEXT: dict[str, Any] = {"type": "string"}
_OBJECT: dict[str, Any] = {"type": "object"}
_ERROR = {"$ref": "#/components/schemas/Error"}
_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "properties": {"statusCode": {"type": "integer"}, "message": {"type": "string"}},
    "description": "What is wrong; `message` names the parameter or field.",
}

_WHY = {
    200: "OK",
    202: "Accepted",
    400: "A value that is out of range or unknown; the message names it",
    401: "The link's token (or the admin key) is missing, wrong, expired or for another address",
    404: "Nothing with that id, address or week",
    415: "The body is not JSON (multipart and other types are refused)",
    422: "A page saying what was not saved, and why",
    429: "Too many subscription requests from this client; Retry-After says when to ask again",
    503: "This server cannot do that now (no mailer, no signing key, or the store failed)",
}

# Media types of the answers, by status, where they are not a JSON error object.
Answers = Mapping[int, Mapping[str, dict[str, Any]]]
_PAGE: Answers = {200: {HTML: _TEXT}}
_TOKEN: Answers = {401: {JSON: _ERROR}}
_PACK = {
    JSON: {**_OBJECT, "description": "docs/schemas/training-pack.schema.json"},
    "text/markdown": _TEXT,
    HTML: _TEXT,
    "text/csv": _TEXT,
}

# (method, path) -> the answers Powertools does not document. Error bodies are JSON.
RESPONSES: dict[tuple[str, str], Answers] = {
    ("get", "/changes"): {400: {JSON: _ERROR}},
    ("get", "/changes/{change_id}"): {404: {JSON: _ERROR}},
    ("get", "/changes/{change_id}/history"): {404: {JSON: _ERROR}},
    ("get", "/packs"): {200: _PACK, 400: {JSON: _ERROR}},
    ("post", "/subscriptions"): {
        202: {JSON: _OBJECT},
        400: {JSON: _ERROR},
        415: {JSON: _OBJECT},
        429: {JSON: _ERROR},
        503: {JSON: _ERROR},
    },
    ("get", "/subscriptions/confirm"): {**_PAGE, **_TOKEN},
    ("post", "/subscriptions/confirm"): {**_PAGE, **_TOKEN, 503: {JSON: _ERROR}},
    ("get", "/subscriptions/unsubscribe"): {**_PAGE, **_TOKEN},
    ("post", "/subscriptions/unsubscribe"): {**_PAGE, **_TOKEN, 503: {JSON: _ERROR}},
    ("get", "/subscriptions/manage"): {
        200: {JSON: _OBJECT, HTML: _TEXT},  # HTML when the browser asks for it
        **_TOKEN,
        503: {JSON: _ERROR},
    },
    ("post", "/subscriptions/manage"): {
        **_PAGE,
        400: {JSON: _ERROR},
        **_TOKEN,
        415: {JSON: _OBJECT},
        422: {HTML: _TEXT, JSON: {"$ref": "#/components/schemas/HTTPValidationError"}},
        503: {JSON: _ERROR},
    },
    ("patch", "/subscriptions/manage"): {
        400: {JSON: _ERROR},
        **_TOKEN,
        415: {JSON: _OBJECT},
        503: {JSON: _ERROR},
    },
    ("get", "/admin/subscriptions"): {400: {JSON: _ERROR}, **_TOKEN, 404: {JSON: _ERROR}},
    ("patch", "/admin/subscriptions/{sub_id}"): {
        400: {JSON: _ERROR},
        **_TOKEN,
        404: {JSON: _ERROR},
        415: {JSON: _OBJECT},
        503: {JSON: _ERROR},
    },
    ("get", "/admin/deliveries"): {**_TOKEN},
    ("get", "/briefings/{period}"): {**_PAGE, **_TOKEN, 404: {JSON: _ERROR}, 503: {JSON: _ERROR}},
}

# Answers that replace Powertools' guess rather than add to it.
_REPLACES = frozenset({("post", "/subscriptions")})

ADMIN_HEADER = "X-Radar-Admin-Key"
_ADMIN_SCHEME = {"type": "apiKey", "in": "header", "name": ADMIN_HEADER}

# The manage page's form (read by hand from the body, so Powertools cannot see it).
_FORM = {
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    name: {"type": "string"}
                    for name in (
                        "platforms",
                        "categories",
                        "severities",
                        "alerts",
                        "regions",
                        "weekly",
                        "weekday",
                        "hour",
                        "tz",
                        "lang",
                        "empty_week",
                    )
                },
            }
        }
    }
}


def document_responses(generated: Mapping[str, Any]) -> dict[str, Any]:
    """`generated` (Powertools' document) with every answer the routes really give."""
    doc = copy.deepcopy(dict(generated))
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = _ERROR_SCHEMA
    for model in (Preferences, SubscribeBody):
        # Unknown fields are refused (extra="forbid"); Powertools' schema does not say so.
        if model.model_config.get("extra") == "forbid" and model.__name__ in schemas:
            schemas[model.__name__]["additionalProperties"] = False
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            answers = RESPONSES.get((method, path))
            if not answers:
                continue
            responses = operation.setdefault("responses", {})
            if (method, path) in _REPLACES:
                responses.pop("200", None)
            for status, media in answers.items():
                responses[str(status)] = {
                    "description": _WHY[status],
                    "content": {kind: {"schema": schema} for kind, schema in media.items()},
                }
            if path.startswith("/admin/"):
                operation["security"] = [{"AdminKey": []}]
            if (method, path) == ("post", "/subscriptions/manage"):
                operation["requestBody"] = _FORM
    if any(p.startswith("/admin/") for p in doc.get("paths", {})):
        components.setdefault("securitySchemes", {})["AdminKey"] = _ADMIN_SCHEME
    return doc
