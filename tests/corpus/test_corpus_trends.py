"""Replay the recorded trend corpora (Twitter trends, HN front page, hourly blog feeds) through
counting and detection, as recorded and "with a quiet past".

The same replay as tests/bench/trends_replay.py, whose committed report says what fires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import EMERGING
from radar.trends.score import TrendConfig
from radar.trends.terms import load_extractor
from radar.trends.usecases import item_terms
from tests.bench.trends_replay import HN, TWITTER, Replay, replay_corpus

pytestmark = pytest.mark.corpus
CONFIG = TrendConfig()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteTrendStore]:
    with SqliteTrendStore(tmp_path / "radar.sqlite3") as s:
        yield s


@pytest.fixture
def hn(store: SqliteTrendStore) -> Replay:
    return replay_corpus("hn_frontpage_consecutive", HN, store, CONFIG, quiet_past=False)


@pytest.fixture
def twitter(store: SqliteTrendStore) -> Replay:
    return replay_corpus("twitter_trends_india", TWITTER, store, CONFIG, quiet_past=False)


@pytest.fixture
def twitter_quiet(tmp_path: Path) -> Iterator[Replay]:
    with SqliteTrendStore(tmp_path / "quiet.sqlite3") as s:
        yield replay_corpus("twitter_trends_india", TWITTER, s, CONFIG, quiet_past=True)


def distinct_per_term_day(r: Replay) -> dict[tuple[str, str], set[str]]:
    """Independently of the store: the distinct item keys per term and day (for a news source,
    not those of its first snapshot: its backlog is history, not news)."""
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    backlog: set[str] = set()
    for n, (at, source, items) in enumerate(r.snapshots):
        if source.selectors.get("terms") != "topic":
            if n == 0:
                backlog = {i.key for i in items}
            items = [i for i in items if i.key not in backlog]
        for item in items:
            for term in item_terms(source, item):
                keys[(term.key, at.date().isoformat())].add(item.key)
    return keys


def test_corpus_trends_hn_churn_is_not_counted_again(hn: Replay, store: SqliteTrendStore) -> None:
    expected = distinct_per_term_day(hn)
    assert expected, "the HN replay should find some terms"
    day = hn.snapshots[0][0].date()
    for (term, _), keys in expected.items():
        (stored,) = store.term_counts(term, day, day)
        assert stored.count == len(keys), term
    # Terms only the first snapshot (the backlog) names: in the history, never counted.
    backlog = {t.key for i in hn.snapshots[0][2] for t in item_terms(HN, i)}
    only_backlog = backlog - {t for t, _ in expected}
    assert only_backlog
    for term in only_backlog:
        assert store.term_counts(term, day, day) == [], term
        assert store.term_history(term, day, day) == {day}, term
    # The same stories are on most snapshots: summing per snapshot would count far more.
    per_snapshot = sum(len(item_terms(HN, i)) > 0 for _, _, items in hn.snapshots for i in items)
    assert per_snapshot > 3 * sum(len(k) for k in expected.values())


def test_corpus_trends_hn_single_morning_fires_nothing(hn: Replay) -> None:
    # One morning of one source: too little history to tell a new name from a familiar one.
    assert hn.fired == []


def test_corpus_trends_twitter_counts_distinct_rows_per_day(
    twitter: Replay, store: SqliteTrendStore
) -> None:
    expected = distinct_per_term_day(twitter)
    first, last = twitter.snapshots[0][0].date(), twitter.snapshots[-1][0].date()
    for term in ("twitter", "whatsapp", "parler"):
        got = {c.day.isoformat(): c.count for c in store.term_counts(term, first, last)}
        want = {day: len(k) for (t, day), k in expected.items() if t == term}
        assert got == want, term


def test_corpus_trends_twitter_nothing_fires_without_months_of_history(twitter: Replay) -> None:
    assert twitter.fired == []
    reasons = {j.reason for j in twitter.dropped.values()}
    assert any("too short" in r for r in reasons), reasons


def test_corpus_trends_twitter_quiet_past_household_names_are_never_new(
    twitter_quiet: Replay,
) -> None:
    extractor = load_extractor()
    for s in twitter_quiet.fired:
        platform = extractor.platform(s.term)
        if s.kind == EMERGING:
            assert platform is None or not platform.established, s
    assert "whatsapp" not in {s.term for s in twitter_quiet.fired if s.kind == EMERGING}


def test_corpus_trends_twitter_quiet_past_parler_fires_emerging(twitter_quiet: Replay) -> None:
    # Parler trends in four places on 7 January 2021: rare before, a known platform.
    (parler,) = [s for s in twitter_quiet.fired if s.term == "parler"]
    assert parler.kind == EMERGING
    assert parler.day.isoformat() == "2021-01-07"


def test_corpus_trends_twitter_quiet_past_general_trends_need_evidence(
    twitter_quiet: Replay,
) -> None:
    # Band names, games and people trend every day; none is a platform.
    fired = {s.term for s in twitter_quiet.fired}
    assert not fired & {"got7", "pogchamp", "desantis", "mctominay"}
    assert len([s for s in twitter_quiet.fired if s.kind == EMERGING]) <= 1
