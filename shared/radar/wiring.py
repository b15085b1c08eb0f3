"""Composition root: builds the adapters the settings ask for.

Used by the `radar` command and by the Lambda handlers, so both wire Radar the same way. Heavy
modules (boto3) are imported only when the settings need them.
"""

from __future__ import annotations

from radar.fetch import Fetcher, FetchPolicy
from radar.settings import Settings
from radar.store.ports import Store


def build_store(settings: Settings) -> Store:
    """The store the settings name: SQLite (local default) or DynamoDB."""
    if settings.store == "dynamodb":
        from radar.store.dynamodb import DynamoDbStore

        return DynamoDbStore(settings.table_name)
    from radar.store.sqlite import SqliteStore

    return SqliteStore(settings.db_path)


def build_fetcher(settings: Settings) -> Fetcher:
    """A polite fetcher configured from the settings."""
    return Fetcher(
        FetchPolicy(
            user_agent=settings.user_agent,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_bytes=settings.max_bytes,
            per_host_delay=settings.per_host_delay,
            allow_private=settings.allow_private,
            respect_robots=settings.respect_robots,
        )
    )
