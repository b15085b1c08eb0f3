"""radar.classify.deadlines: only sentences with a date spot are read, and the answer is the same
as reading every sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest

from radar.classify import find_deadline, load_default_rules
from radar.classify.deadlines import _DIGIT_SPOT, _MONTH_DAY, _SENTENCE_END, _dates_in, _spots
from radar.classify.lowercase import plain_lowercase
from radar.classify.rules import Rules
from tests.bench.classify_report import labelled

RULES = load_default_rules()
ON = date(2026, 3, 1)

# Texts whose dates sit where a scan could miss them: after a quarter on the line before, in a
# word that only starts like a month, with characters that lowercase unlike they match.
TRICKY = [
    "Q1\n2027-01-05 the API will be removed.",
    "Support ends Q3 2027. Until then, nothing changes.",
    "Marketing 5 will change.",  # "Marketing" starts like "March"
    "The v1 endpoints will be removed on  Sept.  15th , 2026; migrate before.",
    "This will be removed 15 of march.",
    "Removal in 90 days; a 30-day grace period starts now.",
    "Deprecated ſep 5 2027 will go.",
    "İt will be shut down on June 30, 2026.",
    "Version 2 will ship. Node 18 will be dropped by 2026-12-01!",
    "We released on May 3 the feature that will be removed on May 30.",
    "",
    "no digits will be here",
    "A summary 5 will follow; dec    5 is too far; jan.. 5 and .  5 are not dates either.",
    "Xmarch\t\t\t5 and feb.\n7, then 3 jun 4 jul 5 and ja n 5 will be removed by nov. 30.",
]


@dataclass
class _Counting:
    """A regex stand-in that counts the texts it was asked about."""

    regex: re.Pattern[str]
    seen: list[str] = field(default_factory=list)

    def search(self, text: str) -> re.Match[str] | None:
        self.seen.append(text)
        return self.regex.search(text)


@dataclass
class _RulesSpy:
    any_deadline_cue: _Counting
    any_deadline_exclude: _Counting


def _every_sentence(text: str, on: date, rules: Rules, relative: bool) -> tuple[date | None, str]:
    """find_deadline as it was before the date spots: every sentence with a digit is read."""
    best: tuple[date, str] | None = None
    for sentence in (s for s in _SENTENCE_END.split(text) if s.strip()):
        if not re.search(r"\d", sentence) or not rules.any_deadline_cue.search(sentence):
            continue
        if rules.any_deadline_exclude.search(sentence):
            continue
        for found in _dates_in(sentence, on, relative):
            if found >= on and (best is None or found < best[0]):
                best = (found, sentence.strip())
    return (best[0], best[1]) if best else (None, "")


def test_find_deadline_reads_only_sentences_with_a_date_spot() -> None:
    spy = _RulesSpy(_Counting(RULES.any_deadline_cue), _Counting(RULES.any_deadline_exclude))
    text = "Version 2 will ship. Python 3.8 will be dropped. It will be removed on May 2, 2027."
    found = find_deadline(text, ON, spy, relative=True)  # type: ignore[arg-type]
    assert found == (date(2027, 5, 2), "It will be removed on May 2, 2027.")
    assert spy.any_deadline_cue.seen == ["It will be removed on May 2, 2027."]


def test_find_deadline_reads_nothing_in_an_entry_without_a_date() -> None:
    spy = _RulesSpy(_Counting(RULES.any_deadline_cue), _Counting(RULES.any_deadline_exclude))
    # Words that hold a month's or a unit's letters ("today", "marketplace") but no date.
    text = "Today v2.3.1 will ship to the marketplace (#1234); 3 endpoints will change."
    assert find_deadline(text, ON, spy) == (None, "")  # type: ignore[arg-type]
    assert spy.any_deadline_cue.seen == []


@pytest.mark.parametrize("relative", [True, False])
def test_find_deadline_is_the_same_as_reading_every_sentence(relative: bool) -> None:
    texts = TRICKY + [f"{e['title']}.\n{e['text']}" for e in labelled()]
    for text in texts:
        for on in (ON, date(2024, 1, 1)):
            assert find_deadline(text, on, RULES, relative=relative) == _every_sentence(
                text, on, RULES, relative
            ), text[:80]


def test_spots_are_where_the_digit_spot_or_the_month_day_form_matches() -> None:
    # Month days found from the digits (a digit after a word) instead of scanning the letters
    # for months, in the one scan that finds the other spots.
    month_day, digit_spot = re.compile(_MONTH_DAY), re.compile(_DIGIT_SPOT)
    texts = TRICKY + [f"{e['title']}.\n{e['text']}" for e in labelled()]
    for text in texts:
        low = plain_lowercase(text)
        if low is None:
            continue
        want = {m.end() - 1 for m in month_day.finditer(low)}
        want |= {m.start() for m in digit_spot.finditer(low)}
        assert set(_spots(low)) == want, text[:80]
