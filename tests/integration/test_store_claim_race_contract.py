"""The take-over race (issue 13, item 9), on SQLite and DynamoDB (moto) alike.

A run finds a pending claim older than the lease and takes it over. If the run that made that
claim wakes up and marks it "sending" between the take-over's read and its write, only one of
the two may go ahead: a delivery marked "sending" is never taken over. On DynamoDB the read and
the conditional write are two calls, so the old claimant's write is slipped in between them
(a botocore hook before the take-over's PutItem); on SQLite both happen in one transaction,
so the only place the other writer can come in is before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from radar.store.ports import BriefingStore
from radar.subscriptions.model import Delivery, DeliveryStatus

T0 = datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)
PERIOD = "2026-W47"

Interleave = Callable[[Callable[[], None]], None]


def claim(name: str, at: datetime) -> Delivery:
    return Delivery("s1", PERIOD, DeliveryStatus.PENDING, name, at, at - timedelta(days=7), at)


@pytest.fixture(params=["sqlite", "dynamodb"])
def racing(request: pytest.FixtureRequest) -> tuple[BriefingStore, Interleave]:
    """A store, and `before_claim_write(action)`: run `action` between the next
    `claim_delivery`'s read and its conditional write, as a concurrent writer would."""
    store: BriefingStore = request.getfixturevalue(f"{request.param}_store")
    if request.param == "sqlite":
        return store, lambda action: action()
    client: Any = request.getfixturevalue("dynamodb_client")

    def before_claim_write(action: Callable[[], None]) -> None:
        pending = [action]

        def hook(**_: Any) -> None:
            if pending:  # once: the action's own PutItem must not run it again
                pending.pop()()

        client.meta.events.register("before-call.dynamodb.PutItem", hook)

    return store, before_claim_write


def test_store_take_over_loses_to_a_claim_marked_sending_meanwhile(
    racing: tuple[BriefingStore, Interleave],
) -> None:
    store, before_claim_write = racing
    assert store.claim_delivery(claim("old", T0), LEASE) is not None
    went_ahead: list[str] = []

    def old_claimant_sends() -> None:
        if store.mark_delivery("s1", PERIOD, "old", DeliveryStatus.SENDING):
            went_ahead.append("old")

    before_claim_write(old_claimant_sends)
    if store.claim_delivery(claim("new", T0 + 2 * LEASE), LEASE) is not None:
        went_ahead.append("new")
    assert went_ahead == ["old"]  # was ["old", "new"] on DynamoDB: both sent the briefing
    found = store.get_delivery("s1", PERIOD)
    assert found is not None
    assert (found.claim, found.status, found.attempts) == ("old", DeliveryStatus.SENDING, 1)


def test_store_take_over_still_wins_against_a_stale_claim_left_alone(
    racing: tuple[BriefingStore, Interleave],
) -> None:
    store, before_claim_write = racing
    assert store.claim_delivery(claim("old", T0), LEASE) is not None
    before_claim_write(lambda: None)
    taken = store.claim_delivery(claim("new", T0 + 2 * LEASE), LEASE)
    assert taken is not None and (taken.claim, taken.attempts) == ("new", 2)
    assert not store.mark_delivery("s1", PERIOD, "old", DeliveryStatus.SENDING)
