"""Previous snapshot + current items -> changes (added / edited / removed entries).

Works on entries, not pages: whitespace, typography, reordering and feed-level fields never show
up here because entries are compared by a digest of their normalised title and text. Entries that
disappear are only reported removed after several consecutive absences (flapping feeds); one that
comes back meanwhile is nothing new with the same words, and a re-publication (ADDED, same key)
with other words, since the reader saw it gone. A heading edit that changes an entry's key is
recognised as an edit, not a removal plus an addition.
Edits no reader would notice are kept as COSMETIC, and entries that show up below everything the
source already had (a feed's tail flapping back in) as BACKFILL: history, not news.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from radar.cosmetic import is_cosmetic, label_only, retitled, shape_digest
from radar.model import Change, ChangeKind, EntryState, Item, Snapshot, Source, change_id
from radar.renames import renamed_from
from radar.spec_changes import describe as describe_spec
from radar.spec_changes import findings as spec_findings
from radar.spec_changes import is_spec_entry, schema_users
from radar.text import normalize_text

# Runs an entry must be absent before it counts as removed.
REMOVE_AFTER_MISSING = 3
# Stored entry text is capped: the differ only needs enough for a short word-level diff, and
# store items must stay far below DynamoDB's 400 KB.
MAX_STORED_TEXT = 4000
MAX_DIFF_CHARS = 400

# "Last updated: 3 Nov 2026" and similar stamps change on every build without news in them.
_STAMP = re.compile(
    r"\b(?:last\s+(?:updated|modified|edited)|updated\s+on|page\s+generated)\b[^.\n]{0,40}",
    re.IGNORECASE,
)
_STAMP_WORDS = ("updated", "modified", "edited", "generated")
# What every stamp holds, read on the lower-cased text: a changelog says "updated" everywhere,
# and the stamp regex (a word boundary first, then case-blind alternatives) tests every
# character, where this one skips to the letters l, p and u. It stops before any "i" (the
# case-blind regex takes a dotless i for one) and the differ's texts are NFKC (normalize_text),
# so no long s stands for an "s" either: a text this misses has no stamp.
_STAMP_HINT = re.compile(r"last\s+[ume]|page\s+g|updated\s+on")


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The changes found and the entry states the next snapshot should hold."""

    changes: tuple[Change, ...]
    entries: Mapping[str, EntryState]
    # True when `entries` differ from the previous snapshot's (even without reportable
    # changes, e.g. an entry went missing for one run), so the snapshot must be saved.
    state_changed: bool


def entry_digest(title: str, text: str) -> str:
    """Digest of what a reader sees of an entry; equal digests mean "no change"."""
    canonical = _unstamped(normalize_text(title)) + "\x1f" + _unstamped(normalize_text(text))
    return hashlib.blake2b(canonical.casefold().encode(), digest_size=16).hexdigest()


def _unstamped(text: str) -> str:
    # Every stamp names one of these words: a plain substring test skips the regex for the
    # texts (nearly all) that have none, which is most of the differ's time on large specs.
    lowered = text.lower()
    updated, modified, edited, generated = _STAMP_WORDS  # an `in` each: no generator per text
    if (
        updated in lowered or modified in lowered or edited in lowered or generated in lowered
    ) and _STAMP_HINT.search(lowered):
        return _STAMP.sub("", text)
    return text


