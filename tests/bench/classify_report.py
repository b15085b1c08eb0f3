"""Accuracy and speed of radar.classify on the labelled set (tests/data/labelled/*.yaml).

The figure that counts is per source: each corpus case's entries judged on their own, with
nothing in the rules written for that case. The rules have no learned weights, so leaving a
source out means not fitting rules to it: the sources in HELD_OUT were fixed before their labels
were read and their misclassifications were never looked at while the rules were written (run
with `--dev` to list misclassifications of the other sources only, as the rule writer does).

Run: `python tests/bench/classify_report.py [--dev]` (also imported by tests/unit/test_classify.py).
Output is committed at tests/bench/reports/classify.txt.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from radar.classify import Classifier, load_default_rules
from radar.model import Change, ChangeKind
from radar.spec_changes import is_spec_entry

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled"
CPU = time.thread_time
# Chosen when the set was extended (2026-11-26), before these labels or their errors were seen.
HELD_OUT = frozenset(
    {
        "line_messaging_openapi_yaml",
        "mem0_changelog_mdx",
        "miru_product_changelog_mdx",
        "ptb_changes_rst",
        "rss_weaviate_blog",
        "twilio_python_changes_md",
    }
)


@dataclass(frozen=True)
class Outcome:
    id: str
    source: str
    expected: dict[str, Any]
    got: Change

    @property
    def category_ok(self) -> bool:
        return bool(self.got.category == self.expected["category"])

    @property
    def severity_ok(self) -> bool:
        return bool(self.got.severity == self.expected["severity"])

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
        entry_key=_key(entry),
        title=entry["title"],
        text=entry["text"],
        url=entry.get("url"),  # feed items carry their link; a blog's says it is one
        published=when,
        detected_at=when,
    )


def _key(entry: dict[str, Any]) -> str:
    """The entry's key as its extractor made it: the API spec extractors open an entry's text
    with its key (`GET name / return: ...`, `field:name / type: ...`), so the classifier's spec
    path is taken as it is in a real run; other entries are keyed by their labelled id."""
    head = str(entry["text"]).split(" / ", 1)[0]
    return head if is_spec_entry(head, str(entry["text"])) else str(entry["id"])


def source_of(entry: dict[str, Any]) -> str:
    return str(entry["source"]).split(" ")[0]


def evaluate(classifier: Classifier | None = None) -> list[Outcome]:
    c = classifier or Classifier(load_default_rules())
    return [
        Outcome(e["id"], source_of(e), e["expected"], c.classify(as_change(e))) for e in labelled()
    ]


def timing(
    classifier: Classifier | None = None, rounds: int = 5, clock: Callable[[], float] = CPU
) -> tuple[float, float]:
    """Median and mean milliseconds per entry over the labelled set (best of `rounds`).

    `clock` is the thread's CPU time by default: the budget is CPU, and on a shared machine the
    wall clock also counts whatever else runs. A fresh classifier's first pass over the set is
    included in the rounds (the word memo of radar/classify/matcher.py starts empty)."""
    c = classifier or Classifier(load_default_rules())
    changes = [as_change(e) for e in labelled()]
    best: list[float] = []
    for _ in range(rounds):
        times = []
        for change in changes:
            start = clock()
            c.classify(change)
            times.append((clock() - start) * 1000)
        if not best or statistics.median(times) < statistics.median(best):
            best = times
    return statistics.median(best), statistics.mean(best)


def _accuracy(outcomes: list[Outcome]) -> tuple[float, float, int]:
    n = len(outcomes)
    action_minor = sum(
        o.expected["severity"] == "action" and o.got.severity == "minor" for o in outcomes
    )
    return (
        sum(o.category_ok for o in outcomes) / n,
        sum(o.severity_ok for o in outcomes) / n,
        action_minor,
    )


def report(outcomes: list[Outcome], *, dev: bool = False, speed: bool = True) -> str:
    total = len(outcomes)
    by_source: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_source[o.source].append(o)
    lines = [
        f"labelled entries: {total} from {len(by_source)} sources "
        f"({sum(len(v) for k, v in by_source.items() if k in HELD_OUT)} in "
        f"{len(HELD_OUT & by_source.keys())} held-out sources)",
        "",
        "per source (each judged alone; * = held out while the rules were written):",
        f"  {'source':36} {'n':>4} {'category':>9} {'severity':>9} {'action->minor':>14}",
    ]
    for source in sorted(by_source):
        cat, sev, am = _accuracy(by_source[source])
        mark = "*" if source in HELD_OUT else " "
        lines.append(
            f" {mark}{source:36} {len(by_source[source]):>4} {cat:>9.3f} {sev:>9.3f} {am:>14}"
        )
    held = [o for o in outcomes if o.source in HELD_OUT]
    dev_set = [o for o in outcomes if o.source not in HELD_OUT]
    macro_cat = statistics.mean(_accuracy(v)[0] for v in by_source.values())
    macro_sev = statistics.mean(_accuracy(v)[1] for v in by_source.values())
    cat_acc, sev_acc, action_minor = _accuracy(outcomes)
    lines += [
        "",
        f"category accuracy: {cat_acc:.3f} (mean of sources {macro_cat:.3f})",
        f"severity accuracy: {sev_acc:.3f} (mean of sources {macro_sev:.3f})",
    ]
    if held:
        hc, hs, _ = _accuracy(held)
        dc, ds, _ = _accuracy(dev_set)
        lines.append(f"held-out sources: category {hc:.3f}, severity {hs:.3f} ({len(held)})")
        lines.append(f"other sources:    category {dc:.3f}, severity {ds:.3f} ({len(dev_set)})")
    lines += [
        *agreement_lines(outcomes),
        f"deadline accuracy: {sum(o.deadline_ok for o in outcomes) / total:.3f}",
        f"action entries classified minor: {action_minor}",
    ]
    if speed:
        median, mean = timing()
        first, _ = timing(rounds=1)
        wall, _ = timing(clock=time.perf_counter)
        lines.append(
            f"classify: median {median:.3f} ms, mean {mean:.3f} ms per entry (CPU time; "
            f"a new classifier's first pass {first:.3f} ms; wall clock {wall:.3f} ms)"
        )
    per = Counter(o.expected["category"] for o in outcomes)
    ok = Counter(o.expected["category"] for o in outcomes if o.category_ok)
    lines += ["", f"{'category':32} {'n':>4} {'correct':>8} {'acc':>6}"]
    for cat_id in sorted(per):
        n, right = per[cat_id], ok[cat_id]
        lines.append(f"{cat_id:32} {n:>4} {right:>8} {right / n:>6.2f}")
    sev_n = Counter(o.expected["severity"] for o in outcomes)
    sev_ok = Counter(o.expected["severity"] for o in outcomes if o.severity_ok)
    lines += ["", f"{'severity':32} {'n':>4} {'correct':>8} {'acc':>6}"]
    for s in ("action", "notable", "minor"):
        if sev_n[s]:
            lines.append(f"{s:32} {sev_n[s]:>4} {sev_ok[s]:>8} {sev_ok[s] / sev_n[s]:>6.2f}")
    lines += ["", "misclassified (id: expected -> got):"]
    for o in outcomes:
        if dev and o.source in HELD_OUT:
            continue
        if not (o.category_ok and o.severity_ok and o.deadline_ok):
            e = o.expected
            lines.append(
                f"  {o.id}: {e['category']}/{e['severity']}/{e['deadline']} -> "
                f"{o.got.category}/{o.got.severity}/{o.got.deadline}"
            )
    return "\n".join(lines) + "\n"


# A second, independent labelling of a sample (tests/data/second_labels.yaml) says how
# well-defined the target is (the labellers' own agreement, with Cohen's kappa, which discounts
# agreement by chance) and how much of Radar's score on a source is fit to whoever labelled it.
SECOND = LABELLED.parent / "second_labels.yaml"


def second_labels() -> dict[str, dict[str, Any]]:
    """The second labeller's labels by entry id."""
    entries = yaml.safe_load(SECOND.read_text("utf-8"))["entries"]
    return {str(e["id"]): e for e in entries}


