"""The storage port on DynamoDB: one table, keys and access patterns in docs/storage.md.

`DynamoDbStore` is composed of one part per responsibility, each over the same table and client
(`dynamodb_table`): snapshots and changes (`dynamodb_watch`), subscriptions and suppressions
(`dynamodb_subscriptions`), deliveries (`dynamodb_deliveries`) and rate limits
(`dynamodb_rates`). Each module lists the items it owns.
"""

from __future__ import annotations

import time

from radar.store.dynamodb_deliveries import DynamoDbDeliveries
from radar.store.dynamodb_rates import DynamoDbRates
from radar.store.dynamodb_subscriptions import DynamoDbSubscriptions
from radar.store.dynamodb_table import AWS_CONFIG
from radar.store.dynamodb_watch import DynamoDbWatch

__all__ = ["AWS_CONFIG", "DynamoDbStore"]

_BACKOFF_BASE = 0.05
_BACKOFF_CAP = 2.0


class DynamoDbStore(DynamoDbWatch, DynamoDbSubscriptions, DynamoDbDeliveries, DynamoDbRates):
    """Snapshots and changes in one DynamoDB table (the layout `template.yaml` creates)."""

    def _wait(self, attempt: int) -> None:
        _backoff(attempt)  # looked up here on each call, so tests can take the waits out


def _backoff(attempt: int) -> None:
    time.sleep(min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt))
