"""What a rendered page may fetch, and its budget (radar.fetch.pagepolicy)."""

from __future__ import annotations

import pytest

from radar.errors import BlockedAddress
from radar.fetch.pagepolicy import PageBudget, PageLedger, is_tracker, vet_request


@pytest.mark.parametrize(
    ("url", "resource_type", "method", "refused"),
    [
        ("https://docs.example.com/changelog", "document", "GET", None),
        ("https://docs.example.com/app.js", "script", "GET", None),
        ("https://api.example.com/changelog.json", "fetch", "GET", None),
        ("https://api.example.com/changelog.json", "xhr", "GET", None),
        ("https://docs.example.com/logo.png", "image", "GET", "image requests are not needed"),
        ("https://docs.example.com/site.css", "stylesheet", "GET", "stylesheet requests"),
        ("https://docs.example.com/font.woff2", "font", "GET", "font requests"),
        ("https://api.example.com/graphql", "fetch", "POST", "POST requests are not made"),
        ("https://www.google-analytics.com/g/collect", "script", "GET", "trackers"),
        ("https://analytics.tiktok.com/i18n/pixel.js", "script", "GET", "trackers"),
        ("ftp://docs.example.com/x", "fetch", "GET", "ftp: URLs"),
    ],
)
def test_vet_request(url: str, resource_type: str, method: str, refused: str | None) -> None:
    why = vet_request(url, resource_type, method)
    if refused is None:
        assert why is None
    else:
        assert why is not None and refused in why


def test_is_tracker_matches_the_domain_and_its_subdomains_only() -> None:
    assert is_tracker("googletagmanager.com")
    assert is_tracker("www.googletagmanager.com.")
    assert not is_tracker("notgoogletagmanager.com")
    assert not is_tracker("developers.tiktok.com")


def test_ledger_fails_past_the_request_budget() -> None:
    ledger = PageLedger(PageBudget(requests=2))
    assert ledger.admit("https://e.com/1") and ledger.admit("https://e.com/2")
    assert not ledger.admit("https://e.com/3")
    assert ledger.failure is not None
    assert "more than 2 requests" in str(ledger.failure)
    assert ledger.requests == 2


def test_ledger_fails_past_the_byte_budget() -> None:
    ledger = PageLedger(PageBudget(bytes=4096))
    assert ledger.received("https://e.com/a.js", 4000)
    assert not ledger.received("https://e.com/b.js", 200)
    assert "more than 0.00390625 MB" in str(ledger.failure)


def test_ledger_blocked_address_fails_the_render_and_keeps_the_first_failure() -> None:
    ledger = PageLedger(PageBudget())
    ledger.blocked(
        "http://169.254.169.254/", BlockedAddress("refused: 169.254.169.254 is link-local")
    )
    ledger.blocked("http://10.0.0.1/", BlockedAddress("refused: 10.0.0.1 is private"))
    assert isinstance(ledger.failure, BlockedAddress)
    assert "169.254.169.254" in str(ledger.failure)
    assert not ledger.admit("https://e.com/after")
    assert len(ledger.refused) == 2


@pytest.mark.parametrize("bad", [{"seconds": 0}, {"requests": 0}, {"bytes": 10}, {"settle": -1}])
def test_page_budget_refuses_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="positive limits"):
        PageBudget(**bad)  # type: ignore[arg-type]
