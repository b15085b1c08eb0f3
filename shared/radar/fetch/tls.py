"""The TLS context of every fetch: built once per process, and only when an https URL needs it.

Building one means reading certifi's CA bundle (~20 ms of CPU). httpx builds it whenever a
client or transport is made, even for a run whose every URL is http://; Radar's transports
(fetch/deadline.py) ask for it at their first https connection instead, and share it.
Verification is unchanged: certifi's CAs, host names checked (httpx's defaults).
"""

from __future__ import annotations

import ssl
import threading

import httpx

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def verified_context() -> ssl.SSLContext:
    """The process's TLS context for fetching (certifi's CAs, host names checked)."""
    global _context
    with _lock:  # the fetcher's workers may all meet their first https URL at once
        if _context is None:
            _context = httpx.create_ssl_context(trust_env=False)
        return _context


def unusable_context() -> ssl.SSLContext:
    """A context that trusts no certificate: a placeholder that fails closed if ever used."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verification on, no CA loaded
