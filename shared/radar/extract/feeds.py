"""RSS and Atom feeds (feedparser, handed the bytes as a stream: never a URL, never a path)
and JSON Feed (json.loads).

Identity of an item: its guid/id, else its canonical link, else a hash of title and date.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from typing import Any

from radar.dates import find_date
from radar.errors import ExtractError
from radar.extract.common import (
    check_body,
    hash_key,
    make_item,
    require_items,
    unique_keys,
)
from radar.htmltext import html_to_text
from radar.model import FetchResult, Item, Source
from radar.text import clean_url, normalize_text

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _usable_char_ref(match: re.Match[bytes]) -> bytes:
    """A character reference, or U+FFFD's when it names a surrogate or no character at all."""
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
    return match.group(0) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


def extract_feed(source: Source, result: FetchResult) -> list[Item]:
    """Items of an RSS (0.9x-2.0) or Atom feed."""
    import feedparser  # ~90 ms to import: only functions that read feeds pay for it

    # feedparser turns `&#xD800;` into a lone surrogate, then fails encoding it (UnicodeError).
    body = _CHAR_REF.sub(_usable_char_ref, check_body(result))
    try:
        parsed = feedparser.parse(
            # A stream, never the bytes themselves: feedparser takes bytes that name a file
            # ("/etc/passwd", "/dev/zero") for a path and reads that file instead.
            io.BytesIO(body),
            response_headers={"content-type": result.content_type or "application/xml"},
            # Radar turns every field into plain text itself; feedparser's sanitiser and URI
            # rewriting would only cost time.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, LookupError) as exc:  # "undefined", "punycode", a NUL in the name
        raise ExtractError(f"the feed's text cannot be decoded ({exc})") from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise ExtractError(f"the feed could not be parsed: {reason}")
        raise ExtractError("the feed has no items")
    base = result.url or source.url
    items = [_feed_item(entry, base) for entry in entries]
    return require_items(
        unique_keys(i for i in items if i is not None), "no feed item has an id, link or title"
    )


def _feed_item(entry: Any, base: str) -> Item | None:
    # dict.get throughout: feedparser's own .get goes through its key aliases (and maps a
    # missing "updated" to "published" with a warning); none of these keys has an alias.
    get = dict.get
    title = _detail_text(get(entry, "title_detail"), _str(get(entry, "title")))
    text = ""
    for content in get(entry, "content") or []:
        candidate = _detail_text(content, _str(get(content, "value")))
        if len(candidate) > len(text):
            text = candidate
    if not text:
        text = _detail_text(get(entry, "summary_detail"), _str(get(entry, "summary")))
    link = clean_url(_str(get(entry, "link")) or None, base)
    published = struct_time_utc(get(entry, "published_parsed") or get(entry, "updated_parsed"))
    raw_date = _str(get(entry, "published") or get(entry, "updated"))
    key = normalize_text(_str(get(entry, "id"))) or link
    if not key:
        if not title and not text:
            return None
        key = hash_key(title, raw_date or text[:200])
    # The link is clean already: cleaning it again was a sixth of the extractor's time.
    return make_item(key, title or _first_words(text), text, link, published, url_is_clean=True)


def _detail_text(detail: Any, value: str) -> str:
    kind = (detail or {}).get("type", "") if detail is not None else ""
    if not value:
        return ""
    if kind in _HTML_TYPES or (not kind and "<" in value):
        return html_to_text(value)
    return normalize_text(value)


def struct_time_utc(value: Any) -> datetime | None:
    """feedparser's parsed date (a UTC struct_time) as an aware datetime; None if absent or bad."""
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


# --- JSON Feed ------------------------------------------------------------------------------


def extract_json_feed(source: Source, result: FetchResult) -> list[Item]:
    """Items of a JSON Feed (https://jsonfeed.org, versions 1 and 1.1)."""
    body = check_body(result)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ExtractError(f"the JSON feed is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ExtractError("the JSON feed has no 'items' list (is this really a JSON Feed?)")
    base = clean_url(data.get("home_page_url"), result.url) or result.url or source.url
    items: list[Item] = []
    for entry in data["items"]:
        if isinstance(entry, dict):
            item = _json_feed_item(entry, base)
            if item is not None:
                items.append(item)
    return require_items(unique_keys(items), "the JSON feed's items have no id, url or title")


def _json_feed_item(entry: dict[str, Any], base: str) -> Item | None:
    title = _str(entry.get("title"))
    text = _str(entry.get("content_text"))
    if not text and entry.get("content_html"):
        text = html_to_text(_str(entry.get("content_html")))
    text = text or _str(entry.get("summary"))
    link = clean_url(_str(entry.get("url")) or _str(entry.get("external_url")), base)
    raw_date = _str(entry.get("date_published")) or _str(entry.get("date_modified"))
    key = normalize_text(_str(entry.get("id"))) or link
    if not key:
        if not title and not text:
            return None
        key = hash_key(title, raw_date or text[:200])
    return make_item(key, title or _first_words(text), text, link, _json_feed_date(raw_date))


def _json_feed_date(raw: str) -> date | datetime | None:
    """The date of a JSON Feed item: RFC 3339 as the spec says, or the RFC 822 of RSS that
    many feeds write instead ("Tue, 10 Mar 2026 15:00:00 +0000"), with its time of day."""
    found = find_date(raw) if raw else None
    if found is None or isinstance(found[0], datetime):
        return found[0] if found else None
    from email.utils import parsedate_to_datetime  # only feeds with such dates pay for it

    try:
        stamped = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return found[0]  # a date alone, or words find_date read a date in
    if stamped.date() != found[0]:
        return found[0]  # the RFC 822 reading disagrees: keep the day the text names
    return stamped.astimezone(UTC) if stamped.tzinfo else stamped.replace(tzinfo=UTC)


def _str(value: Any) -> str:
    """`value` as text; lone surrogates (`&#xD800;`, `\\ud800`) become U+FFFD, since they
    cannot be encoded to be hashed or stored."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
