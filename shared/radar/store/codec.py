"""Serialisation shared by the store adapters: snapshots and changes to and from plain data.

Both adapters store the same shapes, so a snapshot written by one reads back identically from
the other, and size caps apply the same way locally and on AWS:

- Datetimes are fixed-width ISO-8601 UTC strings (`2026-11-12T09:30:00.000000Z`). Fixed width
  makes string order equal time order, which the sort keys and SQL indexes rely on.
- Enums are stored by value.
- Snapshot entries are zlib-compressed JSON. Each entry's text is capped at `MAX_STORED_TEXT`
  (the differ only needs enough for a short word diff), and a compressed snapshot larger than
  `MAX_SNAPSHOT_BYTES` is refused, keeping DynamoDB items far below their 400 KB limit.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from radar.errors import StoreError
from radar.model import Change, ChangeKind, EntryState, Snapshot, SnapshotHead
from radar.subscriptions.model import (
    Delivery,
    DeliveryStatus,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
)

# Entry text kept per snapshot entry; the same cap as radar.diff.MAX_STORED_TEXT (not imported,
# so the store does not depend on the differ), enforced here too so no caller can exceed it.
MAX_STORED_TEXT = 4000
# Compressed entries plus the other snapshot fields must fit one DynamoDB item (400 KB) with
# room to spare. Larger snapshots would need their entries offloaded to S3 (not done yet).
MAX_SNAPSHOT_BYTES = 350_000
# A change's text and diff are capped so a change item also stays far below 400 KB, even in the
# worst case of four UTF-8 bytes per character.
MAX_CHANGE_TEXT = 20_000
MAX_CHANGE_DIFF = 4_000

_COMPRESSION_LEVEL = 6


def format_datetime(value: datetime) -> str:
    """A timezone-aware datetime as a fixed-width ISO-8601 UTC string."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: Radar stores only timezone-aware datetimes")
    u = value.astimezone(UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T"
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}Z"
    )


def parse_datetime(value: str) -> datetime:
    """The inverse of `format_datetime`: an aware UTC datetime."""
    return datetime.fromisoformat(value).astimezone(UTC)


def _opt_datetime(value: datetime | None) -> str | None:
    return None if value is None else format_datetime(value)


def _parse_opt_datetime(value: str | None) -> datetime | None:
    return None if value is None else parse_datetime(value)


# --- snapshots ------------------------------------------------------------------------------


def snapshot_meta(snapshot: SnapshotHead) -> dict[str, Any]:
    """The snapshot's fields other than its id, version and entries, as JSON-ready data."""
    return {
        "content_hash": snapshot.content_hash,
        "etag": snapshot.etag,
        "last_modified": snapshot.last_modified,
        "last_success": _opt_datetime(snapshot.last_success),
        "failures": snapshot.failures,
        "last_error": snapshot.last_error,
        "last_error_at": _opt_datetime(snapshot.last_error_at),
        "extractor": snapshot.extractor,
    }


def _entry_to_dict(entry: EntryState) -> dict[str, Any]:
    return {
        "key": entry.key,
        "title": entry.title,
        "text": entry.text[:MAX_STORED_TEXT],
        "digest": entry.digest,
        "url": entry.url,
        "published": _opt_datetime(entry.published),
        "first_seen": format_datetime(entry.first_seen),
        "missing": entry.missing,
        "shape": entry.shape,
        **_month_only(entry.month_only),
    }


def _entry_from_dict(data: Mapping[str, Any]) -> EntryState:
    return EntryState(
        key=data["key"],
        title=data["title"],
        text=data["text"],
        digest=data["digest"],
        url=data["url"],
        published=_parse_opt_datetime(data["published"]),
        first_seen=parse_datetime(data["first_seen"]),
        missing=data["missing"],
        shape=data.get("shape", ""),  # absent in snapshots stored before it existed
        month_only=bool(data.get("month_only", False)),
    )


