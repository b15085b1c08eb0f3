"""What every part of `DynamoDbStore` shares: the table, its client and error translation.

The store is composed of one mixin per responsibility (`dynamodb_watch`,
`dynamodb_subscriptions`, `dynamodb_deliveries`, `dynamodb_rates`), each a `DynamoDbTable`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from radar.errors import StoreConflict, StoreError, StoreThrottled

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

AWS_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"mode": "standard", "max_attempts": 5}
)

GSI_DETECTED = "GSI1"
GSI_EFFECTIVE = "GSI2"

CONFLICT_CODES = frozenset({"ConditionalCheckFailedException", "TransactionCanceledException"})
THROTTLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
    }
)


class DynamoDbTable:
    """The Radar table and its client (the layout `template.yaml` creates)."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        if client is None:
            import boto3  # boto3 is slow to import; only AWS runs need it

            client = boto3.client("dynamodb", config=AWS_CONFIG)
        self._table = table_name
        self._client = client

    def close(self) -> None:
        """Release the client's connections."""
        self._client.close()

    def _get(self, key: dict[str, Any], what: str) -> dict[str, Any] | None:
        with translated(what):
            response = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        return response.get("Item")

    def _wait(self, attempt: int) -> None:
        """Pause before retrying unprocessed batch items (the store sets the policy)."""
        raise NotImplementedError


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Turn SDK errors into Radar's own, with what was being done in the message."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code", "")
        message = error.get("Message", str(exc))
        if code in CONFLICT_CODES:
            raise StoreConflict(f"DynamoDB refused to {what}: condition failed ({code})") from exc
        if code in THROTTLE_CODES:
            raise StoreThrottled(f"DynamoDB is throttling ({what}): {code}") from exc
        raise StoreError(f"DynamoDB failed to {what}: {code}: {message}") from exc
    except BotoCoreError as exc:
        raise StoreError(f"DynamoDB could not be reached to {what}: {exc}") from exc
