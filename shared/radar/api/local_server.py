"""`radar serve`: the Lambda API on a local HTTP server, through real API Gateway v2 events.

Each request is turned into the event API Gateway (HTTP API, payload 2.0) would send, so the
local page exercises exactly the code that runs on AWS. Bound to 127.0.0.1 by default; bodies
are capped. Whatever a client sends, it gets an answer (a malformed Content-Length or chunked
body a 400, an unknown method a 405, a failing route a 500) or, if it stalls, a closed
connection after REQUEST_TIMEOUT: never a dropped connection or a thread held for good.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

MAX_BODY = 64 * 1024
# Seconds a connection may sit idle (or stop halfway through a body it announced) before its
# thread lets it go.
REQUEST_TIMEOUT = 30.0
# What API Gateway answers when the function fails; the details go to the log only.
_FAILED = b'{"message":"Internal Server Error"}'
_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
_JSON = {"Content-Type": "application/json"}
_HEX = re.compile(rb"[0-9A-Fa-f]{1,8}")
_MAX_LINE, _MAX_TRAILERS = 1024, 32

logger = logging.getLogger(__name__)


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


def make_server(
    app: APIGatewayHttpResolver, host: str, port: int, *, timeout: float = REQUEST_TIMEOUT
) -> ThreadingHTTPServer:
    """A threading HTTP server that hands every request to `app` (call serve_forever)."""

    idle = timeout
    # Powertools keeps the request being resolved on the resolver (current event, route
    # arguments): one request at a time through it, as in a Lambda container. Reading and
    # writing sockets stays concurrent.
    resolving = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        server_version = "PlatformRadar"
        protocol_version = "HTTP/1.1"
        timeout = idle  # the socket's timeout: a stalled client frees its thread

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            if not hasattr(self, f"do_{self.command}"):  # TRACE, CONNECT, QUERY, made-up ones
                self._refuse(405, "method not allowed", {"Allow": _METHODS})
                return False
            return True

        def _dispatch(self) -> None:
            body = self._body()
            if body is None:
                return
            try:
                event = http_event(
                    self.command, self.path, dict(self.headers), body, self.client_address[0]
                )
            except UnicodeDecodeError:
                self._reply(400, _JSON, _message("request body is not UTF-8"))
                return
            try:
                with resolving:
                    result = app.resolve(event, _LocalContext())  # type: ignore[arg-type]
            except Exception:
                # On AWS a failed invocation is API Gateway's 500; here too, not a dropped
                # connection that clients retry.
                logger.exception("request failed", extra={"path": self.path})
                self._reply(500, _JSON, _FAILED)
                return
            payload = result.get("body") or ""
            raw = (
                base64.b64decode(payload)
                if result.get("isBase64Encoded")
                else str(payload).encode("utf-8")
            )
            self._reply(int(result["statusCode"]), result.get("headers") or {}, raw)

        def _body(self) -> bytes | None:
            """The request's body, or None when an error was answered (or the client left)."""
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                try:
                    return read_chunked(self.rfile, MAX_BODY)
                except _TooLarge:
                    self._refuse(413, "request body too large")
                except ValueError:
                    self._refuse(400, "the chunked body is malformed")
                return None
            if self.headers.get("Transfer-Encoding"):
                self._refuse(501, "only chunked transfer coding is understood")
                return None
            length = content_length(self.headers.get_all("Content-Length") or [])
            if length is None:
                self._refuse(400, "Content-Length must be one whole number of bytes")
                return None
            if length > MAX_BODY:
                self._refuse(413, "request body too large")
                return None
            body = self.rfile.read(length) if length else b""
            if len(body) < length:  # the client closed before sending what it announced
                self.close_connection = True
                return None
            return body

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
            # The body was not read, so what follows on the connection cannot be trusted.
            self.close_connection = True
            headers = {**_JSON, "Connection": "close", **(headers or {})}
            self._reply(status, headers, _message(message))

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the CLI prints its own one-line access log when asked to

    return ThreadingHTTPServer((host, port), Handler)


class _TooLarge(ValueError):
    pass


def read_chunked(stream: BufferedIOBase, limit: int) -> bytes:
    """A chunked request body (RFC 9112, section 7.1), at most `limit` bytes.

    ValueError when it is malformed (_TooLarge when it is too long); trailers are read and
    dropped.
    """
    body = bytearray()
    while True:
        line = stream.readline(_MAX_LINE + 1)
        size_text = line.split(b";", 1)[0].strip()
        if len(line) > _MAX_LINE or not line.endswith(b"\n") or not _HEX.fullmatch(size_text):
            raise ValueError("bad chunk size line")
        size = int(size_text, 16)
        if size == 0:
            break
        if len(body) + size > limit:
            raise _TooLarge("chunked body too large")
        chunk = stream.read(size)
        if len(chunk) < size or stream.readline(3).strip(b"\r\n"):
            raise ValueError("chunk shorter than announced")
        body += chunk
    for _ in range(_MAX_TRAILERS):
        trailer = stream.readline(_MAX_LINE + 1)
        if trailer in (b"\r\n", b"\n", b""):
            return bytes(body)
    raise ValueError("too many trailer lines")


def _message(text: str) -> bytes:
    return json.dumps({"message": text}).encode()


def content_length(values: list[str]) -> int | None:
    """The body's length from its Content-Length header(s): 0 without one, None when invalid.

    Only plain digits: int() would take "-1" (and read until the client hangs up), " 1_0" and
    "١٠"; two different values are a request-smuggling shape.
    """
    if not values:
        return 0
    distinct = {v.strip() for v in values}
    if len(distinct) != 1:
        return None
    (value,) = distinct
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value)


class _LocalContext:
    """The bits of a Lambda context the Powertools resolver reads."""

    function_name = "radar-serve"
    memory_limit_in_mb = 0
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:radar-serve"
    aws_request_id = "local"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000
