"""Composition root: builds the adapters the settings ask for.

Used by the `radar` command and by the Lambda handlers, so both wire Radar the same way. Heavy
modules (boto3, the HTTP client) are imported only when needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from radar.catalog.loader import load_catalog, load_rules
from radar.classify import Classifier
from radar.errors import ConfigError
from radar.model import Source
from radar.settings import Settings, load_settings
from radar.store.ports import BriefingStore, Store
from radar.store.trend_ports import TrendStore

if TYPE_CHECKING:  # the HTTP client is imported only by what fetches (not the API function)
    from radar.fetch import Fetcher
    from radar.mail.ports import Mailer


def with_secrets(settings: Settings, client: Any = None) -> Settings:
    """`settings` with the secrets named by RADAR_*_ARN read from Secrets Manager.

    The signing key (RADAR_SECRET_KEY_ARN) and the admin key (RADAR_ADMIN_API_KEY_ARN) are read
    once per cold start when only their ARN is set, so neither sits in a function's
    configuration.
    """
    wanted = {
        field: arn
        for field, arn in (
            ("secret_key", settings.secret_key_arn),
            ("admin_api_key", settings.admin_api_key_arn),
        )
        if arn and getattr(settings, field) is None
    }
    if not wanted:
        return settings
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = client or boto3.client("secretsmanager")
    values = {}
    for field, arn in wanted.items():
        try:
            values[field] = SecretStr(client.get_secret_value(SecretId=arn)["SecretString"])
        except (BotoCoreError, ClientError, KeyError) as exc:
            raise ConfigError(
                f"setting RADAR_{field.upper()}_ARN: cannot read the secret {arn}: {exc}"
            ) from None
    return settings.model_copy(update=values)


def build_store(settings: Settings) -> BriefingStore:
    """The store the settings name: SQLite (local default) or DynamoDB."""
    if settings.store == "dynamodb":
        from radar.store.dynamodb import DynamoDbStore

        return DynamoDbStore(settings.table_name)
    from radar.store.sqlite import SqliteStore

    return SqliteStore(settings.db_path)


def build_fetcher(settings: Settings) -> Fetcher:
    """A polite fetcher configured from the settings."""
    from radar.fetch import Fetcher, FetchPolicy

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


def build_trend_store(settings: Settings) -> TrendStore:
    """The trend counts beside the main store: the same SQLite file, or the same table."""
    if settings.store == "dynamodb":
        from radar.store.trend_dynamodb import DynamoDbTrendStore

        return DynamoDbTrendStore(settings.table_name)
    from radar.store.trend_sqlite import SqliteTrendStore

    return SqliteTrendStore(settings.db_path)


def build_classifier(settings: Settings) -> Classifier:
    """The built-in classification rules plus the catalog's own `rules:` section."""
    return Classifier(load_rules(settings.catalog))


@dataclass(frozen=True, slots=True)
class WatchDeps:
    """Everything a `watch_source` worker needs, built once per Lambda container."""

    settings: Settings
    sources: Mapping[str, Source]
    fetcher: Fetcher
    store: Store
    classifier: Classifier
    trend_store: TrendStore


def build_watch_deps(settings: Settings | None = None) -> WatchDeps:
    """Settings (a bad one fails the cold start with a clear error), catalog, adapters."""
    settings = settings or load_settings()
    return WatchDeps(
        settings=settings,
        sources={s.id: s for s in load_catalog(settings.catalog)},
        fetcher=build_fetcher(settings),
        store=build_store(settings),
        classifier=build_classifier(settings),
        trend_store=build_trend_store(settings),
    )


@dataclass(frozen=True, slots=True)
class MailDeps:
    """What the mail-sending functions (send_briefings, send_alerts) need, built once."""

    settings: Settings
    store: BriefingStore
    trend_store: TrendStore
    mailer: Mailer
    sources: Sequence[Source]


def build_mail_deps(settings: Settings | None = None) -> MailDeps:
    """Settings with their secrets, stores, mailer (SES on AWS) and catalog.

    A missing signing key fails here, at the cold start, not at the first subscriber.
    """
    from radar.mail import build_mailer
    from radar.tokens import secret_from

    settings = with_secrets(settings or load_settings())
    secret_from(settings)
    return MailDeps(
        settings=settings,
        store=build_store(settings),
        trend_store=build_trend_store(settings),
        mailer=build_mailer(settings),
        sources=load_catalog(settings.catalog),
    )
