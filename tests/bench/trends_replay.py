"""Replay the recorded trend corpora through extraction -> counting -> detection.

`python -m tests.bench.trends_replay` writes tests/bench/reports/trends_replay.txt: what fires
(and when), and the top terms at the end of each replay with the reason they did not fire.
tests/corpus/test_corpus_trends.py runs the same replay and checks its properties.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind, SourceRole
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import TrendSignal
from radar.trends.score import TrendConfig
from radar.trends.usecases import TermReport, count_trend_items, detect_trends, evaluate_terms
from tests.support.corpus import Version, versions

REPORT = Path(__file__).parent / "reports" / "trends_replay.txt"

TWITTER = Source(
    id="twitter-trends-india",
    platform="trends",
    kind=SourceKind.CSV,
    url="https://example.invalid/twitter-trends.csv",
    name="Twitter trends (India, cities, worldwide)",
    role=SourceRole.TREND,
    selectors={"group": "location", "weight": "tweet_volume", "terms": "topic"},
)
HN = Source(
    id="hn-frontpage",
    platform="trends",
    kind=SourceKind.JSON,
    url="https://example.invalid/hn.json",
    name="Hacker News front page",
    role=SourceRole.TREND,
)
CORPORA = (("twitter_trends_india", TWITTER), ("hn_frontpage_consecutive", HN))


@dataclass
class Replay:
    """What one replay saw: items per snapshot, signals per snapshot, the final evaluation."""

    folder: str
    source: Source
    snapshots: list[tuple[Version, list[Item]]] = field(default_factory=list)
    fired: list[tuple[Version, TrendSignal]] = field(default_factory=list)
    final: list[TermReport] = field(default_factory=list)


def replay(folder: str, source: Source, store: SqliteTrendStore, config: TrendConfig) -> Replay:
    """Every recorded version in time order: extract, count, detect (as `radar run` would)."""
    out = Replay(folder, source)
    for version in versions(folder):
        body = version.path.read_bytes()
        items = extract(source, FetchResult(source.url, 200, body))
        count_trend_items(source, items, version.date.date(), store)
        out.snapshots.append((version, items))
        for signal in detect_trends(store, version.date, config):
            out.fired.append((version, signal))
    last = out.snapshots[-1][0].date.date()
    out.final = evaluate_terms(store, last, config, days=7)
    return out


def render(replays: Sequence[Replay], config: TrendConfig) -> str:
    lines = [
        "Trend replay of the recorded corpora (tests/bench/trends_replay.py)",
        f"config: {config}",
        "",
    ]
    for r in replays:
        first, last = r.snapshots[0][0].date, r.snapshots[-1][0].date
        n_items = sum(len(items) for _, items in r.snapshots)
        lines += [
            f"== {r.folder}: {len(r.snapshots)} snapshots, {first:%Y-%m-%d %H:%M} .. "
            f"{last:%Y-%m-%d %H:%M} UTC, {n_items} items extracted",
            f"signals fired: {len(r.fired)}",
        ]
        for version, s in r.fired:
            lines.append(
                f"  {version.date:%Y-%m-%d %H:%M}  {s.display:<24} score {s.score:6.2f}  "
                f"{s.count} items (expected {s.expected:.1f}) on {s.days} day(s) "
                f"from {', '.join(s.sources)}"
            )
        lines.append(
            f"top terms on {last:%Y-%m-%d} (score, last 7 days of distinct items, why not):"
        )
        for rep in r.final[:15]:
            ev = rep.evaluation
            daily = " ".join(f"{n:>3}" for _, n in rep.daily)
            lines.append(
                f"  {ev.term[:28]:<28} {ev.score:6.2f}  [{daily}]  "
                f"{'EMERGING' if ev.emerging else ev.reason}"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> int:
    import tempfile

    config = TrendConfig()
    with tempfile.TemporaryDirectory() as tmp:
        replays = []
        for folder, source in CORPORA:
            with SqliteTrendStore(Path(tmp) / f"{folder}.sqlite3") as store:
                replays.append(replay(folder, source, store, config))
    text = render(replays, config)
    REPORT.write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
