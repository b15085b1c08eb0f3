"""The extractor registry imports an extractor on its first use (issue 15): a run where a few
Markdown pages changed must not pay for the feed, API-spec, MDX, RST or trend parsers. Imports
are checked in a fresh interpreter, so other tests' imports do not hide them."""

from __future__ import annotations

import pytest

from radar.extract import EXTRACTORS
from radar.extract.feeds import extract_feed
from radar.extract.markdown import extract_changelog_markdown
from radar.model import SourceKind
from tests.support.imports import fresh_modules

# The parsers of kinds other than Markdown, and the libraries only they use.
OTHER_PARSERS = {
    "radar.extract.apispec",
    "radar.extract.mdx",
    "radar.extract.rst",
    "radar.extract.feeds",
    "radar.extract.jsondoc",
    "radar.extract.table",
    "radar.extract.htmlpage",
    "radar.trends.sources",
    "feedparser",
}

_EXTRACT = """
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind
source = Source(id="s", platform="p", kind=SourceKind.{kind}, url="https://e.com/CHANGELOG.md")
body = b"# Changelog\\n\\n## 2026-11-12\\n\\n- Added reels.\\n\\n## 2026-11-01\\n\\n- Fix.\\n"
assert len(extract(source, FetchResult(source.url, 200, body, "text/plain"))) == 2
"""


def _loaded(modules: set[str], packages: set[str]) -> set[str]:
    return {m for m in modules if m in packages or m.rpartition(".")[0] in packages}


@pytest.mark.parametrize("kind", ["CHANGELOG_MARKDOWN", "AUTO"])
def test_extract_lazy_registry_markdown_imports_no_other_parser(kind: str) -> None:
    loaded = fresh_modules(_EXTRACT.format(kind=kind))
    assert "radar.extract.markdown" in loaded  # the check would pass vacuously otherwise
    assert _loaded(loaded, OTHER_PARSERS) == set()


def test_extract_lazy_registry_import_loads_no_parser() -> None:
    loaded = fresh_modules("import radar.extract")
    assert _loaded(loaded, OTHER_PARSERS | {"radar.extract.markdown", "markdown_it"}) == set()


def test_extract_lazy_registry_gives_the_extractor_functions() -> None:
    assert EXTRACTORS[SourceKind.CHANGELOG_MARKDOWN] is extract_changelog_markdown
    assert EXTRACTORS[SourceKind.RSS] is EXTRACTORS[SourceKind.ATOM] is extract_feed
    assert EXTRACTORS.get(SourceKind.RSS) is extract_feed


def test_extract_lazy_registry_membership_imports_nothing() -> None:
    loaded = fresh_modules(
        "from radar.extract import EXTRACTORS\n"
        "from radar.model import SourceKind\n"
        "assert all(kind in EXTRACTORS for kind in SourceKind)\n"
        "assert len(EXTRACTORS) == len(SourceKind)"
    )
    assert _loaded(loaded, OTHER_PARSERS) == set()


def test_extract_lazy_registry_unknown_kind_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        EXTRACTORS["html"]  # type: ignore[index]
    assert EXTRACTORS.get("html") is None  # type: ignore[call-overload]


@pytest.mark.parametrize("kind", list(SourceKind))
def test_extract_lazy_registry_every_path_names_an_extractor(kind: SourceKind) -> None:
    # The registry names modules by string: a typo would otherwise surface only when a body
    # of that kind is first extracted, in production.
    assert callable(EXTRACTORS[kind])
