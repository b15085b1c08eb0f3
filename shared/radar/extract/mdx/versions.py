"""Release versions and slugs: the identity parts of an entry's key.

`_version` finds the release version an attribute or heading names ("v1.2.0", "AI SDK v1.0.0")
as a slug; `_slug` is the fast slugify used for every key part and anchor.
"""

from __future__ import annotations

import re

from radar.text import MAX_SLUG, slugify

# Words that may stand before a version ("Release v1.2.0", "CLI 0.11.0") within the first words.
VERSION_WORDS = 4

_VERSION = re.compile(
    r"(?<![\w.])(?P<v>[vV])?(?P<n>\d+(?:\.\d+){1,3}"
    r"(?:(?:a|b|rc|alpha|beta|pre|preview|dev|post)\.?\d*|-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"
    r"(?:\+[0-9A-Za-z.]+)?)(?!\w|\.\d)"
)
# Words that only announce a version ("Release 1.2.0", "Version 2.0.1"): not part of its name.
_VERSION_WORD = re.compile(r"^(?:version|release|released|v)$", re.I)


def _version(text: str | None, heading: bool) -> str | None:
    """The release version `text` names, as a slug ("v0-1-114", "ai-sdk-v1-0-0"), or None.

    An attribute may name the product before the version ("AI SDK v1.0.0"), within a few words.
    A heading must open with the version ("v1.2.3", "Version 1.2.3 (2026-01-02)"), so a feature
    heading that mentions one ("Config Editor v3.0") is not a release.
    """
    if not text:
        return None
    m = _VERSION.search(text)
    if m is None:
        return None
    words = [w for w in re.split(r"[\s\[\]()]+", text[: m.start()]) if w]
    words = [w for w in words if not _VERSION_WORD.match(w)]
    if len(words) >= (1 if heading else VERSION_WORDS):
        return None
    if not (m["v"] or m["n"].count(".") >= 2 or not text[m.end() :].strip(" :-()[]")):
        return None  # "Python 3.12 support" is not a release
    return _slug(" ".join([*words, "v" + m["n"].lower()]))


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _slug(s: str) -> str:
    """`slugify(s)`, with a fast path for short ASCII text (most labels and headings)."""
    if s.isascii() and len(s) <= MAX_SLUG:
        return _NON_ALNUM.sub("-", s.lower()).strip("-")
    return slugify(s)
