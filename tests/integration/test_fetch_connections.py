"""radar.fetch's connections on real sockets (issue 15): 304 answers keep the connection for the
host's next request, and the TLS context is built at the first https URL, once per process,
verifying certificates as before."""

from __future__ import annotations

import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from radar.errors import ConnectionFailed
from radar.fetch import Fetcher, FetchPolicy, tls

LOCAL = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)
ETAG = '"v1"'


class _Server(ThreadingHTTPServer):
    connections = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        body = b"hello"
        self.send_response(200)
        self.send_header("ETag", ETAG)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _serve(context: ssl.SSLContext | None = None) -> Iterator[tuple[_Server, str]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    scheme = "http"
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"{scheme}://127.0.0.1:{server.server_address[1]}/page"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server() -> Iterator[tuple[_Server, str]]:
    yield from _serve()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (trusted by no CA bundle) and its key."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def https_server(certificate: tuple[Path, Path]) -> Iterator[tuple[_Server, str]]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    yield from _serve(context)


@pytest.fixture
def tls_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each verified TLS context built from now on (none built yet in this process)."""
    built: list[int] = []
    real: Callable[..., ssl.SSLContext] = httpx.create_ssl_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tls, "_context", None)
    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    return built


def test_fetch_not_modified_answers_keep_the_connection(http_server: tuple[_Server, str]) -> None:
    server, url = http_server
    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(url).status == 200
        for _ in range(3):
            assert fetcher.fetch(url, etag=ETAG).status == 304
    assert server.connections == 1


def test_fetch_https_refuses_a_certificate_no_ca_signed(
    https_server: tuple[_Server, str], tls_builds: list[int]
) -> None:
    _, url = https_server
    with Fetcher(LOCAL) as fetcher, pytest.raises(ConnectionFailed, match=r"(?i)certificate"):
        fetcher.fetch(url)


def test_fetch_http_builds_no_tls_context_and_https_builds_one_for_all(
    http_server: tuple[_Server, str], https_server: tuple[_Server, str], tls_builds: list[int]
) -> None:
    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(http_server[1]).status == 200
        assert tls_builds == []
        with pytest.raises(ConnectionFailed):
            fetcher.fetch(https_server[1])
        assert tls_builds == [1]
    with Fetcher(LOCAL) as other, pytest.raises(ConnectionFailed):
        other.fetch(https_server[1])
    assert tls_builds == [1]  # shared by every fetcher of the process


def test_fetch_https_connections_use_the_shared_context(
    https_server: tuple[_Server, str],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A context that trusts this certificate, in place of the process's: the fetch succeeding
    # shows that connections verify with the shared context (and nothing else).
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    monkeypatch.setattr(tls, "_context", trusting)
    with Fetcher(LOCAL) as fetcher:
        result = fetcher.fetch(https_server[1])
    assert (result.status, result.body) == (200, b"hello")
