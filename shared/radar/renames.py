"""Is a new entry an old one under a new key? The differ's pairing of re-keyed entries.

A heading or guid rewritten gives an entry a new key: paired with the vanished entry of the same
date and (nearly) the same title and text, it is an edit, not a removal plus an addition.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import datetime, timedelta

from radar.model import EntryState, Item
from radar.text import normalize_text
from radar.versions import find_version

# A re-keyed entry is paired with its old self at this similarity of title and text, when their
# dates are this close (a feed may re-stamp a re-published post).
RENAME_SIMILARITY = 0.8
RENAME_DATE_SLACK = timedelta(days=2)


def renamed_from(
    item: Item,
    vanished: Mapping[str, EntryState],
    seen: dict[str, tuple[str, str | None]] | None = None,
    *,
    cap: int,
) -> str | None:
    """The key of a vanished entry that `item` is the same entry as, under a new key.

    Same date and the same or nearly the same title and text (a heading or guid rewritten).
    A release named by another version is another release, however alike: a version pulled
    and its notes re-published under the next number is one removal and one addition.
    `seen`: each vanished entry's comparable text and version, kept across the calls of one
    diff (they were worked out again for every new entry). `cap`: the stored texts' length.
    """
    body = _comparable(item.title, normalize_text(item.text)[:cap])
    if not body.strip():
        return None
    seen = {} if seen is None else seen
    version = find_version(item.title)
    best, best_ratio = None, RENAME_SIMILARITY
    # One matcher with `body` as its second sequence, made at the first comparison: indexing
    # that sequence is most of a comparison's cost, and it is the same for every vanished entry.
    matcher: difflib.SequenceMatcher[str] | None = None
    for key, before in vanished.items():
        if not _same_day(before.published, item.published, RENAME_DATE_SLACK):
            continue
        known = seen.get(key)
        if known is None:
            known = seen[key] = (
                _comparable(before.title, normalize_text(before.text)),
                find_version(before.title),
            )
        old, old_version = known
        if version is not None and old_version not in (None, version):
            continue
        if old == body:
            return key
        if matcher is None:
            matcher = difflib.SequenceMatcher(None, old, body, autojunk=False)
        else:
            matcher.set_seq1(old)
        if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = key, ratio
    return best


def _comparable(title: str, text: str) -> str:
    return f"{normalize_text(title)}\n{text}"


def _same_day(a: datetime | None, b: datetime | None, slack: timedelta) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= slack
