"""Subscription schedule arithmetic: local day and hour, daylight saving, periods, parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.subscriptions.model import (
    Subscription,
    next_due,
    normalize_email,
    parse_hour,
    parse_weekday,
    period_of,
)


def sub(**fields: object) -> Subscription:
    return Subscription(id="s", email="a@example.com", **fields)  # type: ignore[arg-type]


def test_subscription_next_due_in_local_zone() -> None:
    riyadh = sub(weekday=0, hour=8, tz="Asia/Riyadh")
    after = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)  # a Thursday
    assert next_due(riyadh, after) == datetime(2026, 11, 16, 5, 0, tzinfo=UTC)


def test_subscription_next_due_is_strictly_after() -> None:
    riyadh = sub(weekday=0, hour=8, tz="Asia/Riyadh")
    due = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
    assert next_due(riyadh, due) == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


def test_subscription_next_due_follows_daylight_saving() -> None:
    london = sub(weekday=0, hour=8, tz="Europe/London")
    # Before the clocks go back (BST, UTC+1) and after (GMT, UTC+0): same local 08:00.
    assert next_due(london, datetime(2026, 10, 20, tzinfo=UTC)) == datetime(
        2026, 10, 26, 8, 0, tzinfo=UTC
    )
    assert next_due(london, datetime(2026, 10, 13, tzinfo=UTC)) == datetime(
        2026, 10, 19, 7, 0, tzinfo=UTC
    )


def test_subscription_period_is_local_iso_week() -> None:
    tokyo = sub(tz="Asia/Tokyo")
    # Sunday 23:30 UTC is already Monday in Tokyo: the next ISO week there.
    assert period_of(tokyo, datetime(2026, 11, 15, 23, 30, tzinfo=UTC)) == "2026-W47"
    assert period_of(sub(), datetime(2026, 11, 15, 23, 30, tzinfo=UTC)) == "2026-W46"


def test_subscription_wants_filters() -> None:
    s = sub(platforms=frozenset({"tiktok"}), severities=frozenset({"action"}))
    assert s.wants("tiktok", "deprecation", "action")
    assert not s.wants("instagram", "deprecation", "action")
    assert not s.wants("tiktok", "deprecation", "minor")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tz": "Mars/Olympus"}, "unknown time zone"),
        ({"lang": "fr"}, "not supported"),
        ({"hour": 24}, "hour"),
        ({"weekday": 7}, "weekday"),
    ],
)
def test_subscription_invalid_values_explain(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sub(**fields)


def test_subscription_parsers() -> None:
    assert (parse_weekday("Mon"), parse_weekday("sunday"), parse_hour("08:00")) == (0, 6, 8)
    with pytest.raises(ValueError, match="on the hour"):
        parse_hour("08:30")
    with pytest.raises(ValueError, match="weekday"):
        parse_weekday("someday")


def test_subscription_normalize_email() -> None:
    assert normalize_email("  Team@Example.COM ") == "team@example.com"
    for bad in ("no-at-sign", "a@b", "a b@example.com", "x@example.com\r\nBcc: y@z.com"):
        with pytest.raises(ValueError, match="not an email"):
            normalize_email(bad)
