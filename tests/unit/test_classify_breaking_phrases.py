"""radar.classify.releases: an item is searched only for the breaking phrases whose words it
holds, with the same answer as searching for all of them at once."""

from __future__ import annotations

import re

import pytest

from radar.classify.items import (
    _BREAKING_ITEM,
    _BREAKING_WORDS,
    _PHRASES,
    _any_phrase,
    _unscoped,
    is_breaking,
)
from radar.classify.releases import read_release
from tests.bench.classify_report import labelled

# One item per phrase, in _PHRASES' order, that only that phrase finds.
EXAMPLES = [
    "the client was renamed Foo to Bar today",
    "calling it now raises ValueError",
    "this is a breaking change for people using X",
    "dates are now datetime objects: a backwards incompatible update",
    "Updated UniqueGiftInfo class: replaced last_resale_star_count with last_resale_amount",
    "we changed the default timeout",
    "the client token is now mandatory",
    "this version removes support for Python 3.8",
    "x-mcp is now x-mint.mcp",
    "now you will receive an error if the id is missing",
    "we no longer run installs, so you'll need to run yarn",
    "you now need to pass a token",
    "To update Devvit: uninstall the CLI",
]


def _searched_at_once(item: str) -> bool:
    """is_breaking as one pattern of every phrase answers it."""
    if _BREAKING_ITEM.match(item) or _BREAKING_ITEM.match(_unscoped(item)):
        return True
    low = item.lower()
    return any(w in low for w in _BREAKING_WORDS) and _any_phrase().search(item) is not None


@pytest.mark.parametrize(("phrase", "item"), list(zip(_PHRASES, EXAMPLES, strict=True)))
def test_each_phrase_holds_one_of_its_words(phrase: tuple[str, tuple[str, ...]], item: str) -> None:
    pattern, words = phrase
    found = [p for p, _ in _PHRASES if re.search(p, item, re.IGNORECASE)]
    assert found == [pattern]
    assert any(w in item.lower() for w in words)
    assert is_breaking(item)


def test_one_pattern_of_every_phrase_is_their_alternation() -> None:
    assert _any_phrase().pattern == "|".join(p for p, _ in _PHRASES)


def test_a_phrase_whose_lowercase_lacks_its_words_is_still_found() -> None:
    # "ſ" matches "s" ignoring case but lowercases to itself: "ſupport for" holds no "support
    # for", yet the phrase matches it, as one pattern of every phrase would.
    item = "It removes ſupport for Node 12, a breaking move"
    assert is_breaking(item) is _searched_at_once(item) is True


def test_is_breaking_is_the_same_as_searching_every_phrase_at_once() -> None:
    items = list(EXAMPLES)
    for e in labelled():
        release = read_release(e["title"], e["text"])
        if release is not None:
            items += [item for _, item in release.items()]
    items += [f"{a} {b}" for a in EXAMPLES for b in ("İs now x.y", "no breaking change", "")]
    assert len(items) > 500
    for item in items:
        assert is_breaking(item) == _searched_at_once(item), item
