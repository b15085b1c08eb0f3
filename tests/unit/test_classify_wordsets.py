"""radar.classify.wordsets and Matcher.hits: the words of an ASCII text decide a pattern that is
a set of words, and narrow one that is a set of phrases, with the same answers as the regexes."""

from __future__ import annotations

import re
from functools import cache

import pytest

from radar.classify import load_default_rules
from radar.classify.literals import literal_starts
from radar.classify.matcher import Matcher
from radar.classify.scanner import scan_form
from radar.classify.wordsets import ascii_keys, word_set
from tests.bench.classify_report import labelled

RULES = load_default_rules()
SOURCES = [p.source for c in RULES.categories for p in c.patterns]
SOURCES += [p.source for p in RULES.action_patterns]
# Shapes users may write, and ones near the edges of what is read.
SOURCES += ["\\w+ api", "a|b+", "(?:re|un)install", "x-?y", "pr\\d+", "(?:may|might) go\\b"]
SOURCES += ["fix(?:ed|es)?\\b", "docs?|guides?\\b", "cve-\\d+", "end[- ]of[- ]life", "ab\\w+"]
SOURCES += ["v\\(1\\)", "foo\\.", "we(?:'|’)ll go\\b", "step \\d"]
COMPILED = [re.compile(rf"\b(?:{s})", re.IGNORECASE) for s in SOURCES]
_WORDS = re.compile(r"[a-z0-9_]+")

TEXTS = [f"{e['title']}\n{e['text']}" for e in labelled()]
TEXTS += [
    "Fixes: fix, fixed, FIXES and fixing; prefix, suffix",
    "improve, provide, preview, prepare: pr12 and PR7",
    "End-of-life: end of life, end-of life; endless",
    "Docs_guide: docs, doc, guides, guide_x, DOCS.",
    "CVE-2024-1234 and cve-x",
    "abc ab a_b; v(1) and v (1); foo. foo! We'll go, we'll going; step 3, step x",
    "pr " * 40 + "pr12",
    "may goes, might gone. " * 20 + "(may go) (sunset)",
]
# Not ASCII: "İ" lowercases to two characters, "ı" and "ſ" match "i" and "s" ignoring case.
TEXTS += ["İstanbul: rate limits change", "Rate lımits; DEPRECATİON", "We raiſe limits, ſecurity"]


@cache
def _firsts() -> list[dict[int, int]]:
    """Per text: pattern index -> start of its first match, by running every regex."""
    out = []
    for text in TEXTS:
        found = (regex.search(text) for regex in COMPILED)
        out.append({i: m.start() for i, m in enumerate(found) if m is not None})
    return out


@cache
def _ascii_words() -> list[tuple[set[str], dict[int, int]]]:
    return [
        (set(_WORDS.findall(t.lower())), firsts)
        for t, firsts in zip(TEXTS, _firsts(), strict=True)
        if t.isascii()
    ]


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("adds?\\b", (("add", True), ("adds", True))),
        ("polic(?:y|ies)", (("policies", False), ("policy", False))),
        ("decommission\\w*", (("decommission", False),)),
        ("pr\\d+", tuple((f"pr{d}", False) for d in range(10))),
        ("foo|bar\\b", None),  # the `\b` ends only "bar"
        # a longer word only: the prefix and one more word character
        (
            "ab\\w+",
            tuple((f"ab{c}", False) for c in sorted("0123456789_abcdefghijklmnopqrstuvwxyz")),
        ),
        ("rate limits?", None),  # two words: a phrase
        ("(?<=\\()removed\\)", None),
    ],
)
def test_word_set(source: str, words: tuple[tuple[str, bool], ...] | None) -> None:
    assert word_set(source) == words


@pytest.mark.parametrize(
    ("source", "phrases"),
    [
        ("rate limits?", ("rate limit", "rate limits")),
        ("for you", ("for you",)),
        ("end[- ]of[- ]life", ("end of life",)),
        ("how (?:to|we|i)\\b", ("how i ", "how to ", "how we ")),
        ("we(?:'|’)ll (?:walk|show)", ("we ll show", "we ll walk")),
        ("new \\w+ fields?", None),  # any word in the middle: not read
    ],
)
def test_phrases(source: str, phrases: tuple[str, ...] | None) -> None:
    read = ascii_keys(source)
    assert (read.phrases if read and not read.decides else None) == phrases


def test_word_set_patterns_match_where_their_words_say() -> None:
    checked = 0
    for i, source in enumerate(SOURCES):
        words = word_set(source)
        if words is None:
            continue
        checked += 1
        for held, firsts in _ascii_words():
            by_words = any(
                w == literal if whole else w.startswith(literal)
                for w in held
                for literal, whole in words
            )
            assert by_words == (i in firsts), (source, sorted(held)[:20])
    assert checked > 100  # most built-in patterns are sets of words


def test_every_ascii_text_a_phrase_pattern_matches_holds_one_of_its_phrases() -> None:
    checked = 0
    for i, source in enumerate(SOURCES):
        read = ascii_keys(source)
        if read is None or read.decides:
            continue
        checked += 1
        for text, firsts in zip(TEXTS, _firsts(), strict=True):
            if i not in firsts or not text.isascii():
                continue
            scanned = scan_form(text.lower())
            assert any(f" {p}" in scanned for p in read.phrases), (source, text[:80])
    assert checked > 100  # most built-in phrase patterns


def test_hits_are_what_every_regex_says() -> None:
    matcher = Matcher(SOURCES, dict(zip(SOURCES, COMPILED, strict=True)).__getitem__)
    for text, firsts in zip(TEXTS, _firsts(), strict=True):
        if not text.isascii():
            # As first_matches tells (a "ı" the words cannot see is missed by both).
            firsts = dict(matcher.first_matches(text))
        for lead_end in (1, 20, 81, 10_000):
            lead = {i for i, start in firsts.items() if start < lead_end}
            assert matcher.hits(text, lead_end) == (lead, set(firsts)), (lead_end, text[:80])


def test_hits_among_try_only_those() -> None:
    matcher = Matcher(SOURCES, dict(zip(SOURCES, COMPILED, strict=True)).__getitem__)
    text = "Rate limits: the v1 API is deprecated. Fixed a typo."
    _, anywhere = matcher.hits(text, 10_000)
    some = frozenset(sorted(anywhere)[::2])
    assert matcher.hits(text, 10_000, some)[1] == anywhere & some


def test_literal_starts_read_past_every_leading_lookbehind() -> None:
    # Two lookbehinds before the word: keyed by it, not tried for every text.
    assert literal_starts("(?<!as )(?<![0-9] )requirements? (?:for|and)") == ["requirement"]
