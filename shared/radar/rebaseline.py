"""A page read again after Radar's extraction changed: what differs is history, not news.

An upgrade that reads some pages differently (a release's sections no longer entries of their
own, a heading now read as a date) would otherwise announce every entry it re-keys, re-titles
or re-splits: additions of old entries, edits nobody made, and removals three runs later. So
each source's first run after such an upgrade reads its page again, unconditionally, and when
the page's bytes are the ones stored, every difference is the extraction's own: additions and
edits are recorded as history (backfill, cosmetic edits) and entries no longer read are
forgotten. A page that changed in the same run is diffed as usual: its news is not held back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from radar.diff import DiffResult
from radar.model import Change, ChangeKind, EntryState, Item, Source, change_id

# What an extraction difference is recorded as, by the kind a diff gave it.
_AS_HISTORY = {ChangeKind.ADDED: ChangeKind.BACKFILL, ChangeKind.EDITED: ChangeKind.COSMETIC}


def rebaselined(diff: DiffResult, source: Source, current: Mapping[str, Item]) -> DiffResult:
    """`diff` of a page whose bytes did not change, read with newer extractors: its additions
    and edits as history, and the entries it no longer reads dropped, not counted missing."""
    changes = tuple(_as_history(source, c) for c in diff.changes)
    entries: dict[str, EntryState] = {k: s for k, s in diff.entries.items() if k in current}
    return DiffResult(changes, entries, state_changed=True)


def _as_history(source: Source, change: Change) -> Change:
    kind = _AS_HISTORY.get(change.kind)
    if kind is None:
        return change  # already history; a removal under way before the upgrade stays one
    return replace(change, kind=kind, id=change_id(source.id, change.entry_key, kind, change.id))
