"""Rule data for the classifier: load, validate and merge `rules.yaml`-shaped mappings.

Every pattern is checked to be linear-time at load (no nested quantifiers, no backreferences,
no repeated alternatives that can match the same text), and every key is checked to be known.
A user's patterns are compiled at load too, so a bad one is reported with the file it is in; the
packaged ones are compiled on first use (a run where nothing changed classifies nothing).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from radar.classify.linear import nonlinear
from radar.classify.severity import NOTABLE, SEVERITIES
from radar.classify.unspaced import opens_unspaced
from radar.errors import ConfigError

FIXES_DOCS = "fixes-docs"
# The categories that ask the reader to act: a deprecation breaks later, a breaking change now.
ACTION_CATEGORIES = ("deprecation", "breaking-change")
# Reserved for trend alerts (issue: emerging platforms); never chosen by the rules here.
EMERGING_PLATFORM = "emerging-platform"
DEFAULT_RULES = "rules.yaml"
# libyaml's safe loader (ten times faster) where PyYAML has it. For packaged files only: a
# user's YAML goes through radar.catalog.loader, which also bounds its nesting.
YAML_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The keys a rules mapping may have: anything else is a typo that would be silently ignored.
_KEYS = frozenset(
    {
        "version",
        "title_weight",
        "lead_chars",
        "hint_weight",
        "min_score",
        "topic_min_score",
        "default_category",
        "categories",
        "severity",
        "deadlines",
        "minor_edit",
    }
)
_SECTION_KEYS = {
    "severity": frozenset({"default", "action_weights", "action_threshold"}),
    "deadlines": frozenset({"cues", "exclude"}),
    "minor_edit": frozenset({"max_changed_words", "max_word_distance"}),
}
_CATEGORY_KEYS = frozenset({"label", "severity", "weights", "wins_at"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One weighted pattern; `source` is the regex as written (checked linear-time at load)."""

    source: str
    weight: float

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (compiled once per process, on first use)."""
        return compiled(self.source)


@dataclass(frozen=True, slots=True)
class CategoryRule:
    id: str
    label: str
    severity: str
    patterns: tuple[Pattern, ...]
    # A score at or above this wins over every category without one (deprecations and breaking
    # changes are filed as such even when the entry is mostly about something else).
    wins_at: float | None = None


@dataclass(frozen=True)
class Rules:
    """A loaded, validated rule set. `raw` keeps the mapping it came from, for merging."""

    categories: tuple[CategoryRule, ...]
    default_category: str
    title_weight: float
    lead_chars: int
    hint_weight: float
    min_score: float
    # A topical category needs this score to be chosen over a feature: one strong cue, or two
    # weak ones ("images", "limits" alone do not make an entry about content or access).
    topic_min_score: float
    default_severity: str
    action_patterns: tuple[Pattern, ...]
    action_threshold: float
    deadline_cues: tuple[Pattern, ...]
    deadline_excludes: tuple[Pattern, ...]
    max_changed_words: int
    max_word_distance: int
    raw: Mapping[str, Any]

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    @cached_property
    def any_deadline_cue(self) -> re.Pattern[str]:
        """One regex matching where any deadline cue does (presence is all that is asked)."""
        return _any_of(self.deadline_cues)

    @cached_property
    def any_deadline_exclude(self) -> re.Pattern[str]:
        return _any_of(self.deadline_excludes)


@cache
def load_default_rules() -> Rules:
    """The rules shipped with Radar (radar/classify/rules.yaml), read and checked once."""
    text = resources.files("radar.classify").joinpath(DEFAULT_RULES).read_text("utf-8")
    data = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506  (a safe loader)
    # Packaged patterns are not checked again at every start: a unit test checks and compiles
    # every one of them. They are compiled on first use.
    return parse_rules(data, f"built-in rules ({DEFAULT_RULES})", checked=_EVERY)


class _Every:
    """Contains every pattern."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERY = _Every()


def parse_rules(raw: Any, name: str, *, checked: Container[str] = ()) -> Rules:
    """Validate a rules mapping; errors name `name` and the offending key.

    Every pattern not in `checked` (the packaged ones, and a base's when rules are merged) is
    checked to be linear-time and compiled now, so that a bad regex is reported here, with the
    file it came from. Patterns are compiled for use on first use.
    """
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{name}: rules must be a mapping")
    _known_keys(raw, _KEYS, name)
    cats = raw.get("categories")
    if not isinstance(cats, Mapping) or not cats:
        raise ConfigError(f"{name}: 'categories' must be a non-empty mapping")
    known = checked
    categories = tuple(_category(str(cid), spec, name, known) for cid, spec in cats.items())
    ids = {c.id for c in categories}
    default = str(raw.get("default_category", "new-feature"))
    if default not in ids:
        raise ConfigError(f"{name}: default_category {default!r} is not a category")
    sev = _mapping(raw.get("severity", {}), f"{name}: severity")
    dl = _mapping(raw.get("deadlines", {}), f"{name}: deadlines")
    edit = _mapping(raw.get("minor_edit", {}), f"{name}: minor_edit")
    for section, mapping in (("severity", sev), ("deadlines", dl), ("minor_edit", edit)):
        _known_keys(mapping, _SECTION_KEYS[section], f"{name}: {section}")
    default_severity = str(sev.get("default", NOTABLE))
    if default_severity not in SEVERITIES:
        raise ConfigError(f"{name}: severity.default must be one of {', '.join(SEVERITIES)}")
    return Rules(
        categories=categories,
        default_category=default,
        title_weight=_number(raw.get("title_weight", 2), f"{name}: title_weight"),
        lead_chars=int(_number(raw.get("lead_chars", 0), f"{name}: lead_chars")),
        hint_weight=_number(raw.get("hint_weight", 1.5), f"{name}: hint_weight"),
        min_score=_number(raw.get("min_score", 1), f"{name}: min_score"),
        topic_min_score=_number(raw.get("topic_min_score", 0), f"{name}: topic_min_score"),
        default_severity=default_severity,
        action_patterns=_weighted(sev.get("action_weights", {}), f"{name}: severity", known),
        action_threshold=_number(sev.get("action_threshold", 5), f"{name}: action_threshold"),
        deadline_cues=_plain(dl.get("cues", []), f"{name}: deadlines.cues", known),
        deadline_excludes=_plain(dl.get("exclude", []), f"{name}: deadlines.exclude", known),
        max_changed_words=int(_number(edit.get("max_changed_words", 3), f"{name}: minor_edit")),
        max_word_distance=int(_number(edit.get("max_word_distance", 2), f"{name}: minor_edit")),
        raw=raw,
    )


