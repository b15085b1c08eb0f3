"""The storage port: what the pipeline needs from a store, whatever the database.

Two adapters implement it (SQLite locally, DynamoDB on AWS) and one contract test suite
(tests/integration/test_store_contract.py) runs against both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from radar.model import Change, ChangeQuery, Snapshot, SnapshotHead
from radar.subscriptions.model import Delivery, DeliveryStatus, Subscription, SubscriptionStatus


class Store(Protocol):
    def get_snapshot(self, source_id: str) -> Snapshot | None:
        """The stored snapshot of a source, or None if the source was never stored."""
        ...

    def get_snapshots(self, source_ids: Iterable[str]) -> dict[str, Snapshot]:
        """Stored snapshots of several sources (missing ones are left out)."""
        ...

    def get_snapshot_head(self, source_id: str) -> SnapshotHead | None:
        """The stored snapshot's head (hash, validators, health, version), entries unread."""
        ...

    def get_snapshot_heads(self, source_ids: Iterable[str]) -> dict[str, SnapshotHead]:
        """Heads of several stored snapshots (missing ones are left out), entries unread."""
        ...

    def save_head(self, head: SnapshotHead) -> SnapshotHead:
        """Store a snapshot's hash, validators and health, keep its entries; `version + 1`.

        For a fetch that failed or recovered without new content: nothing to re-encode. The
        same optimistic lock as `save` (`StoreConflict` on a stale version); version 0 stores a
        snapshot with no entries.
        """
        ...

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        """Store `changes`, then `snapshot`, and return it with `version + 1`.

        The write is conditional on the stored version still being `snapshot.version` (0 means
        "not stored yet"); otherwise `StoreConflict` is raised. Changes are written before the
        snapshot that hides them, or in the same transaction, and are keyed by `Change.id`, so
        a crash in between loses nothing and a retry stores nothing twice.
        """
        ...

    def query_changes(self, query: ChangeQuery) -> list[Change]:
        """Changes matching the query, oldest first (by the query's date), ties by id.

        Never a full table scan on DynamoDB.
        """
        ...

    def get_change(self, change_id: str) -> Change | None:
        """One change by id."""
        ...


class SubscriptionStore(Protocol):
    """Briefing subscribers, their deliveries and suppressed addresses (docs/storage.md, P1/P2).

    A separate port from `Store` so fakes of the watch pipeline need not implement it; both
    adapters implement both (`BriefingStore`).
    """

    def put_subscription(self, sub: Subscription) -> None:
        """Create or replace a subscription; `StoreConflict` if its email belongs to another."""
        ...

    def get_subscription(self, sub_id: str) -> Subscription | None:
        """One subscription by id."""
        ...

    def find_subscription(self, email: str) -> Subscription | None:
        """The subscription of a (normalised) email address, if any."""
        ...

    def set_status(
        self,
        sub_id: str,
        status: SubscriptionStatus,
        *,
        at: datetime,
        next_due: datetime | None = None,
        reason: str = "",
    ) -> Subscription | None:
        """Change a subscription's status (None if there is no such subscription).

        Becoming active needs `next_due` and records `confirmed_at` (first time only); any
        other status takes the subscription out of the due index.
        """
        ...

    def advance_due(self, sub_id: str, expected: datetime, next_due: datetime) -> bool:
        """Move an active subscription's next briefing from `expected` to `next_due`.

        False (and nothing written) if it is no longer active or someone already moved it.
        """
        ...

    def due_subscriptions(self, now: datetime, limit: int | None = None) -> list[Subscription]:
        """Active subscriptions whose next briefing is at or before `now`, earliest first.

        Never a full table scan on DynamoDB.
        """
        ...

    def alert_subscriptions(self) -> list[Subscription]:
        """Active subscriptions that asked for alerts (any kind), by id.

        Never a full table scan on DynamoDB (a sparse index of alert subscribers).
        """
        ...

    def suppress(self, email: str, reason: str, at: datetime) -> None:
        """Never mail this address again; its subscription (if any) becomes suppressed."""
        ...

    def is_suppressed(self, email: str) -> bool:
        """Whether the address bounced or complained."""
        ...

    def claim_delivery(self, delivery: Delivery, lease: timedelta) -> Delivery | None:
        """Record `delivery` (status pending) unless this subscriber and period are taken.

        Taken means: a delivery exists that is sent, skipped, rejected or sending, or pending
        and claimed less than `lease` before `delivery.claimed_at`. A stale pending claim is
        taken over (attempts + 1), and only while it is still pending: one marked "sending"
        meanwhile is never taken over. Returns the stored claim, or None when someone else has
        it. This conditional write happens before any mail is sent.
        """
        ...

    def mark_delivery(
        self,
        sub_id: str,
        period: str,
        claim: str,
        status: DeliveryStatus,
        *,
        at: datetime | None = None,
        message_id: str = "",
        reason: str = "",
    ) -> bool:
        """Move a claimed delivery on (pending -> sending -> sent/skipped/rejected).

        Conditional on `claim` still holding it and it not being finished; False otherwise.
        A finished delivery records `at` (as `sent_at`), `message_id` and, when the mail
        service rejected it for good, the `reason`.
        """
        ...

    def release_delivery(self, sub_id: str, period: str, claim: str) -> bool:
        """Drop an unfinished claim (the mailer refused the message), so a later run retries."""
        ...

    def get_delivery(self, sub_id: str, period: str) -> Delivery | None:
        """One delivery."""
        ...

    def last_delivery(self, sub_id: str) -> Delivery | None:
        """The subscriber's latest finished (sent or skipped) weekly briefing, by period.

        Alert deliveries (periods `alert:...`) are not briefings and are never returned.
        """
        ...

    def sent_deliveries(self, since: datetime, until: datetime, limit: int = 100) -> list[Delivery]:
        """Briefings and alerts sent in [since, until), newest first, at most `limit`.

        For the API's sent-mail view; never a full table scan on DynamoDB.
        """
        ...

    def count_hit(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one request of `key` (a client) in the fixed window of length `window` that
        holds `now` (windows start at whole multiples of `window` since the epoch); return the
        window's count so far, this request included.

        For rate limits: a count is kept only until its window ends (DynamoDB's TTL; SQLite
        deletes ended windows as it goes). One atomic write, never a read-modify-write.
        """
        ...

    def rejected_deliveries(
        self, since: datetime, until: datetime, limit: int = 100
    ) -> list[Delivery]:
        """Briefings and alerts the mail service rejected for good in [since, until), newest
        first, at most `limit`, each with its reason.

        For the admin's view of mail that will never go out; never a full table scan on DynamoDB.
        """
        ...


class BriefingStore(Store, SubscriptionStore, Protocol):
    """What the briefing use cases need: changes and source health, and subscribers."""
