"""Schema-driven fuzz of the HTTP API (issue 13): schemathesis reads /openapi.json from
`radar serve` (started here on 127.0.0.1, a real HTTP server, the code `radar serve` runs) and
sends generated requests to every operation, valid and invalid, with and without the admin key
and with real link tokens part of the time. Every answer must be documented: no 5xx, a status,
media type, body and headers the document allows, 405 for a method a path does not take.

Examples per operation: RADAR_FUZZ_API_EXAMPLES (20 in CI; 700 is over 10,000 requests,
README "Test it").
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from radar.api.app import ApiDeps, build_app, openapi_document
from radar.api.local_server import make_server
from radar.api.openapi import ADMIN_HEADER
from radar.classify import load_default_rules
from radar.mail.outbox import OutboxMailer
from radar.model import Change, ChangeKind, Snapshot
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.model import Subscription, SubscriptionStatus
from radar.subscriptions.tokens import Purpose, make_token

EXAMPLES = int(os.environ.get("RADAR_FUZZ_API_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    unsupported_method,
]
ADMIN_KEY = "fuzz-admin-key-0123456789"
SECRET = "fuzz-signing-secret-0123456789abcdef"
NOW = datetime.now(UTC)
TOKEN_PURPOSES = {
    "/subscriptions/confirm": Purpose.CONFIRM,
    "/subscriptions/unsubscribe": Purpose.UNSUBSCRIBE,
}


def _change(n: int) -> Change:
    return Change(
        id=f"{n:024x}",
        source_id=f"src-{n % 3}",
        platform=("instagram", "threads", "tiktok")[n % 3],
        kind=ChangeKind.ADDED if n % 4 else ChangeKind.EDITED,
        entry_key=f"k{n}",
        title=f"Feature {n} launches <b>now</b>",
        text=f"Feature {n} is available. It will be removed on 2027-01-15.",
        url=f"https://example.com/{n}",
        published=NOW - timedelta(days=n),
        detected_at=NOW - timedelta(days=n),
        category=("new-feature", "deprecation", "policy")[n % 3],
        severity=("notable", "action", "minor")[n % 3],
    )


class _Api:
    """The server, its store and the ids and tokens that reach past the 401s and 404s."""

    def __init__(self, folder: Path) -> None:
        self.settings = load_settings(
            db_path=folder / "radar.sqlite3",
            outbox_dir=folder / "outbox",
            secret_key=SECRET,
            admin_api_key=ADMIN_KEY,
            base_url="http://127.0.0.1:8080",
        )
        self.store = SqliteStore(self.settings.db_path)
        self.store.save(Snapshot("seed"), [_change(n) for n in range(1, 41)])
        self.subscription = Subscription(
            id="fuzzsub",
            email="fuzz@example.com",
            status=SubscriptionStatus.ACTIVE,
            created_at=NOW,
            confirmed_at=NOW,
        )
        self.store.put_subscription(self.subscription)
        deps = ApiDeps(
            self.store,
            load_default_rules(),
            subscriptions=self.store,
            settings=self.settings,
            mailer=OutboxMailer(self.settings.outbox_dir),
        )
        self.server = make_server(build_app(deps), "127.0.0.1", 0, timeout=10)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token(self, purpose: Purpose) -> str:
        sub = self.subscription
        return make_token(SECRET.encode(), purpose, sub.id, sub.email)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.store.close()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Api]:
    running = _Api(tmp_path_factory.mktemp("api-fuzz"))
    yield running
    running.close()


def _document() -> dict[str, Any]:
    """The document /openapi.json serves (the same function builds it; a test below checks
    that the server serves exactly this). Built at import: schemathesis parametrizes at
    collection, and its fixture-based loader does not work with pytest 9."""
    settings = load_settings(secret_key=SECRET, admin_api_key=ADMIN_KEY, base_url="http://x")
    store = SqliteStore(":memory:")
    deps = ApiDeps(store, load_default_rules(), subscriptions=store, settings=settings)
    try:
        return openapi_document(build_app(deps))
    finally:
        store.close()


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_fuzz_api_serves_the_document_it_is_checked_against(api: _Api) -> None:
    with urllib.request.urlopen(f"{api.url}/openapi.json", timeout=10) as reply:
        assert json.load(reply) == DOCUMENT


def _known(case: Any, api: _Api) -> None:
    """Half the time (by the generated value, so a failure replays), a real token, change id
    or subscription id, so the 200s are checked too, not only the 401s and 404s."""
    query, path = case.query or {}, case.path_parameters or {}
    token = query.get("token")
    if isinstance(token, str) and hashlib.blake2b(token.encode()).digest()[0] % 2:
        purpose = TOKEN_PURPOSES.get(case.path, Purpose.MANAGE)
        case.query = {**query, "token": api.token(purpose)}
        api.store.put_subscription(replace(api.subscription))  # unsubscribing is undone
    if "change_id" in path and len(str(path["change_id"])) % 2:
        case.path_parameters = {**path, "change_id": _change(7).id}
    if "sub_id" in path and len(str(path["sub_id"])) % 2:
        case.path_parameters = {**path, "sub_id": api.subscription.id}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz_api_answers_match_the_openapi_document(case: Any, api: _Api) -> None:
    _known(case, api)
    # The admin key on three requests in four (by the generated values, so failures replay).
    seen = repr((case.query, case.path_parameters, case.body)).encode()
    headers = {ADMIN_HEADER: ADMIN_KEY} if hashlib.blake2b(seen).digest()[1] % 4 else {}
    case.call_and_validate(base_url=api.url, headers=headers, checks=CHECKS, timeout=30)
