"""Lines that only point elsewhere: what keeps a date's bullets from becoming entries of their
own (see `subentries.split_date_section`).

A pointer line ("See Tags for more details.", "For more information, see X.", "Learn more
about Y.") says no change of its own: it is the reference of the item before it. Written as a
bullet of its own, or as a paragraph after a date's bullets (Threads' changelog), it belongs
to that item, not to an entry of its own, nor to the lead every split entry repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from radar.extract.sections import Block

# A pointer is one short sentence: longer text says something of its own.
MAX_POINTER_CHARS = 120
_POINTER = re.compile(
    r"(?:"
    # "See X for more details." / "Refer to X for further information." / "Refer to the v2.9.1
    # milestone to know the complete list of the issues resolved by this release."
    r"(?:see|refer to|read|visit|check out)\b.*\b(?:for (?:more|further|additional|full)\b"
    r"|to (?:know|see|find|learn) (?:the )?(?:complete|full|whole)\b)"
    # "For more details, see X." / "To learn more, see X." / "For details, see X."
    r"|(?:for|to learn|to find out|to read)(?: (?:more|further|additional|full))?"
    r"(?: (?:details|information|info))?,? (?:see|visit|refer to|read)\b"
    # "Learn more about X." / "Read more in X." / "More details: X"
    r"|(?:learn|read) more\b|more (?:details|information|info)\b"
    # "Upgrade instructions are available at https://...": what is there, and only a link (not
    # "Dark mode is available in settings", a feature)
    r"|[^.]{0,80}?\b(?:(?:is|are) (?:available|documented|described|explained)|can be found)"
    r" (?:at|in|on|here)\b[^.]{0,40}?https?://\S+?\.?$"
    r")",
    re.IGNORECASE,
)
# A sentence's end followed by more text: two sentences are no pointer line.
_SECOND_SENTENCE = re.compile(r"[.!?]\s+\S")


def is_pointer(text: str) -> bool:
    """Whether `text` is one short sentence that only points elsewhere."""
    if len(text) > MAX_POINTER_CHARS or "\n" in text:
        return False
    return _POINTER.match(text) is not None and _SECOND_SENTENCE.search(text) is None


def fold_pointers(body: Sequence[Block]) -> list[tuple[Block, str]]:
    """`body`'s blocks, each with the pointer lines that follow it when it is a list item
    (joined by newlines, "" for none); those pointer lines are no blocks of their own."""
    out: list[tuple[Block, str]] = []
    for block in body:
        if out and out[-1][0].item and not block.level and is_pointer(block.text):
            item, pointers = out[-1]
            out[-1] = (item, f"{pointers}\n{block.text}" if pointers else block.text)
        else:
            out.append((block, ""))
    return out
