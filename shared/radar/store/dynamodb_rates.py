"""Rate limits of `DynamoDbStore`: request counts per key and time window.

Item: PK `RATE#<key>`, SK `<window start>`, `hits` (an atomic counter), `expires_at` (TTL: the
window's end).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from radar.store import codec
from radar.store.dynamodb_table import DynamoDbTable, translated


class DynamoDbRates(DynamoDbTable):
    """Request counts for rate limits: one atomic counter per key and window."""

    def count_hit(self, key: str, now: datetime, window: timedelta) -> int:
        """One UpdateItem: ADD 1 to the window's counter, which expires with the window."""
        start, end = codec.window_of(now, window)
        with translated("count request"):
            response = self._client.update_item(
                TableName=self._table,
                Key={"PK": {"S": f"RATE#{key}"}, "SK": {"S": codec.format_datetime(start)}},
                UpdateExpression="ADD hits :one SET expires_at = :end",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":end": {"N": str(int(end.timestamp()))},
                },
                ReturnValues="UPDATED_NEW",
            )
        return int(response["Attributes"]["hits"]["N"])
