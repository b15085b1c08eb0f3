"""What every extractor shares: body checks, decoding, and building well-formed items."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from radar.dates import Month, as_datetime
from radar.errors import ExtractError
from radar.model import FetchResult, Item
from radar.text import clean_url, normalize_lines, normalize_text, slugify

# Bodies above this are refused outright: no real changelog or feed is this large, and parsing
# one would cost the whole Lambda's time budget.
MAX_BODY_BYTES = 10_000_000
# Entry text is capped: enough for classification and a word diff, small enough to store.
MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 300
MAX_KEY_CHARS = 200
# Clocks and time zones differ by hours, not days: an entry's date up to a day after the fetch
# is the page's time zone; further ahead it is a plan ("Release date: Aug 15" written on
# Aug 12) or a typo, not when the entry was published.
FUTURE_SLACK = timedelta(days=1)

# A lone surrogate (from JSON's "\\ud800", utf-7 or the *-escape codecs) cannot be encoded as
# UTF-8: it made URLs, keys and stored text fail far from the page that had it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def check_body(result: FetchResult) -> bytes:
    """The body, or ExtractError when there is nothing usable to parse."""
    if result.not_modified:
        raise ExtractError("nothing to extract: the server answered 304 Not Modified")
    body = result.body
    if len(body) > MAX_BODY_BYTES:
        raise ExtractError(
            f"the body is {len(body):,} bytes, over the {MAX_BODY_BYTES:,}-byte limit; "
            "this does not look like a changelog or feed"
        )
    if not body.strip():
        raise ExtractError("the body is empty")
    return body


def decode_body(result: FetchResult) -> str:
    """The body as text: BOM, then the Content-Type charset, then a <meta charset>, then UTF-8."""
    return decode_body_utf8(result)[0]


def decode_body_utf8(result: FetchResult) -> tuple[str, bytes | None]:
    """`decode_body`'s text, and the body itself when that text is exactly the body read as
    UTF-8 (else None): a parser given those bytes is spared encoding the text back."""
    body = check_body(result)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), None
    for candidate in (_header_charset(result.content_type), _meta_charset(body)):
        codec = _page_codec(candidate)
        if codec is not None:
            try:
                text = body.decode(codec.name, errors="replace")
                # No replacement character: nothing was replaced (a page that has one
                # already just takes the slower way).
                same = codec.name in ("utf-8", "ascii") and "\ufffd" not in text
                return text, body if same else None
            except (LookupError, UnicodeError, ValueError):
                continue  # an unknown or unusable charset name: fall through to UTF-8
    try:
        return body.decode("utf-8"), body
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), None


def utf8_body(result: FetchResult) -> bytes | None:
    """`decode_body_utf8(result)[1]`, told without building the text: the body when `decode_body`
    reads it as UTF-8 (no BOM, no declared charset other than UTF-8 or ASCII, no replacement
    character), else None. A parser given the bytes never reads the text, and building it
    (twice the page's size, UCS-2 for a page with one curly quote) cost up to 0.1 ms on a
    115 KB page, a tenth of its parse.
    """
    body = check_body(result)
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for candidate in (_header_charset(result.content_type), _meta_charset(body)):
        codec = _page_codec(candidate)  # the charset `decode_body_utf8` would read it with
        if codec is not None:
            try:
                if codec.name == "utf-8":
                    # Read with replacement: a U+FFFD in the text, replaced or the page's own,
                    # sends it the slow way.
                    return body if _is_utf8(body) and b"\xef\xbf\xbd" not in body else None
                if codec.name == "ascii":
                    return body if body.isascii() else None
                body.decode(codec.name, errors="replace")  # another charset, if it can read it
                return None
            except (LookupError, UnicodeError, ValueError):
                continue
    return body if _is_utf8(body) else None


_UTF8_CHUNK = 16_384  # bytes validated at a time: their text stays small, in the CPU's cache


def _is_utf8(body: bytes) -> bool:
    """Whether `body.decode("utf-8")` succeeds, read in chunks whose text is thrown away."""
    if body.isascii():
        return True
    # Each chunk read from where the one before stopped (a character cut between two chunks is
    # read whole), through a view: the incremental decoder copied every chunk into a new bytes.
    view, start, end = memoryview(body), 0, len(body)
    try:
        while end - start > _UTF8_CHUNK:
            start += codecs.utf_8_decode(view[start : start + _UTF8_CHUNK], "strict", False)[1]
        codecs.utf_8_decode(view[start:], "strict", True)
    except UnicodeDecodeError:
        return False
    return True


def _page_codec(name: str | None) -> codecs.CodecInfo | None:
    """The codec a declared charset names, when it is a text encoding a page can be written in:
    Python also has codecs named idna, punycode and undefined, which fail on any page
    (UnicodeError, not LookupError) or turn it into noise. None for no name, an unknown one, or
    one no codec can be named by (a NUL in it: ValueError)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if codec.name in ("idna", "punycode", "undefined") or not getattr(
        codec, "_is_text_encoding", True
    ):
        return None
    return codec


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _meta_charset(body: bytes) -> str | None:
    match = _CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", errors="ignore") if match else None


# How many of an entry's first words key it where nothing else names it (a bullet under a date,
# a dated row or list item): enough to tell a day's entries apart, few enough that an edit
# further on keeps the key.
KEY_WORDS = 8


def words_slug(text: str) -> str:
    """The slug of `text`'s first KEY_WORDS words: the key part of an entry named by its text."""
    return slugify(" ".join(text.split()[:KEY_WORDS]))


def make_item(
    key: str,
    title: str,
    text: str,
    url: str | None = None,
    published: date | datetime | None = None,
    *,
    base: str | None = None,
    url_is_clean: bool = False,
    text_is_normal: bool = False,
    title_is_normal: bool = False,
) -> Item:
    """An Item with normalised title and text (capped), a clean URL and an aware datetime.

    A `Month` date ("March 2025") makes a `month_only` item dated the month's first day.
    `url_is_clean`: `url` came from `clean_url` already (and so has no lone surrogate).
    `text_is_normal`: `text` is a `normalize_lines` result: `normalize_text` results joined by
    single spaces or line breaks (tests/unit/test_extract_fast_paths.py); ASCII text is then taken
    as it is. Line breaks are kept: one line per block (`normalize_lines`).
    `title_is_normal`: the same for `title` (a heading's text, as the splitter read it).
    """
    # `_encodable` inline (ASCII has no surrogate): a page makes hundreds of items.
    if not (title_is_normal and title.isascii()):
        title = normalize_text(title if title.isascii() else _encodable(title))
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1] + "…"
    if url and not url_is_clean:
        url = _clean_url(_encodable(url), base)
    # `bounded_key`'s strip inline: its hash is for the rare long key (a call per item saved).
    key = (key if key.isascii() else _encodable(key)).strip()
    if len(key) > MAX_KEY_CHARS:
        key = bounded_key(key)
    if not text.isascii():
        text = normalize_lines(_encodable(text))
    elif not text_is_normal:  # re-checking a page's worth of normal text cost 4 passes over it
        text = normalize_lines(text)
    # Positional, in the field order (key, title, text, url, published, month_only): the
    # frozen dataclass's keyword call cost 0.3 us more, once per item. A plain day (most
    # dated entries) is made aware inline, as `_aware` would.
    return Item(
        key,
        title,
        text[:MAX_TEXT_CHARS],
        url or None,
        datetime.combine(published, _MIDNIGHT_UTC)
        if published.__class__ is date
        else _aware(published),
        isinstance(published, Month),
    )


