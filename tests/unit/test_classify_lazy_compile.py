"""Rule patterns are compiled when the matcher first selects them (issue 15): the first changes
of a run compile a few dozen of the ~300 built-in patterns, not all of them, with the same
results as compiling every one."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from radar.classify import Classifier, load_default_rules, parse_rules
from radar.classify import classifier as classifier_module
from radar.classify.matcher import Matcher
from radar.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["deprecat", "rate limits?", "(?:may|might) deprecate", r"\w+ api", "pr\\d+", "sunset"]


def eager(source: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{source})", re.IGNORECASE)


def test_matcher_compiles_only_the_patterns_it_selects() -> None:
    asked: list[str] = []

    def compile_(source: str) -> re.Pattern[str]:
        asked.append(source)
        return eager(source)

    matcher = Matcher(SOURCES, compile_)
    assert asked == []
    found = dict(matcher.first_matches("Rate limits change next week."))
    # Only the pattern whose literal the text holds: "deprecat", "api", "sunset", ... are not.
    assert asked == ["rate limits?"]
    assert found == {1: 0}


def test_matcher_compiles_each_pattern_once() -> None:
    asked: list[str] = []

    def compile_(source: str) -> re.Pattern[str]:
        asked.append(source)
        return eager(source)

    matcher = Matcher(SOURCES, compile_)
    for _ in range(3):
        list(matcher.first_matches("The v1 API will be deprecated; rate limits rise."))
    assert len(asked) == len(set(asked))


def test_matcher_answers_as_if_every_pattern_were_compiled() -> None:
    lazy = Matcher(SOURCES, eager)
    texts = ["We may deprecate the v1 API", "pr12 sunset", "nothing here", "İstanbul rate limit"]
    for text in texts:
        expected = {
            i: m.start() for i, s in enumerate(SOURCES) if (m := eager(s).search(text)) is not None
        }
        assert dict(lazy.first_matches(text)) == expected


def test_classify_first_change_compiles_a_fraction_of_the_builtin_patterns() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json\n"
            "from radar.classify import Classifier, load_default_rules\n"
            "from radar.classify.rules import compiled\n"
            "rules = load_default_rules()\n"
            "total = sum(len(c.patterns) for c in rules.categories) + len(rules.action_patterns)\n"
            "Classifier(rules).category_of('Deprecation', 'The v1 API is deprecated.')\n"
            "print(json.dumps([compiled.cache_info().currsize, total]))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    used, total = json.loads(out.stdout)
    assert 0 < used < total / 4


def test_classify_workers_meeting_their_first_change_at_once_build_one_matcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[Matcher] = []

    class Counted(Matcher):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(classifier_module, "Matcher", Counted)
    classifier = Classifier(load_default_rules())
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        classifier.category_of("Breaking change", "The v2 endpoint removes the fields param.")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1


def test_classify_bad_deferred_pattern_is_reported_when_first_selected() -> None:
    raw = {"categories": {"x": {"weights": {3: ["sunset)"]}}}, "default_category": "x"}
    rules = parse_rules(raw, "my.yaml", checked={"sunset)"})
    classifier = Classifier(rules)
    assert classifier.category_of("Docs", "Typo fixed.") == "x"  # not selected: not compiled
    with pytest.raises(ConfigError, match=r"pattern 'sunset\)' is not a valid regex"):
        classifier.category_of("Sunset", "The v1 API sunsets in May.")
