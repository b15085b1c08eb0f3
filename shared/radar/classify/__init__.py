"""Change -> category, severity and deadline, driven by rule data (radar/classify/rules.yaml).

Categories are scored by weighted regex patterns (title matches count more, a source's category
hints add a bonus); a version release is read by its sections (releases.py), so it is filed by
its most important part; severity follows the category, action cues and deadlines; deadlines are
dates found in forward-looking sentences, never before the change's own date (classifier.py).

Names are imported from their module on first use (PEP 562): the catalog loader needs only the
rules, packs and deduplication only the severities, and neither should load the classifier.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from radar.classify.classifier import Classifier
    from radar.classify.deadlines import find_deadline
    from radar.classify.rules import (
        DEFAULT_RULES,
        EMERGING_PLATFORM,
        FIXES_DOCS,
        Rules,
        load_default_rules,
        merge_rules,
        parse_rules,
    )
    from radar.classify.severity import ACTION, MINOR, NOTABLE, SEVERITIES, severity_rank

# Public name -> the module that defines it.
_HOMES = {
    "ACTION": "severity",
    "MINOR": "severity",
    "NOTABLE": "severity",
    "SEVERITIES": "severity",
    "severity_rank": "severity",
    "DEFAULT_RULES": "rules",
    "EMERGING_PLATFORM": "rules",
    "FIXES_DOCS": "rules",
    "Rules": "rules",
    "load_default_rules": "rules",
    "merge_rules": "rules",
    "parse_rules": "rules",
    "find_deadline": "deadlines",
    "Classifier": "classifier",
}

__all__ = [
    "ACTION",
    "DEFAULT_RULES",
    "EMERGING_PLATFORM",
    "FIXES_DOCS",
    "MINOR",
    "NOTABLE",
    "SEVERITIES",
    "Classifier",
    "Rules",
    "find_deadline",
    "load_default_rules",
    "merge_rules",
    "parse_rules",
    "severity_rank",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
