"""Which addresses Radar may connect to, and a transport that connects only to vetted ones.

Scraped URLs and redirects are untrusted: without this check a source (or a redirect it answers
with) could make Radar read the Lambda metadata endpoint (169.254.169.254) or a service on the
private network. The fetcher checks every URL before connecting; `pinned_transport` checks again
inside the connection itself, on the very addresses it connects to, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot slip through.

Both resolutions are bounded by the fetch's deadline: the system resolver (getaddrinfo) has no
timeout of its own and can hang for as long as its servers do, so it runs in a worker thread
that is abandoned when the deadline comes (the thread ends when getaddrinfo gives up).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable

import httpcore
import httpx

from radar.errors import BlockedAddress, ConnectionFailed, DnsTimeout
from radar.fetch.deadline import DeadlineBackend, bounded_timeout, deadline_transport

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why Radar must not connect to `ip` ("a private address"), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return blocked_reason(embedded)
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services such as 169.254.169.254 live)"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a carrier-grade NAT address (100.64.0.0/10)"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


def literal_ip(host: str) -> IPAddress | None:
    """`host` as an IP address when it is written as one, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve_within(resolve: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """`resolve(host, port)`, given up after `timeout` seconds (None: however long it takes).

    Raises DnsTimeout when the resolver has not answered in time; its thread is left to finish
    on its own (a daemon, so it never holds the process up).
    """
    if timeout is None:
        return resolve(host, port)
    answer: list[list[str] | BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            answer.append(resolve(host, port))
        except BaseException as exc:  # handed to the waiting thread
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=work, name=f"resolve {host}", daemon=True).start()
    if not done.wait(max(timeout, 0.0)):
        raise DnsTimeout(f"could not find {host} in DNS within {timeout:.3g} s")
    found = answer[0]
    if isinstance(found, BaseException):
        raise found
    return found


def vet_host(host: str, port: int, resolve: Resolver, timeout: float | None = None) -> list[str]:
    """The addresses of `host` Radar may connect to, resolved within `timeout` seconds.

    Raises BlockedAddress when `host` is, or resolves to, any address that is not public (one bad
    record is enough: attackers mix them), ConnectionFailed when it cannot be resolved, and
    DnsTimeout when the resolver does not answer in time.
    """
    literal = literal_ip(host)
    if literal is not None:
        reason = blocked_reason(literal)
        if reason:
            raise BlockedAddress(f"refused: {literal} is {reason}")
        return [str(literal)]
    try:
        found = resolve_within(resolve, host, port, timeout)
    except (OSError, UnicodeError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise ConnectionFailed(f"could not find {host} in DNS ({detail})") from exc
    if not found:
        raise ConnectionFailed(f"could not find {host} in DNS (no address)")
    for address in found:
        ip = literal_ip(address)
        reason = "not an IP address" if ip is None else blocked_reason(ip)
        if reason:
            raise BlockedAddress(f"refused: {host} resolves to {address}, {reason}")
    return found


class _VettingBackend(DeadlineBackend):
    """Resolves and vets the host itself, then connects to those exact addresses (each
    connection obeying the request deadline)."""

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last: httpcore.ConnectError | None = None
        # Resolving is part of connecting: bounded by the connect timeout and the deadline.
        resolving = bounded_timeout(timeout, httpcore.ConnectTimeout)
        for address in vet_host(host, port, self._resolve, resolving):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the next address, like the OS would
                last = exc
        assert last is not None  # vet_host never returns an empty list
        raise last


def pinned_transport(resolve: Resolver = system_resolve) -> httpx.HTTPTransport:
    """An httpx transport whose connections go only to addresses `vet_host` accepted.

    TLS still verifies the certificate against the URL's host name (httpcore passes it as SNI),
    only the TCP connection is pinned. No proxy: a proxy would make the check meaningless.
    """
    return deadline_transport(_VettingBackend(resolve))
