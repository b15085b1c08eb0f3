"""Polite, safe HTTP fetching: a URL in, a FetchResult (bytes, status, validators) or a FetchError.

Modules: `policy` (the limits), `addresses` (which IPs may be contacted, and a transport pinned
to them), `body` (capped, bomb-proof decompression), `robots` (robots.txt rules), `fetcher`.

Known limits: with an injected transport (tests) the address check happens before connecting
only, so DNS rebinding is not covered there; the default transport re-checks at connect time.
Proxies are not supported (they would hide the real destination from the address check).
"""

from __future__ import annotations

# First: before anything here imports httpx (see the module).
from radar.fetch import no_httpx_cli  # noqa: F401
from radar.fetch.fetcher import Fetcher
from radar.fetch.policy import DEFAULT_USER_AGENT, FetchPolicy
from radar.fetch.retry_after import parse_retry_after

__all__ = ["DEFAULT_USER_AGENT", "FetchPolicy", "Fetcher", "parse_retry_after"]
