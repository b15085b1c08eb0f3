"""The trend use cases: count what a trend source mentions; detect the terms that rise.

The lead wires these into the pipeline:

- after a trend source (`role: trend`) is fetched and extracted:
  `count_trend_items(source, items, now.date(), trend_store)`;
- hourly: `detect_trends(trend_store, now, config)` -> new `TrendSignal`s, each recorded once
  (conditional write), which `send_alerts` turns into emails with `alert_for(signal, store)`
  and `radar.render.alert.render_alert`.

Adapters come in as arguments and time as `now`; this module reads no clock and no environment.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from radar.model import Item, Source
from radar.store.trend_ports import TrendStore
from radar.trends.evidence import Evidenced, bare_mentions, evidence_finder
from radar.trends.model import DailyCount, Link, Mention, TermCount, TrendSignal
from radar.trends.rise import NEWS, Judgement, judge, quiet, signal_of, velocity
from radar.trends.score import Evaluation, Series, TrendConfig, evaluate, history_start
from radar.trends.terms import Term, TermExtractor, TermKind, load_extractor

if TYPE_CHECKING:  # the alert's content (and its locale tables) only where an alert is built
    from radar.alerts.content import AlertContent

log = logging.getLogger(__name__)

# Selector of a trend source saying that each item's title is itself a trend topic (Twitter
# trends, Google Trends), not a headline to search for names.
TERMS_SELECTOR = "terms"
TOPIC_MODE = "topic"
# ...or that each item's title is a product's name (Product Hunt, app charts).
NAME_MODE = "name"
# Selector naming the kind of signal a source gives (news, search, chart, pageviews, social):
# two sources of different kinds agreeing fire an emerging name sooner (radar.trends.rise).
SIGNAL_SELECTOR = "signal"
# How long a name that had platform evidence stays a candidate whose bare mentions count.
CANDIDATE_DAYS = 14


def source_kind(source: Source) -> str:
    """The kind of signal `source` gives: its `signal` selector, else read from `terms`."""
    explicit = source.selectors.get(SIGNAL_SELECTOR)
    if explicit:
        return explicit.strip().lower()
    mode = source.selectors.get(TERMS_SELECTOR)
    return {TOPIC_MODE: "trending", NAME_MODE: "listing"}.get(mode or "", NEWS)


def source_kinds(sources: Iterable[Source]) -> dict[str, str]:
    """Source id -> kind of signal, for `detect_trends` (trend sources of the catalog)."""
    return {s.id: source_kind(s) for s in sources}


def item_evidence(
    source: Source, item: Item, extractor: TermExtractor | None = None
) -> list[Evidenced]:
    """The terms one item of a trend source mentions, each with its platform evidence."""
    extractor = extractor or load_extractor()
    mode = source.selectors.get(TERMS_SELECTOR)
    text = _text(item)
    if mode == TOPIC_MODE:
        terms = extractor.topic_terms(item.title)
    elif mode == NAME_MODE:
        terms = extractor.name_terms(item.title, item.text)
    else:
        terms = extractor.terms(text)
    return evidence_finder(extractor).find(terms, text, item.url, listing=mode == NAME_MODE)


def item_terms(source: Source, item: Item, extractor: TermExtractor | None = None) -> list[Term]:
    """The terms one item of a trend source mentions (with or without platform evidence)."""
    return [e.term for e in item_evidence(source, item, extractor)]


def mention_key(item_key: str) -> str:
    """A short, stable key for an item (stores keep sets of them)."""
    return hashlib.blake2b(item_key.encode("utf-8"), digest_size=10).hexdigest()


def term_counts(
    source: Source,
    items: Iterable[Item],
    day: date,
    extractor: TermExtractor | None = None,
    *,
    hour: int | None = None,
    before: Mapping[str, Item] | None = None,
    candidates: Collection[str] = (),
) -> list[TermCount]:
    """Per term, the distinct items of `source` that mention it (pure; see count_trend_items).

    `before`: the previous version of edited items (by key); such an item counts only for the
    terms its new version added ("Telegram" edited into a title counts now, once).
    `candidates`: unknown names that had platform evidence lately (`TrendStore.candidate_terms`);
    their bare capitalised mentions count too, as do those of names with evidence in `items`.
    """
    if hour is not None and not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, not {hour}")
    extractor = extractor or load_extractor()
    items = list(items)
    found = [item_evidence(source, item, extractor) for item in items]
    names = {
        e.term.key
        for ev in found
        for e in ev
        if e.candidate and e.term.kind is not TermKind.PLATFORM
    }
    names |= {c for c in candidates if extractor.platform(c) is None}
    known = frozenset(names)
    finder = evidence_finder(extractor)
    mentions: dict[str, dict[str, Mention]] = defaultdict(dict)
    for item, evidenced in zip(items, found, strict=True):
        link = _link(item)
        key = mention_key(item.key)
        old = before.get(item.key) if before else None
        had = _all_terms(source, old, extractor, known) if old is not None else set()
        text = _text(item)
        bare = [finder.bare(t, text) for t in bare_mentions(text, known)]
        for e in (*evidenced, *bare):
            if e.term.key in had:
                continue
            seen = mentions[e.term.key].get(key)
            if seen is None or (e.candidate and not seen.evidence):
                mentions[e.term.key][key] = Mention(key, link, e.candidate, e.countered)
    return [
        TermCount(term, day, source.id, tuple(found.values()), hour)
        for term, found in sorted(mentions.items())
    ]


def _text(item: Item) -> str:
    return item.title if not item.text or item.text == item.title else f"{item.title}\n{item.text}"


def _all_terms(
    source: Source, item: Item, extractor: TermExtractor, candidates: frozenset[str]
) -> set[str]:
    return {t.key for t in item_terms(source, item, extractor)} | {
        t.key for t in bare_mentions(_text(item), candidates)
    }


def count_trend_items(
    source: Source,
    items: Sequence[Item],
    day: date,
    store: TrendStore,
    extractor: TermExtractor | None = None,
    *,
    hour: int | None = None,
    before: Mapping[str, Item] | None = None,
    backlog: Sequence[Item] = (),
) -> list[TermCount]:
    """Count the terms `items` mention for `source` on `day` (first seen in `hour`, UTC), and
    add them to the store; the terms of `backlog` (a news source's first run) go to the
    long-run history only.

    Idempotent: counting the same items again (the next fetch of an unchanged feed, HN rank
    churn) adds nothing. Pass every item of a trend list (each fetch says "still trending");
    for news feeds, pass the items first seen in this run and the edited ones with their
    previous version in `before`, so an article is counted on the day a term first appears in
    it: when it is new, or when an edit adds the term. Names with platform evidence in the last
    `CANDIDATE_DAYS` count in any item that names them.
    """
    candidates = store.candidate_terms(day - timedelta(days=CANDIDATE_DAYS), day)
    counts = term_counts(
        source, items, day, extractor, hour=hour, before=before, candidates=candidates
    )
    if backlog:
        # The first run of a news source shows its backlog: history (so its familiar names are
        # familiar), not news (so they do not look like a sudden rise). DESIGN: backfill is
        # not news.
        seen = {c.term for c in counts}
        old = term_counts(source, backlog, day, extractor, candidates=candidates)
        counts += [TermCount(c.term, day, source.id, (), hour) for c in old if c.term not in seen]
    store.add_counts(source.id, day, counts)
    return counts


@dataclass(frozen=True, slots=True)
class TermReport:
    """One term's evaluation today with its daily totals (for `radar trends` and alerts)."""

    evaluation: Evaluation
    daily: tuple[tuple[date, int], ...]  # oldest first, every day of the window
    counts: tuple[DailyCount, ...]
    judgement: Judgement | None = None  # set by `judge_terms`

    @property
    def term(self) -> str:
        return self.evaluation.term


def evaluate_terms(
    store: TrendStore, day: date, config: TrendConfig, *, days: int = 14
) -> list[TermReport]:
    """Every term active in the recent window, evaluated on `day`, highest score first.

    Reads only; `days` is how many daily totals each report carries.
    """
    start = day - timedelta(days=config.recent_days - 1)
    first_days = store.source_first_days()
    history = day - timedelta(days=max(config.history_days, days) - 1)
    reports = []
    for term in sorted(store.active_terms(start, day)):
        counts = store.term_counts(term, history, day)
        series = Series.from_counts(term, counts, first_days)
        ev = evaluate(series, day, config)
        reports.append(TermReport(ev, daily_totals(series, day, days), tuple(counts)))
    reports.sort(key=lambda r: (-r.evaluation.score, r.term))
    return reports


def judge_terms(
    store: TrendStore,
    now: datetime,
    config: TrendConfig,
    *,
    kinds: Mapping[str, str] | None = None,
    extractor: TermExtractor | None = None,
    days: int = 14,
) -> list[TermReport]:
    """Every term active in the recent window, judged at `now` (emerging, surge or neither).

    Reads only. `kinds`: source id -> kind of signal (`source_kind`); unknown sources are news.
    The long-run history is read only for terms that moved (`rise.quiet`).
    """
    kinds = kinds or {}
    day = now.date()
    terms = sorted(store.active_terms(day - timedelta(days=config.recent_days - 1), day))
    if not terms:
        return []  # a catalog without trend sources: no alias tables to load (~25 ms)
    extractor = extractor or load_extractor()
    first_days = store.source_first_days()
    watch_start = min(first_days.values(), default=None)
    span = max(config.history_days, days, config.velocity_hours // 24 + 2)
    start = day - timedelta(days=span - 1)
    reports = []
    for term in terms:
        counts = store.term_counts(term, start, day)
        series = Series.from_counts(term, counts, first_days)
        base = evaluate(series, day, config)
        speed = velocity(series, now, config, kinds)
        last: TrendSignal | None = None
        history = None
        # Only terms that moved cost more reads: their last signal and long-run history.
        if not quiet(base, speed, config):
            last = store.get_signal(term)
            need = history_start(day, last, config)
            if last is not None and need < start:  # the cooldown looks further back
                series = Series.from_counts(term, store.term_counts(term, need, day), first_days)
            history = store.term_history(term, day - timedelta(days=config.novelty_days), day)
        j = judge(
            series, now, config, history=history, watch_start=watch_start,
            platform=extractor.platform(term), last=last, kinds=kinds,
            evaluation=base, speed=speed,
        )  # fmt: skip
        reports.append(TermReport(base, daily_totals(series, day, days), tuple(counts), j))
    reports.sort(
        key=lambda r: (not (r.judgement and r.judgement.fire), -r.evaluation.score, r.term)
    )
    return reports


def daily_totals(series: Series, day: date, days: int) -> tuple[tuple[date, int], ...]:
    """The term's total per day for the `days` days ending on `day`, zeros included."""
    return tuple(
        (d, series.count(d)) for d in (day - timedelta(days=i) for i in range(days - 1, -1, -1))
    )


def detect_trends(
    store: TrendStore,
    now: datetime,
    config: TrendConfig | None = None,
    extractor: TermExtractor | None = None,
    *,
    kinds: Mapping[str, str] | None = None,
    on_judged: Callable[[Judgement], None] | None = None,
) -> list[TrendSignal]:
    """Record and return the terms that started rising: emerging names and surging platforms.

    One signal per rise of a term (radar.trends.rise says which kind). The write is conditional,
    so concurrent or repeated runs (Lambda retries, `radar run` twice in an hour) record each
    rise once; only the run that recorded it returns it. Every rise that is not fired is logged
    with its reason (and passed to `on_judged`, as are the fired ones).
    """
    config = config or TrendConfig()
    reports = judge_terms(store, now, config, kinds=kinds, extractor=extractor, days=1)
    if not reports:
        return []
    extractor = extractor or load_extractor()
    fired: list[TrendSignal] = []
    for report in reports:
        j = report.judgement
        if j is None or not j.rising:
            continue
        if on_judged is not None:
            on_judged(j)
        if not j.fire:
            log.info(
                "trend rise dropped",
                extra={"term": j.term, "kind": j.kind or "none", "reason": j.reason},
            )
            continue
        last = store.get_signal(j.term)
        platform = extractor.platform(j.term)
        display = platform.name if platform else _display(j.term, report.counts)
        signal = signal_of(j, now, config, display, last)
        if store.put_signal(signal):
            fired.append(signal)
        else:
            log.info(
                "trend rise dropped", extra={"term": j.term, "reason": "recorded by another run"}
            )
    return fired


def _display(term: str, counts: Iterable[DailyCount]) -> str:
    """How the items wrote an unknown name ("Noplace", "BeReal"), else its key."""
    pattern = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.I)
    for c in counts:
        for link in c.links:
            m = pattern.search(link.title)
            if m and m.group(0) != m.group(0).lower():
                return m.group(0)
    return term


def alert_for(
    signal: TrendSignal,
    store: TrendStore,
    extractor: TermExtractor | None = None,
    *,
    days: int | None = None,
    source_names: Mapping[str, str] | None = None,
) -> AlertContent:
    """The alert content of a stored signal: its last `days` (default: the chart's) of counts
    and links; `source_names` (catalog id -> name) say where the mentions were."""
    from radar.alerts.content import CHART_DAYS, alert_content

    days = CHART_DAYS if days is None else days
    extractor = extractor or load_extractor()
    start = signal.day - timedelta(days=days - 1)
    counts = store.term_counts(signal.term, start, signal.day)
    platform = extractor.platform(signal.term)
    return alert_content(signal, counts, platform, days=days, source_names=source_names)


def _link(item: Item) -> Link | None:
    if not item.url or urlsplit(item.url).scheme not in ("http", "https"):
        return None  # links end up in emails: http(s) only
    return Link(item.url, item.title)
