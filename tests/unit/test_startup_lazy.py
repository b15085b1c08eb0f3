"""Start-up cuts (issue 15): what a process that classifies, counts or mails nothing does not pay
for. Imports are checked in a fresh interpreter, so other tests' imports do not hide them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from radar.classify import Classifier, load_default_rules, merge_rules, parse_rules
from radar.classify.linear import nonlinear
from radar.classify.rules import compiled
from radar.errors import ConfigError, MailError
from radar.mail.ses import SesMailer
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends import terms, usecases
from tests.unit.test_mail import message

ROOT = Path(__file__).resolve().parents[2]


def fresh(code: str) -> Any:
    """What `code` prints as JSON, run in a new interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def test_classify_severities_load_neither_rules_nor_classifier() -> None:
    loaded = fresh(
        "import json, sys\n"
        "from radar.classify import SEVERITIES, severity_rank\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('radar', 'yaml')))))"
    )
    assert "radar.classify.severity" in loaded
    assert not {"radar.classify.rules", "radar.classify.classifier", "yaml"} & set(loaded)


def test_classify_rules_load_without_the_classifier() -> None:
    loaded = fresh(
        "import json, sys\n"
        "from radar.classify import Rules, load_default_rules\n"
        "load_default_rules()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "radar.classify.rules" in loaded
    assert "radar.classify.classifier" not in loaded
    assert "radar.classify.releases" not in loaded


def test_classify_builtin_patterns_compile_at_the_first_classification() -> None:
    sizes = fresh(
        "import json\n"
        "from radar.classify import Classifier, load_default_rules\n"
        "from radar.classify.rules import compiled\n"
        "c = Classifier(load_default_rules())\n"
        "before = compiled.cache_info().currsize\n"
        "c.category_of('Deprecation', 'The v1 API is deprecated.')\n"
        "print(json.dumps([before, compiled.cache_info().currsize]))"
    )
    assert sizes[0] == 0
    assert sizes[1] > 0


def test_classify_every_builtin_pattern_is_linear_and_compiles() -> None:
    """What loading the packaged rules no longer checks at every start (issue 15)."""
    rules = load_default_rules()
    groups = (
        *(c.patterns for c in rules.categories),
        rules.action_patterns,
        rules.deadline_cues,
        rules.deadline_excludes,
    )
    patterns = [p for group in groups for p in group]
    assert len(patterns) > 300
    assert [p.source for p in patterns if nonlinear(p.source)] == []
    assert all(isinstance(p.regex, re.Pattern) for p in patterns)


def test_classify_deferred_pattern_is_still_refused_with_a_clear_error() -> None:
    raw = {"categories": {"x": {"weights": {3: ["(a"]}}}, "default_category": "x"}
    rules = parse_rules(raw, "my.yaml", checked={"(a"})
    with pytest.raises(ConfigError, match=r"pattern '\(a' is not a valid regex"):
        Classifier(rules).category_of("a", "a")


def test_classify_pattern_not_known_checked_is_checked_linear_at_load() -> None:
    raw = {"categories": {"x": {"weights": {3: ["(a|aa)*c"]}}}, "default_category": "x"}
    with pytest.raises(ConfigError, match="exponential"):
        parse_rules(raw, "my.yaml", checked={"(a|aa)*"})


def test_classify_user_pattern_that_does_not_compile_is_refused_at_load() -> None:
    extra = {"categories": {"policy": {"weights": {3: ["(unclosed"]}}}}
    with pytest.raises(ConfigError, match=r"user rules: category 'policy': .*not a valid regex"):
        merge_rules(load_default_rules(), extra)


def test_classify_user_pattern_is_compiled_at_load() -> None:
    merge_rules(load_default_rules(), {"categories": {"policy": {"weights": {3: ["q7zx rule"]}}}})
    # Compiled now (cached), not at the first classification.
    hits = compiled.cache_info().hits
    compiled("q7zx rule")
    assert compiled.cache_info().hits == hits + 1


def test_detect_trends_without_trend_counts_loads_no_term_extractor(tmp_path: Path) -> None:
    terms.load_extractor.cache_clear()  # the function usecases calls
    with SqliteTrendStore(tmp_path / "radar.sqlite3") as store:
        assert usecases.detect_trends(store, datetime(2026, 11, 1, 9, tzinfo=UTC)) == []
    assert terms.load_extractor.cache_info().misses == 0


def test_mail_ses_mailer_imports_no_aws_sdk_until_it_sends() -> None:
    loaded = fresh(
        "import json, sys\n"
        "from radar.mail.ses import SesMailer\n"
        "SesMailer(configuration_set='radar')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('boto', 'radar')))))"
    )
    assert "radar.mail.ses" in loaded
    assert not [m for m in loaded if m.startswith("boto")]


def test_mail_ses_client_is_made_once_at_the_first_send(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from botocore.exceptions import EndpointConnectionError

    made: list[tuple[str, Any]] = []

    class Unreachable:
        def send_email(self, **_: Any) -> dict[str, str]:
            raise EndpointConnectionError(endpoint_url="https://email.example")

    def client(service: str, config: Any = None) -> Unreachable:
        made.append((service, config))
        return Unreachable()

    monkeypatch.setattr(boto3, "client", client)
    mailer = SesMailer()
    assert made == []
    for _ in range(2):
        with pytest.raises(MailError, match="could not be reached"):
            mailer.send(message())
    assert [service for service, _ in made] == ["sesv2"]
    assert made[0][1].connect_timeout == 5  # explicit timeouts, as before
