"""Settings from the environment (`RADAR_*`), validated once, with clear errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Self
from urllib.parse import urlsplit

from platformdirs import user_data_path
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from radar.errors import ConfigError

if TYPE_CHECKING:
    from radar.trends.score import TrendConfig


# Where `radar serve` listens by default: the `radar` command's RADAR_BASE_URL when unset.
LOCAL_BASE_URL = "http://127.0.0.1:8080"


def _data_dir() -> Path:
    return user_data_path("platform-radar", appauthor=False)


class Settings(BaseSettings):
    """Every knob Radar reads from the environment. CLI flags override these."""

    model_config = SettingsConfigDict(env_prefix="RADAR_", extra="ignore", frozen=True)

    store: Literal["sqlite", "dynamodb"] = "sqlite"
    db_path: Path = Field(default_factory=lambda: _data_dir() / "radar.sqlite3")
    table_name: str = "platform-radar"
    outbox_dir: Path = Field(default_factory=lambda: _data_dir() / "outbox")
    catalog: Path | None = None

    user_agent: str = "PlatformRadar/0.1 (+https://github.com/platform-radar/platform-radar)"
    connect_timeout: float = Field(10.0, gt=0, le=60)
    read_timeout: float = Field(30.0, gt=0, le=300)
    max_bytes: int = Field(5 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    per_host_delay: float = Field(1.0, ge=0, le=60)
    # Only for tests and local replays: lets Radar fetch 127.0.0.1 and private networks.
    allow_private: bool = False
    respect_robots: bool = True
    workers: int = Field(16, ge=1, le=64)
    # First-run entries dated within this many days are announced; older ones are baseline.
    announce_days: int = Field(7, ge=0, le=90)
    # Consecutive failures after which a source is listed under "source health".
    unhealthy_after: int = Field(3, ge=1, le=100)

    # AWS only: the SQS queue of watch requests.
    queue_url: str = ""
    # AWS only: the render_page function that renders `render: browser` sources (docs/deploy.md);
    # unset, those sources fail with a reason instead of being fetched without a browser.
    render_function: str = ""

    # --- briefings and mail (docs/briefings.md) ---
    # Signs confirm/manage/unsubscribe links. Long and random; changing it voids old links.
    secret_key: SecretStr | None = None
    # On AWS: the Secrets Manager secret that holds it, read once per cold start, so the key
    # itself never sits in a function's configuration.
    secret_key_arn: str = ""
    mail_backend: Literal["outbox", "smtp", "ses"] = "outbox"
    sender: str = "Platform Radar <radar@localhost>"
    # Where links in mail point (the API / web page); unsubscribe and confirm live under it.
    # Only from configuration, never from a request's Host or X-Forwarded-* headers: mail that
    # carries links is refused while it is unset (the `radar` command defaults it locally).
    base_url: str = ""
    # mailto: target for List-Unsubscribe; empty means the sender's address.
    unsubscribe_mailto: str = ""
    smtp_host: str = ""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_timeout: float = Field(30.0, gt=0, le=300)
    ses_configuration_set: str = ""
    # A pending (claimed, not yet handed to the mailer) delivery older than this is retried.
    delivery_lease_minutes: int = Field(15, ge=1, le=24 * 60)

    # Lets the HTTP API's /admin routes look up and change subscriptions (X-Radar-Admin-Key).
    admin_api_key: SecretStr | None = None
    # On AWS: the Secrets Manager secret holding it (read at cold start, like the signing key).
    admin_api_key_arn: str = ""

    # --- emerging-platform detection (docs/trends.md: the method and why) ---
    trend_fire_score: float = Field(3.0, gt=0, le=50)
    trend_rearm_score: float = Field(1.0, ge=0, le=50)
    trend_min_count: int = Field(4, ge=1, le=10_000)
    trend_min_lift: float = Field(3.0, ge=1, le=1000)
    trend_min_sources: int = Field(2, ge=1, le=50)
    trend_baseline_days: int = Field(14, ge=3, le=90)

    def trend_config(self) -> TrendConfig:
        """The emerging-term thresholds from RADAR_TREND_*; ConfigError when they contradict."""
        from radar.trends.score import TrendConfig

        try:
            return TrendConfig(
                baseline_days=self.trend_baseline_days,
                fire_score=self.trend_fire_score,
                rearm_score=self.trend_rearm_score,
                min_count=self.trend_min_count,
                min_lift=self.trend_min_lift,
                min_sources=self.trend_min_sources,
            )
        except ValueError as exc:
            raise ConfigError(f"settings RADAR_TREND_*: {exc}") from None

    @field_validator("user_agent")
    @classmethod
    def _header_value(cls, value: str) -> str:
        # It is sent on every request: a CR/LF or a non-ASCII character would make every
        # source fail (httpx refuses the header), so it is refused once, here.
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        if not (value.isascii() and value.isprintable()):
            raise ValueError("must be printable ASCII on one line (no CR, LF or tabs)")
        return value

    @field_validator("sender", "unsubscribe_mailto")
    @classmethod
    def _one_line(cls, value: str) -> str:
        # Mail headers: a line break here is a header injection, and the mail library refuses it.
        if any(not c.isprintable() for c in value):
            raise ValueError("must be one line without control characters")
        return value.strip()

    @model_validator(mode="after")
    def _aws_region_known(self) -> Self:
        uses = [
            f"RADAR_{name.upper()}={value}"
            for name, value in (("store", self.store), ("mail_backend", self.mail_backend))
            if value in ("dynamodb", "ses")
        ]
        if uses and not _aws_region():
            raise ValueError(
                f"{' and '.join(uses)} needs an AWS region: set AWS_DEFAULT_REGION "
                "(or a region in your AWS profile)"
            )
        return self

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        if parts.query or parts.fragment or "@" in parts.netloc:
            raise ValueError("must not carry a query, fragment or user name")
        if any(c.isspace() or not c.isprintable() for c in value):
            raise ValueError("must not contain spaces or control characters")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise ValueError("has an invalid port") from None
        return value.rstrip("/")

    def link_base(self) -> str:
        """RADAR_BASE_URL, for links in mail; ConfigError when it is not set."""
        if not self.base_url:
            raise ConfigError(
                "setting RADAR_BASE_URL is not set: mail with links needs the public address of "
                "the API (e.g. https://radar.example.com); links never follow a request's Host"
            )
        return self.base_url

    def require(self, name: str) -> str:
        """A setting that must be set where it is used; ConfigError naming it otherwise."""
        value = getattr(self, name)
        if not value:
            raise ConfigError(f"setting RADAR_{name.upper()} is required here but is not set")
        return str(value)


def _aws_region() -> str | None:
    """The region boto3 would use (AWS_DEFAULT_REGION or the profile's), or None."""
    region = os.environ.get("AWS_DEFAULT_REGION", "").strip()
    if region:  # the common case (Lambda sets it): no need to import botocore
        return region
    try:
        import botocore.session
        from botocore.exceptions import BotoCoreError
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return None
    try:
        found = botocore.session.get_session().get_config_variable("region")
    except BotoCoreError:  # e.g. AWS_PROFILE names a profile that does not exist
        return None
    return str(found) if found else None


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise ConfigError naming the bad variable."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not err["loc"]:  # a check across settings: the message names them
            raise ConfigError(f"setting {msg}") from None
        field = ".".join(str(p) for p in err["loc"])
        raise ConfigError(
            f"setting RADAR_{field.upper()} is invalid: {msg} (got {err.get('input')!r})"
        ) from None
