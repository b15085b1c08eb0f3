"""Each origin's robots.txt, read once and kept a while: the fetcher asks before every request.

Many workers meeting a new origin at once download its robots.txt once (a lock per origin).
Rules are kept for `policy.robots_ttl`, a robots.txt that could not be read for the shorter
`policy.robots_failure_ttl`. How an answer reads is `robots.rules_for_status` (RFC 9309).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import httpx

from radar.errors import (
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    RobotsDisallowed,
    TooManyRedirects,
)
from radar.fetch.policy import FetchPolicy
from radar.fetch.robots import ALLOW_ALL, RobotsRules, rules_for_status

# Downloads a robots.txt URL by the deadline: (status, body, reason), or a FetchError.
Download = Callable[[httpx.URL, float], tuple[int, bytes, str]]


@dataclass(slots=True)
class _Entry:
    rules: RobotsRules
    expires_at: float


class RobotsCache:
    """The rules of each origin's robots.txt, and the check a URL must pass."""

    def __init__(
        self, policy: FetchPolicy, download: Download, monotonic: Callable[[], float]
    ) -> None:
        self._policy = policy
        self._download = download
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._entries: dict[Hashable, _Entry] = {}
        self._origin_locks: dict[Hashable, threading.Lock] = {}

    def check(self, url: httpx.URL, origin: Hashable, deadline: float) -> None:
        """Return if robots.txt lets the policy's agent fetch `url`; raise the reason if not
        (the site unreachable, its robots.txt unreadable, or a rule against it)."""
        rules = self._rules(url, origin, deadline)
        agent = self._policy.robots_agent
        if rules.allows(agent, str(url)):
            return
        if rules.unreachable is not None:
            raise rules.unreachable(
                f"robots.txt of {url.host} could not be fetched ({rules.refusal}); nothing is "
                f"fetched from the site until it can be ({url})"
            )
        if rules.refusal is not None:
            raise RobotsDisallowed(
                f"robots.txt of {url.host} could not be read ({rules.refusal}); RFC 9309 says to "
                f"fetch nothing from the site until it can be ({url})"
            )
        raise RobotsDisallowed(f"robots.txt of {url.host} asks {agent} not to fetch {url}")

    def _rules(self, url: httpx.URL, origin: Hashable, deadline: float) -> RobotsRules:
        with self._lock:
            lock = self._origin_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt download per origin, even with many threads asking
            entry = self._entries.get(origin)
            if entry is not None and entry.expires_at > self._monotonic():
                return entry.rules
            robots_url = url.copy_with(path="/robots.txt", query=None, fragment=None)
            try:
                rules = rules_for_status(*self._download(robots_url, deadline))
            except TooManyRedirects:
                rules = ALLOW_ALL  # RFC 9309: past 5 redirects robots.txt counts as unavailable
            except (FetchTimeout, ConnectionFailed) as exc:
                rules = RobotsRules(refusal=str(exc), unreachable=type(exc))
            except FetchError as exc:
                rules = RobotsRules(refusal=str(exc))
            policy = self._policy
            ttl = policy.robots_ttl if rules.refusal is None else policy.robots_failure_ttl
            self._entries[origin] = _Entry(rules, self._monotonic() + ttl)
            return rules
