"""Signed confirm/manage/unsubscribe tokens."""

from __future__ import annotations

import pytest

from radar.errors import ConfigError, InvalidToken
from radar.settings import load_settings
from radar.subscriptions.tokens import Purpose, make_token, read_token, secret_from, verify_token

SECRET = b"a-test-secret-that-is-long-enough"


def test_tokens_round_trip() -> None:
    token = make_token(SECRET, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")
    claims = read_token(token)
    assert (claims.purpose, claims.subscription_id) == (Purpose.UNSUBSCRIBE, "sub1")
    verify_token(SECRET, token, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")


def test_tokens_email_case_does_not_matter() -> None:
    token = make_token(SECRET, Purpose.CONFIRM, "sub1", "Team@Example.com")
    verify_token(SECRET, token, Purpose.CONFIRM, "sub1", "team@example.com")


def test_tokens_other_address_fails() -> None:
    token = make_token(SECRET, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, token, Purpose.UNSUBSCRIBE, "sub1", "victim@example.com")


def test_tokens_other_subscription_fails() -> None:
    token = make_token(SECRET, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")
    forged = token.replace(".sub1.", ".sub2.")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, forged, Purpose.UNSUBSCRIBE, "sub2", "team@example.com")


def test_tokens_other_purpose_fails() -> None:
    token = make_token(SECRET, Purpose.MANAGE, "sub1", "team@example.com")
    with pytest.raises(InvalidToken, match="manage link"):
        verify_token(SECRET, token, Purpose.CONFIRM, "sub1", "team@example.com")


def test_tokens_relabelled_purpose_fails() -> None:
    token = make_token(SECRET, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")
    relabelled = token.replace(".unsubscribe.", ".confirm.")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, relabelled, Purpose.CONFIRM, "sub1", "team@example.com")


@pytest.mark.parametrize("position", [0, 10, -1, -5])
def test_tokens_tampered_signature_fails(position: int) -> None:
    token = make_token(SECRET, Purpose.UNSUBSCRIBE, "sub1", "team@example.com")
    sig_start = token.rindex(".") + 1
    index = position if position < 0 else sig_start + position
    chars = list(token)
    chars[index] = "A" if chars[index] != "A" else "B"
    with pytest.raises(InvalidToken):
        verify_token(SECRET, "".join(chars), Purpose.UNSUBSCRIBE, "sub1", "team@example.com")


def test_tokens_other_secret_fails() -> None:
    token = make_token(b"another-secret-also-long-enough", Purpose.CONFIRM, "s", "a@b.co")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, token, Purpose.CONFIRM, "s", "a@b.co")


@pytest.mark.parametrize("junk", ["", "v1", "v1.confirm.sub1", "v2.confirm.s.sig", "v1.x.s.sig"])
def test_tokens_malformed_is_invalid(junk: str) -> None:
    with pytest.raises(InvalidToken):
        read_token(junk)


def test_tokens_missing_secret_is_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="RADAR_SECRET_KEY is not set"):
        secret_from(load_settings())


def test_tokens_short_secret_is_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        secret_from(load_settings())


def test_tokens_secret_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_SECRET_KEY", SECRET.decode())
    assert secret_from(load_settings()) == SECRET
