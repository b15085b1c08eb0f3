"""Replay trend histories through the pipeline's counting and hourly detection, and report.

`python -m tests.bench.trends_replay [--fast]` writes tests/bench/reports/trends_replay.txt:

- every trend history in ../shared/corpus (Twitter trends India, the HN front page, the
  hourly-regenerated blog feeds), as recorded, and again "with a quiet past" (the sources
  watched for 60 days before, with nothing seen: every name counts as new, the worst case for
  false alerts);
- the synthetic histories of tests/bench/trends_synthetic.py at 6 h, 1 h and 20 min sampling
  (`--fast`: 1 h only): per planted case what fired, which kind, its lead time versus the peak
  day and whether it met the bar (fired on or before the first day the source carried >= 3 of
  its stories in 24 h); false emerging alerts per week.

The replay does what `radar run` does per sample: each source's page -> new and edited items
(`pipeline._trend_items`' rule) -> `count_trend_items(..., hour=, before=)` -> `detect_trends`.
tests/corpus/test_corpus_trends.py runs the same replay and checks its properties.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from radar.errors import ExtractError
from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind, SourceRole
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import EMERGING, SURGE, TrendSignal
from radar.trends.rise import Judgement
from radar.trends.score import TrendConfig
from radar.trends.usecases import count_trend_items, detect_trends, source_kind
from tests.bench import trends_synthetic as synth
from tests.support.corpus import CORPUS, versions

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


def _feed(folder: str) -> Source:
    return Source(
        folder,
        "trends",
        SourceKind.AUTO,
        f"https://example.invalid/{folder}",
        role=SourceRole.TREND,
    )


CORPORA = (
    ("twitter_trends_india", TWITTER),
    ("hn_frontpage_consecutive", HN),
    ("rss_cursor_blog", _feed("rss_cursor_blog")),
    ("rss_weaviate_blog", _feed("rss_weaviate_blog")),
    ("rss_windsurf_changelog", _feed("rss_windsurf_changelog")),
)
QUIET_PAST = timedelta(days=60)


@dataclass
class Page:
    """One source as the pipeline sees it: which items are new, and the edited ones' past."""

    source: Source
    seen: dict[str, Item] = field(default_factory=dict)
    runs: int = 0

    def step(self, items: Sequence[Item]) -> tuple[list[Item], dict[str, Item], list[Item]]:
        """(items to count, previous versions of the edited ones, backlog)."""
        self.runs += 1
        if self.source.selectors.get("terms") == "topic":
            return list(items), {}, []  # a trend list: every fetch says "still trending"
        if self.runs == 1 and items:
            self.seen.update((i.key, i) for i in items)
            return [], {}, list(items)  # the first run's backlog: history, not news
        new = [i for i in items if i.key not in self.seen]
        before = {
            i.key: self.seen[i.key]
            for i in items
            if i.key in self.seen
            and (self.seen[i.key].title, self.seen[i.key].text) != (i.title, i.text)
        }
        for i in items:
            self.seen[i.key] = i
        return new + [i for i in items if i.key in before], before, []


@dataclass
class Replay:
    """What one replay saw and fired."""

    name: str
    samples: int = 0
    items: int = 0
    first: datetime | None = None
    last: datetime | None = None
    snapshots: list[tuple[datetime, Source, list[Item]]] = field(default_factory=list)
    fired: list[TrendSignal] = field(default_factory=list)
    dropped: dict[str, Judgement] = field(default_factory=dict)  # term -> latest drop

    @property
    def weeks(self) -> float:
        if self.first is None or self.last is None:
            return 0.0
        return max((self.last - self.first).total_seconds() / (7 * 86400), 1 / 7)


Sample = tuple[datetime, Sequence[tuple[Source, Sequence[Item]]]]


def replay(
    name: str,
    samples: Iterable[Sample],
    store: SqliteTrendStore,
    config: TrendConfig,
    *,
    keep_snapshots: bool = False,
) -> Replay:
    """Count and detect at every sample, as `radar run` would at that time."""
    out = Replay(name)
    pages: dict[str, Page] = {}
    kinds: dict[str, str] = {}

    def judged(j: Judgement) -> None:
        if not j.fire:
            out.dropped[j.term] = j

    for at, pages_now in samples:
        for source, items in pages_now:
            page = pages.setdefault(source.id, Page(source))
            kinds[source.id] = source_kind(source)
            counted, before, backlog = page.step(items)
            count_trend_items(
                source, counted, at.date(), store, hour=at.hour, before=before, backlog=backlog
            )
            out.items += len(items)
            if keep_snapshots:
                out.snapshots.append((at, source, list(items)))
        out.fired += detect_trends(store, at, config, kinds=kinds, on_judged=judged)
        out.samples += 1
        out.first = out.first or at
        out.last = at
    return out


