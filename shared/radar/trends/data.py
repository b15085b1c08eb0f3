"""The packaged data of term extraction: the alias table of known platforms and word lists.

Read once per process (`radar.trends.terms.load_extractor` caches); `ConfigError` names a bad
entry of the alias table.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from radar.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Platform:
    """A known platform: the alias table's entry."""

    term: str
    name: str
    what: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # its own web sites: a link there is evidence (evidence.py)
    established: bool = False  # a household name: its rises are surges, never "new"


# libyaml's safe loader (ten times faster) where PyYAML has it; these files are packaged.
_YAML_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LANGUAGES = ("en", "es", "fr", "de", "pt", "hi-latin")


def parse_aliases(data: Any) -> dict[str, Platform]:
    """The alias table from parsed YAML; `ConfigError` names the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("platforms"), list):
        raise ConfigError("alias table: expected a mapping with a 'platforms' list")
    out: dict[str, Platform] = {}
    for i, entry in enumerate(data["platforms"]):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("name"):
            raise ConfigError(f"alias table: entry {i + 1} needs 'term' and 'name'")
        term = str(entry["term"])
        if term in out:
            raise ConfigError(f"alias table: platform {term!r} is listed twice")
        out[term] = Platform(
            term=term,
            name=str(entry["name"]),
            what=str(entry.get("what", "")),
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            names=tuple(str(a) for a in entry.get("names") or ()),
            ambiguous=tuple(str(a) for a in entry.get("ambiguous") or ()),
            domains=tuple(str(d).casefold() for d in entry.get("domains") or ()),
            established=bool(entry.get("established", False)),
        )
    return out


def read_data(name: str) -> Any:
    """One packaged YAML file of `radar.trends`, parsed."""
    text = resources.files("radar.trends").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506  (a safe loader)


def load_words(name: str) -> frozenset[str]:
    """One packaged word list (`stopwords/<name>.yaml`), casefolded."""
    data = read_data(f"stopwords/{name}.yaml")
    return frozenset(w.casefold() for w in str(data["words"]).split())
