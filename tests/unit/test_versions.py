"""The one version rule (radar.versions), and the differences its readers ask for by name."""

from __future__ import annotations

import pytest

from radar.extract.mdx.versions import named_version, version_slug
from radar.versions import find_version, is_version, search_version


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Version 12.4.2", "12.4.2"),
        ("## v0.20.38", "0.20.38"),
        ("2.0.0-beta.1", "2.0.0-beta.1"),
        ("v1.10.1a1", "1.10.1a1"),
        ("1.2.3.post1", "1.2.3.post1"),
        ("pkg@2.0.5", "2.0.5"),
        ("[1.2.0] - 2024-05-01", "1.2.0"),
        ("GPT-5.2-Codex is out", "5.2"),  # in prose, a version may sit in a product's name
        ("10.0.0.1/8", None),  # an address
        ("1.2.3.4.5", None),
        ("Release 5", None),
        ("2024-05-01", None),
    ],
)
def test_versions_find_version(raw: str, expected: str | None) -> None:
    assert find_version(raw) == expected


def test_versions_whole_word_refuses_versions_inside_names() -> None:
    assert search_version("python-3.12 support", whole_word=True) is None
    assert search_version("Pydantic 2.7.x", whole_word=True) is None
    assert search_version("2.5x faster", whole_word=True) is None
    found = search_version("Changes in v1.3.0.", whole_word=True)
    assert found is not None and found.written == "v1.3.0"


def test_versions_semver_tags_only_when_asked() -> None:
    plain = search_version("1.0.0-x.7+sha.5")
    assert plain is not None and plain.number == "1.0.0"
    tagged = search_version("1.0.0-x.7+sha.5", semver=True)
    assert tagged is not None and tagged.number == "1.0.0-x.7+sha.5"


def test_versions_is_version_is_the_whole_text() -> None:
    assert is_version("v6.1.0", whole_word=True)
    assert is_version("2.0b1")
    assert not is_version("Released 6.1.0")
    assert not is_version("1.2.3abc", whole_word=True)


def test_versions_mdx_reads_semver_tags_as_part_of_the_release() -> None:
    found = named_version("AI SDK v1.0.0-beta.2")
    assert found is not None and (found.v, found.number) == ("v", "1.0.0-beta.2")
    assert version_slug("AI SDK v1.0.0-beta.2", heading=False) == "ai-sdk-v1-0-0-beta-2"
    # A model named in a description is not a release of the product.
    assert version_slug("GPT-5.2-Codex", heading=False) is None