def word_diff(old: str, new: str, limit: int = MAX_DIFF_CHARS) -> str:
    """A short word-level diff: `[-removed words-] {+added words+}`, in reading order."""
    a, b = old.split(), new.split()
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("replace", "insert"):
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    out = " ".join(parts)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def diff_entries(
    source: Source,
    previous: Snapshot | None,
    items: Sequence[Item],
    now: datetime,
    *,
    announce_since: datetime,
) -> DiffResult:
    """Compare the current items of `source` with its previous snapshot.

    On the first run every entry becomes a BASELINE change (stored with its own date, not
    announced) except entries dated at or after `announce_since` (the current briefing
    period), which are ADDED.
    """
    current = _unique_by_key(items)
    # A snapshot that exists only to count failures has never seen the page: still a first run.
    if previous is None or previous.content_hash is None:
        return _first_run(source, current, now, announce_since)

    old = dict(previous.entries)
    # New entries older than everything the source showed last time are its tail, not news.
    # (Lists, not generators, for these min and max: a generator's step per entry cost more.)
    oldest_before = min(
        [e.published for e in old.values() if e.published and not e.missing], default=None
    )
    entries: dict[str, EntryState] = {}
    added: list[tuple[Item, str]] = []  # with its digest
    changes: list[Change] = []
    for key, item in current.items():
        before = old.pop(key, None)
        if before is None:
            added.append((item, entry_digest(item.title, item.text)))
            continue
        # The same title and whole text as stored have the stored digest (most entries of
        # most runs): it is not computed again.
        text = item.text
        if before.text == text and before.title == item.title and len(text) <= MAX_STORED_TEXT:
            # Its text, title and so its digest are the stored ones: only the rest decides
            # whether the state it would get is the one it has (`_unchanged`).
            same = _kept(before, item)
            digest = before.digest
        else:
            digest = entry_digest(item.title, text)
            same = _unchanged(before, item, digest)
        if same:
            # The state it would get is the one it has (most entries of most runs): kept
            # as it is, with no change to look for.
            entries[key] = before
            continue
        state = _state(item, digest, first_seen=before.first_seen, before=before)
        entries[key] = state
        change = _compared(source, before, state, now, oldest_before)
        if change is not None:
            changes.append(change)

    # Entries that vanished: pair them with new entries of the same text first (re-keyed).
    vanished = old
    seen_before: dict[str, tuple[str, str | None]] = {}  # vanished entries, as compared
    for item, digest in added:
        match = renamed_from(item, vanished, seen_before, cap=MAX_STORED_TEXT) if vanished else None
        if match is None:
            state = _state(item, digest, first_seen=now)
            entries[item.key] = state
            kind = _added_kind(item.published_by, oldest_before)
            changes.append(_change(source, state, kind, now))
            continue
        before = vanished.pop(match)
        state = _state(item, digest, first_seen=before.first_seen)
        entries[item.key] = state
        change = _compared(source, before, state, now, oldest_before)
        if change is not None:
            changes.append(change)

    # A feed window slides: newer items arrive and the oldest fall off the end. An entry older
    # than everything shown, on a list that gained entries since it was first seen, fell off;
    # one that vanished while nothing newer arrived was removed.
    newest_arrival = max([entries[k].first_seen for k in current if k in entries], default=None)
    oldest_current = min([i.published for i in current.values() if i.published], default=None)
    for key, before in vanished.items():
        missing = replace(before, missing=before.missing + 1)
        if missing.missing < REMOVE_AFTER_MISSING:
            entries[key] = missing  # kept, so an entry that flaps back in is not "added"
        elif not (
            newest_arrival is not None
            and newest_arrival > before.first_seen
            and _aged_out(before, oldest_current)
        ):
            changes.append(_change(source, before, ChangeKind.REMOVED, now))
        # else: it fell off the end of a feed window or an archive trim: forgotten, not news

    state_changed = changes != [] or entries != dict(previous.entries)
    return DiffResult(tuple(_with_schema_users(changes, current)), entries, state_changed)


def _added_kind(latest: datetime | None, oldest_before: datetime | None) -> ChangeKind:
    # `latest` is the latest day the entry's own date allows: a month-only entry ("March
    # 2025") may be from any day of it, so it is older only when its month's last day is.
    if oldest_before and latest and latest < oldest_before:
        return ChangeKind.BACKFILL
    return ChangeKind.ADDED


def _compared(
    source: Source,
    before: EntryState,
    after: EntryState,
    now: datetime,
    oldest_before: datetime | None,
) -> Change | None:
    """The change from `before` to `after` (one entry, possibly re-keyed), or None.

    An entry that was absent from the last fetch is judged as the reader saw it: gone. Back
    with the same words (a flapping feed, even re-stamped with another date) it is nothing
    new, kept as history; back with other words it is a re-publication, news as an addition
    under its old key, so the entry's history stays one thread.
    """
    if before.digest == after.digest and not _redated(before, after):
        return None
    returned = before.missing > 0
    change = _edit(source, before, after, now, returned=returned)
    if not returned or change.kind is not ChangeKind.EDITED:
        return change
    added = _change(source, after, ChangeKind.ADDED, now)
    kind = _added_kind(added.published_by, oldest_before)
    # Distinct from the entry's first addition, which may have carried these same words;
    # the word diff shows, in the entry's history, what the re-publication changed.
    identity = f"{after.digest}<{before.digest}"
    return replace(
        added, kind=kind, id=change_id(source.id, after.key, kind, identity), diff=change.diff
    )


def _with_schema_users(changes: list[Change], current: Mapping[str, Item]) -> list[Change]:
    """Edits of a shared API schema name the operations that use it, so one schema edit is
    one change that says whom it affects (not one change per operation)."""
    edited = [
        c for c in changes if c.kind is ChangeKind.EDITED and c.entry_key.startswith("schema:")
    ]
    if not edited:
        return changes
    users = schema_users({k: i.text for k, i in current.items()}, [c.entry_key for c in edited])
    out = []
    for change in changes:
        used_by = users.get(change.entry_key, []) if change in edited else []
        if used_by:
            shown = ", ".join(used_by[:5]) + (
                f" and {len(used_by) - 5} more" if len(used_by) > 5 else ""
            )
            change = replace(change, diff=f"{change.diff} (used by {shown})")
        out.append(change)
    return out


def _first_run(
    source: Source, current: Mapping[str, Item], now: datetime, announce_since: datetime
) -> DiffResult:
    entries: dict[str, EntryState] = {}
    changes: list[Change] = []
    for key, item in current.items():
        state = _state(item, entry_digest(item.title, item.text), first_seen=now)
        entries[key] = state
        # A month-only entry is recent when any day of its month is in the window.
        latest = item.published_by
        recent = latest is not None and latest >= announce_since
        kind = ChangeKind.ADDED if recent else ChangeKind.BASELINE
        changes.append(_change(source, state, kind, now))
    return DiffResult(tuple(changes), entries, True)


