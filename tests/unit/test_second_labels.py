"""The second labelling of the labelled set's sample (tests/data/second_labels.yaml) and the
agreement figures tests/bench/classify_report.py prints from it."""

from __future__ import annotations

import pytest

from radar.classify import load_default_rules
from tests.bench.classify_report import agreement, labelled, second_labels

SEVERITIES = {"action", "notable", "minor"}


def test_every_second_label_names_a_labelled_entry_and_valid_ids() -> None:
    first = {e["id"]: e for e in labelled()}
    categories = {c.id for c in load_default_rules().categories} - {"emerging-platform"}
    second = second_labels()
    assert len(second) == 164
    for entry_id, label in second.items():
        assert entry_id in first, entry_id
        assert label["category"] in categories, label
        assert label["severity"] in SEVERITIES, label
        assert isinstance(label["unsure"], bool) and label["reason"]


def test_agreement_is_observed_share_and_cohens_kappa() -> None:
    # The textbook case: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: 0.7 observed,
    # 0.5 by chance, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    observed, kappa = agreement(pairs)
    assert observed == pytest.approx(0.7)
    assert kappa == pytest.approx(0.4)
    assert agreement([("a", "a"), ("b", "b")]) == (1.0, 1.0)
    assert agreement([("a", "a"), ("a", "a")]) == (1.0, 1.0)  # one label only: no chance term
