"""Release versions in text: the one rule the extractors and the differ read them by.

A version is two to four dot-separated numbers ("1.2", "v0.20.38", "12.4.2.1"), with an optional
"v" before it and an optional release tag after it ("2.0.0-beta.1", "1.10.1a1", "3.0rc2",
"1.2.3.post1"). It is never part of a dotted run of numbers ("1.2.3.4.5", "2023.12.16.571984")
or a path ("10.0.0.1/8", ".../1.0/"). Pure: no clock, no environment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple


class Version(NamedTuple):
    """A version found in a text, and where."""

    number: str  # as written, without the "v": "1.2.0", "2.0.0-beta.1"
    v: str  # the "v" (or "V") written before the number, or ""
    start: int  # span of `written` in the text searched
    end: int

    @property
    def written(self) -> str:
        return self.v + self.number


_NUMBER = r"\d+(?:\.\d+){1,3}"
# PEP 440 and npm-style release tags ("-beta.1", "a1", "rc2", ".post1", "-dev"), each ending
# a word: "GPT-5.2-Codex" is 5.2, not 5.2-c.
_TAG = r"(?:[-.]?(?:alpha|beta|preview|pre|rc|dev|post|a|b|c)\.?\d*(?!\w))*"
# SemVer's free-form pre-release and build parts ("-x.7.z+sha.5"): in prose "1.2.0-2024-05-01"
# is a version, then a date, so only where a text is known to name a version (MDX attributes).
_SEMVER = r"(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z.]+)?"


@cache
def _pattern(semver: bool, whole_word: bool) -> re.Pattern[str]:
    tail = _SEMVER if semver else ""
    if whole_word:
        before, after = r"(?<![\w.-])", r"(?!\.*\w|/)"
    else:
        before, after = r"(?<![\w.])", r"(?![\w.]*\d|/)"
    return re.compile(rf"{before}(?P<v>v?)(?P<n>{_NUMBER}{_TAG}{tail}){after}", re.IGNORECASE)


def search_version(text: str, *, semver: bool = False, whole_word: bool = False) -> Version | None:
    """The first version in `text`, or None.

    `semver`: also take SemVer's free-form pre-release and build parts ("1.0.0-x.7+sha.5").
    `whole_word`: the version is a word of its own: not after a hyphen ("GPT-5.2") nor followed
    by letters ("2.5x", "3.13.x"); otherwise a version may be named inside a product's name.
    """
    if "." not in text:
        return None  # every version has a dot: most texts are done here
    m = _pattern(semver, whole_word).search(text)
    return None if m is None else Version(m["n"], m["v"], m.start(), m.end())


def find_version(text: str) -> str | None:
    """The first release version named in `text` ("Version 12.4.2" -> "12.4.2"), lower-case,
    without its "v"."""
    found = search_version(text)
    return None if found is None else found.number.lower()


def is_version(text: str, *, semver: bool = False, whole_word: bool = False) -> bool:
    """Whether `text` is one version and nothing else ("v6.1.0", "2.0b1")."""
    found = search_version(text, semver=semver, whole_word=whole_word)
    return found is not None and found.start == 0 and found.end == len(text)


def clashing_versions(versions: Iterable[str]) -> frozenset[str]:
    """The versions more than one of the page's headings reads as: `find_version` leaves a
    SemVer tail off ("2023.04-1" is 2023.04, as "1.2.0-2024-05-01" in prose is a version, then a
    date), so Friendica's "Version 2023.04-1" and "Version 2023.04" share one. Most pages:
    none, and their keys stay as they were."""
    counts = Counter(versions)
    if len(counts) == sum(counts.values()):
        return frozenset()  # most pages
    return frozenset(v for v, n in counts.items() if n > 1)


def full_version(text: str) -> str | None:
    """The version `text` names with its SemVer tail ("2023.04-1"), lower-case; each of two
    releases whose versions clash is keyed by it, rather than by a hash of its text, which any
    edit would change."""
    found = search_version(text, semver=True)
    return None if found is None else found.number.lower()
