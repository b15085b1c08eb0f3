"""Alert content for one rise of a term: pure data for the email templates, and a text part.

What a strategist needs to judge a rise at a glance, in plain words (issue 14): "Mentions of
Threads rose from about 1 a day to 14 in the last 24 hours across Hacker News and 2
subreddits"; the term and, when the alias table knows it, what it is; the daily mentions of the
last two weeks (data for an HTML-table bar chart: no JavaScript, no SVG, so it renders in every
email client); and the stories that mention it, by their own links, before any search page.

Also who gets an alert (`wants_alert`): the subscriber's region and platform filters against
the regions of the sources that counted the rise and the alias table (docs/trends.md, Alerts).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from radar.model import Source
from radar.render.locale import Locale, load_locale
from radar.subscriptions.model import Subscription
from radar.trends.model import EMERGING, SURGE, DailyCount, TrendSignal
from radar.trends.terms import Platform, normalise

CHART_DAYS = 14
# Catalog selector naming the region a trend source speaks for (Google Trends geo=IN: IN).
REGION_SELECTOR = "region"
# The region of a source without one: its items are not about one country.
GLOBAL = "*"
MAX_LINKS = 5
# One search page is enough to "see more"; the other slots are for stories.
MAX_SEARCH_LINKS = 1
# The window a surge is judged on (TrendConfig.recent_days): its baseline is per window.
SURGE_WINDOW_DAYS = 2
_TEXT_BAR = 30  # characters of the longest bar in the text part
# A trend list links each row to a search ("twitter.com/search?q=Parler"), not to a story.
_SEARCH_PATH = re.compile(r"/(?:search|explore|trending|hashtag|tags?)(?:/|$)", re.I)
_SEARCH_KEYS = frozenset({"q", "query", "search", "keyword", "keywords", "term", "geo"})


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One day of the chart: the count, and the bar's width in percent of the widest."""

    day: date
    count: int
    percent: int


@dataclass(frozen=True, slots=True)
class AlertLink:
    """A link that mentions the term: a story (its own page) or a search page."""

    url: str
    title: str
    where: str  # the source that carried it, as people call it ("Hacker News front page")
    search: bool = False


@dataclass(frozen=True, slots=True)
class AlertContent:
    """Everything an alert email shows; templates only lay it out."""

    term: str
    name: str
    what: str  # "" when the alias table does not know the term
    known: bool
    subject: str
    summary: str  # the rise in plain English words (rise_sentence); mail uses its locale's
    rise: int
    fired_at: datetime
    score: float
    count: int
    expected: float
    sources: tuple[str, ...]
    chart: tuple[ChartBar, ...]
    links: tuple[AlertLink, ...]
    days: int = 1  # days of the recent window with mentions
    kind: str = EMERGING  # EMERGING or SURGE (radar.trends.rise)
    hours: int = 24  # the window the count is over: emerging velocity hours, or a surge's days
    source_names: tuple[str, ...] = ()  # `sources` as people call them, in the same order
    per_day: float = 0.0  # what the term's own history predicts for one day

    @property
    def stories(self) -> tuple[AlertLink, ...]:
        return tuple(link for link in self.links if not link.search)


def alert_content(
    signal: TrendSignal,
    counts: Sequence[DailyCount],
    platform: Platform | None = None,
    *,
    days: int = CHART_DAYS,
    max_links: int = MAX_LINKS,
    hours: int = 24,
    source_names: Mapping[str, str] | None = None,
) -> AlertContent:
    """The content of the alert for `signal`, from the term's daily counts (any sources).

    `source_names`: catalog names of the trend sources (source id -> name); without them a
    source is named after its id.
    """
    name = platform.name if platform else signal.display
    chart = chart_bars(signal.day, counts, days)
    names = source_names or {}
    links = top_links(counts, max_links, names=names)
    n_sources = len(signal.sources)
    where = f"{n_sources} source{'s' if n_sources != 1 else ''}"
    if signal.kind == SURGE:
        # An established platform is never announced as a new name (issue 12).
        subject = f"Surge: {name} unusually in the news ({signal.count} mentions, {where})"
        window, per_day = SURGE_WINDOW_DAYS * 24, signal.expected / SURGE_WINDOW_DAYS
    else:
        if platform:
            subject = f"Rising: {name} ({signal.count} mentions, {where})"
        else:
            subject = f"New name rising: {name} ({signal.count} mentions, {where})"
        window, per_day = hours, signal.expected  # an emerging signal's baseline is per day
    content = AlertContent(
        term=signal.term,
        name=name,
        what=platform.what if platform else "",
        known=platform is not None,
        subject=subject,
        summary="",
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
        hours=window,
        source_names=tuple(source_name(s, names) for s in signal.sources),
        per_day=per_day,
    )
    # The English sentence for the text part and logs; mail says it in its own language.
    return replace(content, summary=rise_sentence(content, load_locale("en")))