def corpus_samples(folder: str, source: Source) -> list[Sample]:
    out: list[Sample] = []
    for version in versions(folder):
        try:
            items = extract(source, FetchResult(source.url, 200, version.path.read_bytes()))
        except ExtractError:
            continue  # the pipeline records a failed run (an empty feed) and counts nothing
        out.append((version.date, [(source, items)]))
    return out


def replay_corpus(
    folder: str, source: Source, store: SqliteTrendStore, config: TrendConfig, *, quiet_past: bool
) -> Replay:
    """A recorded history; `quiet_past`: as if the source had been watched, seeing nothing."""
    samples = corpus_samples(folder, source)
    if quiet_past:
        store.add_counts(source.id, samples[0][0].date() - QUIET_PAST, [])
    label = f"{folder}{' (quiet past)' if quiet_past else ''}"
    return replay(label, samples, store, config, keep_snapshots=not quiet_past)


def synthetic_samples(h: synth.History, every: timedelta) -> Iterable[Sample]:
    at = synth.START
    end = synth.START + timedelta(days=synth.DAYS)
    while at < end:
        yield at, [(s, h.visible(s.id, at)) for s in (synth.NEWS, synth.CHART)]
        at += every


@dataclass(frozen=True)
class CaseResult:
    case: synth.Case
    signals: tuple[TrendSignal, ...]
    peak: date | None
    bar_day: date | None  # first day the sampled page carried >= 3 of its stories in 24 h

    @property
    def ok(self) -> bool:
        kinds = {s.kind for s in self.signals}
        if self.case.expect is None:
            return not self.signals
        if kinds != {self.case.expect}:
            return False
        if self.case.expect == SURGE:
            return True  # the bar is for emerging names; a surge is a briefing line
        first = min(s.day for s in self.signals)
        return self.bar_day is None or first <= self.bar_day


def case_results(h: synth.History, r: Replay, every: timedelta) -> list[CaseResult]:
    out = []
    for case in h.cases:
        news = [s for s in case.stories if s.source == synth.NEWS.id]
        per_day = Counter(s.appears.date() for s in news)
        peak = max(per_day, key=lambda d: (per_day[d], -d.toordinal())) if per_day else None
        out.append(
            CaseResult(
                case, tuple(s for s in r.fired if s.term == case.term), peak, _bar_day(news, every)
            )
        )
    return out


def _bar_day(stories: Sequence[synth.Story], every: timedelta) -> date | None:
    """The first day a sample saw the third of the case's stories within 24 h."""
    at, end = synth.START, synth.START + timedelta(days=synth.DAYS)
    seen: dict[str, datetime] = {}
    while at < end:
        for s in stories:
            if s.key not in seen and s.visible(at):
                seen[s.key] = at
        if sum(1 for t in seen.values() if at - t < timedelta(hours=24)) >= 3:
            return at.date()
        at += every
    return None


def false_emerging(r: Replay, results: Sequence[CaseResult]) -> list[TrendSignal]:
    """Emerging alerts that should not be: of names not planted, or of planted negatives."""
    wanted = {c.case.term for c in results if c.case.expect == EMERGING}
    return [s for s in r.fired if s.kind == EMERGING and s.term not in wanted]


def render_replay(r: Replay, lines: list[str]) -> None:
    emerging = [s for s in r.fired if s.kind == EMERGING]
    surges = [s for s in r.fired if s.kind == SURGE]
    lines.append(
        f"== {r.name}: {r.samples} samples, {r.first:%Y-%m-%d %H:%M} .. {r.last:%Y-%m-%d %H:%M}"
        f" UTC, {r.items} items on the sampled pages; emerging {len(emerging)} "
        f"({len(emerging) / r.weeks:.2f}/week), surge {len(surges)}"
    )
    for s in r.fired:
        lines.append(
            f"  {s.fired_at:%Y-%m-%d %H:%M}  {s.kind:<8} {s.display:<20} {s.count} items "
            f"(expected {s.expected:.1f}) from {', '.join(s.sources)}"
        )
    ranked = sorted(
        r.dropped.values(), key=lambda j: (-j.velocity.items, -j.evaluation.count, j.term)
    )
    if ranked:
        lines.append("  rises dropped (latest reason per term, most items first):")
    for j in ranked[:8]:
        lines.append(f"    {j.term[:24]:<24} {j.velocity.items:>3} in 24 h  {j.reason}")


