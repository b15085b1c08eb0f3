"""Settings from the environment (`RADAR_*`), validated once, with clear errors.

A frozen dataclass read by `load_settings`, without pydantic: every command and function
starts by reading settings, and pydantic-settings with pydantic cost ~0.1 s of CPU to import
(a third of `radar run`'s start-up) for a dozen numbers and strings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from radar import checks
from radar.errors import ConfigError

if TYPE_CHECKING:
    from radar.trends.score import TrendConfig


# Where `radar serve` listens by default: the `radar` command's RADAR_BASE_URL when unset.
LOCAL_BASE_URL = "http://127.0.0.1:8080"
PREFIX = "RADAR_"


def _data_dir() -> Path:
    # Imported when no RADAR_DB_PATH / RADAR_OUTBOX_DIR names the place (~2 ms otherwise paid).
    from platformdirs import user_data_path

    return user_data_path("platform-radar", appauthor=False)


@dataclass(frozen=True)
class Secret:
    """A secret setting: shown as stars in reprs, logs and tracebacks; read with
    get_secret_value() where it is used."""

    _value: str = field(repr=False)

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"


# --- how a value from the environment (a string) or an override becomes a setting ----------

Parse = Callable[[Any], Any]


def _number(
    kind: type[int] | type[float],
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
) -> Parse:
    noun = "an integer" if kind is int else "a number"

    def parse(value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"Input should be a valid {noun.split()[1]}")
        try:
            number = kind(value.strip()) if isinstance(value, str) else kind(value)
        except ValueError:
            raise ValueError(f"Input should be {noun}, unable to parse string as {noun}") from None
        if kind is int and isinstance(value, float) and number != value:
            raise ValueError("Input should be a valid integer, got a number with a fractional part")
        if gt is not None and not number > gt:
            raise ValueError(f"Input should be greater than {gt:g}")
        if ge is not None and not number >= ge:
            raise ValueError(f"Input should be greater than or equal to {ge:g}")
        if le is not None and not number <= le:
            raise ValueError(f"Input should be less than or equal to {le:g}")
        return number

    return parse


def _choice(*allowed: str) -> Parse:
    def parse(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"Input should be {checks.listed(allowed)}")
        return str(value)

    return parse


def _path(value: Any) -> Path:
    if not isinstance(value, str | os.PathLike) or not str(value).strip():
        raise ValueError("Input should be a path")
    return Path(value)


def _optional_path(value: Any) -> Path | None:
    return None if value is None or value == "" else _path(value)


def _secret(value: Any) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    getter = getattr(value, "get_secret_value", None)  # another library's secret type
    return Secret(getter() if getter else checks.text(value))


def _header_value(value: Any) -> str:
    # It is sent on every request: a CR/LF or a non-ASCII character would make every
    # source fail (httpx refuses the header), so it is refused once, here.
    text = checks.text(value).strip()
    if not text:
        raise ValueError("must not be empty")
    if not (text.isascii() and text.isprintable()):
        raise ValueError("must be printable ASCII on one line (no CR, LF or tabs)")
    return text


def _one_line(value: Any) -> str:
    # Mail headers: a line break here is a header injection, and the mail library refuses it.
    text = checks.text(value)
    if any(not c.isprintable() for c in text):
        raise ValueError("must be one line without control characters")
    return text.strip()


def _http_url(value: Any) -> str:
    text = checks.text(value).strip()
    if not text:
        return text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError("must not carry a query, fragment or user name")
    if any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError("must not contain spaces or control characters")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError("has an invalid port") from None
    return text.rstrip("/")


def _setting(
    default: Any = None, parse: Parse = checks.text, *, factory: Callable[[], Any] | None = None
) -> Any:
    """A Settings field: its default and how a raw value (environment or override) is read."""
    if factory is not None:
        return field(default_factory=factory, metadata={"parse": parse})
    return field(default=default, metadata={"parse": parse})


@dataclass(frozen=True)
class Settings:
    """Every knob Radar reads from the environment. CLI flags override these.

    Made by load_settings (which validates); `dataclasses.replace` makes a changed copy.
    """

    store: Literal["sqlite", "dynamodb"] = _setting("sqlite", _choice("sqlite", "dynamodb"))
    db_path: Path = _setting(parse=_path, factory=lambda: _data_dir() / "radar.sqlite3")  # noqa: RUF009 - a dataclasses.field
    table_name: str = _setting("platform-radar")
    outbox_dir: Path = _setting(parse=_path, factory=lambda: _data_dir() / "outbox")  # noqa: RUF009 - a dataclasses.field
    catalog: Path | None = _setting(None, _optional_path)  # noqa: RUF009 - a dataclasses.field

    user_agent: str = _setting(
        "PlatformRadar/0.1 (+https://github.com/platform-radar/platform-radar)", _header_value
    )
    connect_timeout: float = _setting(10.0, _number(float, gt=0, le=60))
    read_timeout: float = _setting(30.0, _number(float, gt=0, le=300))
    max_bytes: int = _setting(5 * 1024 * 1024, _number(int, ge=1024, le=50 * 1024 * 1024))
    per_host_delay: float = _setting(1.0, _number(float, ge=0, le=60))
    # Only for tests and local replays: lets Radar fetch 127.0.0.1 and private networks.
    allow_private: bool = _setting(False, checks.flag)
    respect_robots: bool = _setting(True, checks.flag)
    workers: int = _setting(16, _number(int, ge=1, le=64))
    # First-run entries dated within this many days are announced; older ones are baseline.
    announce_days: int = _setting(7, _number(int, ge=0, le=90))
    # Consecutive failures after which a source is listed under "source health".
    unhealthy_after: int = _setting(3, _number(int, ge=1, le=100))

    # AWS only: the SQS queue of watch requests.
    queue_url: str = _setting("")
    # AWS only: the render_page function that renders `render: browser` sources (docs/deploy.md);
    # unset, those sources fail with a reason instead of being fetched without a browser.
    render_function: str = _setting("")

    # --- briefings and mail (docs/briefings.md) ---
    # Signs confirm/manage/unsubscribe links. Long and random; changing it voids old links.
    secret_key: Secret | None = _setting(None, _secret)  # noqa: RUF009 - a dataclasses.field
    # On AWS: the Secrets Manager secret that holds it, read once per cold start, so the key
    # itself never sits in a function's configuration.
    secret_key_arn: str = _setting("")
    mail_backend: Literal["outbox", "smtp", "ses"] = _setting(
        "outbox", _choice("outbox", "smtp", "ses")
    )
    sender: str = _setting("Platform Radar <radar@localhost>", _one_line)
    # Where links in mail point (the API / web page); unsubscribe and confirm live under it.
    # Only from configuration, never from a request's Host or X-Forwarded-* headers: mail that
    # carries links is refused while it is unset (the `radar` command defaults it locally).
    base_url: str = _setting("", _http_url)
    # mailto: target for List-Unsubscribe; empty means the sender's address.
    unsubscribe_mailto: str = _setting("", _one_line)
    smtp_host: str = _setting("")
    smtp_port: int = _setting(587, _number(int, ge=1, le=65535))
    smtp_user: str = _setting("")
    smtp_password: Secret | None = _setting(None, _secret)  # noqa: RUF009 - a dataclasses.field
    smtp_starttls: bool = _setting(True, checks.flag)
    smtp_timeout: float = _setting(30.0, _number(float, gt=0, le=300))
    ses_configuration_set: str = _setting("")
    # A pending (claimed, not yet handed to the mailer) delivery older than this is retried.
    delivery_lease_minutes: int = _setting(15, _number(int, ge=1, le=24 * 60))

    # Lets the HTTP API's /admin routes look up and change subscriptions (X-Radar-Admin-Key).
    admin_api_key: Secret | None = _setting(None, _secret)  # noqa: RUF009 - a dataclasses.field
    # On AWS: the Secrets Manager secret holding it (read at cold start, like the signing key).
    admin_api_key_arn: str = _setting("")

    # --- emerging-platform detection (docs/trends.md: the method and why) ---
    trend_fire_score: float = _setting(3.0, _number(float, gt=0, le=50))
    trend_rearm_score: float = _setting(1.0, _number(float, ge=0, le=50))
    trend_min_count: int = _setting(4, _number(int, ge=1, le=10_000))
    trend_min_lift: float = _setting(3.0, _number(float, ge=1, le=1000))
    trend_min_sources: int = _setting(2, _number(int, ge=1, le=50))
    trend_baseline_days: int = _setting(14, _number(int, ge=3, le=90))

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


def setting_names() -> list[str]:
    """The names of the settings, as in the environment (RADAR_STORE, ...)."""
    return [PREFIX + f.name.upper() for f in fields(Settings)]


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise ConfigError naming the bad variable.

    `overrides` (None: not given) win over the environment, whose names are matched without
    regard to case (RADAR_WORKERS, radar_workers); unknown RADAR_* variables are ignored.
    """
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise TypeError(f"load_settings: no setting named {', '.join(unknown)}")
    raw: dict[str, object] = {}
    for key, text in os.environ.items():
        name = key.lower().removeprefix(PREFIX.lower())
        if len(name) < len(key) and name in known:
            raw[name] = text
    raw |= {k: v for k, v in overrides.items() if v is not None}
    values: dict[str, Any] = {}
    for name in known:  # in the order of the fields: the first bad one is reported
        if name not in raw:
            continue
        try:
            values[name] = known[name].metadata["parse"](raw[name])
        except ValueError as exc:
            raise ConfigError(
                f"setting {PREFIX}{name.upper()} is invalid: {exc} (got {raw[name]!r})"
            ) from None
    settings = Settings(**values)
    _check_aws_region(settings)
    return settings


def _check_aws_region(settings: Settings) -> None:
    """The AWS adapters need a region: refused here, at start-up, naming what asks for one."""
    uses = [
        f"{PREFIX}{name.upper()}={value}"
        for name, value in (("store", settings.store), ("mail_backend", settings.mail_backend))
        if value in ("dynamodb", "ses")
    ]
    if uses and not _aws_region():
        raise ConfigError(
            f"setting {' and '.join(uses)} needs an AWS region: set AWS_DEFAULT_REGION "
            "(or a region in your AWS profile)"
        )
