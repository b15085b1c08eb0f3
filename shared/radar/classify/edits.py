"""What an edit to an entry added, and whether it is too small to tell readers about.

An edit arrives as a word diff (`[-old-]{+new+}`, radar/text.py): it is judged by the words it
added, and one that fixes a typo, punctuation, a link or only the heading is minor.
"""

from __future__ import annotations

import re

from radar.classify.rules import Rules
from radar.model import Change
from radar.text import within_edits

_DIFF_SEGMENT = re.compile(r"\[-(?P<old>.*?)-\]|\{\+(?P<new>.*?)\+\}", re.DOTALL)
_WORD = re.compile(r"\w+")
_URLISH = re.compile(r"\S*(?:https?://|www\.|\(#|\]\()\S*")


def added_text(diff: str) -> str:
    """The text an edit added, its added runs joined by spaces."""
    return " ".join(m.group("new") or "" for m in _DIFF_SEGMENT.finditer(diff))


def is_tiny_edit(change: Change, rules: Rules) -> bool:
    """Typo, punctuation, link or heading-only edits (see rules' minor_edit)."""
    olds: list[str] = []
    news: list[str] = []
    for m in _DIFF_SEGMENT.finditer(change.diff):
        if m.group("old") is not None:
            olds.append(m.group("old"))
        else:
            news.append(m.group("new") or "")
    old_words = [w for s in olds for w in _WORD.findall(_URLISH.sub(" ", s).lower())]
    new_words = [w for s in news for w in _WORD.findall(_URLISH.sub(" ", s).lower())]
    if old_words == new_words:
        return True  # punctuation, markup or link targets only
    title_words = set(_WORD.findall(change.title.lower()))
    if new_words and set(new_words) <= title_words and len(old_words) <= len(title_words):
        return True  # the heading changed, the body did not
    changed = max(len(old_words), len(new_words))
    if changed > rules.max_changed_words or len(old_words) != len(new_words):
        return False
    return all(
        within_edits(a, b, rules.max_word_distance)
        for a, b in zip(old_words, new_words, strict=True)
    )
