"""The sections release notes are written in, and how a section heading is told.

Release notes follow a few widespread conventions: Keep a Changelog (Added / Changed /
Deprecated / Removed / Fixed / Security), Conventional Commits as written by release-please
(Features / Bug Fixes / Chores / ⚠ BREAKING CHANGES), changesets (Major / Minor / Patch Changes)
and towncrier (Breaking Changes / Deprecation / Features / Bugfixes / Documentation
Improvements). Text flattened to one line (entries stored before line breaks were kept) is
read by the conventions' exact names; text with a line per block is read by its heading lines,
whose part is told by the words every convention builds its names from ("Deprecations and
Removals", "Library - Fix", "Optimizations"), so a changelog written in a convention not
listed here is still read by its sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class Part(StrEnum):
    BREAKING = "breaking"
    DEPRECATED = "deprecated"
    REMOVED = "removed"
    SECURITY = "security"
    FEATURES = "features"
    CHANGED = "changed"
    IMPROVED = "improved"  # tweaks to what exists: a feature only if an item says so
    FIXES = "fixes"
    # Changesets' "Patch Changes": mostly fixes, but semver's patch level is the author's
    # guess, and such a section also adds hooks and removes components: its items speak.
    PATCH = "patch"
    CHORES = "chores"
    # Documentation: its lines are about docs, so one that "removes" something removes a page
    # or a type from the docs ("Remove FileOptions"), not from the API.
    DOCS = "docs"
    NOTES = "notes"  # text outside any section: a release's lead, or one without sections
    # Who made the release ("New Contributors", "Thanks", "Credits"): names, not changes.
    CREDITS = "credits"


# Section names as the conventions write them. The ones that are also ordinary sentence starts
# ("Added support for ...") count only inside an entry that is already a release.
UNAMBIGUOUS = {
    Part.BREAKING: ("⚠ BREAKING CHANGES", "⚠️ BREAKING CHANGES", "BREAKING CHANGES",
                    "Breaking Changes", "Major Changes"),
    Part.FEATURES: ("Features", "New Features", "Minor Changes"),
    Part.FIXES: ("Bug Fixes", "Bugfixes"),
    Part.PATCH: ("Patch Changes",),
    Part.CHORES: ("Chores", "Miscellaneous Chores", "Build System", "Performance Improvements",
                  "Code Refactoring", "Refactors", "Continuous Integration", "Dependencies",
                  "Dependency Updates", "Reverts", "Tests", "Styles"),
}  # fmt: skip
AMBIGUOUS = {
    Part.BREAKING: ("Breaking changes", "Breaking"),
    Part.DEPRECATED: ("Deprecated", "Deprecations"),
    Part.REMOVED: ("Removed", "Removals"),
    Part.SECURITY: ("Security",),
    Part.FEATURES: ("Added", "New"),
    Part.IMPROVED: ("Enhancements", "Improvements"),
    # "Major changes" in prose-style notes: changes to what exists, breaking only where an item
    # says so (changesets' "Major Changes", capitalised, is its breaking section).
    Part.CHANGED: ("Changed", "Changes", "Major changes"),
    Part.FIXES: ("Fixed", "Fixes", "Bug fixes"),
    Part.CHORES: ("Miscellaneous", "Misc", "Internal"),
    Part.DOCS: ("Documentation", "Docs", "Improved Documentation"),
}  # fmt: skip
# The same sections as Japanese, Chinese and Korean changelogs name them (exact names only).
CJK = {
    Part.BREAKING: ("破壊的変更", "破坏性变更", "不兼容变更"),
    Part.DEPRECATED: ("非推奨", "弃用", "废弃"),
    Part.REMOVED: ("削除", "移除"),
    Part.SECURITY: ("セキュリティ", "安全", "보안"),
    Part.FEATURES: ("新機能", "新功能", "新特性", "새로운 기능", "새 기능"),
    Part.IMPROVED: ("改善", "改进", "优化", "개선"),
    Part.CHANGED: ("変更", "变更", "변경 사항"),
    Part.FIXES: ("不具合修正", "バグ修正", "修复", "问题修复", "버그 수정"),
    Part.DOCS: ("ドキュメント", "文档", "문서"),
}  # fmt: skip
PART_OF = {n: part for t in (UNAMBIGUOUS, AMBIGUOUS, CJK) for part, ns in t.items() for n in ns}
# Keep a Changelog's "[Unreleased]": a release still to come, named as a heading.
UNRELEASED = re.compile(r"\[?unreleased\]?", re.IGNORECASE)


def heading_regex(names: Iterable[str]) -> re.Pattern[str]:
    """The names where they open a run of flattened text (group 1 is the name)."""
    longest_first = sorted(names, key=len, reverse=True)
    # Each name where no other text precedes it: its first character, then a look back past
    # it (`(?<!\S)` before it would do the same, but a pattern that opens with a character is
    # tried only where one of those characters is, not at every position of the text).
    names_after_space = "|".join(
        re.escape(n[0]) + r"(?<!\S.)" + re.escape(n[1:]) for n in longest_first
    )
    return re.compile(
        rf"({names_after_space})"
        # "Bug fixes and improvements", "New Features & Updates": one heading.
        r"(?:\s(?:and|&)\s(?:[Ii]mprovements|[Ee]nhancements|[Uu]pdates|[Cc]hanges|[Ff]ixes))?"
        r"(?=\s|:|$)"
    )


# The words section names are made of, by part. Checked in this order, so a name that holds two
# is filed by the graver ("Deprecations and Removals": removed; "Bug fixes and improvements":
# fixes; "Performance Improvements": chores). A past participle counts only alone ("Fixed",
# "Improved"): before a subject it is a sentence ("Improved Invite Links").
_WORDS_OF = (
    (Part.BREAKING, r"breaking|incompatib\w*"),
    (Part.REMOVED, r"removals?"),
    (Part.DEPRECATED, r"deprecations?"),
    (Part.SECURITY, r"security|vulnerabilit(?:y|ies)"),
    (Part.PATCH, r"patch changes"),
    (Part.FEATURES, r"(?:new )?features?|additions|minor changes"),
    (Part.FIXES, r"(?:bug ?)?fix(?:es)?|bugs?"),
    (Part.DOCS, r"docs|documentation|guides?|examples|tutorials?"),
    (Part.CHORES, r"chores?|optimi[sz]ations?|performance|refactor\w*|internals?|maintenance"
                  r"|dependenc(?:y|ies)|build|ci|tests?|testing|misc\w*|housekeeping|tooling"
                  r"|infrastructure|reverts?"),
    (Part.IMPROVED, r"improvements|enhancements"),
    (Part.CHANGED, r"changes?"),  # Google Cloud's release notes type a note "Change"
    (Part.CREDITS, r"(?:new )?contributors?|credits|thanks|acknowledge?ments|sponsors|backers"),
)  # fmt: skip
_NAMED = re.compile("|".join(rf"\b(?P<p{i}>{words})\b" for i, (_, words) in enumerate(_WORDS_OF)))
_PARTS = tuple(part for part, _ in _WORDS_OF)
# A heading line: a few words, none of a sentence's marks (a trailing colon aside), no link.
_HEADING_LINE = re.compile(r"[^\W\d_][^.!?;,()\[\]#@/=`]*")
_MARKS = " :-–—*#⚠️\ufe0f"
MAX_HEADING_WORDS = 4
MAX_HEADING_CHARS = 50
_ONE_WORD = {n.lower(): part for n, part in PART_OF.items() if " " not in n}


def line_part(line: str) -> Part | None:
    """The part a line of a release's text opens, when it is a section heading, else None."""
    if len(line) > MAX_HEADING_CHARS:  # most lines: items, told apart by length alone
        return None
    name = line.strip(_MARKS)
    exact = PART_OF.get(name)
    if exact is not None:
        return exact
    if not _HEADING_LINE.fullmatch(name):
        return None
    words = name.split()
    if len(words) > MAX_HEADING_WORDS:
        return None
    lowered = name.lower()
    if len(words) == 1:  # Keep a Changelog's one-word names, in any case ("ADDED", "fixed")
        one = _ONE_WORD.get(lowered)
        if one is not None:
            return one
    named = [(m.end(), int(m.lastgroup[1:])) for m in _NAMED.finditer(lowered) if m.lastgroup]
    # A name ends with its section word ("Bug Fixes", "Library - Feature", "Deprecations and
    # Removals"); a line that goes on after it is an item ("Fixes ForceReply class").
    if not named or named[-1][0] != len(lowered):
        return None
    return _PARTS[min(i for _, i in named)]
