"""radar.spec_changes: spec edits in a developer's words, judged by structure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.classify import Classifier, load_default_rules
from radar.diff import diff_entries
from radar.model import Change, ChangeKind, Item, Snapshot, Source, SourceKind
from radar.spec_changes import describe, findings, is_spec_entry, judge, schema_users

OP = (
    "POST /v2/messages / operationId: send / description: Send a message. / parameters: {params}"
    " / responses: 200 OK -> application/json: schema:SendResponse;"
    " 400 Bad Request -> application/json: schema:Error / tags: messaging"
)
SCHEMA = (
    "schema:Message / description: A message. / object, properties: {{{props}}}, required: text"
)


def op(params: str) -> str:
    return OP.format(params=params)


def words(old: str, new: str) -> str:
    return describe(findings(old, new))


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            op("to (query, string, required): Who"),
            op("limit (query, integer, optional): How many; to (query, string, required): Who"),
            "parameter limit added",
        ),
        (
            op("limit (query, integer, optional); to (query, string, required)"),
            op("to (query, string, required)"),
            "breaking: parameter limit removed",
        ),
        (
            op("limit (query, integer, optional)"),
            op("limit (query, integer, required)"),
            "breaking: parameter limit made required",
        ),
        (
            op("limit (query, integer, optional)"),
            op("limit (query, string, optional)"),
            "breaking: parameter limit type integer -> string",
        ),
        (
            op("limit (query, integer, optional)"),
            op("limit (query, integer, optional, deprecated)"),
            "deprecated: parameter limit deprecated",
        ),
        (
            SCHEMA.format(props="kind (string, enum: a | b); text (string)"),
            SCHEMA.format(props="kind (string, enum: a | b | c); text (string)"),
            "field kind accepts c",
        ),
        (
            SCHEMA.format(props="kind (string, enum: a | b); text (string)"),
            SCHEMA.format(props="kind (string, enum: a); text (string)"),
            "breaking: field kind no longer accepts b",
        ),
        (
            SCHEMA.format(props="text (string)"),
            SCHEMA.format(props="quote (string): Quote token.; text (string)"),
            "field quote added",
        ),
        (
            "field:status / type: string",
            "field:status / type: Status",
            "breaking: type string -> Status",
        ),
    ],
)
def test_findings_say_what_changed(old: str, new: str, said: str) -> None:
    assert words(old, new) == said


def test_description_only_edits_have_no_findings() -> None:
    old = SCHEMA.format(props="text (string): The text.")
    new = old.replace("The text.", "The text of the message, up to 5000 characters.").replace(
        "A message.", "One message."
    )
    assert findings(old, new) == []


def test_judge_reads_the_labels_describe_writes() -> None:
    assert judge("breaking: parameter limit removed; parameter x added") == (
        "breaking-change",
        "action",
    )
    assert judge("deprecated: the entry is marked deprecated") == ("deprecation", "action")
    assert judge("parameter x added") == ("new-feature", "notable")


def test_schema_users_follow_references_through_other_schemas() -> None:
    texts = {
        "POST /send": "POST /send / request body: application/json: schema:SendRequest",
        "GET /other": "GET /other / responses: 200 OK",
        "schema:SendRequest": (
            "schema:SendRequest / object, properties: {messages (array of schema:Message)}"
        ),
        "schema:Message": "schema:Message / object, properties: {text (string)}",
    }
    assert schema_users(texts, ["schema:Message"]) == {"schema:Message": ["POST /send"]}


def test_is_spec_entry() -> None:
    assert is_spec_entry("GET /a", "GET /a / responses: 200 OK")
    assert is_spec_entry("field:x", "field:x / type: string")
    assert not is_spec_entry("1.2.0", "1.2.0 / Added things")


# --- through the differ and the classifier --------------------------------------------------

NOW = datetime(2026, 11, 20, tzinfo=UTC)
SOURCE = Source(
    id="spec", platform="line", kind=SourceKind.OPENAPI, url="https://example.com/a.yml"
)


def _snapshot(items: list[Item]) -> Snapshot:
    first = diff_entries(SOURCE, None, items, NOW, announce_since=NOW)
    return Snapshot(source_id=SOURCE.id, content_hash="h1", entries=first.entries)


def _edits(old: list[Item], new: list[Item]) -> list[Change]:
    result = diff_entries(SOURCE, _snapshot(old), new, NOW, announce_since=NOW)
    classifier = Classifier(load_default_rules())
    return [classifier.classify(c) for c in result.changes]


def _item(key: str, text: str) -> Item:
    return Item(key=key, title=key, text=text)


def test_a_shared_schema_edit_is_one_change_naming_its_operations() -> None:
    users = [
        _item(f"POST /send{i}", f"POST /send{i} / request body: application/json: schema:Message")
        for i in range(7)
    ]
    old = [*users, _item("schema:Message", "schema:Message / object, properties: {text (string)}")]
    new = [
        *users,
        _item("schema:Message", "schema:Message / object, properties: {text (string, required)}"),
    ]
    (change,) = _edits(old, new)
    assert change.kind is ChangeKind.EDITED
    assert (
        change.diff
        == "breaking: field text made required (used by POST /send0, POST /send1, POST /send2,"
        " POST /send3, POST /send4 and 2 more)"
    )
    assert (change.category, change.severity) == ("breaking-change", "action")


def test_a_description_edit_is_kept_as_history_not_announced() -> None:
    old = [
        _item(
            "schema:Message",
            "schema:Message / description: A message. / object, properties: {text (string)}",
        )
    ]
    new = [
        _item(
            "schema:Message",
            "schema:Message / description: One message sent to a user."
            " / object, properties: {text (string)}",
        )
    ]
    (change,) = _edits(old, new)
    assert change.kind is ChangeKind.COSMETIC
    assert (change.category, change.severity) == ("fixes-docs", "minor")


def test_a_removed_operation_is_a_breaking_change() -> None:
    keep = _item("GET /a", "GET /a / responses: 200 OK")
    gone = _item("DELETE /b", "DELETE /b / responses: 204 No Content")
    snapshot = _snapshot([keep, gone])
    classifier = Classifier(load_default_rules())
    now = NOW
    for _ in range(3):  # removed only after consecutive absences
        result = diff_entries(SOURCE, snapshot, [keep], now, announce_since=NOW)
        snapshot = Snapshot(source_id=SOURCE.id, content_hash="h2", entries=result.entries)
    (change,) = [classifier.classify(c) for c in result.changes]
    assert change.kind is ChangeKind.REMOVED
    assert (change.category, change.severity) == ("breaking-change", "action")


def test_a_deprecated_operation_added_is_a_deprecation_with_its_sunset() -> None:
    text = "GET /old / description: Will be removed on 2027-03-01. / responses: 200 OK / deprecated"
    change = Change(
        id="c", source_id="spec", platform="line", kind=ChangeKind.ADDED, entry_key="GET /old",
        title="GET /old", text=text, url=None, published=None, detected_at=NOW,
    )  # fmt: skip
    got = Classifier(load_default_rules()).classify(change)
    assert (got.category, got.severity, str(got.deadline)) == (
        "deprecation",
        "action",
        "2027-03-01",
    )
