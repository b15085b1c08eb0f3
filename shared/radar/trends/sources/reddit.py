"""A Reddit listing as JSON (`https://www.reddit.com/r/all/.json`, keyless).

`{"kind": "Listing", "data": {"after", "dist", "children": [{"kind": "t3", "data": {"id",
"name", "title", "selftext", "url", "domain", "permalink", "subreddit", "created_utc",
"score", "num_comments", "stickied", "over_18"}}, ...]}}`. Each post is an item keyed by its
fullname (`t3_<id>`); its link is what the post links to (an app's own site is evidence that a
name is that platform), or its comments page for a text post. Stickied posts (announcements
pinned for days) and scores (they churn) are left out.
"""

from __future__ import annotations

from datetime import UTC, datetime

from radar.errors import ExtractError
from radar.extract.common import make_item, require_items, unique_keys
from radar.model import FetchResult, Item, Source
from radar.trends.sources import field, load_json

WHAT = "Reddit listing"
BASE = "https://www.reddit.com"


def extract_listing(source: Source, result: FetchResult) -> list[Item]:
    """One item per post of the listing, in listing order."""
    children = field(load_json(result, WHAT), "data", "children", what=WHAT)
    if not isinstance(children, list):
        raise ExtractError(f"{WHAT}: 'data.children' is not a list")
    items: list[Item] = []
    for child in children:
        post = child.get("data") if isinstance(child, dict) else None
        if not isinstance(post, dict) or child.get("kind") != "t3" or post.get("stickied"):
            continue
        key = str(post.get("name") or (f"t3_{post['id']}" if post.get("id") else ""))
        if not key or not post.get("title"):
            continue
        permalink = str(post.get("permalink") or "")
        url = str(post.get("url") or "") if not post.get("is_self") else ""
        items.append(
            make_item(
                key,
                str(post["title"]),
                str(post.get("selftext") or ""),
                url or (BASE + permalink if permalink else None),
                _created(post.get("created_utc")),
            )
        )
    return require_items(unique_keys(items), f"{WHAT} has no posts")


def _created(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None
