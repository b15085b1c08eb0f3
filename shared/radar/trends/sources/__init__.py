"""Extractors for trend sources that see a new app before tech news does (issue 12).

Each turns one documented, keyless public format into items for trend counting:

- `appstore.extract_app_chart`: Apple's top-charts JSON (the RSS-generator format, one country
  per URL): each app on the chart is an item; read with `terms: name` (a platform list).
- `wikimedia.extract_pageviews`: Wikimedia REST per-article daily views of a watchlist article;
  a day far above the article's own median is an item ("views spiked").
- `wikimedia.extract_top_articles`: Wikimedia REST daily top articles; each listed article is
  an item of that day (a trend list).
- `reddit.extract_listing`: a Reddit listing (`/r/all/.json`): each post is an item, linking to
  what it links to (so a post linking to signal.org counts for Signal).

Google Trends daily trending searches are RSS and go through the feed extractor
(`selectors: {terms: topic}`). Registered in `radar.extract.EXTRACTORS` by source kind.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from radar.errors import ConfigError, ExtractError
from radar.extract.common import check_body
from radar.model import FetchResult, Source

# A day in a URL: "{date:%Y/%m/%d}" is the day `date_lag` days (selector, default 1) before now.
_DATED = re.compile(r"\{date:([^{}]+)\}")


def load_json(result: FetchResult, what: str) -> Any:
    """The JSON document of `result`, or an ExtractError naming the format expected."""
    try:
        return json.loads(check_body(result))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ExtractError(f"not a {what} JSON document: {exc}") from None


def field(data: Any, *path: str, what: str) -> Any:
    """`data[path[0]][path[1]]...`, or an ExtractError saying which field is missing."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            raise ExtractError(f"{what}: missing '{'.'.join(path)}'")
        data = data[key]
    return data


def source_url(source: Source, now: datetime) -> str:
    """The URL to fetch at `now`: `source.url` with any `{date:<strftime>}` filled in.

    Some keyless APIs name the day in the path (Wikimedia's daily top articles); the catalog
    writes `.../top/en.wikipedia/all-access/{date:%Y/%m/%d}` and `selectors: {date_lag: "1"}`
    (yesterday: a day's list is published after it ends).
    """
    if "{date:" not in source.url:
        return source.url
    raw = source.selectors.get("date_lag", "1")
    try:
        lag = int(raw)
    except ValueError:
        raise ConfigError(f"source {source.id}: date_lag must be a whole number of days") from None
    if not 0 <= lag <= 31:
        raise ConfigError(f"source {source.id}: date_lag must be 0 to 31 days, not {lag}")
    day = now - timedelta(days=lag)
    return _DATED.sub(lambda m: day.strftime(m.group(1)), source.url)
