"""Load and validate a source catalog (YAML) into `Source` objects.

Validation happens here, at the edge (field checks in catalog/spec.py); every error names the
file, the source and the field so a user can fix their catalog without reading code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from radar.catalog.spec import (
    MAX_INTERVAL,
    CatalogSpec,
    SourceSpec,
    SpecError,
    catalog_spec,
    parse_interval,
    source_spec,
)
from radar.errors import CatalogError, ConfigError
from radar.model import RenderMode, Source, SourceKind
from radar.yamlkeys import with_unique_keys

if TYPE_CHECKING:
    from radar.classify import Rules

__all__ = [
    "MAX_INTERVAL",
    "load_catalog",
    "load_rules",
    "parse_catalog",
    "parse_interval",
]

DEFAULT_CATALOG = "sources.yaml"
# A catalog is a few levels deep; PyYAML's composer recurses once per level, so a document
# nested thousands deep would end in RecursionError instead of a message.
MAX_YAML_DEPTH = 64


# libyaml's loader parses about ten times faster than PyYAML's pure-Python one. Both refuse a
# key written twice (yamlkeys.py).
_C_LOADER: type[Any] | None = (
    with_unique_keys(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else None
)


class _BoundedLoader(with_unique_keys(yaml.SafeLoader)):  # type: ignore[misc]
    """yaml.SafeLoader that refuses nesting deeper than MAX_YAML_DEPTH while composing.

    The fallback when PyYAML was built without libyaml.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise CatalogError(f"nested deeper than {MAX_YAML_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_catalog(path: str | Path | None = None) -> list[Source]:
    """Sources of the catalog at `path`, or of the built-in catalog when `path` is None.

    The file is read on every call but parsed and validated once per process for the same
    text (a `radar run` needs the catalog's sources and its rules; an edited file is new text).
    """
    return parse_catalog(*_read(path))


def load_rules(path: str | Path | None = None) -> Rules:
    """Classification rules: the built-in ones plus the catalog's own `rules:` section, if any."""
    return parse_rules_section(*_read(path))


# Parsed catalogs and rule sets by (text, name): a run reads one catalog, tests a few dozen.
_CACHED = 32


@lru_cache(maxsize=_CACHED)
def parse_rules_section(text: str, name: str) -> Rules:
    """The built-in rules merged with the `rules:` section of catalog YAML `text`."""
    # The rules' module (with importlib.resources, tempfile and shutil) is imported when rules
    # are asked for: a run where no source changed and no catalog rule is checked needs none.
    from radar.classify import load_default_rules, merge_rules

    spec = _spec(text, name)
    base = load_default_rules()
    if not spec.rules:
        return base
    try:
        return merge_rules(base, spec.rules)
    except ConfigError as exc:
        raise CatalogError(f"{name}: rules: {exc}") from None


def _read(path: str | Path | None) -> tuple[str, str]:
    if path is None:
        # Only here: importlib.resources (with tempfile and shutil) is a fifth of the catalog's
        # import cost, which a run over the user's own catalog file need not pay.
        from importlib import resources

        text = resources.files("radar.catalog").joinpath(DEFAULT_CATALOG).read_text("utf-8")
        name = f"built-in catalog ({DEFAULT_CATALOG})"
    else:
        p = Path(path)
        name = str(p)
        try:
            text = p.read_text("utf-8")
        except FileNotFoundError:
            raise CatalogError(f"{name}: no such catalog file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{name}: cannot read the catalog ({exc})") from None
    return text, name


@lru_cache(maxsize=_CACHED)
def _spec(text: str, name: str) -> CatalogSpec:
    try:
        raw = _yaml_data(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{name}: not valid YAML: {_one_line(str(exc))}") from None
    except CatalogError as exc:
        raise CatalogError(f"{name}: {exc}") from None
    try:
        return catalog_spec(raw)
    except SpecError as exc:
        raise CatalogError(f"{name}: {exc}") from None


def _yaml_data(text: str) -> Any:
    """The one YAML document in `text`; `CatalogError` when nested deeper than MAX_YAML_DEPTH."""
    if _C_LOADER is None:
        loader = _BoundedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    if _too_deep(text, _C_LOADER):
        raise CatalogError(f"nested deeper than {MAX_YAML_DEPTH} levels")
    return yaml.load(text, Loader=_C_LOADER)  # noqa: S506  (CSafeLoader: the safe loader)


def _too_deep(text: str, loader: type[Any]) -> bool:
    """Whether `text` nests collections as deep as MAX_YAML_DEPTH (their values, one deeper,
    would be past it, as the pure-Python loader counts).

    libyaml composes in C, out of reach of a depth check, so its events are counted first (a
    third of the cost of loading). Its scanner, which may run ahead of the events, stops by
    itself at 1,000 levels.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth >= MAX_YAML_DEPTH:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.problem or ""):
            return True
        raise
    return False


def parse_catalog(text: str, name: str) -> list[Source]:
    """Validate catalog YAML `text`; `name` is used in error messages."""
    return list(_catalog(text, name))


@lru_cache(maxsize=_CACHED)
def _catalog(text: str, name: str) -> tuple[Source, ...]:
    spec = _spec(text, name)
    # The rules serve here to check a user's `rules:` section and the sources' category hints.
    # A catalog with neither does not load them: a run where nothing changed classifies nothing.
    known: list[set[str]] = []

    def categories() -> set[str]:
        if not known:
            known.append(set(parse_rules_section(text, name).category_ids))
        return known[0]

    if spec.rules:
        categories()  # a bad user rule is reported at load, with the catalog's name
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(spec.sources):
        label = f"source #{index + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            label = f"source {entry['id']!r}"
        try:
            s = source_spec(entry)
        except SpecError as exc:
            raise CatalogError(f"{name}: {label}: {exc}") from None
        if s.id in seen:
            raise CatalogError(f"{name}: {label}: id is used twice; ids must be unique")
        unknown = sorted(set(s.category_hints) - categories()) if s.category_hints else []
        if unknown:
            raise CatalogError(
                f"{name}: {label}: field 'category_hints': unknown category {unknown[0]!r}; "
                f"known: {', '.join(sorted(categories()))}"
            )
        _check_render(s, name, label)
        seen.add(s.id)
        sources.append(
            Source(
                id=s.id,
                platform=s.platform,
                kind=SourceKind(s.kind),
                url=s.url,
                name=s.name or s.id,
                role=s.role,
                selectors=dict(s.selectors),
                category_hints=tuple(s.category_hints),
                interval=parse_interval(s.interval),
                needs_javascript=s.needs_javascript,
                watch_instead=s.watch_instead,
                render=RenderMode(s.render),
            )
        )
    if not sources:
        raise CatalogError(f"{name}: the catalog lists no sources")
    return tuple(sources)


# What a browser hands back is an HTML page: only kinds that read HTML make sense with it.
_RENDERABLE = frozenset({SourceKind.AUTO, SourceKind.CHANGELOG_HTML})


def _check_render(s: SourceSpec, name: str, label: str) -> None:
    if s.render is not RenderMode.BROWSER:
        return
    if s.kind not in _RENDERABLE:
        raise CatalogError(
            f"{name}: {label}: field 'render': a browser gives an HTML page, so kind must be "
            f"auto or changelog-html (not {s.kind.value})"
        )
    if s.needs_javascript:
        raise CatalogError(
            f"{name}: {label}: field 'render': render: browser watches the page itself; "
            "remove needs_javascript (which skips it)"
        )


def _one_line(message: str) -> str:
    return " ".join(message.split())
