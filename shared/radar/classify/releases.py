"""Version releases read by their sections, so a release is filed by its most important part.

Release notes follow a few widespread conventions: Keep a Changelog (Added / Changed /
Deprecated / Removed / Fixed / Security), Conventional Commits as written by release-please
(Features / Bug Fixes / Chores / ⚠ BREAKING CHANGES, items `scope: text (#12) (abc1234)`) and
changesets (Major / Minor / Patch Changes, "Updated dependencies"). Extracted text is flattened
to one line, so the section names are found where they start a run of text, and items are told
apart by the conventions' own markers. Nothing here knows a particular project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from radar.text import find_version


class Part(StrEnum):
    BREAKING = "breaking"
    DEPRECATED = "deprecated"
    REMOVED = "removed"
    SECURITY = "security"
    FEATURES = "features"
    CHANGED = "changed"
    FIXES = "fixes"
    CHORES = "chores"


# Section names as the conventions write them. The ones that are also ordinary sentence starts
# ("Added support for ...") count only inside an entry that is already a release.
_UNAMBIGUOUS = {
    Part.BREAKING: ("⚠ BREAKING CHANGES", "⚠️ BREAKING CHANGES", "BREAKING CHANGES",
                    "Breaking Changes", "Major Changes"),
    Part.FEATURES: ("Features", "New Features", "Minor Changes"),
    Part.FIXES: ("Bug Fixes", "Bugfixes", "Patch Changes"),
    Part.CHORES: ("Chores", "Miscellaneous Chores", "Build System", "Performance Improvements",
                  "Code Refactoring", "Refactors", "Continuous Integration", "Dependencies",
                  "Dependency Updates", "Reverts", "Tests", "Styles"),
}  # fmt: skip
_AMBIGUOUS = {
    Part.BREAKING: ("Breaking changes", "Breaking"),
    Part.DEPRECATED: ("Deprecated", "Deprecations"),
    Part.REMOVED: ("Removed", "Removals"),
    Part.SECURITY: ("Security",),
    Part.FEATURES: ("Added", "Enhancements", "Improvements", "New"),
    Part.CHANGED: ("Changed", "Changes"),
    Part.FIXES: ("Fixed", "Fixes", "Bug fixes"),
    Part.CHORES: ("Documentation", "Docs", "Miscellaneous", "Internal"),
}  # fmt: skip


def _heading_regex(names: Iterable[str]) -> re.Pattern[str]:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(
        r"(?<!\S)(" + "|".join(map(re.escape, longest_first)) + r")"
        # "Bug fixes and improvements", "New Features & Updates": one heading.
        r"(?:\s(?:and|&)\s(?:[Ii]mprovements|[Ee]nhancements|[Uu]pdates|[Cc]hanges|[Ff]ixes))?"
        r"(?=\s|:|$)"
    )


_PART_OF = {n: part for t in (_UNAMBIGUOUS, _AMBIGUOUS) for part, ns in t.items() for n in ns}
_STARTS = _heading_regex(n for names in _UNAMBIGUOUS.values() for n in names)
_ANY = _heading_regex(_PART_OF)
# "Full Changelog: v1.2.0...v1.3.0" or a compare link before the first section.
_PREAMBLE = re.compile(r"^(?:Full Changelog:?\s+\S+\s*)?")
_SENTENCE_MARK = re.compile(r"[.!?:;,]")
# Where one item ends: a release-please commit hash, a changesets "#12 (@user)" credit, a list
# bullet the flattening kept, or the end of a sentence.
_ITEM_END = re.compile(
    r"(?<=\))\s+(?=[^\s(])|\(\s*[0-9a-f]{7,40}\s*\)\s*|\(@[\w.-]+\)\s*|\s[-*•]\s+"
    r"|(?<=[.!?])\s+(?=[A-Z])"
)
# Items that change nothing a platform's user sees: a Conventional Commits chore scope, a
# dependency bump in the words of changesets, Dependabot or Renovate, regenerated code.
_CHORE_ITEM = re.compile(
    r"^\s*(?:(?:deps|deps-dev|dependencies|internal|build|ci|chore|chores|docs|test|tests|style|"
    r"refactor|lint|release|codegen)(?:\([^)]{0,40}\))?!?:"
    r"|updated? dependenc|bump(?:ed|s)? \S+ from|update dependency|upgrade dependenc"
    r"|regenerat|re-?generated?|codegen|update generated|generated (?:code|types|client))",
    re.IGNORECASE,
)
# Items that break callers by their form: a Conventional Commits "!" or BREAKING marker, or an
# item that removes, renames, replaces or drops something, or makes something required. Removing
# internals (unused code, polyfills, imports, dev dependencies) breaks no one.
_BREAKING_ITEM = re.compile(
    r"^\s*(?:\w+(?:\([^)]{0,40}\))?!:|breaking\b"
    r"|(?:remove[ds]?|removing|rename[ds]?|renaming|drop(?:s|ped)?|replace[ds]?)\s"
    r"(?!(?:\S+\s){0,4}?(?:unused|unnecessary|redundant|dead|polyfill|imports?|dev)\b)"
    r"|makes?\s(?:\S+\s){0,4}?(?:required|mandatory)\b|requires?\s)",
    re.IGNORECASE,
)
# The same anywhere in an item: a rename, a call that now raises, a changed default.
_BREAKING_PHRASE = re.compile(
    r"\brenam(?:e|ed|es|ing) \S+ (?:to|into) \S|\bnow (?:raises?|throws?)\b"
    r"|\b(?:change|increase|decrease|lower|raise)[sd]? (?:the )?default\b",
    re.IGNORECASE,
)
# Items that repair what exists, by their first word.
_FIX_ITEM = re.compile(
    r"^\s*(?:fix(?:e[sd]|ing)?|bug ?fix(?:es)?|correct(?:s|ed|ing)?|resolve[sd]?|patch(?:es|ed)?)"
    r"\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Release:
    """A release's text by part (section), in the order the release lists them."""

    parts: tuple[tuple[Part, str], ...]

    def items(self) -> Iterator[tuple[Part, str]]:
        """Every item (list entry or sentence) with the part it is filed under."""
        for part, text in self.parts:
            for item in _items(text):
                yield part, item