def agreement(pairs: Iterable[tuple[str, str]]) -> tuple[float, float]:
    """Observed agreement and Cohen's kappa of two labellings of the same items."""
    pairs = list(pairs)
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    return observed, (observed - chance) / (1 - chance) if chance < 1 else 1.0


def agreement_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """The report's section: labellers' agreement, and Radar against each labelling, for all
    the doubly labelled entries, those of the other sources and those of the held-out ones."""
    second = second_labels()
    both = [o for o in outcomes if o.id in second]
    groups = (
        ("all", both),
        ("other sources", [o for o in both if o.source not in HELD_OUT]),
        ("held-out sources", [o for o in both if o.source in HELD_OUT]),
    )
    lines = [
        f"second labeller ({len(both)} entries, {sum(second[o.id]['unsure'] for o in both)} "
        "marked unsure): labellers' agreement (kappa); Radar against the first labels, the "
        "second, and on the entries both labelled alike",
    ]
    for field in ("category", "severity"):
        for name, group in groups:
            if not group:
                continue
            firsts = [o.expected[field] for o in group]
            seconds = [second[o.id][field] for o in group]
            gots = [getattr(o.got, field) for o in group]
            observed, kappa = agreement(zip(firsts, seconds, strict=True))
            alike = [(f, g) for f, s, g in zip(firsts, seconds, gots, strict=True) if f == s]
            lines.append(
                f"  {field:8} {name:16} n={len(group):3}: agree {observed:.3f} ({kappa:.2f}); "
                f"Radar {_share(zip(firsts, gots, strict=True)):.3f} / "
                f"{_share(zip(seconds, gots, strict=True)):.3f} / "
                f"{_share(alike):.3f} ({len(alike)})"
            )
    return lines


def _share(pairs: Iterable[tuple[str, str]]) -> float:
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0


if __name__ == "__main__":
    sys.stdout.write(report(evaluate(), dev="--dev" in sys.argv))
