"""Release versions and slugs: the identity parts of an entry's key.

`version_slug` finds the release version an attribute or heading names ("v1.2.0", "AI SDK
v1.0.0") as a slug; `named_version` is `radar.versions`' rule as MDX reads it; `slug` is the
fast slugify used for every key part and anchor.
"""

from __future__ import annotations

import re

from radar.text import MAX_SLUG, slugify
from radar.versions import Version, search_version

# Words that may stand before a version ("Release v1.2.0", "CLI 0.11.0") within the first words.
VERSION_WORDS = 4
# Words that only announce a version ("Release 1.2.0", "Version 2.0.1"): not part of its name.
_VERSION_WORD = re.compile(r"^(?:version|release|released|v)$", re.I)
_WORD_BREAK = re.compile(r"[\s\[\]()]+")


def named_version(text: str) -> Version | None:
    """The first version in `text`, SemVer tags included ("v1.0.0-beta.2+sha"): attributes
    and entry headings name versions as package managers write them."""
    return search_version(text, semver=True, whole_word=True)


def version_slug(text: str | None, heading: bool) -> str | None:
    """The release version `text` names, as a slug ("v0-1-114", "ai-sdk-v1-0-0"), or None.

    An attribute may name the product before the version ("AI SDK v1.0.0"), within a few words.
    A heading must open with the version ("v1.2.3", "Version 1.2.3 (2026-01-02)"), so a feature
    heading that mentions one ("Config Editor v3.0") is not a release.
    """
    if not text:
        return None
    found = named_version(text)
    if found is None:
        return None
    words = [w for w in _WORD_BREAK.split(text[: found.start]) if w]
    words = [w for w in words if not _VERSION_WORD.match(w)]
    if len(words) >= (1 if heading else VERSION_WORDS):
        return None
    if not (found.v or found.number.count(".") >= 2 or not text[found.end :].strip(" :-()[]")):
        return None  # "Python 3.12 support" is not a release
    return slug(" ".join([*words, "v" + found.number.lower()]))


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(s: str) -> str:
    """`slugify(s)`, with a fast path for short ASCII text (most labels and headings)."""
    if s.isascii() and len(s) <= MAX_SLUG:
        return _NON_ALNUM.sub("-", s.lower()).strip("-")
    return slugify(s)
