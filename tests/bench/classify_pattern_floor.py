"""The floor that Python's `re` puts under classify on a first run (issue 11's 5% bar).

Every compiled pattern's calls are recorded while a classifier files the first-run changes of
bench_classify_first_run.py's 100 pages, then only those calls are replayed and timed: what
the pattern matching alone costs, were all of classify's own Python free. `re.compile` is
wrapped before `radar.classify` is imported, so patterns compiled at import and at first use
are both seen; the recorded run's answers are checked against an unrecorded classifier's.
The replay loop's own cost (the same loop calling a no-op) is taken off.

The bar asks classify to be at most 5% of a first run's CPU. With R the rest of a first run
(its CPU without classify, from reports/vs_urlwatch.txt), classify may take 0.05 / 0.95 * R.

Run: `python tests/bench/classify_pattern_floor.py [--write]` (needs ../shared/corpus). Output
is committed at tests/bench/reports/classify_pattern_floor.txt.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT = Path(__file__).resolve().parent / "reports" / "classify_pattern_floor.txt"
FIRST_RUN = Path(__file__).resolve().parent / "reports" / "vs_urlwatch.txt"
CLASSIFY_REPORT = Path(__file__).resolve().parent / "reports" / "classify_first_run.txt"
ROUNDS = 5
CPU = time.thread_time
METHODS = ("search", "match", "fullmatch", "split", "findall", "finditer", "sub", "subn")
Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], bool]
CALLS: list[Call] = []
_compile = re.compile


class _Recorded:
    """A compiled pattern whose matching calls are appended to CALLS (method, arguments)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern
        for name in METHODS:
            setattr(self, name, self._recorder(getattr(pattern, name), name == "finditer"))

    @staticmethod
    def _recorder(method: Callable[..., Any], lazy: bool) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            CALLS.append((method, args, kwargs, lazy))
            return method(*args, **kwargs)

        return call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)


def _replay(calls: list[Call], *, noop: bool) -> float:
    """CPU seconds to make the recorded calls again (or a no-op in their place), best of ROUNDS.
    A finditer is advanced to its first match, as a caller that only asks "is there one"."""
    best = float("inf")

    def nothing(*_a: Any, **_k: Any) -> None:
        return None

    for _ in range(ROUNDS):
        start = CPU()
        for method, args, kwargs, lazy in calls:
            result = (nothing if noop else method)(*args, **kwargs)
            if lazy:
                next(iter(result or ()), None)
        best = min(best, CPU() - start)
    return best


def _figure(path: Path, pattern: str) -> float:
    found = re.search(pattern, path.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"{path.name}: no figure matching {pattern!r}; regenerate it first")
    return float(found.group(1))


def run() -> str:
    re.compile = lambda *a, **k: _Recorded(_compile(*a, **k))  # type: ignore[assignment]
    from bench_classify_first_run import _extract_all
    from vs_urlwatch_sites import corpus_pages

    from radar.classify import Classifier, load_default_rules

    _, entries = _extract_all(corpus_pages())
    changes = [e.change for e in entries]
    recorded = Classifier(load_default_rules())
    CALLS.clear()
    answers = [(c.category, c.severity, c.deadline) for c in map(recorded.classify, changes)]
    calls = list(CALLS)
    re.compile = _compile
    plain = Classifier(load_default_rules())
    if answers != [(c.category, c.severity, c.deadline) for c in map(plain.classify, changes)]:
        raise SystemExit("recording changed the classifier's answers: the floor would be wrong")

    matching = _replay(calls, noop=False) - _replay(calls, noop=True)
    first_run = _figure(FIRST_RUN, r"first run \(empty state\)\s+([\d.]+)s")
    classify = _figure(CLASSIFY_REPORT, r"classify:\s+([\d.]+) s")
    budget = 0.05 / 0.95 * (first_run - classify)
    return (
        f"first-run changes classified: {len(changes)}; pattern calls made: {len(calls)} "
        f"({len(calls) / len(changes):.1f} per change)\n"
        f"pattern matching alone (CPU, best of {ROUNDS}, loop cost taken off): {matching:.3f} s\n"
        f"classify, whole (reports/classify_first_run.txt): {classify:.3f} s\n"
        f"a first run's CPU (reports/vs_urlwatch.txt): {first_run:.2f} s, so the 5% bar allows "
        f"classify {budget:.3f} s\n"
        f"pattern matching alone is {matching / budget:.1f}x that allowance: "
        + ("under it" if matching <= budget else "the bar is out of reach with these patterns")
        + "\n"
    )


if __name__ == "__main__":
    out = run()
    sys.stdout.write(out)
    if "--write" in sys.argv:
        REPORT.write_text(out, encoding="utf-8")
