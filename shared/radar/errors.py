"""Radar's own errors. Adapters translate library and SDK errors into these.

Every message is written for the person running Radar: what went wrong and, where it helps,
what to do about it.
"""

from __future__ import annotations


class RadarError(Exception):
    """Base of every error Radar raises on purpose."""


class ConfigError(RadarError):
    """Bad settings or a bad catalog file."""


class CatalogError(ConfigError):
    """A catalog file that cannot be used; the message names the file, source and field."""


# --- fetching -------------------------------------------------------------------------------


class FetchError(RadarError):
    """A source could not be fetched."""


class BlockedAddress(FetchError):
    """The URL resolves to a private, loopback, link-local or metadata address."""


class RobotsDisallowed(FetchError):
    """robots.txt of the site asks crawlers not to fetch this URL."""


class ResponseTooLarge(FetchError):
    """The body (after decompression) is larger than the configured cap."""


class FetchTimeout(FetchError):
    """The server did not answer, or did not finish answering, in time."""


class DnsTimeout(FetchTimeout):
    """The host name could not be resolved within the fetch's deadline."""


class ConnectionFailed(FetchError):
    """DNS, TCP or TLS failed."""


class TooManyRedirects(FetchError):
    """The redirect chain is longer than the configured cap."""


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(HttpStatusError):
    """429 or 503 with a Retry-After longer than Radar is willing to wait."""

    def __init__(self, message: str, status: int, retry_after: float | None) -> None:
        super().__init__(message, status)
        self.retry_after = retry_after


class ContentEncodingError(FetchError):
    """The body came compressed in a coding Radar cannot read, or the compressed data is broken."""


# --- extracting -----------------------------------------------------------------------------


class ExtractError(RadarError):
    """The body could not be turned into items.

    An empty or failed parse is an error, never "every entry was removed".
    """


# --- storing --------------------------------------------------------------------------------


class StoreError(RadarError):
    """The store failed."""


class StoreConflict(StoreError):
    """Someone else saved the snapshot first (optimistic lock) or the item already exists."""


class StoreThrottled(StoreError):
    """The store is throttling; retry later."""


# --- briefings and mail ---------------------------------------------------------------------


class InvalidToken(RadarError):
    """A confirm, manage or unsubscribe link that is malformed, tampered with or not for this
    address."""


class SubscriptionError(RadarError):
    """A subscription request that cannot be carried out (suppressed address, bad filter)."""


class MailError(RadarError):
    """The mailer refused the message; it was not sent."""


class MailThrottled(MailError):
    """The mail service kept throttling after retries; the message was not sent."""


class MailUncertain(MailError):
    """The mailer may or may not have accepted the message (a timeout after sending)."""


class MailRejected(MailError):
    """The mail service refused this message for good (an invalid address, rejected content,
    an unverified sending domain): sending it again cannot help, so it is never retried."""