def encode_entries(snapshot: Snapshot) -> bytes:
    """The snapshot's entries as compressed JSON; `StoreError` if too large to store."""
    # Entries are stored as a list in the mapping's order so reading back preserves it.
    payload = json.dumps(
        [_entry_to_dict(e) for e in snapshot.entries.values()],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    blob = zlib.compress(payload, _COMPRESSION_LEVEL)
    if len(blob) > MAX_SNAPSHOT_BYTES:
        raise StoreError(
            f"snapshot of source {snapshot.source_id!r} is {len(blob)} bytes compressed "
            f"({len(snapshot.entries)} entries), over the {MAX_SNAPSHOT_BYTES}-byte limit; "
            "narrow the source's selectors so it yields fewer entries"
        )
    return blob


def decode_entries(blob: bytes) -> dict[str, EntryState]:
    """The inverse of `encode_entries`."""
    try:
        data = json.loads(zlib.decompress(blob))
    except (zlib.error, ValueError) as exc:
        raise StoreError(f"stored snapshot entries are corrupt: {exc}") from exc
    entries = (_entry_from_dict(d) for d in data)
    return {e.key: e for e in entries}


def snapshot_from_parts(
    source_id: str, version: int, meta: Mapping[str, Any], entries: bytes
) -> Snapshot:
    """Rebuild a snapshot from what `snapshot_meta` and `encode_entries` produced."""
    return snapshot_head_from_meta(source_id, version, meta).with_entries(decode_entries(entries))


def snapshot_head_from_meta(source_id: str, version: int, meta: Mapping[str, Any]) -> SnapshotHead:
    """A snapshot's head from what `snapshot_meta` produced (no entries to decode)."""
    return SnapshotHead(
        source_id=source_id,
        version=version,
        content_hash=meta.get("content_hash"),
        etag=meta.get("etag"),
        last_modified=meta.get("last_modified"),
        last_success=_parse_opt_datetime(meta.get("last_success")),
        failures=int(meta.get("failures", 0)),
        last_error=meta.get("last_error"),
        last_error_at=_parse_opt_datetime(meta.get("last_error_at")),
        extractor=int(meta.get("extractor", 0)),  # absent in snapshots stored before it
    )


# --- changes --------------------------------------------------------------------------------


def change_to_dict(change: Change) -> dict[str, Any]:
    """A change as JSON-ready data (text and diff capped)."""
    return {
        "id": change.id,
        "source_id": change.source_id,
        "platform": change.platform,
        "kind": change.kind.value,
        "entry_key": change.entry_key,
        "title": change.title,
        "text": change.text[:MAX_CHANGE_TEXT],
        "url": change.url,
        "published": _opt_datetime(change.published),
        "detected_at": format_datetime(change.detected_at),
        "diff": change.diff[:MAX_CHANGE_DIFF],
        "category": change.category,
        "severity": change.severity,
        "deadline": None if change.deadline is None else change.deadline.isoformat(),
        "deadline_text": change.deadline_text,
        **_month_only(change.month_only),
    }


def _month_only(value: bool) -> dict[str, bool]:
    # Written only when set: absent means "a day", so everything stored before the flag
    # existed reads back as it was, and bodies of day-dated entries stay byte-identical.
    return {"month_only": True} if value else {}


def change_from_dict(data: Mapping[str, Any]) -> Change:
    """The inverse of `change_to_dict`."""
    deadline = data.get("deadline")
    return Change(
        id=data["id"],
        source_id=data["source_id"],
        platform=data["platform"],
        kind=ChangeKind(data["kind"]),
        entry_key=data["entry_key"],
        title=data["title"],
        text=data["text"],
        url=data.get("url"),
        published=_parse_opt_datetime(data.get("published")),
        detected_at=parse_datetime(data["detected_at"]),
        diff=data.get("diff", ""),
        category=data.get("category"),
        severity=data.get("severity"),
        deadline=None if deadline is None else date.fromisoformat(deadline),
        deadline_text=data.get("deadline_text", ""),
        month_only=bool(data.get("month_only", False)),
    )


def change_to_json(change: Change) -> str:
    """A change as a JSON document."""
    return json.dumps(change_to_dict(change), ensure_ascii=False, separators=(",", ":"))


def change_from_json(text: str) -> Change:
    """The inverse of `change_to_json`."""
    try:
        return change_from_dict(json.loads(text))
    except (ValueError, KeyError) as exc:
        raise StoreError(f"stored change is corrupt: {exc}") from exc


def change_effective_at(change: Change) -> str:
    """The change's effective date (its entry's own date, else detection) as stored."""
    return format_datetime(change.effective_date)


def change_detected_at(change: Change) -> str:
    """When the change was detected, as stored."""
    return format_datetime(change.detected_at)


# --- subscriptions and deliveries -----------------------------------------------------------


def subscription_to_dict(sub: Subscription) -> dict[str, Any]:
    """A subscription as JSON-ready data (sets as sorted lists)."""
    return {
        "id": sub.id,
        "email": sub.email,
        "platforms": sorted(sub.platforms),
        "categories": sorted(sub.categories),
        "severities": sorted(sub.severities),
        "weekday": sub.weekday,
        "hour": sub.hour,
        "tz": sub.tz,
        "lang": sub.lang,
        "empty_week": sub.empty_week.value,
        "status": sub.status.value,
        "created_at": _opt_datetime(sub.created_at),
        "confirmed_at": _opt_datetime(sub.confirmed_at),
        "next_due": _opt_datetime(sub.next_due),
        "status_reason": sub.status_reason,
        "weekly": sub.weekly,
        "alerts": sorted(sub.alerts),
        "regions": sorted(sub.regions),
        "confirmation_sent_at": _opt_datetime(sub.confirmation_sent_at),
    }


def subscription_from_dict(data: Mapping[str, Any]) -> Subscription:
    """The inverse of `subscription_to_dict`."""
    return Subscription(
        id=data["id"],
        email=data["email"],
        platforms=frozenset(data.get("platforms", ())),
        categories=frozenset(data.get("categories", ())),
        severities=frozenset(data.get("severities", ())),
        weekday=int(data["weekday"]),
        hour=int(data["hour"]),
        tz=data["tz"],
        lang=data["lang"],
        empty_week=EmptyWeek(data["empty_week"]),
        status=SubscriptionStatus(data["status"]),
        created_at=_parse_opt_datetime(data.get("created_at")),
        confirmed_at=_parse_opt_datetime(data.get("confirmed_at")),
        next_due=_parse_opt_datetime(data.get("next_due")),
        status_reason=data.get("status_reason", ""),
        # Stored before alerts existed: weekly briefing only.
        weekly=bool(data.get("weekly", True)),
        alerts=frozenset(data.get("alerts", ())),
        regions=frozenset(data.get("regions", ())),
        confirmation_sent_at=_parse_opt_datetime(data.get("confirmation_sent_at")),
    )


def subscription_to_json(sub: Subscription) -> str:
    """A subscription as a JSON document."""
    return json.dumps(subscription_to_dict(sub), ensure_ascii=False, separators=(",", ":"))


def subscription_from_json(text: str) -> Subscription:
    """The inverse of `subscription_to_json`."""
    try:
        return subscription_from_dict(json.loads(text))
    except (ValueError, KeyError) as exc:
        raise StoreError(f"stored subscription is corrupt: {exc}") from exc


def window_of(now: datetime, window: timedelta) -> tuple[datetime, datetime]:
    """The fixed window of length `window` that holds `now`: [start, end), aligned to the epoch."""
    step = int(window.total_seconds())
    if step <= 0:
        raise ValueError(f"a rate window must last at least a second, not {window}")
    start = int(now.timestamp()) // step * step
    return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(start + step, UTC)


def delivery_to_dict(delivery: Delivery) -> dict[str, Any]:
    """A delivery as JSON-ready data."""
    return {
        "subscription_id": delivery.subscription_id,
        "period": delivery.period,
        "status": delivery.status.value,
        "claim": delivery.claim,
        "claimed_at": format_datetime(delivery.claimed_at),
        "since": format_datetime(delivery.since),
        "until": format_datetime(delivery.until),
        "sent_at": _opt_datetime(delivery.sent_at),
        "message_id": delivery.message_id,
        "attempts": delivery.attempts,
        "reason": delivery.reason,
    }


def delivery_from_dict(data: Mapping[str, Any]) -> Delivery:
    """The inverse of `delivery_to_dict`."""
    try:
        return Delivery(
            subscription_id=data["subscription_id"],
            period=data["period"],
            status=DeliveryStatus(data["status"]),
            claim=data["claim"],
            claimed_at=parse_datetime(data["claimed_at"]),
            since=parse_datetime(data["since"]),
            until=parse_datetime(data["until"]),
            sent_at=_parse_opt_datetime(data.get("sent_at")),
            message_id=data.get("message_id") or "",
            attempts=int(data.get("attempts", 1)),
            reason=data.get("reason") or "",
        )
    except (ValueError, KeyError) as exc:
        raise StoreError(f"stored delivery is corrupt: {exc}") from exc
