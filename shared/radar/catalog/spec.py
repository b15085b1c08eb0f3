"""The shape of a catalog file, checked field by field, with messages that name the field.

Plain checks instead of pydantic models: a catalog has a dozen flat fields, and importing
pydantic is ~80 ms of CPU, a third of `radar run`'s start-up (issue 15).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from radar import checks
from radar.model import RenderMode, SourceKind, SourceRole

_INTERVAL = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days"}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_URL = re.compile(r"^https?://[^\s/]+")
# A source checked less often than yearly is a typo (and 1000000000d overflows timedelta).
MAX_INTERVAL = timedelta(days=365)


class SpecError(ValueError):
    """What is wrong with one field, worded for the user: "field 'url': must be ..."."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One `sources:` entry as written, checked."""

    id: str
    platform: str
    url: str
    # `auto` (the default) tells the kind from each response's bytes; see docs/catalog.md.
    kind: SourceKind = SourceKind.AUTO
    name: str = ""
    role: SourceRole = SourceRole.CHANGELOG
    selectors: dict[str, str] = field(default_factory=dict)
    category_hints: list[str] = field(default_factory=list)
    interval: str = "1h"
    needs_javascript: bool = False
    watch_instead: str = ""
    # `browser`: render the page in headless Chromium first (docs/catalog.md, "render: browser").
    render: RenderMode = RenderMode.NONE


@dataclass(frozen=True, slots=True)
class CatalogSpec:
    """The catalog file: its sources (each checked later, to name it) and its own rules."""

    sources: list[Any]
    # Classification rules added to the built-in ones (same shape as radar/classify/rules.yaml).
    rules: dict[str, Any] | None = None


def parse_interval(text: str) -> timedelta:
    """`15m`, `1h`, `6h`, `1d` -> timedelta; ValueError when it is not one (or too long)."""
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(f"not an interval: {text!r}")
    try:
        return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    except OverflowError:
        raise ValueError(f"must be at most {MAX_INTERVAL.days}d") from None


# --- one value each ---------------------------------------------------------------------------


def _id(value: Any) -> str:
    if not _ID.match(checks.text(value)):
        raise ValueError("use lower-case letters, digits, '.', '_' or '-' (at most 80)")
    return str(value)


def _platform(value: Any) -> str:
    text = checks.text(value).strip().lower()
    if not text:
        raise ValueError("must not be empty")
    return text


def _url(value: Any) -> str:
    if not _URL.match(checks.text(value)):
        raise ValueError("must be an absolute http:// or https:// URL")
    return str(value)


def _interval(value: Any) -> str:
    m = _INTERVAL.match(checks.text(value))
    if not m or int(m.group(1)) == 0:
        raise ValueError("write it like 15m, 1h, 6h or 1d")
    interval = parse_interval(value)
    if interval < timedelta(minutes=15):
        raise ValueError("must be at least 15m (sources are checked at most every 15 minutes)")
    if interval > MAX_INTERVAL:
        raise ValueError(f"must be at most {MAX_INTERVAL.days}d")
    return str(value)


def _choice(enum: type[StrEnum]) -> Callable[[Any], StrEnum]:
    allowed = checks.listed(e.value for e in enum)

    def parse(value: Any) -> StrEnum:
        try:
            return enum(value)
        except ValueError:
            raise ValueError(f"Input should be {allowed}") from None

    return parse


def _text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("Input should be a valid dictionary")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValueError(f"{key!r}: Input should be a valid string")
    return dict(value)


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValueError("Input should be a valid list")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValueError(f"item {i}: Input should be a valid string")
    return list(value)


_SOURCE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "id": _id,
    "platform": _platform,
    "kind": _choice(SourceKind),
    "url": _url,
    "name": checks.text,
    "role": _choice(SourceRole),
    "selectors": _text_map,
    "category_hints": _text_list,
    "interval": _interval,
    "needs_javascript": checks.flag,
    "watch_instead": checks.text,
    "render": _choice(RenderMode),
}
_SOURCE_REQUIRED = ("id", "platform", "url")


def _fields(
    raw: Any, parsers: Mapping[str, Callable[[Any], Any]], required: tuple[str, ...]
) -> dict[str, Any]:
    """`raw`'s fields, each read by its parser; SpecError on the first one that is wrong."""
    if not isinstance(raw, Mapping):
        raise SpecError("field 'catalog': Input should be a valid dictionary (field: value)")
    values = {}
    for name, parse in parsers.items():
        if name not in raw:
            if name in required:
                raise SpecError(f"field '{name}' is required")
            continue
        try:
            values[name] = parse(raw[name])
        except ValueError as exc:
            raise SpecError(f"field '{name}': {exc}") from None
    unknown = [str(k) for k in raw if k not in parsers]
    if unknown:
        raise SpecError(f"unknown field '{unknown[0]}'")
    return values


def source_spec(raw: Any) -> SourceSpec:
    """One `sources:` entry, checked; SpecError naming the first wrong field."""
    return SourceSpec(**_fields(raw, _SOURCE_FIELDS, _SOURCE_REQUIRED))


def _sources(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("Input should be a valid list")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"item {i}: Input should be a valid dictionary")
    return list(value)


def _rules(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError("Input should be a valid dictionary")
    return dict(value)


def catalog_spec(raw: Any) -> CatalogSpec:
    """The catalog document, checked at the top level; SpecError naming what is wrong."""
    return CatalogSpec(**_fields(raw, {"sources": _sources, "rules": _rules}, ("sources",)))
