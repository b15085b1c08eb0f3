"""robots.txt answers, as RFC 9309 reads them.

A robots.txt that was read is parsed with urllib.robotparser (which applies the first matching
rule in file order, not the longest match of RFC 9309; they differ only for sites that mix Allow
and Disallow for overlapping paths). A 4xx means "no rules"; a 5xx, 429 or an unreachable site
means "fetch nothing" until it can be read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from radar.errors import ConnectionFailed, FetchTimeout

# RFC 9309 asks crawlers to parse at least 500 KiB; anything after that is ignored.
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt allows. `refusal` set: nothing is allowed, and why."""

    parser: RobotFileParser | None = None
    refusal: str | None = None
    # Set when the site did not answer at all (a timeout, a refused connection): the page is
    # not fetched either, and the failure is reported as what it is, not as a robots.txt rule.
    unreachable: type[FetchTimeout | ConnectionFailed] | None = None

    def allows(self, agent: str, url: str) -> bool:
        """Whether `agent` may fetch `url` of this origin."""
        if self.refusal is not None:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)


ALLOW_ALL = RobotsRules()


def parse_robots(body: bytes) -> RobotsRules:
    """Rules from the bytes of a robots.txt (UTF-8; undecodable bytes are replaced)."""
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    return RobotsRules(parser=parser)


def rules_for_status(status: int, body: bytes, reason: str) -> RobotsRules:
    """The rules a robots.txt answer means, by its final status (after redirects)."""
    if 200 <= status < 300:
        return parse_robots(body)
    # 429 is a 4xx, but it means "too busy", so it is treated like a server error.
    if status == 429 or status >= 500:
        return RobotsRules(refusal=f"answered {status} {reason}".strip())
    return ALLOW_ALL  # 4xx other than 429, and redirect loops: no rules
