"""Sample subscribers and changes for briefing tests, the golden file and the benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from radar.briefings.content import Links
from radar.model import Change, ChangeKind
from radar.store.ports import SubscriptionStore
from radar.subscriptions.model import (
    Delivery,
    DeliveryStatus,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
)

# Monday 16 Nov 2026, 08:00 in Riyadh (UTC+3).
SCHEDULED = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
SINCE = SCHEDULED - timedelta(days=7)
LINKS = Links(
    manage="https://radar.example.com/manage?token=m",
    unsubscribe="https://radar.example.com/unsubscribe?token=u",
    archive="https://radar.example.com/briefings/s1/2026-W47",
)


def subscription(lang: str = "en", **fields: Any) -> Subscription:
    values: dict[str, Any] = {
        "id": "s1",
        "email": "team@example.com",
        "weekday": 0,
        "hour": 8,
        "tz": "Asia/Riyadh",
        "lang": lang,
        "empty_week": EmptyWeek.NOTE,
        "status": SubscriptionStatus.ACTIVE,
        "created_at": SINCE - timedelta(days=30),
        "confirmed_at": SINCE - timedelta(days=30),
        "next_due": SCHEDULED,
    }
    values.update(fields)
    return Subscription(**values)


def change(cid: str, **fields: Any) -> Change:
    values: dict[str, Any] = {
        "id": cid,
        "source_id": "instagram-changelog",
        "platform": "instagram",
        "kind": ChangeKind.ADDED,
        "entry_key": f"entry-{cid}",
        "title": f"Change {cid}",
        "text": "Something changed. It matters to teams. More detail follows here. And more.",
        "url": f"https://developers.example.com/changelog#{cid}",
        "published": None,
        "detected_at": SINCE + timedelta(days=2),
        "category": "new-feature",
        "severity": "notable",
    }
    values.update(fields)
    return Change(**values)


def sample_changes() -> list[Change]:
    """A realistic week: deadlines, a breaking change, a duplicate pair, an edit, noise."""
    d = SINCE
    return [
        change(
            "dep1",
            title="Graph API v19.0 will be removed",
            text=(
                "Graph API version 19.0 will be removed on 15 January 2027. Apps still calling "
                "it must move to v21.0. Calls after that date return errors."
            ),
            category="deprecation",
            severity="action",
            deadline=date(2027, 1, 15),
            deadline_text="will be removed on 15 January 2027",
            detected_at=d + timedelta(days=1),
        ),
        change(
            "brk1",
            platform="tiktok",
            source_id="tiktok-changelog",
            title="Display API: video list now paginates by cursor",
            text="The video list endpoint now returns a cursor. Offset paging is ignored.",
            category="breaking-change",
            severity="action",
            detected_at=d + timedelta(days=2),
        ),
        change(
            "dep2",
            platform="tiktok",
            source_id="tiktok-changelog",
            title="Login Kit v1 sunset",
            text="Login Kit v1 stops working on 1 December 2026. Migrate to v2.",
            category="deprecation",
            severity="action",
            deadline=date(2026, 12, 1),
            deadline_text="stops working on 1 December 2026",
            detected_at=d + timedelta(days=3),
        ),
        change(
            "reel1",
            title="Reels can now be 3 minutes long",
            text="Creators can now upload Reels up to 3 minutes long. The limit was 90 seconds.",
            category="content-formats-creator-tools",
            detected_at=d + timedelta(days=2),
        ),
        change(
            "reel2",
            source_id="instagram-blog",
            title="Reels can now be 3 minutes long",
            text="Creators can now upload Reels up to 3 minutes long, Instagram said today.",
            url="https://about.example.com/news/reels-3-minutes",
            category="content-formats-creator-tools",
            detected_at=d + timedelta(days=2, hours=3),
        ),
        change(
            "ads1",
            title="New ad placement in Explore",
            text="Advertisers can now place ads in the Explore grid. Reporting splits it out.",
            category="ads-monetization",
            detected_at=d + timedelta(days=4),
        ),
        change(
            "edit1",
            kind=ChangeKind.EDITED,
            title="Rate limits for the messaging API",
            text="The messaging API allows 250 calls per user per day.",
            diff="[-200-] {+250+} calls per user per day",
            category="access-rate-limits",
            detected_at=d + timedelta(days=5),
        ),
        change(
            "doc1",
            platform="tiktok",
            source_id="tiktok-changelog",
            title="Typo fixed in the webhooks guide",
            text="Fixed a typo.",
            category="fixes-docs",
            severity="minor",
            detected_at=d + timedelta(days=5),
        ),
        change(
            "base1",
            kind=ChangeKind.BASELINE,
            title="Old history entry",
            detected_at=d + timedelta(days=1),
        ),
    ]


_VOCABULARY = [
    "reels",
    "stories",
    "creators",
    "ads",
    "api",
    "webhook",
    "insights",
    "analytics",
    "ranking",
    "feed",
    "explore",
    "search",
    "shopping",
    "checkout",
    "catalog",
    "live",
    "broadcast",
    "comments",
    "replies",
    "moderation",
    "safety",
    "privacy",
    "teen",
    "accounts",
    "verification",
    "badge",
    "subscription",
    "monetization",
    "payouts",
    "bonus",
    "branded",
    "content",
    "collab",
    "remix",
    "duet",
    "stitch",
    "sounds",
    "music",
    "library",
    "captions",
    "translation",
    "dubbing",
    "thumbnails",
    "carousel",
    "photos",
    "video",
    "length",
    "upload",
    "quality",
    "hdr",
    "vertical",
    "landscape",
    "shorts",
    "clips",
    "highlights",
    "scheduling",
    "drafts",
    "publishing",
    "permissions",
    "tokens",
    "scopes",
    "login",
    "oauth",
    "rate",
    "limits",
    "quotas",
    "endpoints",
    "version",
    "sunset",
    "migration",
    "fields",
    "metrics",
    "reach",
    "impressions",
    "engagement",
    "retention",
    "audience",
    "demographics",
    "targeting",
    "bidding",
    "budget",
    "campaign",
    "objectives",
    "conversions",
    "pixel",
    "events",
    "attribution",
    "reporting",
    "export",
    "messaging",
    "inbox",
    "chatbot",
    "business",
    "profile",
    "hours",
    "location",
    "maps",
    "discovery",
    "recommendations",
    "hashtags",
    "trends",
    "topics",
    "communities",
    "groups",
    "events",
]


def bulk_changes(
    n: int, platforms: tuple[str, ...] = ("instagram", "tiktok", "youtube")
) -> list[Change]:
    """`n` distinct changes (no two read alike, so dedup keeps them all), spread over
    platforms, categories and severities."""
    rng = random.Random(n)
    categories = ("deprecation", "new-feature", "policy", "ads-monetization", "fixes-docs")
    severities = ("action", "notable", "notable", "minor")
    found = []
    for k in range(n):
        words = rng.sample(_VOCABULARY, 18)
        found.append(
            change(
                f"bulk{k:04d}",
                source_id=f"src-{k % 7}",
                platform=platforms[k % len(platforms)],
                title=" ".join(words[:6]).capitalize() + f" ({k})",
                text=(
                    f"{' '.join(words[6:12]).capitalize()} change for teams. "
                    f"{' '.join(words[12:18]).capitalize()} roll out gradually. "
                    "Check your settings before the next campaign."
                ),
                category=categories[k % len(categories)],
                severity=severities[k % len(severities)],
                deadline=date(2027, 1, 1) + timedelta(days=k) if k % 11 == 0 else None,
                detected_at=SINCE + timedelta(minutes=97 * k % (7 * 24 * 60)),
            )
        )
    return found


def record_sent(store: SubscriptionStore, sub_id: str, period: str, at: datetime) -> None:
    """A delivery claimed and marked sent at `at`, as a run that sent it leaves it."""
    claim = Delivery(sub_id, period, DeliveryStatus.PENDING, f"c-{sub_id}-{period}", at, at, at)
    assert store.claim_delivery(claim, timedelta(minutes=15)) is not None
    assert store.mark_delivery(sub_id, period, claim.claim, DeliveryStatus.SENT, at=at)
