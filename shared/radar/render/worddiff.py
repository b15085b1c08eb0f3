"""Word diffs as readers see them: insertions and deletions marked, never raw diff markup.

The differ stores an edit as a short word diff, `kept [-old words-] {+new words+} kept`, cut
to a length. `segments` reads it back (tolerating a cut inside a marker); `to_html` marks the
parts with `<del>`/`<ins>` and a hidden "removed:"/"added:" for screen readers; `to_text` writes
the plain-text equivalent for mail's text part. Both cut at a word boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from markupsafe import Markup, escape

_MARKER = re.compile(r"\[-(?P<old>.*?)(?:-\]|$)|\{\+(?P<new>.*?)(?:\+\}|$)", re.DOTALL)


class Part(StrEnum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True, slots=True)
class Segment:
    part: Part
    text: str


def segments(diff: str) -> list[Segment]:
    """The diff's runs of kept, deleted and inserted text, in order (empty runs dropped)."""
    out: list[Segment] = []
    at = 0
    for m in _MARKER.finditer(diff):
        if m.start() > at:
            out.append(Segment(Part.SAME, diff[at : m.start()]))
        if m.group("old") is not None:
            out.append(Segment(Part.DELETED, m.group("old")))
        else:
            out.append(Segment(Part.INSERTED, m.group("new") or ""))
        at = m.end()
    if at < len(diff):
        out.append(Segment(Part.SAME, diff[at:]))
    return [s for s in out if s.text.strip()]


def has_visible_change(diff: str) -> bool:
    """Some words were deleted or inserted (not only spacing)."""
    return any(s.part is not Part.SAME for s in segments(diff))


def is_invisible(diff: str) -> bool:
    """A word diff whose marked parts are all blank: an edit no reader can see. (A diff with no
    markers at all, such as an API spec edit's description, is not a word diff.)"""
    return _MARKER.search(diff) is not None and not has_visible_change(diff)


def to_html(diff: str, limit: int, removed: str, added: str) -> Markup:
    """HTML with `<del>`/`<ins>`, cut after about `limit` characters of text at a word.

    `removed` and `added` are the localised words screen readers announce before each part.
    """
    # Markup.format escapes its arguments: the entry's words never become markup.
    deleted = Markup('<del><span class="sr">{}: </span>{}</del>')
    inserted = Markup('<ins><span class="sr">{}: </span>{}</ins>')
    html: list[Markup] = []
    for seg in _cut(segments(diff), limit):
        if seg.part is Part.DELETED:
            html.append(deleted.format(removed, seg.text))
        elif seg.part is Part.INSERTED:
            html.append(inserted.format(added, seg.text))
        else:
            html.append(escape(seg.text))
    return Markup(" ").join(html)


def to_text(diff: str, limit: int, removed: str, added: str) -> str:
    """Plain text: `kept words [removed: old words] [added: new words] kept words`."""
    parts = []
    for seg in _cut(segments(diff), limit):
        if seg.part is Part.DELETED:
            parts.append(f"[{removed}: {seg.text.strip()}]")
        elif seg.part is Part.INSERTED:
            parts.append(f"[{added}: {seg.text.strip()}]")
        else:
            parts.append(seg.text.strip())
    return " ".join(p for p in parts if p)


def _cut(found: list[Segment], limit: int) -> list[Segment]:
    """The first `limit` characters of text, cut at a word, with "…" when something is left."""
    out: list[Segment] = []
    left = limit
    for seg in found:
        if left <= 0:
            break
        text = " ".join(seg.text.split())
        if len(text) > left:
            cut = text[:left].rsplit(" ", 1)[0] if " " in text[:left] else text[:left]
            out.append(Segment(seg.part, cut + "…"))
            return out
        out.append(Segment(seg.part, text))
        left -= len(text)
    if len(out) < len(found) and out:
        out[-1] = Segment(out[-1].part, out[-1].text + " …")
    return out
