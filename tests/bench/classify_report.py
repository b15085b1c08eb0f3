"""Accuracy of radar.classify on the labelled set (tests/data/labelled/*.yaml).

Run: `python tests/bench/classify_report.py` (also imported by tests/unit/test_classify.py).
Output is committed at tests/bench/reports/classify.txt.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from radar.classify import Classifier, load_default_rules
from radar.model import Change, ChangeKind

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled"


@dataclass(frozen=True)
class Outcome:
    id: str
    expected: dict[str, Any]
    got: Change

    @property
    def category_ok(self) -> bool:
        return self.got.category == self.expected["category"]

    @property
    def severity_ok(self) -> bool:
        return self.got.severity == self.expected["severity"]

    @property
    def deadline_ok(self) -> bool:
        want = self.expected["deadline"]
        want = date.fromisoformat(str(want)) if want else None
        return self.got.deadline == want


def labelled() -> list[dict[str, Any]]:
    """Every labelled entry, one file per corpus case (tests/data/labelled/<case>.yaml)."""
    out: list[dict[str, Any]] = []
    for path in sorted(LABELLED.glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text("utf-8"))["entries"])
    return out


def as_change(entry: dict[str, Any]) -> Change:
    day = date.fromisoformat(str(entry["date"]))
    when = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Change(
        id=entry["id"],
        source_id=entry["source"].split(" ")[0],
        platform=entry["platform"],
        kind=ChangeKind.ADDED,
        entry_key=entry["id"],
        title=entry["title"],
        text=entry["text"],
        url=None,
        published=when,
        detected_at=when,
    )


def evaluate(classifier: Classifier | None = None) -> list[Outcome]:
    c = classifier or Classifier(load_default_rules())
    return [Outcome(e["id"], e["expected"], c.classify(as_change(e))) for e in labelled()]


def report(outcomes: list[Outcome]) -> str:
    total = len(outcomes)
    per = Counter(o.expected["category"] for o in outcomes)
    ok = Counter(o.expected["category"] for o in outcomes if o.category_ok)
    lines = [
        f"labelled entries: {total}",
        "",
        f"{'category':32} {'n':>4} {'correct':>8} {'acc':>6}",
    ]
    for cat in sorted(per):
        lines.append(f"{cat:32} {per[cat]:>4} {ok[cat]:>8} {ok[cat] / per[cat]:>6.2f}")
    cat_acc = sum(o.category_ok for o in outcomes) / total
    sev_acc = sum(o.severity_ok for o in outcomes) / total
    dl_acc = sum(o.deadline_ok for o in outcomes) / total
    sev = Counter(o.expected["severity"] for o in outcomes)
    sev_ok = Counter(o.expected["severity"] for o in outcomes if o.severity_ok)
    lines += ["", f"{'severity':32} {'n':>4} {'correct':>8} {'acc':>6}"]
    for s in ("action", "notable", "minor"):
        if sev[s]:
            lines.append(f"{s:32} {sev[s]:>4} {sev_ok[s]:>8} {sev_ok[s] / sev[s]:>6.2f}")
    action_minor = [
        o.id for o in outcomes if o.expected["severity"] == "action" and o.got.severity == "minor"
    ]
    lines += [
        "",
        f"category accuracy: {cat_acc:.3f}",
        f"severity accuracy: {sev_acc:.3f}",
        f"deadline accuracy: {dl_acc:.3f}",
        f"action entries classified minor: {len(action_minor)} {action_minor}",
        "",
        "misclassified (id: expected -> got):",
    ]
    for o in outcomes:
        if not (o.category_ok and o.severity_ok and o.deadline_ok):
            e = o.expected
            lines.append(
                f"  {o.id}: {e['category']}/{e['severity']}/{e['deadline']} -> "
                f"{o.got.category}/{o.got.severity}/{o.got.deadline}"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(report(evaluate()))
