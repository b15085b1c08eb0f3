"""The default classifier's verdict on an entry, for tests that check what a title and text
are filed as."""

from __future__ import annotations

from datetime import UTC, datetime

from radar.classify import Classifier, load_default_rules
from tests.support.briefings import change

CLASSIFIER = Classifier(load_default_rules())
_DATED = datetime(2026, 1, 5, tzinfo=UTC)


def classified(title: str, text: str) -> tuple[str, str]:
    """(category, severity) of a dated entry with this title and text."""
    got = CLASSIFIER.classify(
        change("c1", title=title, text=text, entry_key=title, published=_DATED)
    )
    return got.category, got.severity
