"""Powertools' HTTP API resolver with two answers it gets wrong on its own.

- A multipart body: Powertools' request validation (which runs before any middleware) raises
  ValueError on a multipart type without a boundary, a 500 on AWS and a dropped connection
  under `radar serve`. No route reads multipart, so it gets the 415 any other unreadable
  media type gets.
- A method a path does not take (`PUT /changes`): Powertools answers 404 as for an unknown
  path; HTTP says 405 with the methods it does take (`Allow`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


def _answer(status: int, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **headers},
        "body": json.dumps({"statusCode": status, **body}),
        "isBase64Encoded": False,
    }


class Resolver(APIGatewayHttpResolver):
    """APIGatewayHttpResolver answering 415 to multipart bodies and 405 to wrong methods."""

    _routes: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        headers = event.get("headers") or {}
        kind = next((str(v) for k, v in headers.items() if k.lower() == "content-type"), "")
        if kind.strip().lower().startswith("multipart/"):
            problem = {"loc": ["body"], "type": "unsupported_content_type"}
            return _answer(415, {"detail": [problem]})
        result = super().resolve(event, context)
        if result.get("statusCode") != 404:
            return result
        http = (event.get("requestContext") or {}).get("http") or {}
        method = str(http.get("method") or "").upper()
        allowed = self._methods(str(event.get("rawPath") or http.get("path") or "/"))
        if not allowed or method in allowed or method == "HEAD":
            return result  # an unknown path, or a 404 of the route itself
        methods = ", ".join(sorted(allowed))
        return _answer(
            405, {"message": f"{method} is not allowed here; use {methods}"}, Allow=methods
        )

    def _methods(self, path: str) -> frozenset[str]:
        """The methods the documented routes take at `path` (empty for an unknown path)."""
        if self._routes is None:
            paths = json.loads(self.get_openapi_json_schema()).get("paths", {})
            self._routes = [
                (_rule_pattern(rule), frozenset(method.upper() for method in operations))
                for rule, operations in paths.items()
            ]
        found: set[str] = set()
        for pattern, methods in self._routes:
            if pattern.fullmatch(path):
                found |= methods
        return frozenset(found)


def _rule_pattern(rule: str) -> re.Pattern[str]:
    """`/changes/{change_id}` -> a pattern matching `/changes/<one segment>`."""
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(rule)))
