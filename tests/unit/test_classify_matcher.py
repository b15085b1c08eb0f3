"""radar.classify.matcher: the word scan never misses a pattern that matches."""

from __future__ import annotations

import re

import pytest

from radar.classify import load_default_rules
from radar.classify.literals import leading_literals, literal_starts, required_words
from radar.classify.matcher import Matcher, PatternIndex
from tests.bench.classify_report import labelled


@pytest.mark.parametrize(
    ("source", "starts"),
    [
        ("deprecat(?:e|ed)\\b", ["deprecat"]),
        ("an error will be returned", ["returned"]),  # the longest word, not "an"
        ("for you", ["for "]),  # a whole word: a space follows it
        ("skus?\\b", ["sku"]),  # an optional letter is not part of the literal
        ("(?:may|might) deprecate", ["deprecate"]),  # a literal after the group is longer
        ("(?:may|might)\\w+", ["may", "might"]),
        ("(?<=\\()(?:removed|sunset)\\)", ["removed", "sunset"]),
        ("server-?side api", ["server"]),
        ("a|b+", []),  # one alternative has no literal: always tried
        ("\\w+ token", ["token"]),
        ("pr\\d+", ["pr"]),
        # a quantifier's bounds are no text: "40" is not a word every match holds
        ("(?:maximum|max)\\b[^.]{0,40}?\\b(?:reduced|cut) to \\d", ["to "]),
        ("x\\s{0,3}ab{1,2}", ["x"]),  # `\\s{0,3}` may match nothing: "x" starts a word
        ("word\\s*x", ["word"]),  # "wordx" matches: "word" is not a whole word there
    ],
)
def test_literal_starts(source: str, starts: list[str]) -> None:
    assert literal_starts(source) == starts


def test_candidates_cover_every_real_match_on_the_labelled_set() -> None:
    rules = load_default_rules()
    sources = [p.source for c in rules.categories for p in c.patterns]
    sources += ["\\w+ api", "a|b+", "(?:re|un)install", "x-?y"]  # shapes users may write
    index = PatternIndex(sources)
    compiled = [re.compile(rf"\b(?:{s})", re.IGNORECASE) for s in sources]
    texts = [f"{e['title']}\n{e['text']}" for e in labelled()]
    sources += ["price[^.]{0,50} cut", "word\\s*x", "(?:max|limit)\\b[^.]{0,40}? lowered to \\d"]
    texts += ["REINSTALL the Xy app", "Uninstall", "GraphQL API", "x-y", "ΣΊΣΥΦΟΣ Deprecated"]
    texts += ["Our price will cut", "wordx", "The max upload is lowered to 5 MB"]
    for text in texts:
        found = index.candidates(text)
        for i, regex in enumerate(compiled):
            if regex.search(text):
                assert i in found, (sources[i], text[:80])


def test_candidates_skip_patterns_whose_words_are_absent() -> None:
    index = PatternIndex(["deprecat\\w+", "rate limits?", "for you"])
    assert index.candidates("We now format the output") == set()  # "format" is not "for"
    assert index.candidates("Rate limits change") == {1}


def test_candidates_need_every_whole_word_of_a_phrase() -> None:
    index = PatternIndex(["for you\\b", "you can now"])
    assert index.candidates("Built for developers") == set()  # "for" without "you"
    assert index.candidates("For you: a new feed") == {0}
    assert index.candidates("You may post now") == set()  # "you" without "can"
    assert index.candidates("You can now post") == {1}


def test_candidates_read_words_between_other_letters_and_lone_surrogates() -> None:
    # Words are runs of ASCII letters, digits and "_": any other character (an accented
    # letter, a lone surrogate left by a lenient decode) ends one.
    index = PatternIndex(["rate limits?", "for you", "caf"])
    assert index.candidates("Raté\udc80rate limits for\udcffyou") == {0, 1}
    assert index.candidates("café") == {2}
    assert index.candidates("cafe\u0301") == {2}


