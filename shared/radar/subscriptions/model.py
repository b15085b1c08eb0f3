"""Subscriptions and deliveries: the data, and the pure schedule arithmetic.

A subscription says who gets a weekly briefing, about what, and when in their own time zone,
and whether the address also (or only) gets emerging-platform alerts. A delivery records one
mail for one subscriber and one period (an ISO week for briefings, `alert:<term>:<rise>` for
alerts); it is written conditionally before the mail is sent, which is what keeps a mail from
going out twice.

Pure: time comes in as arguments, nothing reads the clock or the environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGES = ("en", "ar")
# Kinds of alert an address can ask for: new names rising, and (opt-in, stricter) surges of
# established platforms (docs/trends.md).
ALERT_KINDS = ("emerging", "surge")
# Periods of alert deliveries start with this; weekly periods start with a year (a digit).
ALERT_PERIOD_PREFIX = "alert:"
_REGION = re.compile(r"^[A-Z]{2}$")
# A loose check: the mail provider is the real judge; this catches typos and pasted junk.
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class SubscriptionStatus(StrEnum):
    PENDING = "pending"  # waiting for the address to confirm (double opt-in)
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    SUPPRESSED = "suppressed"  # bounced or complained: never mailed again


class EmptyWeek(StrEnum):
    NOTE = "note"  # send a short "nothing changed" note
    SKIP = "skip"  # send nothing


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # claimed; the mail has not been handed to the mailer yet
    SENDING = "sending"  # handed to the mailer; whether it accepted is not known yet
    SENT = "sent"  # the mailer accepted it
    SKIPPED = "skipped"  # an empty week for a subscriber who asked for nothing then
    REJECTED = "rejected"  # the mail service refused it for good; never retried


@dataclass(frozen=True, slots=True)
class Subscription:
    """One address's mail: weekly briefing (filters, local day and hour), alerts, and state.

    `weekly` False means alerts only: the subscription never enters the due index. `alerts`
    names the alert kinds wanted (empty: none, the default of every briefing subscription
    stored before alerts existed). `regions` limits alerts to rises seen in those regions
    (ISO 3166 codes such as IN, US; empty: everywhere); `platforms` filters alerts too.
    """

    id: str
    email: str
    platforms: frozenset[str] = frozenset()  # empty: every platform
    categories: frozenset[str] = frozenset()  # empty: every category
    severities: frozenset[str] = frozenset()  # empty: every severity
    weekday: int = 0  # 0 = Monday, in the subscriber's time zone
    hour: int = 8
    tz: str = "UTC"
    lang: str = "en"
    empty_week: EmptyWeek = EmptyWeek.NOTE
    status: SubscriptionStatus = SubscriptionStatus.PENDING
    created_at: datetime | None = None
    confirmed_at: datetime | None = None
    # The next scheduled briefing (UTC) while active; the due index is keyed on it.
    next_due: datetime | None = None
    status_reason: str = ""
    weekly: bool = True
    alerts: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    # When the last confirmation mail went out (pending only): at most one an hour per address.
    confirmation_sent_at: datetime | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if not 0 <= self.hour <= 23:
            raise ValueError(f"hour must be 0 to 23, got {self.hour}")
        if self.lang not in LANGUAGES:
            supported = " or ".join(LANGUAGES)
            raise ValueError(f"language {self.lang!r} is not supported; use {supported}")
        zone(self.tz)
        unknown = sorted(self.alerts - set(ALERT_KINDS))
        if unknown:
            raise ValueError(f"unknown alert kind {unknown[0]!r}; use {' or '.join(ALERT_KINDS)}")
        for region in sorted(self.regions):
            if not _REGION.match(region):
                raise ValueError(
                    f"region {region!r} is not a two-letter country code such as IN or US"
                )
        if not self.weekly and not self.alerts:
            raise ValueError("a subscription needs the weekly briefing, alerts, or both")

    def wants_alerts(self, kind: str = "emerging") -> bool:
        """Whether this address asked for alerts of `kind`."""
        return kind in self.alerts

    def wants(self, platform: str, category: str | None, severity: str | None) -> bool:
        """Whether a change with these labels belongs in this subscriber's briefing."""
        return (
            (not self.platforms or platform in self.platforms)
            and (not self.categories or (category or "") in self.categories)
            and (not self.severities or (severity or "") in self.severities)
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """One briefing for one subscriber and period (the period is an ISO week, e.g. 2026-W47)."""

    subscription_id: str
    period: str
    status: DeliveryStatus
    claim: str  # who claimed it; later transitions are conditional on it
    claimed_at: datetime
    since: datetime  # the window of changes this briefing covers: [since, until)
    until: datetime
    sent_at: datetime | None = None  # when it finished: sent, skipped or rejected
    message_id: str = ""
    attempts: int = 1
    reason: str = ""  # why the mail service rejected it


def normalize_email(email: str) -> str:
    """The address as Radar keys it (trimmed, lower case); ValueError if it is not one."""
    value = email.strip().lower()
    if not _EMAIL.match(value) or len(value) > 254:
        raise ValueError(f"{email!r} is not an email address")
    return value


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError with a readable message if unknown."""
    try:
        return ZoneInfo(name)
    # OSError: a name that is a folder of the zone database ("America") or otherwise unreadable.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name such as Asia/Riyadh or Europe/London"
        ) from None


def parse_weekday(value: str) -> int:
    """'mon'..'sun' (or the full English name) as 0..6."""
    key = value.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ValueError(f"{value!r} is not a weekday; use one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(key)


def parse_hour(value: str) -> int:
    """'08:00' or '8' as 8. Briefings go out on the hour (the sender runs hourly)."""
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", value.strip())
    if not match or int(match.group(1)) > 23:
        raise ValueError(f"{value!r} is not a time of day; use HH:00, e.g. 08:00")
    if match.group(2) not in (None, "00"):
        raise ValueError(f"briefings go out on the hour; use {int(match.group(1)):02d}:00")
    return int(match.group(1))


def next_due(sub: Subscription, after: datetime) -> datetime:
    """The first scheduled briefing time strictly after `after`, in UTC.

    Computed in the subscriber's zone for the actual date, so daylight-saving shifts move the
    UTC hour with the local one.
    """
    tz = zone(sub.tz)
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=(sub.weekday - local.weekday()) % 7)
    for week in range(3):
        candidate_day = day + timedelta(weeks=week)
        candidate = datetime(
            candidate_day.year, candidate_day.month, candidate_day.day, sub.hour, tzinfo=tz
        ).astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a weekly time recurs within three weeks")


def period_of(sub: Subscription, scheduled: datetime) -> str:
    """The period a briefing scheduled at `scheduled` belongs to: ISO week in the local zone."""
    year, week, _ = scheduled.astimezone(zone(sub.tz)).isocalendar()
    return f"{year}-W{week:02d}"


def with_status(
    sub: Subscription,
    status: SubscriptionStatus,
    *,
    at: datetime,
    next_due: datetime | None = None,
    reason: str = "",
) -> Subscription:
    """`sub` in a new status: active ones are scheduled, the others leave the due index.

    An alerts-only subscription (`weekly` False) is never scheduled: `next_due` is dropped.
    """
    if status is SubscriptionStatus.ACTIVE:
        if not sub.weekly:
            next_due = None
        elif next_due is None:
            raise ValueError("an active subscription needs its next briefing time")
        return replace(
            sub,
            status=status,
            next_due=next_due,
            confirmed_at=sub.confirmed_at or at,
            status_reason=reason,
        )
    return replace(sub, status=status, next_due=None, status_reason=reason)


def can_take_over(existing: Delivery, claim: Delivery, lease: timedelta) -> bool:
    """Whether `claim` may replace `existing`: only a pending claim older than the lease.

    A "sending" delivery is never taken over: the mailer may have accepted it, and sending
    twice is worse than not at all (see docs/briefings.md, "Delivery semantics").
    """
    return (
        existing.status is DeliveryStatus.PENDING
        and existing.claimed_at <= claim.claimed_at - lease
    )


UNFINISHED = frozenset({DeliveryStatus.PENDING, DeliveryStatus.SENDING})
FINISHED = frozenset({DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.REJECTED})


def parse_regions(value: str | None) -> frozenset[str]:
    """'in, us' as {'IN', 'US'}; ValueError naming a code that is not two letters."""
    found = frozenset(v.strip().upper() for v in (value or "").split(",") if v.strip())
    for region in sorted(found):
        if not _REGION.match(region):
            raise ValueError(f"region {region!r} is not a two-letter country code such as IN")
    return found


def alert_period(term: str, rise: int) -> str:
    """The delivery period of one rise of a term: one alert per subscriber and rise."""
    return f"{ALERT_PERIOD_PREFIX}{term}:{rise}"


def is_alert_period(period: str) -> bool:
    """Whether a delivery period is an alert's (not a weekly briefing's)."""
    return period.startswith(ALERT_PERIOD_PREFIX)
