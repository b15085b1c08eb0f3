from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from radar.catalog.loader import load_catalog, parse_catalog
from radar.errors import CatalogError
from radar.extract import EXTRACTORS
from radar.model import SourceKind

GOOD = """
sources:
  - id: x-changelog
    platform: X
    kind: changelog-html
    url: https://example.com/changelog
    interval: 6h
"""


def test_catalog_parses_a_valid_source() -> None:
    (source,) = parse_catalog(GOOD, "my.yaml")
    assert source.platform == "x"
    assert source.kind is SourceKind.CHANGELOG_HTML
    assert source.interval == timedelta(hours=6)


def test_catalog_builtin_loads_and_every_kind_has_an_extractor() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 5
    assert {s.kind for s in catalog} <= set(EXTRACTORS)


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("sources: [{id: a, platform: p, kind: rss}]", "source 'a': field 'url' is required"),
        (
            "sources: [{id: a, platform: p, kind: html, url: 'https://e.com'}]",
            "source 'a': field 'kind'",
        ),
        (
            "sources: [{id: a, platform: p, kind: rss, url: 'ftp://e.com'}]",
            "source 'a': field 'url': must be an absolute http",
        ),
        (
            "sources: [{id: a, platform: p, kind: rss, url: 'https://e.com', interval: 5m}]",
            "field 'interval': must be at least 15m",
        ),
        (
            "sources: [{id: a, platform: p, kind: rss, url: 'https://e.com', colour: red}]",
            "unknown field 'colour'",
        ),
        (
            "sources:\n - {id: a, platform: p, kind: rss, url: 'https://e.com'}\n"
            " - {id: a, platform: p, kind: rss, url: 'https://e.com'}",
            "source 'a': id is used twice",
        ),
        ("sources: []", "lists no sources"),
        ("sources: [", "not valid YAML"),
        ("- just a list", "field 'catalog'"),
    ],
)
def test_catalog_errors_name_file_source_and_field(yaml_text: str, expected: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog(yaml_text, "my.yaml")
    assert str(info.value).startswith("my.yaml: ")
    assert expected in str(info.value)


def test_catalog_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such catalog file"):
        load_catalog(tmp_path / "nope.yaml")
