"""A catalog without category hints or a `rules:` section is validated without loading the
classification rules (issue 15: a run where nothing changed classifies nothing); with either,
the rules check it at load as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from radar.catalog.loader import parse_catalog
from radar.errors import CatalogError

ROOT = Path(__file__).resolve().parents[2]
PLAIN = "sources:\n  - {id: a, platform: p, url: 'https://e.com/changelog'}\n"
HINTED = "sources:\n  - {id: a, platform: p, url: 'https://e.com', category_hints: [%s]}\n"


def test_catalog_without_hints_or_rules_loads_no_rules() -> None:
    code = (
        "import json, sys\n"
        "from radar.catalog.loader import parse_catalog\n"
        "from radar.classify.rules import load_default_rules\n"
        f"parse_catalog({PLAIN!r}, 'my.yaml')\n"
        "print(json.dumps(load_default_rules.cache_info().currsize))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    assert json.loads(out.stdout) == 0


def test_catalog_unknown_category_hint_is_still_refused() -> None:
    with pytest.raises(CatalogError, match="unknown category 'gossip'"):
        parse_catalog(HINTED % "gossip", "hinted.yaml")


def test_catalog_known_category_hint_is_accepted() -> None:
    assert parse_catalog(HINTED % "deprecation", "hinted-ok.yaml")[0].category_hints == (
        "deprecation",
    )


def test_catalog_bad_user_rule_without_hints_is_still_refused_at_load() -> None:
    bad = PLAIN + "rules:\n  categories:\n    policy:\n      weights:\n        3: ['(unclosed']\n"
    with pytest.raises(CatalogError, match=r"^bad-rules.yaml: rules: .*not a valid regex"):
        parse_catalog(bad, "bad-rules.yaml")
