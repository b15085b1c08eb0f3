"""Who gets an alert: alert preferences on subscriptions, regions of a rise, platform filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from radar.alerts.content import (
    GLOBAL,
    platform_keys,
    signal_regions,
    source_regions,
    wants_alert,
)
from radar.model import Source, SourceKind
from radar.store import codec
from radar.subscriptions.model import (
    SubscriptionStatus,
    alert_period,
    is_alert_period,
    parse_regions,
    with_status,
)
from radar.trends.model import TrendSignal
from radar.trends.terms import load_extractor
from tests.support.briefings import subscription

AT = datetime(2026, 11, 16, 9, tzinfo=UTC)


def alerts_sub(**fields: Any):  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {"alerts": frozenset({"emerging"})}
    values.update(fields)
    return subscription(**values)


def signal(term: str = "noplace", sources: tuple[str, ...] = ("hn", "gt-in")) -> TrendSignal:
    return TrendSignal(term, term, 1, date(2026, 11, 16), AT, 5.0, 8, 0.4, sources, 2)


def source(sid: str, region: str | None = None) -> Source:
    selectors = {"region": region} if region is not None else {}
    return Source(
        id=sid,
        platform="trends",
        name=sid,
        kind=SourceKind.RSS,
        url=f"https://{sid}.example/feed",
        selectors=selectors,
    )


REGIONS = source_regions([source("hn"), source("gt-in", "in"), source("gt-us", "US")])


# --- the subscription's alert preference -------------------------------------------------


def test_subscription_alerts_default_off() -> None:
    sub = subscription()
    assert sub.weekly and not sub.alerts and not sub.wants_alerts()


def test_subscription_alerts_only_needs_alerts() -> None:
    with pytest.raises(ValueError, match="weekly briefing, alerts, or both"):
        subscription(weekly=False)


def test_subscription_unknown_alert_kind_refused() -> None:
    with pytest.raises(ValueError, match="alert kind 'viral'"):
        alerts_sub(alerts=frozenset({"viral"}))


def test_subscription_region_must_be_a_country_code() -> None:
    with pytest.raises(ValueError, match="two-letter"):
        alerts_sub(regions=frozenset({"India"}))


def test_parse_regions_upper_cases_and_splits() -> None:
    assert parse_regions(" in, US ,") == frozenset({"IN", "US"})
    assert parse_regions(None) == frozenset()


def test_parse_regions_refuses_names() -> None:
    with pytest.raises(ValueError, match="'INDIA'"):
        parse_regions("india")


def test_with_status_alerts_only_is_never_scheduled() -> None:
    pending = alerts_sub(
        weekly=False, status=SubscriptionStatus.PENDING, next_due=None, confirmed_at=None
    )
    active = with_status(pending, SubscriptionStatus.ACTIVE, at=AT, next_due=AT)
    assert active.status is SubscriptionStatus.ACTIVE and active.next_due is None
    assert active.confirmed_at == AT


def test_with_status_weekly_still_needs_next_due() -> None:
    with pytest.raises(ValueError, match="next briefing"):
        with_status(subscription(), SubscriptionStatus.ACTIVE, at=AT)


def test_alert_period_is_not_a_weekly_period() -> None:
    period = alert_period("noplace", 2)
    assert period == "alert:noplace:2"
    assert is_alert_period(period) and not is_alert_period("2026-W47")


def test_codec_reads_subscription_stored_before_alerts() -> None:
    data = codec.subscription_to_dict(subscription())
    for key in ("weekly", "alerts", "regions"):
        del data[key]
    old = codec.subscription_from_dict(data)
    assert old.weekly and old.alerts == frozenset() and old.regions == frozenset()


def test_codec_round_trips_alert_preferences() -> None:
    sub = alerts_sub(weekly=False, regions=frozenset({"IN", "US"}), next_due=None)
    assert codec.subscription_from_json(codec.subscription_to_json(sub)) == sub


# --- regions of a rise ----------------------------------------------------------------------


def test_source_regions_from_selector_else_global() -> None:
    assert REGIONS == {"hn": GLOBAL, "gt-in": "IN", "gt-us": "US"}


def test_signal_regions_are_its_sources_regions() -> None:
    assert signal_regions(signal(sources=("gt-in", "gt-us")), REGIONS) == {"IN", "US"}


def test_signal_regions_unknown_source_counts_as_global() -> None:
    assert signal_regions(signal(sources=("gone", "gt-in")), REGIONS) == {GLOBAL, "IN"}


# --- wants_alert ----------------------------------------------------------------------------


def test_wants_alert_weekly_only_subscriber_gets_none() -> None:
    assert not wants_alert(subscription(), frozenset({GLOBAL}), None)


def test_wants_alert_no_filters_gets_everything() -> None:
    assert wants_alert(alerts_sub(), frozenset({"US"}), None)


def test_wants_alert_region_matches() -> None:
    sub = alerts_sub(regions=frozenset({"IN"}))
    assert wants_alert(sub, signal_regions(signal(sources=("gt-in", "gt-us")), REGIONS), None)


def test_wants_alert_rise_only_in_other_regions_left_out() -> None:
    sub = alerts_sub(regions=frozenset({"IN"}))
    assert not wants_alert(sub, signal_regions(signal(sources=("gt-us",)), REGIONS), None)


def test_wants_alert_global_source_reaches_every_region() -> None:
    sub = alerts_sub(regions=frozenset({"IN"}))
    assert wants_alert(sub, signal_regions(signal(sources=("hn", "gt-us")), REGIONS), None)


def test_wants_alert_known_platform_needs_to_be_named() -> None:
    bluesky = load_extractor().platform("bluesky")
    assert bluesky is not None
    sub = alerts_sub(platforms=frozenset({"instagram", "tiktok"}))
    assert not wants_alert(sub, frozenset({GLOBAL}), bluesky)
    assert wants_alert(alerts_sub(platforms=frozenset({"bluesky"})), frozenset({GLOBAL}), bluesky)


def test_wants_alert_platform_named_by_catalog_id_or_alias() -> None:
    twitter = load_extractor().platform("twitter")
    assert twitter is not None
    assert {"x", "twitter"} <= platform_keys(twitter)
    assert wants_alert(alerts_sub(platforms=frozenset({"x"})), frozenset({GLOBAL}), twitter)


def test_wants_alert_unknown_name_passes_platform_filter() -> None:
    sub = alerts_sub(platforms=frozenset({"instagram"}))
    assert wants_alert(sub, frozenset({GLOBAL}), None)
