"""Apple's top charts as JSON (the RSS-generator format), one country and chart per URL.

https://rss.applemarketingtools.com/api/v2/<country>/apps/top-free/<n>/apps.json returns
`{"feed": {"title", "country", "updated", "results": [{"id", "name", "artistName",
"releaseDate", "kind", "artworkUrl100", "genres", "url"}, ...]}}`, ranked. Each app is an item
keyed by its App Store id, so an app that stays on the chart is counted once, when it enters
(the pipeline counts new items of non-topic sources). The title is the app's name (read with
`terms: name`: a list of apps is evidence that a name is a platform); the text is its developer
and genres. Ranks are left out on purpose: they churn on every fetch and are not news.
"""

from __future__ import annotations

from datetime import date

from radar.errors import ExtractError
from radar.extract.common import make_item, require_items, unique_keys
from radar.model import FetchResult, Item, Source
from radar.trends.sources import field, load_json

WHAT = "App Store top chart"


def extract_app_chart(source: Source, result: FetchResult) -> list[Item]:
    """One item per app on the chart, in chart order."""
    data = load_json(result, WHAT)
    rows = field(data, "feed", "results", what=WHAT)
    if not isinstance(rows, list):
        raise ExtractError(f"{WHAT}: 'feed.results' is not a list")
    items: list[Item] = []
    for row in rows:
        if not isinstance(row, dict) or not row.get("id") or not row.get("name"):
            continue  # an entry without id or name cannot be counted
        genres = [
            g.get("name", "") if isinstance(g, dict) else str(g) for g in row.get("genres") or ()
        ]
        text = " · ".join(p for p in (str(row.get("artistName") or ""), ", ".join(genres)) if p)
        items.append(
            make_item(
                f"app:{row['id']}",
                str(row["name"]),
                text,
                str(row.get("url") or "") or None,
                _release(row.get("releaseDate")),
            )
        )
    return require_items(unique_keys(items), f"{WHAT} has no apps")


def _release(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # a release date is a detail; a malformed one is not worth failing over
