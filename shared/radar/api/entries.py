"""One item per entry: the list view people read, and one entry's history (issue 14).

A reader follows entries, not events: an entry added on Monday and edited on Tuesday and
Thursday is one item with its latest text, "new" or "updated", and every source's link
(radar.dedup); its changes are one click away, oldest first, each edit as a word diff split
into kept, deleted and inserted runs (radar.render.worddiff) that the page inserts as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from radar.dedup import DEFAULT_WINDOW, ChangeGroup, group_duplicates, latest_per_entry
from radar.model import Change, ChangeKind, ChangeQuery
from radar.render.locale import platform_name
from radar.render.worddiff import is_invisible, segments, to_text
from radar.store.ports import Store

# What a reader calls an item, by the kind of its latest change in the period. History that
# Radar recorded (a first run, a late backfill) is new to whoever reads that period.
STATUS = {
    ChangeKind.ADDED: "new",
    ChangeKind.BASELINE: "new",
    ChangeKind.BACKFILL: "new",
    ChangeKind.EDITED: "updated",
    ChangeKind.COSMETIC: "updated",
    ChangeKind.REMOVED: "removed",
}
ChangeId = Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$")]
_LABEL_TITLE_CHARS = 70


@dataclass(frozen=True, slots=True)
class EntryItem:
    """One entry (with its cross-source duplicates) as the list shows it."""

    group: ChangeGroup  # primary: the entry's changes merged (radar.dedup.latest_per_entry)
    count: int  # the primary entry's changes in the period
    last: Change  # the latest change of any entry in the group: it places the item in the list


def entry_items(changes: Sequence[Change]) -> list[EntryItem]:
    """`changes` (already filtered to a period) as one item per entry, cross-source duplicates
    grouped; edits no reader can see are dropped. Unordered: the caller sorts by `last`."""
    visible = [c for c in changes if not (c.kind is ChangeKind.EDITED and is_invisible(c.diff))]
    counts: dict[tuple[str, str], int] = {}
    latest: dict[tuple[str, str], Change] = {}
    for c in visible:
        key = _entry(c)
        counts[key] = counts.get(key, 0) + 1
        if key not in latest or (c.detected_at, c.id) > (latest[key].detected_at, latest[key].id):
            latest[key] = c
    merged = sorted(latest_per_entry(visible), key=lambda c: (c.effective_date, c.id))
    return [
        EntryItem(
            group=g,
            count=counts[_entry(g.primary)],
            last=max((latest[_entry(m)] for m in g.changes), key=lambda c: (c.detected_at, c.id)),
        )
        for g in grouped(merged)
    ]


def grouped(changes: Sequence[Change]) -> list[ChangeGroup]:
    """`radar.dedup.group_duplicates`, run per platform and per stretch of dates without a gap
    wider than its window: the same groups (a group never spans two platforms or such a gap)
    without comparing every change with every group (a year of changes: seconds otherwise).
    `changes` are in date order; groups come out per platform."""
    by_platform: dict[str, list[Change]] = {}
    for c in changes:
        by_platform.setdefault(c.platform, []).append(c)
    out: list[ChangeGroup] = []
    for members in by_platform.values():
        start = 0
        for i in range(1, len(members) + 1):
            if i == len(members) or (
                members[i].effective_date - members[i - 1].effective_date > DEFAULT_WINDOW
            ):
                out += group_duplicates(members[start:i])
                start = i
    return out


def entry_json(item: EntryItem, label: str, names: Mapping[str, str]) -> dict[str, Any]:
    """The list view's item: the change fields of `item_json` plus what a reader needs."""
    from radar.render.pack import item_json  # its module loads Jinja2: not at cold start

    return item_json(item.group, label) | {
        "status": STATUS[item.group.primary.kind],
        "platform_name": platform_name(item.group.primary.platform),
        "history_count": item.count,
        "last_detected_at": item.last.detected_at.isoformat(),
        "named_links": named_links(item.group.changes, names),
        "diff_parts": diff_parts(item.group.primary.diff),
    }


def diff_parts(diff: str) -> list[dict[str, str]]:
    """A stored word diff as runs of `same`, `deleted` and `inserted` words, for a page to mark
    up with text nodes (radar.render.worddiff reads the markers; none reach the reader)."""
    return [{"part": s.part.value, "text": " ".join(s.text.split())} for s in segments(diff)]


