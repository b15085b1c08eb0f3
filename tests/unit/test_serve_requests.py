"""`radar serve` on malformed requests (issue 13, item 12): an answer, never a dropped connection
or a thread held by a client; raw sockets on 127.0.0.1, since HTTP clients will not send these.

The socket timeouts below are caps on a hang, as in tests/faults, not timings.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from radar.api.app import ApiDeps, build_app
from radar.api.local_server import MAX_BODY, content_length, make_server
from radar.classify import load_default_rules
from tests.support.fakes import MemoryStore

CAP = 10.0  # seconds: far above any answer; reached only when the server hangs


class _Exploding:
    """An app whose resolve fails, as a bug in a route would."""

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("a bug")


def _serve(app: Any, timeout: float = 30.0) -> Iterator[tuple[str, int]]:
    server = make_server(app, "127.0.0.1", 0, timeout=timeout)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ("127.0.0.1", server.server_port)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    yield from _serve(build_app(ApiDeps(MemoryStore(), load_default_rules())))


def _exchange(address: tuple[str, int], raw: bytes) -> bytes:
    """Send `raw`, then read until the server closes or the cap passes (a hang)."""
    with socket.create_connection(address, timeout=CAP) as sock:
        sock.sendall(raw)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except TimeoutError:
            pytest.fail(f"no complete answer within {CAP} s: {b''.join(chunks)!r}")
    return b"".join(chunks)


def _complete(reply: bytes) -> bool:
    head, _, body = reply.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return True


def _status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def _request(method: str, path: str, headers: str = "", body: bytes = b"") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode() + body


@pytest.mark.parametrize("value", ["abc", "-1", "+5", " 1_0", "1, 2", "0x10", "١٠"])
def test_serve_bad_content_length_is_a_400(address: tuple[str, int], value: str) -> None:
    # "abc" dropped the connection (ValueError); "-1" read until the client gave up.
    raw = _request("POST", "/subscriptions", f"Content-Length: {value}\r\n")
    reply = _exchange(address, raw)
    assert _status(reply) == 400
    assert b"Content-Length" in reply.partition(b"\r\n\r\n")[2]


def test_serve_two_different_content_lengths_are_a_400(address: tuple[str, int]) -> None:
    raw = _request("POST", "/subscriptions", "Content-Length: 2\r\nContent-Length: 3\r\n", b"{}")
    assert _status(_exchange(address, raw)) == 400


def test_serve_too_large_body_is_a_413_and_the_connection_closes(
    address: tuple[str, int],
) -> None:
    raw = _request("POST", "/subscriptions", f"Content-Length: {MAX_BODY + 1}\r\n")
    reply = _exchange(address, raw)  # returns only once the server has closed or answered
    assert _status(reply) == 413
    assert b"connection: close" in reply.lower()


def test_serve_chunked_body_is_read(address: tuple[str, int]) -> None:
    body = b'{"email": "not-an-address"}'
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    raw = _request(
        "POST",
        "/subscriptions",
        "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n",
        chunked,
    )
    reply = _exchange(address, raw)
    assert _status(reply) in (404, 422)  # the route saw the body (no subscriptions here: 404)


@pytest.mark.parametrize("chunked", [b"zz\r\nab\r\n0\r\n\r\n", b"5\r\nab\r\n0\r\n\r\n"])
def test_serve_malformed_chunked_body_is_a_400(address: tuple[str, int], chunked: bytes) -> None:
    raw = _request("POST", "/changes", "Transfer-Encoding: chunked\r\n", chunked)
    assert _status(_exchange(address, raw)) == 400


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "QUERY", "BREW"])
def test_serve_unknown_method_is_a_405_with_allow(address: tuple[str, int], method: str) -> None:
    reply = _exchange(address, _request(method, "/health"))  # was 501 from http.server
    assert _status(reply) == 405
    assert b"\r\nAllow: GET, HEAD, POST" in reply


def test_serve_method_a_route_does_not_take_is_a_405(address: tuple[str, int]) -> None:
    reply = _exchange(address, _request("PUT", "/changes", "Content-Length: 0\r\n"))
    assert _status(reply) == 405  # Powertools answered 404, as for an unknown path
    assert b"\r\nAllow: GET\r\n" in reply


def test_serve_multipart_body_is_a_415(address: tuple[str, int]) -> None:
    body = b'{"email": "a@example.com"}'
    headers = f"Content-Type: multipart/form-data\r\nContent-Length: {len(body)}\r\n"
    reply = _exchange(address, _request("POST", "/subscriptions", headers, body))
    # Powertools raised ValueError (no boundary): a dropped connection here, a 500 on AWS.
    assert _status(reply) == 415


def test_serve_failing_route_is_a_500_not_a_dropped_connection() -> None:
    for address in _serve(_Exploding()):
        reply = _exchange(address, _request("GET", "/health"))
        assert _status(reply) == 500
        assert json.loads(reply.partition(b"\r\n\r\n")[2]) == {"message": "Internal Server Error"}


def test_serve_client_that_stops_sending_is_let_go() -> None:
    app = build_app(ApiDeps(MemoryStore(), load_default_rules()))
    for address in _serve(app, timeout=0.5):
        with socket.create_connection(address, timeout=CAP) as sock:
            sock.sendall(_request("POST", "/subscriptions", "Content-Length: 100\r\n", b"{"))
            # The server's own timeout closes the connection; recv returns b"" then.
            assert sock.recv(1024) == b""


@pytest.mark.parametrize(
    ("values", "length"),
    [([], 0), (["0"], 0), (["12"], 12), (["12", " 12"], 12), (["-1"], None), (["1e3"], None)],
)
def test_serve_content_length_parsing(values: list[str], length: int | None) -> None:
    assert content_length(values) == length


def test_serve_answers_concurrent_requests_each_with_its_own_route(
    address: tuple[str, int],
) -> None:
    """Powertools keeps the request being resolved on the resolver; threads must not share it
    (the web page loads its script, categories and changes at once)."""
    paths = ["/health", "/categories", "/changes?limit=1", "/changes/abc", "/app.js"] * 30
    statuses: dict[int, int] = {}

    def fetch(first: int) -> None:  # 8 clients at once, each asking in turn
        for i in range(first, len(paths), 8):
            statuses[i] = _status(_exchange(address, _request("GET", paths[i])))

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CAP * 4)
    expected = {"/health": 200, "/categories": 200, "/changes/abc": 404, "/app.js": 200}
    wrong = {paths[i]: got for i, got in statuses.items() if got != expected.get(paths[i], 200)}
    assert len(statuses) == len(paths) and not wrong