def merge_rules(base: Rules, extra: Mapping[str, Any]) -> Rules:
    """`base` plus a user's rules (a catalog's `rules:` section, same shape as rules.yaml).

    Patterns of known categories are added to the built-in ones; unknown categories are new
    (they need a `severity` or take `notable`); scalar settings in `extra` replace base ones.
    """
    merged: dict[str, Any] = {k: v for k, v in base.raw.items() if k != "categories"}
    categories: dict[str, Any] = {k: dict(v) for k, v in base.raw["categories"].items()}
    for key, value in extra.items():
        if key == "categories":
            for cid, spec in _mapping(value, "user rules: categories").items():
                spec = _mapping(spec, f"user rules: category {cid!r}")
                current = categories.setdefault(str(cid), {"label": str(cid)})
                weights = dict(current.get("weights", {}))
                for weight, pats in _mapping(spec.get("weights", {}), "user rules").items():
                    weights[weight] = [*weights.get(weight, []), *_strings(pats, "user rules")]
                current.update({k: v for k, v in spec.items() if k != "weights"})
                current["weights"] = weights
        elif key in ("severity", "deadlines", "minor_edit"):
            section = dict(merged.get(key, {}))
            section.update(_mapping(value, f"user rules: {key}"))
            merged[key] = section
        else:
            merged[key] = value
    merged["categories"] = categories
    # The base's patterns compiled (or were checked to) when it was loaded: only the user's
    # new ones are compiled now.
    return parse_rules(merged, "user rules", checked=_sources(base))


def _category(cid: str, spec: Any, name: str, known: Container[str]) -> CategoryRule:
    where = f"{name}: category {cid!r}"
    spec = _mapping(spec, where)
    _known_keys(spec, _CATEGORY_KEYS, where)
    severity = str(spec.get("severity", NOTABLE))
    if severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    return CategoryRule(
        id=cid,
        label=str(spec.get("label", cid)),
        severity=severity,
        patterns=_weighted(spec.get("weights", {}), where, known),
        wins_at=_number(spec["wins_at"], f"{where}: wins_at") if "wins_at" in spec else None,
    )


def _weighted(raw: Any, where: str, known: Container[str]) -> tuple[Pattern, ...]:
    out: list[Pattern] = []
    for weight, patterns in _mapping(raw, f"{where}: weights").items():
        w = _number(weight, f"{where}: weight")
        out.extend(_pattern(p, w, where, known) for p in _strings(patterns, where))
    return tuple(out)


def _plain(raw: Any, where: str, known: Container[str]) -> tuple[Pattern, ...]:
    return tuple(_pattern(p, 1.0, where, known) for p in _strings(raw, where))


def _pattern(source: str, weight: float, where: str, known: Container[str]) -> Pattern:
    if source in known:  # checked already: packaged (by a unit test) or loaded before
        return Pattern(source, weight)
    problem = nonlinear(source)
    if problem:
        raise ConfigError(f"{where}: pattern {source!r}: {problem}")
    try:
        compiled(source)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return Pattern(source, weight)


@cache
def compiled(source: str) -> re.Pattern[str]:
    """`source` compiled as a rule pattern: from a word start, ignoring case. Call it only on a
    pattern that passed the linear-time check (as every `Pattern`'s source has)."""
    try:
        return re.compile(from_word_start(source), re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"pattern {source!r} is not a valid regex ({exc})") from None


def from_word_start(source: str) -> str:
    """The regex of a rule pattern: matched from a word start, unless it opens in a script
    written without spaces (unspaced.py), where it is matched anywhere."""
    if opens_unspaced(source):
        return f"(?:{source})"
    return rf"\b(?:{source})"


def _sources(rules: Rules) -> frozenset[str]:
    """Every pattern of `rules`."""
    groups = (
        *(c.patterns for c in rules.categories),
        rules.action_patterns,
        rules.deadline_cues,
        rules.deadline_excludes,
    )
    return frozenset(p.source for group in groups for p in group)


def _any_of(patterns: tuple[Pattern, ...]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(from_word_start(p.source) for p in patterns), re.IGNORECASE)


def _mapping(raw: Any, where: str) -> Mapping[Any, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must be a mapping")
    return raw


def _known_keys(raw: Mapping[Any, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}")


def _strings(raw: Any, where: str) -> list[str]:
    if (
        isinstance(raw, str)
        or not isinstance(raw, list)
        or not all(isinstance(p, str) for p in raw)
    ):
        raise ConfigError(f"{where}: patterns must be a list of strings")
    return list(raw)


def _number(raw: Any, where: str) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: must be a number, not {raw!r}") from None
