"""The markers changelogs put before an item to say what kind of change it is.

Gitmoji (gitmoji.dev) gives each kind of commit an emoji, written as the character or as its
GitHub shortcode: ":boom:" introduces a breaking change, ":sparkles:" a feature, ":bug:" a fix,
":memo:" docs, ":arrow_up:" a dependency upgrade. Many changelogs also flag breaking items with
":warning:" / "⚠️" ("Breaking changes are indicated by the :warning: icon"). A marked item is
filed under the part its marker names, and read without the marker ("⚠️ Removed X" removes).
Markers that name no part (":tada:", ":rocket:") leave the item to its section.
"""

from __future__ import annotations

import re

from radar.classify.headings import Part

# Emoji (with its variation selector) and shortcode of each marker, by the part it names.
_MARKERS = {
    Part.BREAKING: ("💥", "boom", "⚠", "warning"),
    Part.DEPRECATED: ("🗑", "wastebasket"),
    Part.SECURITY: ("🔒", "lock", "🔐", "closed_lock_with_key"),
    Part.FEATURES: ("✨", "sparkles"),
    Part.FIXES: ("🐛", "bug", "🚑", "ambulance", "🩹", "adhesive_bandage"),
    Part.DOCS: ("📝", "memo", "📚", "books"),
    Part.CHORES: ("⬆", "arrow_up", "⬇", "arrow_down", "📌", "pushpin", "➕", "heavy_plus_sign",
                  "➖", "heavy_minus_sign", "🔧", "wrench", "🔨", "hammer", "✅",
                  "white_check_mark", "👷", "construction_worker", "💚", "green_heart", "♻",
                  "recycle", "🎨", "art", "⚡", "zap", "🔖", "bookmark", "🚨", "rotating_light"),
}  # fmt: skip
_PART_OF = {m: part for part, marks in _MARKERS.items() for m in marks}
_MARKER = re.compile(r"\s*(?::([a-z0-9_+-]+):|([^\w\s:]))[\ufe0f\u200d]*\s+")
# The first character of every marker: most items open with none, and are done at one lookup.
MARKER_STARTS = frozenset({" ", ":"} | {m[0] for m in _PART_OF if not m.isascii()})


def marker_part(item: str) -> tuple[Part, str] | None:
    """(the part the marker `item` opens with names, the item without it); None when it opens
    with no known marker."""
    found = _MARKER.match(item)
    if found is None:
        return None
    part = _PART_OF.get(found[1] or found[2])
    rest = item[found.end() :]
    return None if part is None or not rest else (part, rest)
