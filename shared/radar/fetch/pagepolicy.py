"""What a page rendered in the browser may ask for, and how much of it: pure rules, no browser.

The browser itself has no network (fetch/browser.py): every request a page makes is put to
`vet_request` first and then, when allowed, fetched by Radar's own fetcher, with its address
guard, robots.txt, per-host turn and size caps. These rules decide what is worth fetching at
all: the document, its scripts and the data they load. Pictures, fonts, styles and media change
nothing in the DOM an extractor reads, trackers report on the visit, and anything but GET would
act on the site rather than read it.

`PageLedger` counts one page's requests and bytes against its `PageBudget` and remembers why a
render must fail (a request to a private address, the budget exceeded), so that the failure is
reported instead of a page silently missing what it could not load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from radar.errors import BlockedAddress, FetchError

# Resource types (Playwright's names) whose answers can change the DOM a page ends up with.
FETCHED_TYPES = frozenset({"document", "script", "xhr", "fetch"})

# Hosts of analytics, advertising, session-recording and consent services (and their
# subdomains). Refused whatever the page: they report on the visit and never hold changelog text.
TRACKER_DOMAINS = frozenset(
    {
        "google-analytics.com",
        "googletagmanager.com",
        "googlesyndication.com",
        "googleadservices.com",
        "doubleclick.net",
        "adservice.google.com",
        "facebook.net",
        "analytics.tiktok.com",
        "ads-twitter.com",
        "analytics.twitter.com",
        "ct.pinterest.com",
        "tr.snapchat.com",
        "sc-static.net",
        "px.ads.linkedin.com",
        "snap.licdn.com",
        "bat.bing.com",
        "clarity.ms",
        "segment.io",
        "segment.com",
        "hotjar.com",
        "mixpanel.com",
        "amplitude.com",
        "fullstory.com",
        "heap.io",
        "heapanalytics.com",
        "newrelic.com",
        "nr-data.net",
        "sentry.io",
        "optimizely.com",
        "quantserve.com",
        "scorecardresearch.com",
        "criteo.com",
        "taboola.com",
        "outbrain.com",
        "cookielaw.org",
        "onetrust.com",
        "intercom.io",
    }
)


@dataclass(frozen=True, slots=True)
class PageBudget:
    """Limits on one rendered page. Times in seconds, sizes in bytes."""

    seconds: float = 45.0  # from the first request to the DOM being read
    requests: int = 60  # requests the page may have fetched (refused ones do not count)
    bytes: int = 15 * 1024 * 1024  # what those requests may download in all
    # After `load`, how long to wait for the network to go quiet (500 ms without requests);
    # pages that poll never do, and are read when this runs out.
    settle: float = 8.0

    def __post_init__(self) -> None:
        if self.seconds <= 0 or self.requests < 1 or self.bytes < 1024 or self.settle < 0:
            raise ValueError(f"a page budget needs positive limits (got {self})")


def is_tracker(host: str) -> bool:
    """Whether `host` is, or is under, a known tracking or advertising domain."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in TRACKER_DOMAINS)


def vet_request(url: str, resource_type: str, method: str) -> str | None:
    """Why a page's request is refused before anything is fetched, or None to fetch it.

    Addresses are not judged here: the fetcher checks every URL and redirect against private,
    loopback and link-local addresses itself (fetch/addresses.py), on every request.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"{parts.scheme}: URLs are not fetched"
    if method != "GET":
        return f"{method} requests are not made (Radar only reads pages)"
    if resource_type not in FETCHED_TYPES:
        return f"{resource_type} requests are not needed to read the page"
    if is_tracker(parts.hostname or ""):
        return "trackers are not loaded"
    return None


@dataclass(slots=True)
class PageLedger:
    """One page's requests, bytes and refusals, against its budget."""

    budget: PageBudget
    requests: int = 0
    bytes: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    failure: FetchError | None = None  # set once: the render must fail with this

    def admit(self, url: str) -> bool:
        """Count one more request; False (and a failure) once the request budget is spent."""
        if self.failure is not None:
            return False
        if self.requests >= self.budget.requests:
            self.fail(
                FetchError(
                    f"the page made more than {self.budget.requests} requests (its budget) "
                    f"before it was rendered; the last was {url}"
                )
            )
            return False
        self.requests += 1
        return True

    def received(self, url: str, size: int) -> bool:
        """Count a response's bytes; False (and a failure) once the byte budget is spent."""
        self.bytes += size
        if self.bytes > self.budget.bytes:
            self.fail(
                FetchError(
                    f"the page downloaded more than {self.budget.bytes / 1024 / 1024:g} MB "
                    f"(its budget) before it was rendered; the last was {url}"
                )
            )
            return False
        return True

    def refuse(self, url: str, why: str) -> None:
        """Remember a request that was not fetched (logged, not an error by itself)."""
        if len(self.refused) < 100:  # a page looping on a refused request needs no more
            self.refused.append((url, why))

    def blocked(self, url: str, error: BlockedAddress) -> None:
        """A request went to an address Radar never contacts: the whole render fails.

        A public changelog has no business asking for a private or link-local address (the
        cloud metadata endpoint above all); a page that does is broken or hostile, and what it
        shows cannot be trusted.
        """
        self.refuse(url, str(error))
        self.fail(BlockedAddress(f"the page asked for {url}, which was blocked: {error}"))

    def fail(self, error: FetchError) -> None:
        if self.failure is None:
            self.failure = error