def _unique_by_key(items: Sequence[Item]) -> dict[str, Item]:
    # Extractors already make keys unique; keep the first if one slips through.
    out: dict[str, Item] = {}
    for item in items:
        out.setdefault(item.key, item)
    return out


def _state(
    item: Item, digest: str, *, first_seen: datetime, before: EntryState | None = None
) -> EntryState:
    # The same digest means the same words: the shape is the one already known (computing it
    # for every unchanged entry of a large spec or page was half the differ's time).
    same = before is not None and before.digest == digest and before.shape
    return EntryState(
        key=item.key,
        title=item.title,
        text=item.text[:MAX_STORED_TEXT],
        digest=digest,
        url=item.url,
        published=item.published,
        first_seen=first_seen,
        shape=before.shape if same and before else shape_digest(f"{item.title}\n{item.text}"),
        month_only=item.month_only,
    )


def _unchanged(before: EntryState, item: Item, digest: str) -> bool:
    """Whether `_state(item, digest, first_seen=before.first_seen, before=before)` would be
    `before` field for field (its date in the same zone, so the stored state is identical)."""
    if not (before.digest == digest and before.title == item.title and _kept(before, item)):
        return False
    text = item.text
    return before.text == (text if len(text) <= MAX_STORED_TEXT else text[:MAX_STORED_TEXT])


def _kept(before: EntryState, item: Item) -> bool:
    """Whether the state `item` would get keeps `before`'s fields other than title, text and
    digest: the same key, link and date (the same instant in the same zone: a state keeping
    `before`'s date is then stored identically), and a shape known and no absence counted.
    The date is compared here, not by a call: this runs for every entry of most runs."""
    published, was = item.published, before.published
    return bool(
        before.shape
        and not before.missing
        and before.key == item.key
        and before.url == item.url
        and before.month_only == item.month_only
        and published == was
        and (
            published is None
            or (was is not None and published.tzinfo == was.tzinfo and published.fold == was.fold)
        )
    )


def _redated(before: EntryState, after: EntryState) -> bool:
    """The entry's own date was rewritten (a date appearing or vanishing is extraction noise)."""
    return (
        before.published is not None
        and after.published is not None
        and before.published.date() != after.published.date()
    )


def _aged_out(entry: EntryState, oldest_current: datetime | None) -> bool:
    return (
        entry.published is not None
        and oldest_current is not None
        and entry.published < oldest_current
    )


def _change(source: Source, state: EntryState, kind: ChangeKind, now: datetime) -> Change:
    return Change(
        id=change_id(source.id, state.key, kind, state.digest),
        source_id=source.id,
        platform=source.platform,
        kind=kind,
        entry_key=state.key,
        title=state.title,
        text=state.text,
        url=state.url,
        published=state.published,
        detected_at=now,
        month_only=state.month_only,
    )


def _edit(
    source: Source, before: EntryState, after: EntryState, now: datetime, *, returned: bool = False
) -> Change:
    old, new = f"{before.title}\n{before.text}", f"{after.title}\n{after.text}"
    redated = _redated(before, after)
    # An entry back from absence with a new date and the same words was re-stamped (a feed
    # re-dating an item that flapped out and in): its date is no news to a reader.
    date_news = redated and not returned
    if before.shape and before.shape == after.shape:
        quiet = not date_news  # the same words throughout: formatting only
    else:
        # Equal stored texts with different digests: the change lies past the stored cap, so
        # it cannot be judged a typo from what is stored.
        quiet = not date_news and old != new and is_cosmetic(old, new)
    if (
        not quiet
        and before.text == after.text
        and len(after.text) < MAX_STORED_TEXT  # the whole text, not a capped one
        and retitled(before.title, after.title, after.text)
    ):
        quiet = not date_news
    if before.key != after.key and not quiet:
        # Re-keyed because the label it was filed under (a version tag in a component
        # attribute) came or went, with nothing else changed: the same entry, relabelled.
        quiet = not date_news and label_only(old, new, (before.key, after.key))
    diff = word_diff(old, new)
    if is_spec_entry(after.key, after.text):
        # An API spec entry says what changed in a developer's words; an edit to its
        # descriptions alone changes no contract and is kept as history.
        found = spec_findings(before.text, after.text)
        if found:
            diff = describe_spec(found)
        elif before.text != after.text:
            quiet = not date_news
    kind = ChangeKind.COSMETIC if quiet else ChangeKind.EDITED
    change = replace(_change(source, after, kind, now), diff=diff)
    if redated and before.published and after.published:
        dates = f"[-{before.published.date()}-] {{+{after.published.date()}+}}"
        # The text may be as it was: the new date is what makes this change distinct.
        identity = f"{after.digest}@{after.published.isoformat()}"
        change = replace(
            change,
            id=change_id(source.id, after.key, kind, identity),
            diff=f"{dates} {diff}".strip(),
        )
    return change
