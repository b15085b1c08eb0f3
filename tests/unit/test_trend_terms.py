"""radar.trends.terms: data-driven cases (tests/data/trend_terms.yaml) and the data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from radar.errors import ConfigError
from radar.trends.terms import (
    LANGUAGES,
    Term,
    TermKind,
    load_extractor,
    load_words,
    normalise,
    parse_aliases,
)

CASES = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "trend_terms.yaml").read_text("utf-8")
)["cases"]
EXTRACTOR = load_extractor()


def extract(case: dict[str, Any]) -> list[Term]:
    mode = case.get("mode", "text")
    if mode == "topic":
        return EXTRACTOR.topic_terms(case["text"])
    if mode == "name":
        return EXTRACTOR.name_terms(case["text"])
    return EXTRACTOR.terms(case["text"])


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.get('mode', 'text')}:{c['text'][:40]}" for c in CASES]
)
def test_terms_case(case: dict[str, Any]) -> None:
    assert sorted(t.key for t in extract(case)) == sorted(case["terms"])


def test_terms_cases_cover_every_kind() -> None:
    assert {t.kind for c in CASES for t in extract(c)} == set(TermKind)


def test_terms_each_term_once_per_text() -> None:
    found = EXTRACTOR.terms("Twitter, twitter and #Twitter: X (formerly Twitter)")
    assert [t.key for t in found] == ["twitter"]


def test_normalise_strips_hash_case_and_punctuation() -> None:
    assert normalise("  #BeReal's! ") == "bereal"
    assert normalise("Truth   Social.") == "truth social"


def test_normalise_folds_unicode_compatibility_forms() -> None:
    assert normalise("ＴｉｋＴｏｋ") == "tiktok"


def test_platform_lookup_gives_what_it_is() -> None:
    platform = EXTRACTOR.platform("threads")
    assert platform is not None
    assert "Meta" in platform.what


def test_alias_table_names_each_platform_once() -> None:
    with pytest.raises(ConfigError, match="listed twice"):
        parse_aliases({"platforms": [{"term": "a", "name": "A"}, {"term": "a", "name": "A"}]})


def test_alias_table_entry_without_name_is_an_error() -> None:
    with pytest.raises(ConfigError, match="entry 1"):
        parse_aliases({"platforms": [{"term": "a"}]})


def test_stopword_lists_exist_for_every_language() -> None:
    for lang in LANGUAGES:
        assert len(load_words(lang)) >= 50, lang


def test_known_aliases_are_not_common_words() -> None:
    # An alias listed as a common word could never be matched as a candidate by mistake,
    # but a platform *name* in the common list would hide an unknown namesake: keep them apart.
    common = load_words("common-en")
    clashes = {
        normalise(a)
        for p in EXTRACTOR.platforms.values()
        for a in (*p.aliases, *p.names)
        if normalise(a) in common
    }
    assert clashes == set()
