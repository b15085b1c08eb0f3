"""Alert content for one rise of a term: pure data for the email templates, and a text part.

What a strategist needs to judge a rise at a glance: the term and, when the alias table knows
it, what it is; the daily mentions of the last two weeks (data for an HTML-table bar chart: no
JavaScript, no SVG, so it renders in every email client); and the links that mention it.

Also who gets an alert (`wants_alert`): the subscriber's region and platform filters against
the regions of the sources that counted the rise and the alias table (docs/trends.md, Alerts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from radar.model import Source
from radar.subscriptions.model import Subscription
from radar.trends.model import EMERGING, SURGE, DailyCount, Link, TrendSignal
from radar.trends.terms import Platform, normalise

CHART_DAYS = 14
# Catalog selector naming the region a trend source speaks for (Google Trends geo=IN: IN).
REGION_SELECTOR = "region"
# The region of a source without one: its items are not about one country.
GLOBAL = "*"
MAX_LINKS = 5
_TEXT_BAR = 30  # characters of the longest bar in the text part


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One day of the chart: the count, and the bar's width in percent of the widest."""

    day: date
    count: int
    percent: int


@dataclass(frozen=True, slots=True)
class AlertContent:
    """Everything an alert email shows; templates only lay it out."""

    term: str
    name: str
    what: str  # "" when the alias table does not know the term
    known: bool
    subject: str
    summary: str
    rise: int
    fired_at: datetime
    score: float
    count: int
    expected: float
    sources: tuple[str, ...]
    chart: tuple[ChartBar, ...]
    links: tuple[Link, ...]
    days: int = 1  # days of the recent window with mentions
    kind: str = EMERGING  # EMERGING or SURGE (radar.trends.rise)
    hours: int = 24  # the velocity window an emerging rise was judged on


def alert_content(
    signal: TrendSignal,
    counts: Sequence[DailyCount],
    platform: Platform | None = None,
    *,
    days: int = CHART_DAYS,
    max_links: int = MAX_LINKS,
    hours: int = 24,
) -> AlertContent:
    """The content of the alert for `signal`, from the term's daily counts (any sources)."""
    name = platform.name if platform else signal.display
    chart = chart_bars(signal.day, counts, days)
    links = top_links(counts, max_links)
    n_sources = len(signal.sources)
    where = f"{n_sources} source{'s' if n_sources != 1 else ''}"
    if signal.kind == SURGE:
        # An established platform is never announced as a new name (issue 12).
        subject = f"Surge: {name} unusually in the news ({signal.count} mentions, {where})"
    elif platform:
        subject = f"Rising: {name} ({signal.count} mentions, {where})"
    else:
        subject = f"New name rising: {name} ({signal.count} mentions, {where})"
    again = f" This is its rise number {signal.rise}." if signal.rise > 1 else ""
    # The same words as the locales' alert_summary_hours / alert_summary (render/locales).
    if signal.kind == EMERGING:
        window, per = f"first seen in the last {hours} hours", " a day"
    else:
        window, per = f"in the last {signal.days or 1} day(s)", ""
    summary = (
        f"{name} was mentioned by {signal.count} items {window} "
        f"across {where} ({', '.join(signal.sources)}), against about {signal.expected:.1f}"
        f"{per} expected from its own history.{again}"
    )
    return AlertContent(
        term=signal.term,
        name=name,
        what=platform.what if platform else "",
        known=platform is not None,
        subject=subject,
        summary=summary,
        rise=signal.rise,
        fired_at=signal.fired_at,
        score=signal.score,
        count=signal.count,
        expected=signal.expected,
        sources=signal.sources,
        chart=chart,
        links=links,
        days=signal.days,
        kind=signal.kind,
        hours=hours,
    )


