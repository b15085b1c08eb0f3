"""radar.classify.scanner: one automaton pass finds the keys a text's words hold, as a naive
search of every key does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from radar.classify.scanner import Scanner, has_word, scan_form

# Words of few letters, so that keys and texts share prefixes often.
_WORD = st.text(alphabet="abc_1", min_size=1, max_size=4)
_KEY = st.tuples(_WORD, st.booleans(), st.booleans()).map(
    lambda k: k[0] + (" " + k[0] if k[1] else "") + (" " if k[2] else "")
)
_TEXT = st.text(alphabet="abcAB_1 -.,\n!ıſİé", max_size=60)


def test_scan_form_keeps_ascii_words_and_spaces_the_rest() -> None:
    assert scan_form("rate-limits: 5/min_x.") == " rate limits  5 min_x  "
    # An accented letter ends a word and a lone surrogate (a lenient decode) is a non-word:
    # a space for each of their UTF-8 bytes.
    assert scan_form("café\udc80ok") == " caf" + " " * 5 + "ok "


def test_scan_form_reads_the_letters_ascii_patterns_match_ignoring_case() -> None:
    # "ı" and "ſ" match "i" and "s" ignoring case; "İ" lowercases to "i" and a combining dot.
    assert scan_form("İstanbul raıſe".lower()) == " istanbul raise "


def test_has_word_is_a_whole_word() -> None:
    scanned = scan_form("Built for you")
    assert has_word(scanned, "for")
    assert not has_word(scanned, "fo")


@given(keyed=st.lists(st.lists(_KEY, min_size=1, max_size=3), max_size=6), text=_TEXT)
def test_patterns_in_is_every_key_found_at_a_word_start(keyed: list[list[str]], text: str) -> None:
    scanner = Scanner(enumerate(keyed))
    scanned = scan_form(text.lower())
    naive = {i for i, keys in enumerate(keyed) if any(f" {k}" in scanned for k in keys)}
    assert scanner.patterns_in(scanned) == naive


@given(
    keyed=st.lists(st.lists(_KEY, min_size=1, max_size=3), max_size=6),
    text=st.text(alphabet="abcAB_1 -.,\n!", max_size=60),
    lead_end=st.integers(min_value=0, max_value=70),
)
def test_lead_and_all_split_at_the_words_that_start_in_the_lead(
    keyed: list[list[str]], text: str, lead_end: int
) -> None:
    scanner = Scanner(enumerate(keyed))
    scanned = scan_form(text.lower())
    lead, found = scanner.lead_and_all(scanned, lead_end)
    assert found == scanner.patterns_in(scanned)
    # A word at index j of the text starts at j + 1 of the scan form, after the key's space.
    one_word = {i for i, keys in enumerate(keyed) if all(" " not in k.rstrip() for k in keys)}
    naive_lead = {
        i
        for i, keys in enumerate(keyed)
        for k in keys
        for j in range(len(scanned))
        if scanned.startswith(f" {k}", j) and j < lead_end
    }
    assert lead & one_word == naive_lead & one_word


def test_lead_and_all_finds_a_phrase_that_reaches_past_the_lead() -> None:
    scanner = Scanner([(0, ["you can now"]), (1, ["add "])])
    scanned = scan_form("add the field. you can now set it")
    lead, found = scanner.lead_and_all(scanned, 17)  # the lead ends in "can"
    assert found == {0, 1}
    assert 1 in lead


def test_a_scanner_without_keys_finds_nothing() -> None:
    scanner = Scanner([])
    assert scanner.patterns_in(" a b ") == frozenset()
    assert scanner.lead_and_all(" a b ", 2) == (frozenset(), frozenset())