def render(
    config: TrendConfig,
    corpora: Sequence[Replay],
    synthetic: Sequence[tuple[str, Replay, list[CaseResult]]],
) -> str:
    lines = ["Trend replay (tests/bench/trends_replay.py)", f"config: {config}", ""]
    lines.append("# Recorded corpora (../shared/corpus)")
    for r in corpora:
        render_replay(r, lines)
    lines += ["", "# Synthetic histories (tests/bench/trends_synthetic.py), 120 days"]
    for label, r, results in synthetic:
        lines.append("")
        render_replay(r, lines)
        false = false_emerging(r, results)
        lines.append(
            f"  sampling {label}: false emerging alerts {len(false)} "
            f"({len(false) / r.weeks:.3f}/week over {r.weeks:.1f} weeks)"
        )
        for c in results:
            fired = ", ".join(f"{s.kind} {s.fired_at:%m-%d %H:%M}" for s in c.signals) or "nothing"
            lead = ""
            if c.signals and c.peak:
                days = (c.peak - min(s.day for s in c.signals)).days
                lead = f", lead {days:+d} d vs peak {c.peak:%m-%d}"
            bar = f", bar day {c.bar_day:%m-%d}" if c.bar_day else ""
            lines.append(
                f"  [{'ok' if c.ok else 'MISS'}] {c.case.name} ({c.case.term}, expect "
                f"{c.case.expect or 'nothing'}): {fired}{lead}{bar}"
            )
    return "\n".join(lines)


def run_all(
    config: TrendConfig, tmp: Path, everies: Sequence[tuple[str, timedelta]]
) -> tuple[list[Replay], list[tuple[str, Replay, list[CaseResult]]]]:
    corpora = []
    for folder, source in CORPORA:
        if not (CORPUS / folder).is_dir():
            continue
        for quiet in (False, True):
            with SqliteTrendStore(tmp / f"{folder}-{quiet}.sqlite3") as store:
                corpora.append(replay_corpus(folder, source, store, config, quiet_past=quiet))
    h = synth.history()
    synthetic = []
    for label, every in everies:
        with SqliteTrendStore(tmp / f"synthetic-{label}.sqlite3") as store:
            r = replay(
                f"synthetic, sampled every {label}", synthetic_samples(h, every), store, config
            )
        synthetic.append((label, r, case_results(h, r, every)))
    return corpora, synthetic


def other_seeds(
    config: TrendConfig, tmp: Path, seeds: Sequence[int]
) -> list[tuple[int, Replay, list[CaseResult]]]:
    """The synthetic history with other random backgrounds, sampled hourly (robustness)."""
    out = []
    every = timedelta(hours=1)
    for seed in seeds:
        h = synth.history(seed)
        with SqliteTrendStore(tmp / f"synthetic-seed{seed}.sqlite3") as store:
            r = replay(f"synthetic seed {seed}", synthetic_samples(h, every), store, config)
        out.append((seed, r, case_results(h, r, every)))
    return out


def render_seeds(runs: Sequence[tuple[int, Replay, list[CaseResult]]]) -> str:
    lines = ["", "# Other backgrounds (seeds), sampled every 1 h"]
    for seed, r, results in runs:
        false = false_emerging(r, results)
        ok = sum(c.ok for c in results)
        names = ", ".join(f"{s.display} {s.fired_at:%m-%d}" for s in false)
        lines.append(
            f"  seed {seed}: planted cases ok {ok}/{len(results)}; false emerging alerts "
            f"{len(false)} ({len(false) / r.weeks:.3f}/week){': ' + names if names else ''}"
        )
    return "\n".join(lines)


SEEDS = (13, 14, 15, 16)
EVERY = (
    ("6 h", timedelta(hours=6)),
    ("1 h", timedelta(hours=1)),
    ("20 min", timedelta(minutes=20)),
)


def main(argv: Sequence[str] = (), write: Callable[[str], object] = print) -> int:
    everies = EVERY[1:2] if "--fast" in argv else EVERY
    config = TrendConfig()
    with tempfile.TemporaryDirectory() as tmp:
        corpora, synthetic = run_all(config, Path(tmp), everies)
        seeds = other_seeds(config, Path(tmp), () if "--fast" in argv else SEEDS)
    text = render(config, corpora, synthetic) + ("\n" + render_seeds(seeds) if seeds else "")
    if "--fast" not in argv:
        REPORT.write_text(text + "\n", "utf-8")
    write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
