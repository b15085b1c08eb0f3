"""Keys and time stamps of the DynamoDB trend store (trend_dynamodb.py); its SDK errors are
translated as the main store's are (dynamodb_table.translated)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

SIGNAL_SK = "SIGNAL"


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
