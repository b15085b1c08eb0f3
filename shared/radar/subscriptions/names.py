"""Platform and category names in a subscribe request: resolved to the ids Radar stores, or
refused with one line that names the known ones (issue 14).

A platform may be named by its catalog id (`x`), or any spelling of it in the alias table of
known platforms (`Twitter`, `X`, `x.com`), case-insensitively; it is stored as the catalog's id,
since that is what changes carry. Platforms only the alias table knows (`clubhouse`) are
accepted too: alerts and surges are about them. A name neither knows would filter out
everything, silently, so it is an error.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path


class UnknownName(ValueError):
    """A name that is not a known platform or category; the message lists the known ones."""

    def __init__(self, what: str, name: str, known: Iterable[str]) -> None:
        super().__init__(unknown_message(what, name, known))
        self.what = what


@dataclass(frozen=True, slots=True)
class PlatformNames:
    """Every accepted spelling of a platform (casefolded) and the id it stands for."""

    spellings: Mapping[str, str]

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.spellings.values())))

    def canonical(self, name: str) -> str | None:
        """The id `name` stands for, or None if no platform is spelled so."""
        return self.spellings.get(name.strip().casefold())

    def resolve(self, given: Iterable[str]) -> frozenset[str]:
        """The ids of `given`; `UnknownName` for the first name that is none."""
        out: set[str] = set()
        for name in sorted(given):
            found = self.canonical(name)
            if found is None:
                raise UnknownName("platform", name, self.known)
            out.add(found)
        return frozenset(out)


def platform_names(catalog_platforms: Iterable[str]) -> PlatformNames:
    """The names a subscriber may use for platforms: the catalog's ids and every spelling of
    a platform in the alias table, the ones of a catalog platform mapped to its id."""
    ids = {p.casefold() for p in catalog_platforms}
    spellings = {p: p for p in ids}
    for words in _alias_words():
        # The catalog's id where the alias table names one ("x" for Twitter), else its term.
        target = next((w for w in words if w in ids), words[0])
        for word in words:
            spellings.setdefault(word, target)  # a catalog id is never taken by another entry
    return PlatformNames(spellings)


def catalog_platforms(catalog: Path | None) -> frozenset[str]:
    """The platforms of the catalog at `catalog` and of the built-in one (a name Radar knows
    is never a typo, even when your catalog has no source for it)."""
    from radar.catalog.loader import load_catalog  # the catalog: only when names are checked
    from radar.model import SourceRole

    found: set[str] = set()
    for path in {catalog, None}:
        found |= {s.platform for s in load_catalog(path) if s.role is not SourceRole.TREND}
    return frozenset(found)


def catalog_platform_names(catalog: Path | None) -> PlatformNames:
    """`platform_names` for `catalog_platforms(catalog)`."""
    return _names_of(catalog_platforms(catalog))


@cache
def _names_of(platforms: frozenset[str]) -> PlatformNames:
    return platform_names(platforms)


def known_categories(given: Iterable[str], known: Collection[str]) -> frozenset[str]:
    """`given` category ids, casefolded; `UnknownName` for the first unknown one."""
    out: set[str] = set()
    for name in sorted(given):
        found = name.strip().casefold()
        if found not in known:
            raise UnknownName("category", name, known)
        out.add(found)
    return frozenset(out)


def unknown_message(what: str, name: str, known: Iterable[str]) -> str:
    """ "unknown platform 'discrod' (did you mean discord?); known: discord, instagram, ...\""""
    names = sorted(set(known))
    close = difflib.get_close_matches(name.casefold(), names, n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    return f"unknown {what} {name!r}{hint}; known: {', '.join(names)}"


@cache
def _alias_words() -> tuple[tuple[str, ...], ...]:
    # Per alias-table platform: its term first, then every spelling, casefolded.
    from radar.trends.data import parse_aliases, read_data  # YAML: only when names are checked

    out = []
    for p in parse_aliases(read_data("aliases.yaml")).values():
        words = (p.term, p.name, *p.aliases, *p.names, *p.ambiguous)
        out.append(tuple(dict.fromkeys(w.strip().casefold() for w in words if w.strip())))
    return tuple(out)