def read_release(title: str, text: str) -> Release | None:
    """`text` split into its sections when the entry is a release that has them, else None."""
    body = text[_PREAMBLE.match(text).end() :]  # type: ignore[union-attr]
    if not (find_version(title) or _STARTS.match(body)):
        return None
    matches = list(_ANY.finditer(body))
    if not matches:
        return Release(((Part.CHANGED, body.strip()),))
    lead = body[: matches[0].start()].strip()
    # "Patch Fixes", "Windsurf Features": a word or two before a section name qualify it.
    if len(lead.split()) <= 2 and not _SENTENCE_MARK.search(lead):
        lead = ""
    parts: list[tuple[Part, str]] = [(Part.CHANGED, lead)] if lead else []
    for m, nxt in zip(matches, [*matches[1:], None], strict=True):
        end = nxt.start() if nxt else len(body)
        parts.append((_PART_OF[m.group(1)], body[m.end() : end].strip(" :")))
    return Release(tuple(parts))


def is_chore(item: str) -> bool:
    """A dependency bump, regenerated code or a chore-scoped commit."""
    return _CHORE_ITEM.match(item) is not None


def is_fix(item: str) -> bool:
    """An item that fixes something ("Fixed ...", "Resolve ...")."""
    return _FIX_ITEM.match(item) is not None


def is_breaking(item: str) -> bool:
    """An item that removes, renames or requires something, or is marked breaking."""
    return _BREAKING_ITEM.match(item) is not None or _BREAKING_PHRASE.search(item) is not None


def _items(text: str) -> list[str]:
    return [i.strip(" -*•") for i in _ITEM_END.split(text) if i and i.strip(" -*•")]
