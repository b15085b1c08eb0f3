"""Replay the recorded trend corpora (Twitter trends, HN front page) through counting and detection.

The same replay as tests/bench/trends_replay.py, whose committed report says what fires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.score import TrendConfig
from radar.trends.usecases import item_terms
from tests.bench.trends_replay import HN, TWITTER, Replay, replay

pytestmark = pytest.mark.corpus
CONFIG = TrendConfig()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteTrendStore]:
    with SqliteTrendStore(tmp_path / "radar.sqlite3") as s:
        yield s


@pytest.fixture
def hn(store: SqliteTrendStore) -> Replay:
    return replay("hn_frontpage_consecutive", HN, store, CONFIG)


@pytest.fixture
def twitter(store: SqliteTrendStore) -> Replay:
    return replay("twitter_trends_india", TWITTER, store, CONFIG)


def distinct_per_term_day(r: Replay) -> dict[tuple[str, str], set[str]]:
    """Independently of the store: the distinct item keys per term and day."""
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for version, items in r.snapshots:
        for item in items:
            for term in item_terms(r.source, item):
                keys[(term.key, version.date.date().isoformat())].add(item.key)
    return keys


def test_corpus_trends_hn_churn_is_not_counted_again(hn: Replay, store: SqliteTrendStore) -> None:
    expected = distinct_per_term_day(hn)
    assert expected, "the HN replay should find some terms"
    day = hn.snapshots[0][0].date.date()
    for (term, _), keys in expected.items():
        (stored,) = store.term_counts(term, day, day)
        assert stored.count == len(keys), term
    # The same stories are on most snapshots: summing per snapshot would count far more.
    per_snapshot = sum(len(item_terms(HN, i)) > 0 for _, items in hn.snapshots for i in items)
    assert per_snapshot > 3 * sum(len(k) for k in expected.values())


def test_corpus_trends_hn_single_day_fires_nothing(hn: Replay) -> None:
    # One morning of one source: every source is still warming up.
    assert hn.fired == []
    assert all("warming up" in r.evaluation.reason for r in hn.final)


def test_corpus_trends_twitter_counts_distinct_rows_per_day(
    twitter: Replay, store: SqliteTrendStore
) -> None:
    expected = distinct_per_term_day(twitter)
    for term in ("twitter", "whatsapp", "parler"):
        got = {c.day.isoformat(): c.count for c in store.term_counts(term, *_span(twitter))}
        want = {day: len(k) for (t, day), k in expected.items() if t == term}
        assert got == want, term


def test_corpus_trends_twitter_nothing_fires_while_warming_up(twitter: Replay) -> None:
    first = twitter.snapshots[0][0].date.date()
    for version, _ in twitter.fired:
        assert (version.date.date() - first).days >= CONFIG.min_baseline_days + 1


def test_corpus_trends_twitter_every_signal_meets_the_thresholds(twitter: Replay) -> None:
    for _, s in twitter.fired:
        assert s.score >= CONFIG.fire_score
        assert s.count >= CONFIG.min_count
        assert len(s.sources) >= CONFIG.min_sources or s.days >= CONFIG.min_days


def test_corpus_trends_twitter_each_term_fires_at_most_once(twitter: Replay) -> None:
    terms = [s.term for _, s in twitter.fired]
    assert len(terms) == len(set(terms))


def test_corpus_trends_twitter_familiar_twitter_does_not_fire(twitter: Replay) -> None:
    assert "twitter" not in {s.term for _, s in twitter.fired}


def test_corpus_trends_twitter_parler_held_for_support(twitter: Replay) -> None:
    # Parler trends on 7 January 2021 only, in one source: high score, not enough support yet.
    (parler,) = [r for r in twitter.final if r.term == "parler"]
    assert parler.evaluation.score >= CONFIG.fire_score
    assert "one source on one day" in parler.evaluation.reason


def _span(r: Replay) -> tuple:  # type: ignore[type-arg]
    return r.snapshots[0][0].date.date(), r.snapshots[-1][0].date.date()