def named_links(changes: Sequence[Change], names: Mapping[str, str]) -> list[dict[str, str]]:
    """Each distinct http(s) link once, labelled "Source name: entry title" (the catalog's
    name of the source, else the platform's)."""
    from radar.render.pack import safe_links

    labelled: dict[str, str] = {}
    for c in changes:
        for url in safe_links(ChangeGroup(c)):
            source = names.get(c.source_id) or platform_name(c.platform)
            title = " ".join(c.title.split())
            if len(title) > _LABEL_TITLE_CHARS:
                title = title[:_LABEL_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
            labelled.setdefault(url, f"{source}: {title}" if title else source)
    return [{"url": url, "label": label} for url, label in labelled.items()]


def entry_history(store: Store, change: Change, *, include_cosmetic: bool = False) -> list[Change]:
    """Every change of `change`'s entry, oldest first (by detection).

    Composed from the store's queries (no entry index): the entry's platform partition from
    the day the source's snapshot first saw the entry. An entry no longer in the snapshot (it
    was removed) is looked up over all time. An entry removed and later re-added starts its
    history again at the re-add: the snapshot only remembers when it came back.
    """
    snapshot = store.get_snapshot(change.source_id)
    state = snapshot.entries.get(change.entry_key) if snapshot else None
    since = min(state.first_seen, change.detected_at) if state else None
    query = ChangeQuery(
        since=since,
        platforms=frozenset({change.platform}),
        by="detected",
        include_baseline=True,
    )
    return [
        c
        for c in store.query_changes(query)
        if c.source_id == change.source_id
        and c.entry_key == change.entry_key
        and (include_cosmetic or _readable(c))
    ]


def history_json(
    change: Change,
    history: Sequence[Change],
    categories: Mapping[str, str],
    names: Mapping[str, str],
) -> dict[str, Any]:
    """An entry and its changes; each edit's diff as runs and as text (never raw markup)."""
    from radar.render.pack import item_json

    last = history[-1] if history else change
    items = []
    for c in history:
        label = categories.get(c.category or "", c.category or "")
        doc = item_json(ChangeGroup(c), label)
        doc["diff_parts"] = diff_parts(c.diff)
        doc["diff_text"] = to_text(c.diff, len(c.diff), "removed", "added") or None
        items.append(doc)
    return {
        "entry": {
            "source_id": change.source_id,
            "entry_key": change.entry_key,
            "platform": change.platform,
            "title": last.title,
            "text": last.text,
            "status": STATUS[last.kind],
            "links": named_links(list(reversed(history)) or [change], names),
        },
        "items": items,
    }


def entries_router(
    store: Store, categories: Mapping[str, str], names: Mapping[str, str]
) -> APIGatewayHttpRouter:
    """The route for one entry's history, addressed by any of its changes' ids."""
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

    @router.get(
        "/changes/<change_id>/history",
        summary="Every change of this change's entry, oldest first",
        description=(
            "The entry (its latest title, text, status and labelled links) and each of its "
            "changes, oldest first by detection. An edit carries its word diff as `diff_parts` "
            "(runs of `same`, `deleted` and `inserted` text) and as `diff_text`. Edits no "
            "reader would notice are left out unless `include_cosmetic` is set."
        ),
    )
    def get_history(
        change_id: ChangeId,
        include_cosmetic: Annotated[
            bool, Query(description="Also typo, casing and link-target fixes")
        ] = False,
    ) -> dict[str, Any]:
        change = store.get_change(change_id)
        if change is None:
            raise NotFoundError(f"no change with id {change_id}")
        history = entry_history(store, change, include_cosmetic=include_cosmetic)
        return history_json(change, history, categories, names)

    return router


def sort_key(change: Change, by: str) -> tuple[str, str]:
    """Where a change sits in a list by `by` ("published" or "detected"): (UTC ISO date, id)."""
    when: datetime = change.effective_date if by == "published" else change.detected_at
    return (when.astimezone(UTC).isoformat(), change.id)


def _readable(change: Change) -> bool:
    if change.kind is ChangeKind.COSMETIC:
        return False
    return not (change.kind is ChangeKind.EDITED and is_invisible(change.diff))


def _entry(change: Change) -> tuple[str, str]:
    return (change.source_id, change.entry_key)
