"""Composition root: builds the adapters the settings ask for.

Used by the `radar` command and by the Lambda handlers, so both wire Radar the same way. Heavy
modules (boto3, the HTTP client, the catalog's validation models, the classifier) are imported
only when needed: every function imports this module, few need all of it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from radar.errors import ConfigError
from radar.model import RenderMode, Source
from radar.settings import Secret, Settings, load_settings

if TYPE_CHECKING:  # the HTTP client is imported only by what fetches (not the API function)
    from radar.classify import Classifier
    from radar.fetch import Fetcher
    from radar.fetch.discover import PageFetcher
    from radar.mail.ports import Mailer
    from radar.model import Change
    from radar.store.ports import BriefingStore, Store
    from radar.store.trend_ports import TrendStore


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
            values[field] = Secret(client.get_secret_value(SecretId=arn)["SecretString"])
        except (BotoCoreError, ClientError, KeyError) as exc:
            raise ConfigError(
                f"setting RADAR_{field.upper()}_ARN: cannot read the secret {arn}: {exc}"
            ) from None
    return replace(
        settings,
        secret_key=values.get("secret_key", settings.secret_key),
        admin_api_key=values.get("admin_api_key", settings.admin_api_key),
    )


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


# Between two requests of one page to the same host: a page's own scripts and data, which any
# visitor's browser fetches all at once, are fetched one at a time with this pause (pages of
# one host still wait the full RADAR_PER_HOST_DELAY between them).
PAGE_ASSET_DELAY = 0.25


def build_renderer(
    settings: Settings, *, chromium_args: tuple[str, ...] = ()
) -> tuple[PageFetcher | None, str | None]:
    """What renders `render: browser` sources here, or None and why not (one line).

    Chromium starts only when the first such page is fetched; close the renderer after the run.
    """
    from radar.fetch import Fetcher, FetchPolicy
    from radar.fetch.browser import BrowserFetcher, unavailable_reason
    from radar.fetch.pagepolicy import PageBudget

    reason = unavailable_reason()
    if reason:
        return None, reason
    budget = PageBudget()
    # The page's requests obey the same guard, robots.txt and caps as any fetch, and end
    # within the page's budget.
    assets = Fetcher(
        FetchPolicy(
            user_agent=settings.user_agent,
            connect_timeout=min(settings.connect_timeout, budget.seconds),
            read_timeout=min(settings.read_timeout, budget.seconds),
            total_timeout=budget.seconds,
            max_bytes=settings.max_bytes,
            per_host_delay=min(settings.per_host_delay, PAGE_ASSET_DELAY),
            allow_private=settings.allow_private,
            respect_robots=settings.respect_robots,
        )
    )
    browser = BrowserFetcher(
        assets,
        budget=budget,
        user_agent=settings.user_agent,
        page_delay=settings.per_host_delay,
        extra_args=chromium_args,
    )
    return browser, None


def build_remote_renderer(settings: Settings) -> PageFetcher:
    """On AWS: `render_page` renders browser sources (watch_source itself has no browser)."""
    from radar.fetch.render import LambdaRenderer, NoRenderer

    if settings.render_function:
        return LambdaRenderer(settings.render_function)
    return NoRenderer(
        "render: browser sources need the render_page function, which this stack does not "
        "have: deploy it with the RenderPageImageUri parameter (docs/deploy.md)"
    )


def route_rendered(
    http: PageFetcher, renderer: PageFetcher | None, sources: Sequence[Source]
) -> PageFetcher:
    """`http`, or a router sending the URLs of `render: browser` sources to `renderer`."""
    rendered = [s.url for s in sources if s.render is RenderMode.BROWSER]
    if renderer is None or not rendered:
        return http
    from radar.fetch.render import RenderRouter

    return RenderRouter(http, renderer, rendered)


def build_trend_store(settings: Settings) -> TrendStore:
    """The trend counts beside the main store: the same SQLite file, or the same table."""
    if settings.store == "dynamodb":
        from radar.store.trend_dynamodb import DynamoDbTrendStore

        return DynamoDbTrendStore(settings.table_name)
    from radar.store.trend_sqlite import SqliteTrendStore

    return SqliteTrendStore(settings.db_path)


def build_classifier(settings: Settings) -> Classifier:
    """The built-in classification rules plus the catalog's own `rules:` section."""
    from radar.catalog.loader import load_rules
    from radar.classify import Classifier

    return Classifier(load_rules(settings.catalog))


class _FirstUseClassifier:
    """build_classifier(settings), built at the first change classified.

    Importing the classifier and building its rules is ~20 ms, which a run where no source
    changed (the common run) need not pay. Thread-safe: run_cycle's workers share it.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._built: Classifier | None = None

    def _classifier(self) -> Classifier:
        with self._lock:
            if self._built is None:
                self._built = build_classifier(self._settings)
            return self._built

    def classify(self, change: Change, hints: Sequence[str] = ()) -> Change:
        return self._classifier().classify(change, hints)


def classifier_on_first_use(settings: Settings) -> Classifier:
    """build_classifier(settings), deferred until something is classified (`radar run`)."""
    # Only classify() is forwarded: all that run_cycle calls (tests/unit/test_startup_run_path.py).
    return cast("Classifier", _FirstUseClassifier(settings))


@dataclass(frozen=True, slots=True)
class WatchDeps:
    """Everything a `watch_source` worker needs, built once per Lambda container."""

    settings: Settings
    sources: Mapping[str, Source]
    fetcher: PageFetcher  # the HTTP fetcher, routing `render: browser` sources to render_page
    store: Store
    classifier: Classifier
    trend_store: TrendStore


def build_watch_deps(settings: Settings | None = None) -> WatchDeps:
    """Settings (a bad one fails the cold start with a clear error), catalog, adapters."""
    settings = settings or load_settings()
    from radar.catalog.loader import load_catalog

    sources = load_catalog(settings.catalog)
    fetcher: PageFetcher = build_fetcher(settings)
    if any(s.render is RenderMode.BROWSER for s in sources):  # else no Lambda client to build
        fetcher = route_rendered(fetcher, build_remote_renderer(settings), sources)
    return WatchDeps(
        settings=settings,
        sources={s.id: s for s in sources},
        fetcher=fetcher,
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
    from radar.catalog.loader import load_catalog
    from radar.mail import build_mailer
    from radar.subscriptions.tokens import secret_from

    settings = with_secrets(settings or load_settings())
    secret_from(settings)
    return MailDeps(
        settings=settings,
        store=build_store(settings),
        trend_store=build_trend_store(settings),
        mailer=build_mailer(settings),
        sources=load_catalog(settings.catalog),
    )