_MIDNIGHT_UTC = time(tzinfo=UTC)


def _aware(value: date | datetime | None) -> datetime | None:
    """`as_datetime(value)`; a date's midnight made by `combine` (a fifth of the constructor's
    cost, once per item)."""
    if value is None or isinstance(value, datetime):
        return as_datetime(value)
    return datetime.combine(value, _MIDNIGHT_UTC)


# Entries of one section share its URL (the bullets under a date): clean it once.
_clean_url = lru_cache(maxsize=1024)(clean_url)


def anchor_url(page_url: str | None, anchor: str) -> str | None:
    """`clean_url(page_url-without-fragment + "#" + anchor)` (`page_url` itself when `anchor` is
    empty), with the page's part cleaned once per page rather than once per entry: splitting
    and rebuilding the URL was most of `make_item`'s time on pages of a thousand headings.

    Exact because `clean_url` keeps a fragment as given and cleans the rest without it; an
    anchor that `clean_url` would edit (control characters, trailing spaces) takes its path.
    """
    if not page_url:
        return None
    if not anchor:
        return _clean_url(_encodable(page_url), None)
    return with_anchor(page_anchor(page_url), anchor)


def page_anchor(page_url: str) -> tuple[str, str | None]:
    """What `anchor_url` reads from the page's URL alone, for `with_anchor`: a splitter that
    anchors a hundred headings to one page works it out once."""
    anchored = _encodable(page_url.split("#", 1)[0] + "#")
    return anchored, _clean_anchored(anchored)


