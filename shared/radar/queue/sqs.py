"""SQS adapter: puts one watch request per due source on the queue."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from radar.errors import RadarError
from radar.watch.messages import WatchRequest

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import SendMessageBatchRequestEntryTypeDef

log = logging.getLogger(__name__)

AWS_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"mode": "standard", "max_attempts": 5}
)
BATCH = 10  # SQS SendMessageBatch limit
RESEND_ATTEMPTS = 3


class QueueError(RadarError):
    """Watch requests could not be queued."""


class SqsQueue:
    def __init__(self, queue_url: str, client: SQSClient | None = None) -> None:
        self._url = queue_url
        self._client = client or boto3.client("sqs", config=AWS_CONFIG)

    def send(self, source_ids: Sequence[str], tick: datetime) -> int:
        """Queue one watch request per source id; returns how many were queued.

        Entries SQS rejects in a batch are re-sent a few times before giving up.
        """
        sent = 0
        for start in range(0, len(source_ids), BATCH):
            entries: list[SendMessageBatchRequestEntryTypeDef] = [
                {"Id": str(n), "MessageBody": WatchRequest(sid, tick).to_json()}
                for n, sid in enumerate(source_ids[start : start + BATCH])
            ]
            for _attempt in range(RESEND_ATTEMPTS):
                try:
                    resp = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
                except (ClientError, BotoCoreError) as exc:
                    raise QueueError(f"could not queue watch requests: {exc}") from exc
                sent += len(resp.get("Successful", []))
                failed = {f["Id"] for f in resp.get("Failed", [])}
                entries = [e for e in entries if e["Id"] in failed]
                if not entries:
                    break
                log.warning("queue entries rejected", extra={"count": len(entries)})
            if entries:
                raise QueueError(f"SQS rejected {len(entries)} watch requests after retries")
        return sent
