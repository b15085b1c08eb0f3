"""Keys, time stamps and error translation of the DynamoDB trend store (trend_dynamodb.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from radar.errors import StoreError, StoreThrottled

SIGNAL_SK = "SIGNAL"

THROTTLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
    }
)
CONDITION_CODES = frozenset({"ConditionalCheckFailedException", "TransactionCanceledException"})


def count_key(term: str, day: date, source: str) -> dict[str, Any]:
    return {"PK": {"S": f"TERM#{term}"}, "SK": {"S": f"DAY#{day.isoformat()}#SRC#{source}"}}


def signal_key(term: str) -> dict[str, Any]:
    return {"PK": {"S": f"TERM#{term}"}, "SK": {"S": SIGNAL_SK}}


def epoch(day: date, keep: timedelta) -> int:
    return int(
        datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() + keep.total_seconds()
    )


def utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@contextmanager
def translated(what: str) -> Iterator[None]:
    """SDK errors become Radar's own, naming what was being done."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code", "")
        if code in THROTTLE_CODES:
            raise StoreThrottled(f"DynamoDB is throttling ({what}): {code}") from exc
        raise StoreError(f"DynamoDB failed to {what}: {code}: {error.get('Message', exc)}") from exc
    except BotoCoreError as exc:
        raise StoreError(f"DynamoDB could not be reached to {what}: {exc}") from exc
