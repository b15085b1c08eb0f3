from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from radar.catalog.loader import load_catalog, load_rules, parse_catalog, parse_rules_section
from radar.classify import load_default_rules
from radar.errors import CatalogError
from radar.model import FetchResult, Source, SourceKind


def _extract_api(name: str) -> Any:
    """radar.extract's `name`; skips (clearly) until the extract package has landed."""
    module = pytest.importorskip("radar.extract")
    if not hasattr(module, name):
        pytest.skip(f"radar.extract.{name} does not exist yet (extract engineer's work)")
    return getattr(module, name)


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
    extractors = _extract_api("EXTRACTORS")
    catalog = load_catalog()
    assert len(catalog) >= 5
    assert {s.kind for s in catalog} <= set(extractors)


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


# --- the built-in catalog of real sources (issue 4) -----------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
FIXTURE_FILES = {
    SourceKind.ATOM: ("atom.xml", "application/atom+xml"),
    SourceKind.RSS: ("rss.xml", "application/rss+xml"),
    SourceKind.CHANGELOG_HTML: ("changelog-html.html", "text/html; charset=utf-8"),
    SourceKind.CHANGELOG_MARKDOWN: ("changelog-markdown.md", "text/markdown; charset=utf-8"),
    SourceKind.JSON: ("../trends/hn-algolia.json", "application/json"),
    SourceKind.OPENAPI: ("openapi-discord.json", "application/json"),
    SourceKind.JSON_SPEC: ("json-spec-telegram.json", "application/json"),
    # Trend sources of issue 12 (fixtures: tests/fixtures/trend_sources/README.md).
    SourceKind.APP_CHART: ("../trend_sources/apple-top-free-us.json", "application/json"),
    SourceKind.PAGEVIEWS: (
        "../trend_sources/wikimedia-per-article-signal.json",
        "application/json",
    ),
    SourceKind.REDDIT_LISTING: ("../trend_sources/reddit-all.json", "application/json"),
    SourceKind.TOP_ARTICLES: ("../trend_sources/wikimedia-top-20210108.json", "application/json"),
}


def test_catalog_builtin_has_30_sources_on_12_platforms() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 30
    assert len({s.platform for s in catalog}) >= 12


def test_catalog_builtin_javascript_pages_say_what_to_watch_instead() -> None:
    ids = {s.id for s in load_catalog()}
    for s in load_catalog():
        if s.needs_javascript:
            assert s.watch_instead
            assert s.watch_instead.split()[0] in ids


def test_catalog_builtin_hints_are_known_categories() -> None:
    known = set(load_default_rules().category_ids)
    for s in load_catalog():
        assert set(s.category_hints) <= known, s.id


def test_catalog_every_kind_has_a_fixture() -> None:
    assert {s.kind for s in load_catalog()} <= set(FIXTURE_FILES)


@pytest.mark.parametrize("kind", sorted({s.kind for s in load_catalog()}))
def test_catalog_every_kind_fixture_extracts_items(kind: SourceKind) -> None:
    extract = _extract_api("extract")
    name, content_type = FIXTURE_FILES[kind]
    source = Source(id="fixture", platform="p", kind=kind, url="https://example.com/x")
    result = FetchResult(
        url=source.url, status=200, body=(FIXTURES / name).read_bytes(), content_type=content_type
    )
    assert len(extract(source, result)) >= 1


RULES_CATALOG = (
    GOOD
    + """
rules:
  categories:
    policy:
      weights:
        9: ['verified badges?']
"""
)


def test_catalog_rules_section_adds_user_rules() -> None:
    rules = parse_rules_section(RULES_CATALOG, "my.yaml")
    base = load_default_rules()
    assert len(rules.categories[3].patterns) == len(base.categories[3].patterns) + 1


def test_catalog_without_rules_uses_the_builtin_rules() -> None:
    assert load_rules().category_ids == load_default_rules().category_ids


def test_catalog_rules_section_does_not_disturb_sources() -> None:
    (source,) = parse_catalog(RULES_CATALOG, "my.yaml")
    assert source.id == "x-changelog"


def test_catalog_bad_rules_name_the_file() -> None:
    bad = GOOD + "\nrules:\n  categories:\n    policy:\n      weights:\n        9: ['(a+)+']\n"
    with pytest.raises(CatalogError, match=r"^my.yaml: rules: .*nested quantifiers"):
        parse_rules_section(bad, "my.yaml")


def test_catalog_load_rules_reads_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(RULES_CATALOG, "utf-8")
    assert len(load_rules(path).categories[3].patterns) > len(
        load_default_rules().categories[3].patterns
    )


def test_catalog_unknown_category_hint_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "sources:\n  - id: a\n    platform: p\n    kind: rss\n    url: https://example.com/f\n"
        "    category_hints: [new-feature, gossip]\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"source 'a': field 'category_hints'.*'gossip'"):
        load_catalog(path)