def chart_bars(
    end: date, counts: Sequence[DailyCount], days: int = CHART_DAYS
) -> tuple[ChartBar, ...]:
    """Daily totals (summed over sources) for the `days` days ending on `end`, oldest first."""
    totals: Counter[date] = Counter()
    for c in counts:
        totals[c.day] += c.count
    span = [end - timedelta(days=i) for i in range(days - 1, -1, -1)]
    top = max((totals[d] for d in span), default=0) or 1
    # A day with mentions keeps a visible sliver even next to a tall bar.
    return tuple(
        ChartBar(d, totals[d], max(2, round(100 * totals[d] / top)) if totals[d] else 0)
        for d in span
    )


def top_links(counts: Sequence[DailyCount], limit: int = MAX_LINKS) -> tuple[Link, ...]:
    """The links that mention the term: most often seen first, then the most recent."""
    seen: Counter[str] = Counter()
    latest: dict[str, tuple[date, Link]] = {}
    for c in counts:
        for link in c.links:
            if not link.url.startswith(("https://", "http://")):
                continue  # links end up in emails: http(s) only
            seen[link.url] += 1
            if link.url not in latest or latest[link.url][0] < c.day:
                latest[link.url] = (c.day, link)
    ranked = sorted(seen, key=lambda u: (-seen[u], -latest[u][0].toordinal(), u))
    return tuple(latest[u][1] for u in ranked[:limit])


def alert_text(content: AlertContent) -> str:
    """The plain-text part: summary, what it is, a text bar chart and the links."""
    lines = [content.subject, "", content.summary]
    if content.what:
        lines += ["", f"What it is: {content.what}"]
    lines += ["", "Mentions per day (distinct items):"]
    top = max((b.count for b in content.chart), default=0) or 1
    for bar in content.chart:
        width = round(_TEXT_BAR * bar.count / top)
        lines.append(f"  {bar.day:%a %d %b}  {'#' * width:<{_TEXT_BAR}} {bar.count}")
    if content.links:
        lines += ["", "Where it is mentioned:"]
        lines += [f"  - {link.title or link.url}\n    {link.url}" for link in content.links]
    return "\n".join(lines) + "\n"


# --- who gets an alert ----------------------------------------------------------------------


def source_regions(sources: Iterable[Source]) -> dict[str, str]:
    """Each source's region from its `region` selector (upper case), `GLOBAL` without one."""
    return {
        s.id: (s.selectors.get(REGION_SELECTOR) or GLOBAL).strip().upper() or GLOBAL
        for s in sources
    }


def signal_regions(signal: TrendSignal, regions: Mapping[str, str]) -> frozenset[str]:
    """The regions of the sources that counted the rise (`GLOBAL` for one without a region,
    and for a source no longer in the catalog)."""
    return frozenset(regions.get(source, GLOBAL) for source in signal.sources) or frozenset(
        {GLOBAL}
    )


def platform_keys(platform: Platform) -> frozenset[str]:
    """Every normalised way to name a known platform in a filter: its key, its name and its
    aliases, so `--platforms x` or `twitter` both name X (Twitter)."""
    spellings = (platform.term, platform.name, *platform.aliases, *platform.names)
    return frozenset(normalise(s) for s in (*spellings, *platform.ambiguous) if normalise(s))


def wants_alert(
    sub: Subscription,
    signal_regions: frozenset[str],
    platform: Platform | None,
    kind: str = "emerging",
) -> bool:
    """Whether `sub` gets the alert about a rise seen in `signal_regions` (see signal_regions).

    - It must have asked for alerts of `kind`.
    - Regions: no filter passes everything; otherwise the rise must be seen in one of the
      subscriber's regions or by a global source (a rise only other countries' trend lists
      saw is left out).
    - Platforms: no filter passes everything; a known platform passes if the filter names it;
      an unknown name always passes (new names are what alerts are for).
    """
    if not sub.wants_alerts(kind):
        return False
    if sub.regions and GLOBAL not in signal_regions and not (sub.regions & signal_regions):
        return False
    if sub.platforms and platform is not None:
        wanted = {normalise(p) for p in sub.platforms}
        return bool(wanted & platform_keys(platform))
    return True
