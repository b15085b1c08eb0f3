"""How politely and how carefully Radar fetches: one frozen value, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "PlatformRadar/0.1 (+https://github.com/platform-radar/platform-radar)"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits and manners of the fetcher. Times are in seconds, sizes in bytes."""

    # Honest, with a contact URL. Its first token ("PlatformRadar") is what robots.txt rules match.
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence while waiting for the next bytes
    total_timeout: float = 60.0  # wall cap on one attempt, redirects and body streaming included
    max_bytes: int = 5 * 1024 * 1024  # cap on the body after decompression too
    max_redirects: int = 5
    per_host_delay: float = 1.0  # between the end of one request and the start of the next
    max_retry_wait: float = 30.0  # longest Retry-After Radar sleeps through (once)
    respect_robots: bool = True
    allow_private: bool = False  # tests and local replays only
    robots_ttl: float = 3600.0  # how long a robots.txt answer is reused
    robots_failure_ttl: float = 300.0  # a robots.txt that could not be read is retried sooner

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt groups are matched against ("PlatformRadar")."""
        return self.user_agent.split("/", 1)[0].split()[0] if self.user_agent.strip() else "*"
