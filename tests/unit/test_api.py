"""The HTTP API through the Powertools resolver, driven by real API Gateway v2 event shapes."""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from radar.api.app import ApiDeps, build_app, openapi_document
from radar.classify import load_default_rules
from radar.model import Change, ChangeKind, Snapshot
from tests.support.fakes import MemoryStore

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)

# The shape API Gateway (HTTP API, payload format 2.0) sends, from the AWS documentation.
EVENT: dict[str, Any] = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/",
    "rawQueryString": "",
    "cookies": [],
    "headers": {"accept": "application/json", "host": "abc123.execute-api.eu-west-1.amazonaws.com"},
    "queryStringParameters": None,
    "requestContext": {
        "accountId": "123456789012",
        "apiId": "abc123",
        "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
        "domainPrefix": "abc123",
        "http": {
            "method": "GET",
            "path": "/",
            "protocol": "HTTP/1.1",
            "sourceIp": "198.51.100.7",
            "userAgent": "pytest",
        },
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "routeKey": "$default",
        "stage": "$default",
        "time": "20/Nov/2026:12:00:00 +0000",
        "timeEpoch": 1795176000000,
    },
    "body": None,
    "isBase64Encoded": False,
}


class Ctx:
    function_name = "api"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:api"
    aws_request_id = "req"


def call(app: Any, path: str, **query: str) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["rawQueryString"] = urlencode(query)
    event["queryStringParameters"] = dict(query) or None
    result: dict[str, Any] = app.resolve(event, Ctx())
    return result


def body(result: dict[str, Any]) -> Any:
    return json.loads(result["body"])


def make_change(n: int, **kw: Any) -> Change:
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
    word = words[n % len(words)] + str(n)
    base = Change(
        id=f"{n:024x}",
        source_id=f"src-{n % 3}",
        platform=("instagram", "threads", "tiktok")[n % 3],
        kind=ChangeKind.ADDED,
        entry_key=f"k{n}",
        title=f"{word} launches",
        text=f"{word} is available. {word} helps.",
        url=f"https://example.com/{n}",
        published=NOW - timedelta(days=n),
        detected_at=NOW - timedelta(days=n),
        category="new-feature",
        severity="notable",
    )
    return replace(base, **kw)


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()
    s.save(Snapshot("seed"), [make_change(n) for n in range(1, 31)])
    return s


@pytest.fixture
def app(store: MemoryStore) -> Any:
    return build_app(ApiDeps(store, load_default_rules(), clock=lambda: NOW))


def test_api_health_answers_ok(app: Any) -> None:
    result = call(app, "/health")
    assert result["statusCode"] == 200 and body(result)["status"] == "ok"


def test_api_changes_filters_by_platform(app: Any) -> None:
    items = body(call(app, "/changes", platform="threads"))["items"]
    assert items and {i["platform"] for i in items} == {"threads"}


def test_api_changes_hide_cosmetic_edits_unless_asked(store: MemoryStore, app: Any) -> None:
    typo = make_change(99, kind=ChangeKind.COSMETIC, id="c" * 24, published=NOW)
    store.save(Snapshot("seed", version=1), [typo])
    ids = {i["id"] for i in body(call(app, "/changes", limit="200"))["items"]}
    assert typo.id not in ids and len(ids) == 30
    asked = body(call(app, "/changes", limit="200", include_cosmetic="true"))["items"]
    assert typo.id in {i["id"] for i in asked}


def test_api_changes_pages_by_cursor_without_gaps_or_repeats(app: Any) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = {"limit": "7", **({"cursor": cursor} if cursor else {})}
        page = body(call(app, "/changes", **query))
        seen += [i["id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == 30
    dates = [body(call(app, f"/changes/{i}"))["date"] for i in seen]
    assert dates == sorted(dates)


def test_api_changes_newest_first_pages_in_reverse(app: Any) -> None:
    first = body(call(app, "/changes", order="desc", limit="10"))
    second = body(call(app, "/changes", order="desc", limit="10", cursor=first["next_cursor"]))
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == [f"{n:024x}" for n in range(1, 21)]


def test_api_changes_rejects_bad_limit_naming_the_field(app: Any) -> None:
    result = call(app, "/changes", limit="5000")
    assert result["statusCode"] == 422
    assert body(result)["message"] == "limit: Input should be less than or equal to 200"


def test_api_changes_rejects_bad_date_naming_the_field(app: Any) -> None:
    result = call(app, "/changes", since="last tuesday")
    assert result["statusCode"] == 422
    assert "since" in result["body"]


def test_api_changes_rejects_unknown_category(app: Any) -> None:
    result = call(app, "/changes", category="gossip")
    assert result["statusCode"] == 400
    assert "category" in body(result)["message"]


def test_api_changes_rejects_a_forged_cursor(app: Any) -> None:
    result = call(app, "/changes", cursor="bm90LWEtY3Vyc29y")
    assert result["statusCode"] == 400
    assert "cursor" in body(result)["message"]


def test_api_change_unknown_id_is_404(app: Any) -> None:
    assert call(app, "/changes/" + "f" * 24)["statusCode"] == 404


def test_api_pack_csv_parses_back(app: Any) -> None:
    result = call(app, "/packs", since="2026-10-01", until="2026-11-20", format="csv")
    assert result["statusCode"] == 200
    assert result["headers"]["Content-Type"].startswith("text/csv")
    assert "attachment" in result["headers"]["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(result["body"])))
    assert len(rows) == 30


def test_api_pack_requires_since(app: Any) -> None:
    result = call(app, "/packs", format="md")
    assert result["statusCode"] == 422 and "since" in result["body"]


def test_api_openapi_document_lists_the_routes(app: Any) -> None:
    doc = openapi_document(app)
    assert {"/changes", "/changes/{change_id}", "/packs", "/health"} <= set(doc["paths"])
    params = {p["name"] for p in doc["paths"]["/changes"]["get"]["parameters"]}
    assert {"platform", "category", "severity", "since", "until", "cursor", "limit"} <= params


def test_api_web_page_is_served_with_a_strict_content_security_policy(app: Any) -> None:
    result = call(app, "/")
    assert result["statusCode"] == 200
    csp = dict(
        d.strip().split(" ", 1) for d in result["headers"]["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'none'"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/changes", {"until": "0001-01-01"}),
        ("/changes", {"since": "9999-12-31"}),
        ("/packs", {"since": "9999-12-31", "until": "9999-12-31"}),
        ("/packs", {"since": "0001-01-01"}),
    ],
)
def test_api_dates_at_the_ends_of_the_calendar_are_422(
    app: Any, path: str, query: dict[str, str]
) -> None:
    result = call(app, path, **query)  # date arithmetic overflowed: a 500
    assert result["statusCode"] == 422
    assert "greater than or equal to 1900-01-01" in body(result)["message"] or (
        "less than or equal to 9998-12-31" in body(result)["message"]
    )