@pytest.mark.parametrize(
    ("source", "heads", "words"),
    [
        ("rate limits?", ("rate limit",), {"rate"}),
        ("fix(?:ed|es)?\\b", ("fix",), set()),
        (
            "an error will be returned",
            ("an error will be returned",),
            {"an", "error", "will", "be"},
        ),
        ("deprecation:", ("deprecation:",), {"deprecation"}),
        # one per alternative of a leading group, continued where the alternative is literal
        ("(?:may|might) deprecate", ("may deprecate", "might deprecate"), set()),
        ("(?:adds?|new) feature", ("add", "new feature"), set()),
        ("(?:a|b)+x", (), set()),  # a repeated group: not known
        ("(?:a|\\w)x", (), set()),  # an alternative without a literal: not known
        ("privacy|gdpr", ("privacy", "gdpr"), set()),  # words only of one alternative: none
        ("(?<=\\()removed\\)", ("removed",), set()),  # a look-behind matches no text
        ("(?<=\\()(?:removed|sunset)\\)", ("removed", "sunset"), set()),
    ],
)
def test_leading_literals_and_required_words(source: str, heads: tuple, words: set) -> None:  # type: ignore[type-arg]
    assert leading_literals(source) == heads
    assert required_words(source) == words


def test_first_matches_are_the_first_matches_of_every_pattern_on_the_labelled_set() -> None:
    rules = load_default_rules()
    sources = [p.source for c in rules.categories for p in c.patterns]
    sources += ["\\w+ api", "a|b+", "(?:re|un)install", "x-?y", "pr\\d+", "(?:may|might) go\\b"]
    compiled = [re.compile(rf"\b(?:{s})", re.IGNORECASE) for s in sources]
    matcher = Matcher(sources, dict(zip(sources, compiled, strict=True)).__getitem__)
    texts = [f"{e['title']}\n{e['text']}" for e in labelled()]
    # A literal that occurs often before its match; a text whose lowercase is longer ("İ").
    texts += ["improve, provide, preview, prepare: pr12", "İstanbul: rate limits change"]
    # Literals that occur more often before the match than the matcher tries them one by one.
    texts += ["pr " * 40 + "pr12", "may goes, might gone. " * 20 + "(may go) (sunset)"]
    for text in texts:
        expected = {}
        for i, regex in enumerate(compiled):
            found = regex.search(text)
            if found is not None:
                expected[i] = found.start()
        assert dict(matcher.first_matches(text)) == expected, text[:80]


def test_first_matches_search_a_text_whose_lowercase_matches_unlike_it() -> None:
    # "ſ" is an "s" to a pattern that ignores case, but lowercases to itself: the literal
    # "raise limits" is not in the lowercased text, yet the pattern matches the text.
    matcher = Matcher(["raise limits"], lambda s: re.compile(rf"\b(?:{s})", re.IGNORECASE))
    assert dict(matcher.first_matches("We raiſe limits, then raise them.")) == {0: 3}


def test_hits_of_texts_with_letters_that_lowercase_unlike_ascii_are_every_regex_s() -> None:
    # "ı" and "ſ" match "i" and "s" ignoring case though they lowercase to themselves, and "İ"
    # lowercases to two characters: the scan reads them as those letters, so no pattern that
    # matches is left out of the candidates.
    sources = ["rate limits?", "privacy", "support for", "security", "istanbul", "raise"]
    compiled = [re.compile(rf"\b(?:{s})", re.IGNORECASE) for s in sources]
    matcher = Matcher(sources, dict(zip(sources, compiled, strict=True)).__getitem__)
    for text in ["Rate lımits; prıvacy", "ſupport for ſecurity", "İstanbul: we raiſe it"]:
        firsts = {i: m.start() for i, r in enumerate(compiled) if (m := r.search(text))}
        assert firsts, text
        for lead_end in (1, 9, 100):
            lead = {i for i, start in firsts.items() if start < lead_end}
            assert matcher.hits(text, lead_end) == (lead, set(firsts)), (text, lead_end)


def test_ascii_candidates_need_a_whole_phrase_where_one_is_read() -> None:
    index = PatternIndex(["support for", "ends? support for", "rate limits?"])
    assert index.read_ascii("support is there for you", 10) == (set(), set(), [])
    assert sorted(index.read_ascii("we end support for v1", 10)[2]) == [0, 1]
    # A phrase's separators are spaces to the scan: the regex decides "rate-limits".
    assert index.read_ascii("new rate-limits", 10)[2] == [2]
