"""Signed links: confirm, manage and unsubscribe tokens (HMAC-SHA256).

A token names its purpose and the subscription id, and its signature also covers the
subscriber's email address, which the token itself does not carry (links in mail should not
leak the address). So a token works only for the purpose it was made for, only for that
subscription, and only while the subscription still has that address: a token for one address
fails for another, and any change to the token fails. Pure: the secret is passed in.

Format: `v1.<purpose>.<subscription id>.<signature>`, the signature urlsafe base64 without
padding. Unsubscribe tokens never expire (they sit in old mail and must keep working).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from radar.errors import ConfigError, InvalidToken
from radar.settings import Settings

VERSION = "v1"
MIN_SECRET_LENGTH = 16


class Purpose(StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    MANAGE = "manage"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a token says before it is checked against the subscription's address."""

    purpose: Purpose
    subscription_id: str


def secret_from(settings: Settings) -> bytes:
    """The signing secret from settings; ConfigError saying what to do when it is missing."""
    secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if not secret:
        raise ConfigError(
            "setting RADAR_SECRET_KEY is not set; it signs confirm and unsubscribe links. Set it "
            "to a long random string, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"setting RADAR_SECRET_KEY is too short ({len(secret)} characters); use at least "
            f"{MIN_SECRET_LENGTH} random characters"
        )
    return secret.encode()


def make_token(secret: bytes, purpose: Purpose, subscription_id: str, email: str) -> str:
    """A token for `purpose` on this subscription and address."""
    if "." in subscription_id:
        raise ValueError("subscription ids may not contain '.'")
    return _token(secret, purpose, subscription_id, email)


def read_token(token: str) -> TokenClaims:
    """The token's purpose and subscription id, NOT yet verified (see `verify_token`)."""
    parts = token.strip().split(".")
    if len(parts) != 4 or parts[0] != VERSION or not parts[2]:
        raise InvalidToken("this link is not a valid Radar link (it may have been cut short)")
    try:
        purpose = Purpose(parts[1])
    except ValueError:
        raise InvalidToken("this link is not a valid Radar link") from None
    return TokenClaims(purpose, parts[2])


def verify_token(
    secret: bytes, token: str, purpose: Purpose, subscription_id: str, email: str
) -> None:
    """Raise InvalidToken unless `token` was made for exactly this purpose, id and address."""
    claims = read_token(token)
    if claims.purpose is not purpose:
        raise InvalidToken(f"this is a {claims.purpose.value} link, not a {purpose.value} link")
    expected = _token(secret, purpose, subscription_id, email)
    # Constant-time comparison of the whole token, so timing reveals nothing about the MAC.
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise InvalidToken("this link is not valid for this subscription")


def _token(secret: bytes, purpose: Purpose, subscription_id: str, email: str) -> str:
    signature = _sign(secret, purpose, subscription_id, email)
    return f"{VERSION}.{purpose.value}.{subscription_id}.{signature}"


def _sign(secret: bytes, purpose: Purpose, subscription_id: str, email: str) -> str:
    # Unit separators keep the fields apart: ("a", "b.c") and ("a.b", "c") sign differently.
    message = "\x1f".join((VERSION, purpose.value, subscription_id, email.strip().lower()))
    digest = hmac.new(secret, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
