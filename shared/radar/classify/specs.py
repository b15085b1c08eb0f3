"""API spec entries (OpenAPI and JSON specs) are classified by their structure, not their prose.

A removed operation or field breaks callers, and so does an edit that adds a requirement or
narrows a type (radar/spec_changes.py reads the edit); a deprecation flag is a deprecation; an
edit to descriptions only is minor; an added entry is filed by its subject, read from the words
of its identifiers (a payments endpoint under ads), and is notable.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from radar.classify.deadlines import find_deadline
from radar.classify.rules import ACTION_CATEGORIES, FIXES_DOCS, Rules
from radar.classify.severity import ACTION, MINOR, NOTABLE
from radar.classify.stamp import with_verdict
from radar.model import Change, ChangeKind
from radar.spec_changes import is_deprecated
from radar.spec_changes import judge as judge_spec_edit

# Where an identifier's words meet: `product_catalogs`, `ProductCatalog`.
_IDENTIFIER_JOIN = re.compile(r"_|(?<=[a-z])(?=[A-Z])")


def classify_spec(change: Change, rules: Rules, subject: Callable[[str, str], str]) -> Change:
    """`change` (a spec entry) with category, severity and deadline; `subject(title, text)` is
    the category the rules' patterns give those words."""
    deadline, sentence = None, ""
    if change.kind is ChangeKind.REMOVED:
        category, severity = "breaking-change", ACTION
    elif change.kind is ChangeKind.COSMETIC:
        category, severity = FIXES_DOCS, MINOR
    elif change.kind is ChangeKind.EDITED:
        category, severity = judge_spec_edit(change.diff)
    elif is_deprecated(change.text):
        category, severity = "deprecation", ACTION
    else:
        # A spec names its subject in identifiers ("GET product_catalogs", "return:
        # CampaignSchedule"): their words are what the vocabulary knows.
        category = subject(words_of(change.title), words_of(change.text))
        if category in ACTION_CATEGORIES or category == FIXES_DOCS:
            category = rules.default_category
        severity = NOTABLE
    if category == "deprecation":
        # A sunset date in the spec's own words ("removed on 2027-03-01").
        deadline, sentence = find_deadline(
            change.text, change.effective_date.date(), rules, relative=False
        )
    if category not in rules.category_ids:
        category = rules.default_category
    return with_verdict(change, category, severity, deadline, sentence)


def words_of(identifiers: str) -> str:
    """`product_catalogs` and `ProductCatalog` as "product catalogs", "Product Catalog"."""
    return _IDENTIFIER_JOIN.sub(" ", identifiers)
