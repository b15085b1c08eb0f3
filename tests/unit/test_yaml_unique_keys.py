"""A key written twice in one YAML mapping is an error, not a silently dropped value: a user's
catalog says where; the packaged YAML files (rules, catalog, aliases, stopwords, locales) have
none (a rule's `2:` weights written twice once dropped a list of patterns without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from radar.catalog.loader import parse_catalog, parse_rules_section
from radar.errors import CatalogError
from radar.yamlkeys import with_unique_keys

PACKAGE = Path(__file__).resolve().parents[2] / "shared" / "radar"
LOADER = with_unique_keys(yaml.SafeLoader)


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.yaml")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_packaged_yaml_repeats_no_key(path: Path) -> None:
    yaml.load(path.read_text("utf-8"), Loader=LOADER)


def test_a_rule_weight_written_twice_is_refused_with_its_line() -> None:
    text = "sources: []\nrules:\n  categories:\n    policy:\n      weights:\n"
    text += "        2: ['a']\n        2: ['b']\n"
    with pytest.raises(CatalogError, match=r"my\.yaml: .*key 2 twice.*line 7"):
        parse_rules_section(text, "my.yaml")


def test_a_source_field_written_twice_is_refused() -> None:
    text = "sources:\n  - id: a\n    platform: x\n    url: https://a.example/\n"
    text += "    url: https://b.example/\n"
    with pytest.raises(CatalogError, match="key 'url' twice"):
        parse_catalog(text, "cat.yaml")


def test_a_merge_key_may_override() -> None:
    data = yaml.load("base: &b {x: 1}\nother:\n  <<: *b\n  x: 2\n", Loader=LOADER)
    assert data["other"] == {"x": 2}