def rise_sentence(content: AlertContent, loc: Locale) -> str:
    """The rise in plain words: "Mentions of Threads rose from about 1 a day to 14 in the last
    24 hours across Hacker News and 2 subreddits." (plus "its rise number 2" when it is)."""
    per_day = content.per_day
    if per_day < 0.05:
        before = loc.t("alert_before_none")
    elif per_day < 0.95:
        before = loc.t("alert_before_under_one")
    else:
        before = loc.t("alert_before_about", n=round(per_day))
    if content.hours % 24 == 0 and content.hours > 24:
        window = loc.plural("day", content.hours // 24)
    else:
        window = loc.plural("hour", content.hours)
    sentence = loc.t(
        "alert_rise",
        name=content.name,
        before=before,
        count=content.count,
        window=window,
        where=sources_phrase(content.source_names or content.sources, loc),
    )
    if content.rise > 1:
        sentence += " " + loc.t("alert_again", rise=content.rise)
    return sentence


def source_name(source_id: str, names: Mapping[str, str]) -> str:
    """How people call a trend source: its catalog name without the parenthesis
    ("Hacker News front page (Algolia API)" -> "Hacker News front page"), else its id."""
    name = names.get(source_id) or source_id.removeprefix("trend-").replace("-", " ")
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip() or source_id


def _subreddit(name: str) -> bool:
    return bool(re.match(r"(?i)(?:reddit\s+)?r/\w", name))


def sources_phrase(names: Sequence[str], loc: Locale) -> str:
    """The sources of a rise, subreddits counted together: "Hacker News and 2 subreddits"."""
    subreddits = [n for n in names if _subreddit(n)]
    parts = [n for n in dict.fromkeys(names) if not _subreddit(n)]
    if len(subreddits) == 1:
        parts.append(subreddits[0])
    elif subreddits:
        parts.append(loc.plural("subreddit", len(subreddits)))
    if len(parts) <= 1:
        return "".join(parts)
    return loc.t("list_sep").join(parts[:-1]) + loc.t("list_and") + parts[-1]


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


def is_search(url: str) -> bool:
    """Whether `url` is a search or listing page (a trend row's link), not a story."""
    parts = urlsplit(url)
    keys = {k.casefold() for k, _ in parse_qsl(parts.query)}
    return bool(_SEARCH_PATH.search(parts.path) or keys & _SEARCH_KEYS)


def top_links(
    counts: Sequence[DailyCount],
    limit: int = MAX_LINKS,
    *,
    names: Mapping[str, str] | None = None,
) -> tuple[AlertLink, ...]:
    """The links that mention the term: stories first (their own pages), then at most one
    search page; in each, the most often seen first, then the most recent."""
    seen: Counter[str] = Counter()
    latest: dict[str, tuple[date, AlertLink]] = {}
    for c in counts:
        for link in c.links:
            if not link.url.startswith(("https://", "http://")):
                continue  # links end up in emails: http(s) only
            seen[link.url] += 1
            if link.url not in latest or latest[link.url][0] < c.day:
                where = source_name(c.source, names or {})
                found = AlertLink(link.url, link.title, where, is_search(link.url))
                latest[link.url] = (c.day, found)
    ranked = sorted(seen, key=lambda u: (-seen[u], -latest[u][0].toordinal(), u))
    stories = [latest[u][1] for u in ranked if not latest[u][1].search]
    searches = [latest[u][1] for u in ranked if latest[u][1].search]
    # A search page takes a slot only beside at least one story, never instead of them all.
    n_search = max(0, min(len(searches), MAX_SEARCH_LINKS, limit - (1 if stories else 0)))
    return tuple(stories[: limit - n_search] + searches[:n_search])


def link_text(link: AlertLink, loc: Locale) -> str:
    """What a link says: a story's title; for a search page, what it searches and where."""
    if link.search:
        host = (urlsplit(link.url).hostname or link.url).removeprefix("www.")
        return loc.t("alert_search", title=link.title or link.url, host=host)
    return link.title or link.url


def alert_text(content: AlertContent) -> str:
    """The plain-text part: summary, what it is, a text bar chart and the links (English)."""
    loc = load_locale("en")
    lines = [content.subject, "", content.summary]
    if content.what:
        lines += ["", f"What it is: {content.what}"]
    lines += ["", "Mentions per day (distinct items):"]
    top = max((b.count for b in content.chart), default=0) or 1
    for bar in content.chart:
        width = round(_TEXT_BAR * bar.count / top)
        lines.append(f"  {bar.day:%a %d %b}  {'#' * width:<{_TEXT_BAR}} {bar.count}")
    if content.links:
        lines += ["", "Top stories:" if content.stories else "Where it is mentioned:"]
        lines += [
            f"  - {link_text(link, loc)} ({link.where})\n    {link.url}" for link in content.links
        ]
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
