"""A subscriber's preferences at the API's edge: the request bodies, their JSON, saving them.

Shared by the subscriber's own routes (manage link) and the admin routes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from aws_lambda_powertools.event_handler.exceptions import BadRequestError, ServiceError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from radar.classify import SEVERITIES
from radar.errors import StoreError
from radar.store.ports import BriefingStore
from radar.subscriptions.model import (
    WEEKDAYS,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
    next_due,
    normalize_email,
    zone,
)
from radar.subscriptions.names import UnknownName, catalog_platform_names, known_categories

# Any case: "X" and "Twitter" name a platform as well as "x" (radar.subscriptions.names).
Name = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class Preferences(BaseModel):
    """What a subscriber chooses; every field optional in an update."""

    model_config = ConfigDict(extra="forbid")

    platforms: list[Name] | None = Field(None, max_length=50)
    categories: list[Name] | None = Field(None, max_length=20)
    severities: list[Literal["action", "notable", "minor"]] | None = None
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = None
    hour: int | None = Field(None, ge=0, le=23)
    tz: str | None = Field(None, max_length=64)
    lang: Literal["en", "ar"] | None = None
    empty_week: Literal["note", "skip"] | None = None
    weekly: bool | None = None  # False: alerts only
    alerts: list[Literal["emerging"]] | None = None
    regions: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] | None = Field(
        None, max_length=50
    )

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone(value)  # ValueError naming the zone, reported against the field
        return value


P = TypeVar("P", bound="Preferences")


class SubscribeBody(Preferences):
    email: str = Field(max_length=254)

    @field_validator("email")
    @classmethod
    def _address(cls, value: str) -> str:
        return normalize_email(value)


def checked_names(prefs: P, known: set[str], catalog: Path | None = None) -> P:
    """`prefs` with its platform and category names resolved to the ids Radar stores
    ("Twitter" is `x`); `BadRequestError` naming the known ones for an unknown name."""
    update: dict[str, list[str]] = {}
    try:
        if prefs.categories is not None:
            update["categories"] = sorted(known_categories(prefs.categories, known))
        if prefs.platforms is not None:
            update["platforms"] = sorted(catalog_platform_names(catalog).resolve(prefs.platforms))
    except UnknownName as exc:
        field = "platforms" if exc.what == "platform" else "categories"
        raise BadRequestError(f"{field}: {exc}") from None
    return prefs.model_copy(update=update)


def preferences_json(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "email": sub.email,
        "status": sub.status.value,
        "platforms": sorted(sub.platforms),
        "categories": sorted(sub.categories),
        "severities": sorted(sub.severities, key=SEVERITIES.index),
        "weekday": WEEKDAYS[sub.weekday],
        "hour": sub.hour,
        "tz": sub.tz,
        "lang": sub.lang,
        "empty_week": sub.empty_week.value,
        "weekly": sub.weekly,
        "alerts": sorted(sub.alerts),
        "regions": sorted(sub.regions),
        "next_due": sub.next_due.isoformat() if sub.next_due else None,
    }


def save_preferences(
    store: BriefingStore, sub: Subscription, prefs: Preferences, now: datetime
) -> Subscription:
    """`sub` with the fields `prefs` sets, stored (its next briefing rescheduled if active)."""
    changes: dict[str, Any] = {}
    for name in ("platforms", "categories", "severities", "alerts"):
        value = getattr(prefs, name)
        if value is not None:
            changes[name] = frozenset(value)
    if prefs.regions is not None:
        changes["regions"] = frozenset(r.upper() for r in prefs.regions)
    if prefs.weekday is not None:
        changes["weekday"] = WEEKDAYS.index(prefs.weekday)
    for name in ("hour", "tz", "lang", "weekly"):
        if getattr(prefs, name) is not None:
            changes[name] = getattr(prefs, name)
    if prefs.empty_week is not None:
        changes["empty_week"] = EmptyWeek(prefs.empty_week)
    try:
        updated = replace(sub, **changes)
    except ValueError as exc:  # e.g. neither weekly briefings nor alerts left
        raise BadRequestError(str(exc)) from None
    if updated.status is SubscriptionStatus.ACTIVE:
        updated = replace(updated, next_due=next_due(updated, now))
    try:
        store.put_subscription(updated)
    except StoreError as exc:
        raise ServiceError(503, f"could not save the change: {exc}") from None
    return updated
