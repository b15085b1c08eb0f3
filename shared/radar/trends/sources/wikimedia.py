"""Wikipedia pageviews (the Wikimedia REST API, keyless): a watchlist article's daily views,
and the daily top articles.

Per article (one source per watchlist article): the URL
`https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/all-access/user/
<Article>/daily/<yyyymmdd>/<yyyymmdd>` returns `{"items": [{"project", "article", "granularity",
"timestamp": "2021010700", "access", "agent", "views"}, ...]}`, one per day. A day whose views
reach `spike` (selector, default 3) times the median of the 28 days before it (at least
`min_days`, default 7) is an item. Its key is the article and day, so each spike day counts
once, on the run that first sees it. The item's title is the article's name without its
disambiguation ("Signal (software)" -> "Signal"): read the source with `terms: name`, as a list
of platforms.

Top articles: `https://wikimedia.org/api/rest_v1/metrics/pageviews/top/en.wikipedia/all-access/
<yyyy>/<mm>/<dd>` returns `{"items": [{"project", "access", "year", "month", "day",
"articles": [{"article", "views", "rank"}, ...]}]}`. Each article is an item of that day (up to
`limit`, default 200), special pages and the main page left out; read with `terms: topic`. An
article whose disambiguation says it is an app or a network ("Threads (social network)") is
titled "<name> app", which reads as a platform. The catalog URL names the day with
`{date:%Y/%m/%d}` (`radar.trends.sources.source_url`).
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime
from urllib.parse import quote

from radar.errors import ExtractError
from radar.extract.common import make_item, require_items
from radar.model import FetchResult, Item, Source
from radar.trends.sources import field, load_json

PER_ARTICLE = "Wikimedia per-article pageviews"
TOP = "Wikimedia top articles"
# Namespaces and pages that top every day and name nothing (Special:Search, Main_Page, ...).
_NOT_ARTICLES = ("Main_Page", "Special:", "Wikipedia:", "Portal:", "File:", "Help:", "-")


# Disambiguations that say the article is about an app or a network: the top-articles item is
# titled "<name> app", so the name is read as a platform (evidence.py: app context).
_APP_KINDS = frozenset(
    {"app", "application", "software", "social network", "social media", "social networking",
     "service", "website", "messaging app", "mobile app", "platform"}
)  # fmt: skip


def _name(article: str) -> str:
    """ "Signal_(software)" -> "Signal": the thing the article is about."""
    title = article.replace("_", " ").strip()
    if title.endswith(")") and " (" in title:
        title = title[: title.rindex(" (")]
    return title


def _kind(article: str) -> str:
    """ "Signal_(software)" -> "software": the article's disambiguation, if any."""
    title = article.replace("_", " ").strip()
    if title.endswith(")") and " (" in title:
        return title[title.rindex(" (") + 2 : -1].casefold()
    return ""


def _day(timestamp: str) -> date:
    try:
        return datetime.strptime(timestamp[:8], "%Y%m%d").replace(tzinfo=UTC).date()
    except ValueError:
        raise ExtractError(f"{PER_ARTICLE}: bad timestamp {timestamp!r}") from None


def _selector(source: Source, name: str, default: float) -> float:
    raw = source.selectors.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ExtractError(f"selector {name!r} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ExtractError(f"selector {name!r} must be positive, not {raw!r}")
    return value


def extract_pageviews(source: Source, result: FetchResult) -> list[Item]:
    """One item per spike day of the article (none when its views are ordinary)."""
    rows = field(load_json(result, PER_ARTICLE), "items", what=PER_ARTICLE)
    if not isinstance(rows, list) or not rows:
        raise ExtractError(f"no entries found: {PER_ARTICLE} has no days")
    spike = _selector(source, "spike", 3.0)
    min_days = int(_selector(source, "min_days", 7))
    series = sorted(
        (_day(str(r.get("timestamp", ""))), int(r.get("views") or 0), str(r.get("article", "")))
        for r in rows
        if isinstance(r, dict)
    )
    items: list[Item] = []
    for i, (day, views, article) in enumerate(series):
        past = [v for _, v, _ in series[max(0, i - 28) : i]]
        if len(past) < min_days:
            continue
        median = statistics.median(past)
        if views >= spike * max(median, 1):
            name = _name(article)
            items.append(
                make_item(
                    f"spike:{article}:{day.isoformat()}",
                    name,
                    f"views spiked: {views:,} on {day.isoformat()}, "
                    f"{views / max(median, 1):.1f}x the median of {median:,.0f}",
                    f"https://en.wikipedia.org/wiki/{quote(article)}",
                    day,
                )
            )
    if not items:
        # Ordinary views are not an empty page: one item without words says the article is
        # watched and calm (it names nothing, so it counts for nothing).
        day, _, article = series[-1]
        items.append(make_item(f"calm:{article}", "", "", None, day))
    return require_items(items, PER_ARTICLE)


def extract_top_articles(source: Source, result: FetchResult) -> list[Item]:
    """One item per listed article of the day, most viewed first."""
    rows = field(load_json(result, TOP), "items", what=TOP)
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        raise ExtractError(f"no entries found: {TOP} has no day")
    day_row = rows[0]
    articles = field(day_row, "articles", what=TOP)
    try:
        day = date(int(day_row["year"]), int(day_row["month"]), int(day_row["day"]))
    except (KeyError, ValueError, TypeError):
        raise ExtractError(f"{TOP}: the day (year, month, day) is missing or bad") from None
    limit = int(_selector(source, "limit", 200))
    items: list[Item] = []
    for row in articles if isinstance(articles, list) else ():
        article = str(row.get("article", "")) if isinstance(row, dict) else ""
        if not article or article.startswith(_NOT_ARTICLES):
            continue
        items.append(
            make_item(
                f"top:{day.isoformat()}:{article}",
                f"{_name(article)} app" if _kind(article) in _APP_KINDS else _name(article),
                f"#{row.get('rank', '?')} on {day}: {int(row.get('views') or 0):,} views",
                f"https://en.wikipedia.org/wiki/{quote(article)}",
                day,
            )
        )
        if len(items) >= limit:
            break
    return require_items(items, f"{TOP} lists no articles")
