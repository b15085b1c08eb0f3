"""The catalog and rules are parsed once per process, with libyaml where PyYAML has it
(issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from radar.catalog import loader
from radar.catalog.loader import MAX_YAML_DEPTH, load_catalog, load_rules, parse_catalog
from radar.classify import load_default_rules
from radar.errors import CatalogError

SOURCE = "sources:\n  - {id: x, platform: p, url: 'https://example.com/changelog'}\n"
RULES = "rules:\n  categories:\n    ads-monetization:\n      weights: {5: ['sponsored lens']}\n"


@pytest.fixture
def yaml_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the catalog loader parses as YAML from now on (caches emptied first)."""
    seen: list[str] = []
    parse = loader._yaml_data

    def counted(text: str) -> Any:
        seen.append(text)
        return parse(text)

    for cached in (loader._spec, loader._catalog, loader.parse_rules_section):
        cached.cache_clear()
    monkeypatch.setattr(loader, "_yaml_data", counted)
    return seen


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_catalog_is_read_with_libyaml() -> None:
    assert loader._C_LOADER is not None and issubclass(loader._C_LOADER, yaml.CSafeLoader)


def test_catalog_sources_and_rules_parse_the_file_once(
    tmp_path: Path, yaml_parses: list[str]
) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(SOURCE + RULES, "utf-8")
    load_catalog(path)  # `radar run`: the sources (whose hints need the rules)...
    rules = load_rules(path)  # ...then the classifier's rules
    load_catalog(path)  # and the alert and briefing senders' sources
    assert len(yaml_parses) == 1
    assert "ads-monetization" in rules.category_ids


def test_catalog_edited_file_is_parsed_again(tmp_path: Path, yaml_parses: list[str]) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(SOURCE, "utf-8")
    assert [s.id for s in load_catalog(path)] == ["x"]
    path.write_text(SOURCE.replace("id: x", "id: y"), "utf-8")
    assert [s.id for s in load_catalog(path)] == ["y"]
    assert len(yaml_parses) == 2


def test_catalog_callers_get_their_own_list() -> None:
    first = parse_catalog(SOURCE, "my.yaml")
    first.clear()
    assert len(parse_catalog(SOURCE, "my.yaml")) == 1


def test_catalog_error_is_raised_every_time(yaml_parses: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(CatalogError, match="unknown field 'colour'"):
            parse_catalog(SOURCE.replace("}", ", colour: red}"), "my.yaml")


def test_catalog_libyaml_and_pure_python_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (Path(loader.__file__).parent / loader.DEFAULT_CATALOG).read_text("utf-8")
    fast = loader._yaml_data(text)
    monkeypatch.setattr(loader, "_C_LOADER", None)
    assert loader._yaml_data(text) == fast == yaml.safe_load(text)


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize("depth", [MAX_YAML_DEPTH + 1, 500])
def test_catalog_nesting_bound_holds_with_either_loader(
    monkeypatch: pytest.MonkeyPatch, libyaml: bool, depth: int
) -> None:
    # libyaml alone would accept up to 1,000 levels; the catalog's bound is lower.
    if not libyaml:
        monkeypatch.setattr(loader, "_C_LOADER", None)
    text = SOURCE + "rules: " + "{a: " * depth + "1" + "}" * depth
    with pytest.raises(CatalogError, match=f"nested deeper than {MAX_YAML_DEPTH} levels"):
        loader._spec.__wrapped__(text, f"deep-{libyaml}.yaml")


def test_catalog_nesting_at_the_bound_is_accepted() -> None:
    nested = "{a: " * (MAX_YAML_DEPTH - 2) + "1" + "}" * (MAX_YAML_DEPTH - 2)
    assert loader._yaml_data(SOURCE + "extra: " + nested)["extra"]["a"]


def test_default_rules_are_read_once() -> None:
    assert load_default_rules() is load_default_rules()
