"""A malicious HTTP server on 127.0.0.1: each path misbehaves in one way, on a raw socket.

pytest-httpserver (werkzeug) always answers correctly framed HTTP; the faults here need to lie
about lengths, stall between header bytes and reset connections, so this writes bytes itself.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import brotli

PAGE = (
    b"# Changelog\n\n## 2026-03-02\n\nThe new API version is live.\n\n"
    b"## 2026-03-01\n\nReels get longer captions.\n"
)
BIG_PAGE = PAGE + b"\n" + b"Filler line for a compressed body.\n" * 2000

Fault = Callable[[socket.socket, "FaultServer"], None]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(conn: socket.socket, body: bytes, **headers: str) -> None:
    fields = {"Content-Type": "text/markdown; charset=utf-8", "Connection": "close"}
    fields.update({k.replace("_", "-"): v for k, v in headers.items()})
    fields.setdefault("Content-Length", str(len(body)))
    conn.sendall(_head("200 OK", fields) + body)


def _dribble(conn: socket.socket, server: FaultServer, data: bytes) -> None:
    """One byte per `server.drip` seconds until done, the client hangs up or the server stops."""
    for i in range(len(data)):
        if server.stopping.wait(server.drip):
            return
        try:
            conn.sendall(data[i : i + 1])
        except OSError:
            return


def good(conn: socket.socket, server: FaultServer) -> None:
    _send(conn, PAGE)


def slow_headers(conn: socket.socket, server: FaultServer) -> None:
    head = _head("200 OK", {"Content-Type": "text/markdown", "X-Padding": "a" * 10_000})
    _dribble(conn, server, head)


def slow_body(conn: socket.socket, server: FaultServer) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "text/markdown", "Content-Length": "100000"}))
    _dribble(conn, server, PAGE * 1000)


def truncated_gzip(conn: socket.socket, server: FaultServer) -> None:
    data = gzip.compress(BIG_PAGE)
    _send(conn, data[: len(data) // 2], Content_Encoding="gzip")


def truncated_gzip_trailer(conn: socket.socket, server: FaultServer) -> None:
    data = gzip.compress(PAGE)
    _send(conn, data[:-8], Content_Encoding="gzip")  # the whole text, but no CRC and length


def truncated_deflate(conn: socket.socket, server: FaultServer) -> None:
    data = zlib.compress(BIG_PAGE)
    _send(conn, data[: len(data) // 2], Content_Encoding="deflate")


def truncated_raw_deflate(conn: socket.socket, server: FaultServer) -> None:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    data = packer.compress(BIG_PAGE) + packer.flush()
    _send(conn, data[: len(data) // 2], Content_Encoding="deflate")


def truncated_brotli(conn: socket.socket, server: FaultServer) -> None:
    data = brotli.compress(BIG_PAGE)
    _send(conn, data[: len(data) // 2], Content_Encoding="br")


def gzip_bomb(conn: socket.socket, server: FaultServer) -> None:
    _send(conn, server.bomb, Content_Encoding="gzip")


def lying_length(conn: socket.socket, server: FaultServer) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "text/markdown", "Content-Length": "100000"}))
    conn.sendall(PAGE)  # then hang up, far short of what was promised


def redirect_javascript(conn: socket.socket, server: FaultServer) -> None:
    conn.sendall(_head("302 Found", {"Location": "javascript:alert(1)", "Content-Length": "0"}))


def redirect_data(conn: socket.socket, server: FaultServer) -> None:
    location = "data:text/html,<script>alert(1)</script>"
    conn.sendall(_head("302 Found", {"Location": location, "Content-Length": "0"}))


def redirect_loop(conn: socket.socket, server: FaultServer) -> None:
    conn.sendall(_head("302 Found", {"Location": "/redirect-loop", "Content-Length": "0"}))


FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>New API version</title><guid>g1</guid></item></channel></rss>"
)


def good_feed(conn: socket.socket, server: FaultServer) -> None:
    _send(conn, FEED, Content_Type="application/rss+xml; charset=utf-8")


def bad_charset(conn: socket.socket, server: FaultServer) -> None:
    # Python has a codec named "undefined" that fails on every byte: feedparser raised it.
    body = FEED.replace(b'encoding="utf-8"', b'encoding="undefined"')
    _send(conn, body, Content_Type="application/rss+xml; charset=undefined")


def reset(conn: socket.socket, server: FaultServer) -> None:
    # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


FAULTS: dict[str, Fault] = {
    "/good": good,
    "/good-feed": good_feed,
    "/slow-headers": slow_headers,
    "/slow-body": slow_body,
    "/truncated-gzip": truncated_gzip,
    "/truncated-gzip-trailer": truncated_gzip_trailer,
    "/truncated-deflate": truncated_deflate,
    "/truncated-raw-deflate": truncated_raw_deflate,
    "/truncated-brotli": truncated_brotli,
    "/gzip-bomb": gzip_bomb,
    "/lying-length": lying_length,
    "/redirect-javascript": redirect_javascript,
    "/redirect-data": redirect_data,
    "/redirect-loop": redirect_loop,
    "/bad-charset": bad_charset,
    "/reset": reset,
}


class FaultServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, drip: float) -> None:
        self.drip = drip
        self.stopping = threading.Event()
        self.paths: list[str] = []
        self.bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)
        super().__init__(("127.0.0.1", 0), _Handler)

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"


class _Handler(socketserver.BaseRequestHandler):
    server: FaultServer

    def handle(self) -> None:
        conn = self.request
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        path = request.split(b" ", 2)[1].decode("ascii", "replace")
        self.server.paths.append(path)
        fault = FAULTS.get(path)
        if fault is None:
            conn.sendall(_head("404 Not Found", {"Content-Length": "0", "Connection": "close"}))
            return
        fault(conn, self.server)


@contextmanager
def fault_server(drip: float = 0.05) -> Iterator[FaultServer]:
    """The server, running on a free port of 127.0.0.1 until the block ends."""
    server = FaultServer(drip)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def elapsed(start: float) -> float:
    return time.monotonic() - start