def with_anchor(page: tuple[str, str | None], anchor: str) -> str | None:
    """`anchor_url(page_url, anchor)` for a non-empty `anchor`, given `page_anchor(page_url)`."""
    anchored, prefix = page
    anchor = anchor if anchor.isascii() else _encodable(anchor)  # a call saved per heading
    if prefix is None or not anchor.isprintable() or anchor[-1:] == " ":
        return _clean_url(anchored + anchor, None)
    return prefix + anchor


@lru_cache(maxsize=64)
def _clean_anchored(anchored: str) -> str | None:
    """`clean_url(anchored + x)` less `x`, for `anchored` ending in "#" (a probe fragment)."""
    cleaned = clean_url(anchored + "_")
    return cleaned[:-1] if cleaned is not None and cleaned.endswith("#_") else None


def _encodable(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (ASCII, the usual case, has none)."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def bounded_key(key: str) -> str:
    """`key` itself when short; otherwise a readable prefix plus a hash of the whole."""
    key = key.strip()
    if len(key) <= MAX_KEY_CHARS:
        return key
    digest = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return key[: MAX_KEY_CHARS - 17] + "~" + digest


def hash_key(*parts: str) -> str:
    """A stable key from parts (for entries with no id, link or heading)."""
    raw = "\x1f".join(normalize_text(p) for p in parts)
    return "h:" + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def unique_keys(items: Iterable[Item]) -> list[Item]:
    """Items whose keys are unique, in document order.

    A key that repeats (two releases on one day, one label in two tabs) is told apart by what
    the entries say, not where they stand, so an entry inserted above leaves the others' keys
    as they were; only entries identical in title and text fall back to a -2, -3 suffix.
    """
    items = list(items)
    keys = [item.key for item in items]
    if len(set(keys)) == len(keys):
        return items  # most pages: every key is unique already
    counts = Counter(keys)
    seen: set[str] = {key for key, n in counts.items() if n == 1}
    out: list[Item] = []
    for item in items:
        if counts[item.key] > 1:
            base = bounded_key(f"{item.key}~{_content_tag(item)}")
            key, n = base, 1
            while key in seen:
                n += 1
                key = f"{base}-{n}"
            seen.add(key)
            item = replace(item, key=key)
        out.append(item)
    return out


def _content_tag(item: Item) -> str:
    raw = f"{item.title}\x1f{item.text}".casefold()
    return hashlib.blake2b(raw.encode(), digest_size=4).hexdigest()


def require_items(items: list[Item], what: str) -> list[Item]:
    """`items`, or ExtractError: an empty parse must never read as "every entry was removed"."""
    if not items:
        raise ExtractError(f"no entries found: {what}")
    return items


def one_match(pattern: re.Pattern[str], text: str) -> tuple[str, re.Match[str]] | None:
    """`text` made normal and the one match of `pattern` in it: None when the text holds none
    (most headings, told without normalising them) or, once normal, several (a range, "01.02.22
    - 03.02.22": no one date)."""
    if pattern.search(text) is None:
        return None
    norm = normalize_text(text)
    matches = list(pattern.finditer(norm))
    return (norm, matches[0]) if len(matches) == 1 else None
