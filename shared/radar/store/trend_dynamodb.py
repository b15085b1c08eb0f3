"""The trend storage port on DynamoDB: the same single table, items of its own (docs/trends.md).

- count: PK `TERM#<term>`, SK `DAY#<yyyy-mm-dd>#SRC#<source>`; `keys` a string set of item
  keys (ADD is a set union, so recounting the same items is a no-op), `links` a string set of
  JSON [url, title] (the first few per run); `expires_at` for TTL.
  `hkeys` "<hh>:<key>" (first-seen hour: the smallest hour a key appears with), `ekeys` the
  keys with platform evidence, `nkeys` those saying it is a game or a device.
- history: PK `TERM#<term>`, SK `MONTH#<yyyy-mm>`, `days` a number set of days of the month
  with mentions (ADD: idempotent); the long-run history, kept `HISTORY_RETENTION`.
- day index: PK `TERMDAY#<yyyy-mm-dd>`, SK `<term>`; "terms active on a day" is one Query.
- trend source: PK `TRENDSRC`, SK `<source>`, `first_day` (set once, `if_not_exists`).
- signal state: PK `TERM#<term>`, SK `SIGNAL`; `rise` is the condition of the next write.
- signal log: PK `TRENDSIG#<yyyy-mm-dd>`, SK `<fired_at>#<term>`; written in the same
  transaction as the state.

Nothing is found by Scan.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from radar.errors import StoreError, StoreThrottled
from radar.store.dynamodb import AWS_CONFIG
from radar.store.dynamodb_table import CONFLICT_CODES, translated
from radar.store.trend_dynamodb_keys import count_key, epoch, signal_key, utc
from radar.store.trend_ports import (
    MAX_LINKS,
    MAX_TITLE,
    MAX_URL,
    check_counts,
    signal_from_json,
    signal_to_json,
)
from radar.trends.model import DailyCount, Link, TermCount, TrendSignal

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef, WriteRequestTypeDef

SOURCES_PK = "TRENDSRC"
# Counts and the day index expire this long after their day (the baseline needs 16 days; the
# cooldown looks back 60 more; the rest is for `radar trends --days`).
COUNT_RETENTION = timedelta(days=120)
# The long-run history (novelty look-back of 180 days) outlives the counts.
HISTORY_RETENTION = timedelta(days=400)
# The signal state must outlive the cooldown look-back; the log is history.
SIGNAL_RETENTION = timedelta(days=400)

_BATCH_WRITE_MAX = 25
_BATCH_ATTEMPTS = 8


class DynamoDbTrendStore:
    """Trend counts and signals in the Radar table (the layout `template.yaml` creates)."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        if client is None:
            import boto3  # slow to import; only AWS runs need it

            client = boto3.client("dynamodb", config=AWS_CONFIG)
        self._table = table_name
        self._client = client
        # Sources whose first day this process already recorded: one write per source, not per
        # run.
        self._known_sources: set[str] = set()
        # (term, day) pairs whose history bit this process already wrote.
        self._known_history: set[tuple[str, date]] = set()

    def close(self) -> None:
        """Release the client's connections."""
        self._client.close()

    # --- counts -----------------------------------------------------------------------------

    def add_counts(self, source: str, day: date, counts: Sequence[TermCount]) -> None:
        """One UpdateItem (set union) per term, then the day index in batches of 25."""
        check_counts(source, day, counts)
        expires = epoch(day, COUNT_RETENTION)
        for c in counts:
            keys = sorted({m.key for m in c.mentions})
            if not keys:
                continue
            links = sorted(
                {
                    json.dumps([m.link.url[:MAX_URL], m.link.title[:MAX_TITLE]], ensure_ascii=False)
                    for m in c.mentions
                    if m.link is not None
                }
            )[:MAX_LINKS]
            names = {
                "#k": "keys", "#t": "term", "#d": "day", "#s": "source", "#e": "expires_at",
                "#tr": "evidence_tracked",
            }  # fmt: skip
            values: dict[str, Any] = {
                ":k": {"SS": keys},
                ":t": {"S": c.term},
                ":d": {"S": day.isoformat()},
                ":s": {"S": source},
                ":e": {"N": str(expires)},
                ":tr": {"BOOL": True},
            }
            add = "ADD #k :k"
            if c.hour is not None:
                names["#h"] = "hkeys"
                values[":h"] = {"SS": [f"{c.hour:02d}:{k}" for k in keys]}
                add += ", #h :h"
            evidenced = sorted({m.key for m in c.mentions if m.evidence})
            if evidenced:
                names["#v"] = "ekeys"
                values[":v"] = {"SS": evidenced}
                add += ", #v :v"
            countered = sorted({m.key for m in c.mentions if m.countered})
            if countered:  # items saying it is a game or a device
                names["#n"] = "nkeys"
                values[":n"] = {"SS": countered}
                add += ", #n :n"
            if links:
                names["#l"] = "links"
                values[":l"] = {"SS": links}
                add += ", #l :l"
            with translated("add term counts"):
                self._client.update_item(
                    TableName=self._table,
                    Key=count_key(c.term, day, source),
                    UpdateExpression=f"{add} SET #t = :t, #d = :d, #s = :s, #e = :e, #tr = :tr",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
        # Every count is history, even one without mentions (a source's backlog: see TermCount).
        self._add_history(day, [c.term for c in counts])
        index: list[WriteRequestTypeDef] = [
            {
                "PutRequest": {
                    "Item": {
                        "PK": {"S": f"TERMDAY#{day.isoformat()}"},
                        "SK": {"S": term},
                        "expires_at": {"N": str(expires)},
                    }
                }
            }
            for term in sorted({c.term for c in counts if c.mentions})
        ]
        # Terms with platform evidence today: their bare mentions count from now on.
        index += [
            {
                "PutRequest": {
                    "Item": {
                        "PK": {"S": f"CANDDAY#{day.isoformat()}"},
                        "SK": {"S": term},
                        "expires_at": {"N": str(expires)},
                    }
                }
            }
            for term in sorted({c.term for c in counts if any(m.evidence for m in c.mentions)})
        ]
        self._batch_write(index)
        if source not in self._known_sources:
            with translated("record trend source"):
                self._client.update_item(
                    TableName=self._table,
                    Key={"PK": {"S": SOURCES_PK}, "SK": {"S": source}},
                    UpdateExpression="SET first_day = if_not_exists(first_day, :d)",
                    ExpressionAttributeValues={":d": {"S": day.isoformat()}},
                )
            self._known_sources.add(source)

    def _add_history(self, day: date, terms: list[str]) -> None:
        month = f"MONTH#{day.year:04d}-{day.month:02d}"
        expires = str(epoch(day, HISTORY_RETENTION))
        for term in sorted(set(terms)):
            if (term, day) in self._known_history:
                continue
            with translated("add term history"):
                self._client.update_item(
                    TableName=self._table,
                    Key={"PK": {"S": f"TERM#{term}"}, "SK": {"S": month}},
                    UpdateExpression="ADD #d :d SET #e = :e",
                    ExpressionAttributeNames={"#d": "days", "#e": "expires_at"},
                    ExpressionAttributeValues={":d": {"NS": [str(day.day)]}, ":e": {"N": expires}},
                )
            self._known_history.add((term, day))

    def term_history(self, term: str, start: date, end: date) -> set[date]:
        """One Query on the term's partition, SK between the two months."""
        items = self._query(
            {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND SK BETWEEN :a AND :b",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"TERM#{term}"},
                    ":a": {"S": f"MONTH#{start.isoformat()[:7]}"},
                    ":b": {"S": f"MONTH#{end.isoformat()[:7]}"},
                },
            },
            "read term history",
        )
        out: set[date] = set()
        for item in items:
            year, month = (int(p) for p in item["SK"]["S"].removeprefix("MONTH#").split("-"))
            for raw in item.get("days", {}).get("NS", []):
                d = date(year, month, int(raw))
                if start <= d <= end:
                    out.add(d)
        return out

    def _batch_write(self, requests: list[WriteRequestTypeDef]) -> None:
        for start in range(0, len(requests), _BATCH_WRITE_MAX):
            pending = requests[start : start + _BATCH_WRITE_MAX]
            for attempt in range(_BATCH_ATTEMPTS):
                with translated("write the term index"):
                    response = self._client.batch_write_item(RequestItems={self._table: pending})
                pending = response.get("UnprocessedItems", {}).get(self._table, [])  # type: ignore[assignment]
                if not pending:
                    break
                time.sleep(min(2.0, 0.05 * 2**attempt))
            else:
                raise StoreThrottled("DynamoDB left term index writes unprocessed; retry later")

    def term_counts(self, term: str, start: date, end: date) -> list[DailyCount]:
        """One Query on the term's partition, SK between the two days."""
        items = self._query(
            {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND SK BETWEEN :a AND :b",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"TERM#{term}"},
                    ":a": {"S": f"DAY#{start.isoformat()}#"},
                    ":b": {"S": f"DAY#{end.isoformat()}#\uffff"},
                },
            },
            "read term counts",
        )
        out = []
        for item in items:
            links = tuple(
                Link(*json.loads(raw)) for raw in sorted(item.get("links", {}).get("SS", []))
            )[:MAX_LINKS]
            keys = item.get("keys", {}).get("SS", [])
            first: dict[str, int] = {}
            for raw in item.get("hkeys", {}).get("SS", []):
                hour, _, key = raw.partition(":")
                first[key] = min(first.get(key, 23), int(hour))
            out.append(
                DailyCount(
                    term=term,
                    day=date.fromisoformat(item["day"]["S"]),
                    source=item["source"]["S"],
                    count=len(keys),
                    links=links,
                    # Items counted before issue 12 carry no evidence set: as before, they count.
                    evidenced=len(item.get("ekeys", {}).get("SS", []))
                    if "evidence_tracked" in item
                    else len(keys),
                    hours=tuple(sorted(first.values())) if len(first) == len(keys) else (),
                    countered=len(item.get("nkeys", {}).get("SS", [])),
                )
            )
        return out

    def candidate_terms(self, start: date, end: date) -> set[str]:
        """One Query per day of the window on that day's candidate partition."""
        return self._day_index("CANDDAY", start, end)

    def active_terms(self, start: date, end: date) -> set[str]:
        """One Query per day of the window on that day's index partition."""
        return self._day_index("TERMDAY", start, end)

    def _day_index(self, prefix: str, start: date, end: date) -> set[str]:
        terms: set[str] = set()
        day = start
        while day <= end:
            items = self._query(
                {
                    "TableName": self._table,
                    "KeyConditionExpression": "PK = :pk",
                    "ExpressionAttributeValues": {":pk": {"S": f"{prefix}#{day.isoformat()}"}},
                    "ProjectionExpression": "SK",
                },
                "read active terms",
            )
            terms.update(item["SK"]["S"] for item in items)
            day += timedelta(days=1)
        return terms

    def source_first_days(self) -> dict[str, date]:
        items = self._query(
            {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk",
                "ExpressionAttributeValues": {":pk": {"S": SOURCES_PK}},
                "ConsistentRead": True,
            },
            "read trend sources",
        )
        return {i["SK"]["S"]: date.fromisoformat(i["first_day"]["S"]) for i in items}

    # --- signals ----------------------------------------------------------------------------

    def get_signal(self, term: str) -> TrendSignal | None:
        with translated("read signal"):
            response = self._client.get_item(
                TableName=self._table, Key=signal_key(term), ConsistentRead=True
            )
        item = response.get("Item")
        return None if item is None else signal_from_json(item["body"]["S"])

    def put_signal(self, signal: TrendSignal) -> bool:
        """A transaction: the state (conditional on the previous rise) and the log item."""
        body = {"S": signal_to_json(signal)}
        fired = signal.fired_at.astimezone(UTC)
        state: dict[str, Any] = {
            "TableName": self._table,
            "Item": {
                **signal_key(signal.term),
                "rise": {"N": str(signal.rise)},
                "body": body,
                "expires_at": {"N": str(epoch(signal.day, SIGNAL_RETENTION))},
            },
        }
        if signal.rise <= 1:
            state["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            state["ConditionExpression"] = "rise = :prev"
            state["ExpressionAttributeValues"] = {":prev": {"N": str(signal.rise - 1)}}
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {"Put": state},  # type: ignore[typeddict-item]
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": {
                                "PK": {"S": f"TRENDSIG#{fired.date().isoformat()}"},
                                "SK": {"S": f"{utc(fired)}#{signal.term}"},
                                "body": body,
                                "expires_at": {"N": str(epoch(signal.day, SIGNAL_RETENTION))},
                            },
                        }
                    },
                ]
            )
        except ClientError as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in reasons:
                return False  # another run recorded this rise first
            if exc.response.get("Error", {}).get("Code") in CONFLICT_CODES:
                # Cancelled for another reason (a concurrent transaction): the caller retries.
                raise StoreThrottled(f"DynamoDB cancelled the signal write: {reasons}") from exc
            with translated("put signal"):
                raise
        except BotoCoreError as exc:
            raise StoreError(f"DynamoDB could not be reached to put a signal: {exc}") from exc
        return True

    def signals_between(self, start: datetime, end: datetime) -> list[TrendSignal]:
        """One Query per UTC day of the window on that day's log partition."""
        a, b = utc(start.astimezone(UTC)), utc(end.astimezone(UTC))
        out: list[TrendSignal] = []
        day = start.astimezone(UTC).date()
        while day <= end.astimezone(UTC).date():
            items = self._query(
                {
                    "TableName": self._table,
                    "KeyConditionExpression": "PK = :pk AND SK BETWEEN :a AND :b",
                    "ExpressionAttributeValues": {
                        ":pk": {"S": f"TRENDSIG#{day.isoformat()}"},
                        ":a": {"S": a},
                        ":b": {"S": b},
                    },
                },
                "read signals",
            )
            # SK "<fired_at>#<term>" sorts after the bare `b`, so BETWEEN excludes `end` itself.
            out += [signal_from_json(i["body"]["S"]) for i in items]
            day += timedelta(days=1)
        return out

    def _query(self, request: QueryInputTypeDef, what: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            with translated(what):
                response = self._client.query(**request)
            items += response.get("Items", [])
            last = response.get("LastEvaluatedKey")
            if not last:
                return items
            request = {**request, "ExclusiveStartKey": last}
