"""A page written out in a test, extracted as a source of kind `auto` would be, and the day an
entry is dated: for tests that check how a page's shape is read."""

from __future__ import annotations

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

URL = "https://example.com/changelog"


def extracted(text: str, content_type: str = "text/markdown") -> list[Item]:
    """The entries of a page with this text, served with this content type."""
    source = Source(id="s", platform="p", kind=SourceKind.AUTO, url=URL)
    return extract(source, FetchResult(URL, 200, text.encode(), content_type))


def day(item: Item) -> str | None:
    """The entry's date as "YYYY-MM-DD", None when it has none."""
    return None if item.published is None else str(item.published.date())
