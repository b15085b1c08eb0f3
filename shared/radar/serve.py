"""`radar serve`: the Lambda API on a local HTTP server, through real API Gateway v2 events.

Each request is turned into the event API Gateway (HTTP API, payload 2.0) would send, so the
local page exercises exactly the code that runs on AWS. Bound to 127.0.0.1 by default; bodies
are capped.
"""

from __future__ import annotations

import base64
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

MAX_BODY = 64 * 1024


def http_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
) -> dict[str, Any]:
    """The API Gateway HTTP API (payload format 2.0) event for one request."""
    parts = urlsplit(target)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        # API Gateway joins repeated parameters with commas.
        query[key] = f"{query[key]},{value}" if key in query else value
    now = datetime.now(UTC)
    text_body = body.decode("utf-8", errors="strict") if body else None
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path or "/",
        "rawQueryString": parts.query,
        "headers": {k.lower(): v for k, v in headers.items()},
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "local",
            "apiId": "local",
            "domainName": headers.get("Host", "127.0.0.1"),
            "http": {
                "method": method,
                "path": parts.path or "/",
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("User-Agent", ""),
            },
            "requestId": f"local-{threading.get_ident()}-{now.timestamp()}",
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "body": text_body,
        "isBase64Encoded": False,
    }


def make_server(app: APIGatewayHttpResolver, host: str, port: int) -> ThreadingHTTPServer:
    """A threading HTTP server that hands every request to `app` (call serve_forever)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "PlatformRadar"
        protocol_version = "HTTP/1.1"

        def _dispatch(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, {"content-type": "text/plain"}, b"request body too large")
                return
            body = self.rfile.read(length) if length else b""
            try:
                event = http_event(
                    self.command, self.path, dict(self.headers), body, self.client_address[0]
                )
            except UnicodeDecodeError:
                self._reply(400, {"content-type": "text/plain"}, b"request body is not UTF-8")
                return
            result = app.resolve(event, _LocalContext())  # type: ignore[arg-type]
            payload = result.get("body") or ""
            raw = (
                base64.b64decode(payload)
                if result.get("isBase64Encoded")
                else str(payload).encode("utf-8")
            )
            self._reply(int(result["statusCode"]), result.get("headers") or {}, raw)

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the CLI prints its own one-line access log when asked to

    return ThreadingHTTPServer((host, port), Handler)


class _LocalContext:
    """The bits of a Lambda context the Powertools resolver reads."""

    function_name = "radar-serve"
    memory_limit_in_mb = 0
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:radar-serve"
    aws_request_id = "local"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000
