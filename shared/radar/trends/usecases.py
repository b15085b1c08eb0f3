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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from radar.model import Item, Source
from radar.store.trend_ports import TrendStore
from radar.trends.alerts import CHART_DAYS, AlertContent, alert_content
from radar.trends.model import DailyCount, Link, Mention, TermCount, TrendSignal
from radar.trends.score import (
    Evaluation,
    Series,
    TrendConfig,
    decide,
    evaluate,
    history_start,
)
from radar.trends.terms import Term, TermExtractor, load_extractor

# Selector of a trend source saying that each item's title is itself a trend topic (Twitter
# trends, Google Trends), not a headline to search for names.
TERMS_SELECTOR = "terms"
TOPIC_MODE = "topic"
# ...or that each item's title is a product's name (Product Hunt, app charts).
NAME_MODE = "name"


def item_terms(source: Source, item: Item, extractor: TermExtractor | None = None) -> list[Term]:
    """The terms one item of a trend source mentions."""
    extractor = extractor or load_extractor()
    mode = source.selectors.get(TERMS_SELECTOR)
    if mode == TOPIC_MODE:
        return extractor.topic_terms(item.title)
    if mode == NAME_MODE:
        return extractor.name_terms(item.title, item.text)
    text = item.title if not item.text or item.text == item.title else f"{item.title}\n{item.text}"
    return extractor.terms(text)


def mention_key(item_key: str) -> str:
    """A short, stable key for an item (stores keep sets of them)."""
    return hashlib.blake2b(item_key.encode("utf-8"), digest_size=10).hexdigest()


def term_counts(
    source: Source, items: Iterable[Item], day: date, extractor: TermExtractor | None = None
) -> list[TermCount]:
    """Per term, the distinct items of `source` that mention it (pure; see count_trend_items)."""
    mentions: dict[str, dict[str, Mention]] = defaultdict(dict)
    for item in items:
        link = _link(item)
        key = mention_key(item.key)
        for term in item_terms(source, item, extractor):
            mentions[term.key].setdefault(key, Mention(key, link))
    return [
        TermCount(term, day, source.id, tuple(found.values()))
        for term, found in sorted(mentions.items())
    ]


def count_trend_items(
    source: Source,
    items: Sequence[Item],
    day: date,
    store: TrendStore,
    extractor: TermExtractor | None = None,
) -> list[TermCount]:
    """Count the terms `items` mention for `source` on `day`, and add them to the store.

    Idempotent: counting the same items again (the next fetch of an unchanged feed, HN rank
    churn) adds nothing. Pass every item of a trend list (each fetch says "still trending");
    for news feeds, pass the items first seen in this run, so an article that stays in a feed
    for a week is counted on its first day only.
    """
    counts = term_counts(source, items, day, extractor)
    store.add_counts(source.id, day, counts)
    return counts


@dataclass(frozen=True, slots=True)
class TermReport:
    """One term's evaluation today with its daily totals (for `radar trends` and alerts)."""

    evaluation: Evaluation
    daily: tuple[tuple[date, int], ...]  # oldest first, every day of the window
    counts: tuple[DailyCount, ...]

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
) -> list[TrendSignal]:
    """Record and return the terms that started rising (one signal per rise of a term).

    A term fires when it is emerging today and, if it fired before, its score fell below the
    re-arm threshold since. The write is conditional, so concurrent or repeated runs (Lambda
    retries, `radar run` twice in an hour) record each rise once; only the run that recorded
    it returns it.
    """
    config = config or TrendConfig()
    extractor = extractor or load_extractor()
    day = now.date()
    first_days = store.source_first_days()
    fired: list[TrendSignal] = []
    for report in evaluate_terms(store, day, config, days=config.history_days):
        if not report.evaluation.emerging:
            continue
        term = report.term
        last = store.get_signal(term)
        series = Series.from_counts(term, report.counts, first_days)
        start = history_start(day, last, config)
        if start < day - timedelta(days=config.history_days - 1):
            # The cooldown looks further back than the evaluation did.
            series = Series.from_counts(term, store.term_counts(term, start, day), first_days)
        decision = decide(series, day, last, config)
        if not decision.fire:
            continue
        ev = decision.evaluation
        platform = extractor.platform(term)
        signal = TrendSignal(
            term=term,
            display=platform.name if platform else term,
            rise=(last.rise + 1) if last else 1,
            day=day,
            fired_at=now,
            score=round(ev.score, 3),
            count=ev.count,
            expected=round(ev.expected, 3),
            sources=ev.sources,
            days=ev.days,
        )
        if store.put_signal(signal):
            fired.append(signal)
    return fired


def alert_for(
    signal: TrendSignal,
    store: TrendStore,
    extractor: TermExtractor | None = None,
    *,
    days: int = CHART_DAYS,
) -> AlertContent:
    """The alert content of a stored signal: its last `days` of counts and links."""
    extractor = extractor or load_extractor()
    start = signal.day - timedelta(days=days - 1)
    counts = store.term_counts(signal.term, start, signal.day)
    return alert_content(signal, counts, extractor.platform(signal.term), days=days)


def _link(item: Item) -> Link | None:
    if not item.url or urlsplit(item.url).scheme not in ("http", "https"):
        return None  # links end up in emails: http(s) only
    return Link(item.url, item.title)
