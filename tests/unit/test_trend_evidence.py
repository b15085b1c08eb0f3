"""radar.trends.evidence: a name counts as a platform candidate only with evidence in its item."""

from __future__ import annotations

import pytest

from radar.trends.evidence import ALIAS, CONTEXT, DOMAIN, LISTING, bare_mentions, evidence_finder
from radar.trends.terms import load_extractor

EXTRACTOR = load_extractor()
FINDER = evidence_finder(EXTRACTOR)


def evidence(text: str, url: str | None = None, *, listing: bool = False) -> dict[str, str]:
    terms = EXTRACTOR.name_terms(text) if listing else EXTRACTOR.terms(text)
    return {e.term.key: e.evidence for e in FINDER.find(terms, text, url, listing=listing)}


@pytest.mark.parametrize(
    "title",
    [
        "GitHub Copilot is now generally available",
        "JavaScript's new Temporal API",
        "CentOS Stream 9 is out",
        "GameStop shares soar again",
        "NeuralHash collision found in the wild",
    ],
)
def test_evidence_general_tech_terms_are_not_candidates(title: str) -> None:
    found = evidence(title)
    assert found and not any(found.values()), found


@pytest.mark.parametrize(
    ("title", "term"),
    [
        ("Noplace app tops the App Store", "noplace"),
        ("Teens flock to Noplace", "noplace"),
        ("Noplace, a new social app for Gen Z", "noplace"),
        ("Download BeReal Clone QuickSnap today", "quicksnap"),
        ("Twitter rival Parlex gains users", "parlex"),
        ("Spillz users say the feed is better", "spillz"),
        ("How to join Spillz", "spillz"),
        ("Noplace hits 1M downloads", "noplace"),
        ("Spillz passes 2 million monthly active users", "spillz"),
    ],
)
def test_evidence_app_and_network_context_makes_a_candidate(title: str, term: str) -> None:
    assert evidence(title).get(term) == CONTEXT


def test_evidence_alias_table_is_evidence() -> None:
    assert evidence("Bluesky opens to everyone")["bluesky"] == ALIAS


def test_evidence_app_chart_listing_is_evidence() -> None:
    assert evidence("Lemon9 - Photo Feed", listing=True)["lemon9"] == LISTING


@pytest.mark.parametrize(
    "url",
    ["https://signal.org/blog/ama/", "https://twitter.com/signalapp/status/1"],
)
def test_evidence_ambiguous_name_resolved_by_its_domain(url: str) -> None:
    assert evidence("Signal AMA", url)["signal"] == DOMAIN


def test_evidence_ambiguous_name_resolved_by_context_in_the_item() -> None:
    assert evidence("Signal is the messaging app to use now")["signal"] in (CONTEXT, ALIAS)


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Signal processing in Rust", "https://example.com/dsp"),
        ("Signal Is Back", "https://example.com/radio"),
        ("X marks the spot", "https://example.com/treasure"),
    ],
)
def test_evidence_ambiguous_name_without_evidence_is_nothing(title: str, url: str) -> None:
    found = evidence(title, url)
    assert "signal" not in found and "twitter" not in found


def test_evidence_name_used_as_a_likeness_is_not_a_mention() -> None:
    assert "myspace" not in evidence("Noplace and the return of MySpace-style profiles")


def test_bare_mentions_count_capitalised_candidates_only() -> None:
    found = bare_mentions("What is Noplace, and why noplace matters", frozenset({"noplace"}))
    assert [(t.key, t.display) for t in found] == [("noplace", "Noplace")]
    assert bare_mentions("the noplace problem", frozenset({"noplace"})) == []
    assert bare_mentions("What is Noplace", frozenset()) == []


@pytest.mark.parametrize(
    ("title", "term"),
    [
        ("Palworld players find a new exploit", "palworld"),
        ("I spent the weekend playing Palworld", "palworld"),
        ("The NovaBand headset ships in March", "novaband"),
    ],
)
def test_evidence_games_and_devices_are_counter_evidence(title: str, term: str) -> None:
    from radar.trends.evidence import NOT_PLATFORM

    found = {e.term.key: e for e in FINDER.find(EXTRACTOR.terms(title), title, None)}
    if term in found:
        assert found[term].evidence == NOT_PLATFORM and not found[term].candidate
    (bare,) = bare_mentions(title, frozenset({term}))
    assert FINDER.bare(bare, title).countered


def test_evidence_counter_evidence_never_touches_known_platforms() -> None:
    assert evidence("Twitch players flock to the new game")["twitch"] == ALIAS
