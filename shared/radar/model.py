"""The domain model: frozen dataclasses shared by every part of Radar.

Pure data. Nothing here reads the clock, the environment or the network; datetimes are always
timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from enum import StrEnum


class SourceKind(StrEnum):
    """How a source's bytes are turned into items (one extractor per kind)."""

    AUTO = "auto"  # sniffed from the bytes and content type on every fetch
    RSS = "rss"
    ATOM = "atom"
    JSON_FEED = "json-feed"
    CHANGELOG_HTML = "changelog-html"
    CHANGELOG_MARKDOWN = "changelog-markdown"
    CHANGELOG_MDX = "changelog-mdx"  # Markdown with JSX components (Mintlify, Docusaurus, ...)
    CHANGELOG_RST = "changelog-rst"  # reStructuredText (Sphinx docs, CHANGES.rst)
    OPENAPI = "openapi"  # OpenAPI 3 / Swagger 2 documents, YAML or JSON
    JSON_SPEC = "json-spec"  # JSON lists of API methods and fields
    JSON = "json"
    CSV = "csv"
    # Trend sources of their own formats (radar.trends.sources, docs/trends.md):
    APP_CHART = "app-chart"  # Apple top charts JSON (RSS-generator format)
    PAGEVIEWS = "wikimedia-pageviews"  # Wikimedia REST per-article daily views
    TOP_ARTICLES = "wikimedia-top"  # Wikimedia REST daily top articles
    REDDIT_LISTING = "reddit-listing"  # Reddit listing JSON (/r/all/.json)


class SourceRole(StrEnum):
    """What a source is watched for: platform changes, or trend signals."""

    CHANGELOG = "changelog"
    TREND = "trend"


class RenderMode(StrEnum):
    """How a source's page is obtained: its bytes as served, or the DOM a browser builds."""

    NONE = "none"  # fetched over HTTP as it is (feeds, specs, server-rendered pages)
    BROWSER = "browser"  # rendered in headless Chromium first (pages filled in by JavaScript)


class ChangeKind(StrEnum):
    ADDED = "added"
    EDITED = "edited"
    REMOVED = "removed"
    # History, stored but never announced as news (see `Change.announce`):
    # an entry found on the first run of a source, kept with its own date for pulls and archives;
    BASELINE = "baseline"
    # an entry seen for the first time on a later run but older than what the source already
    # showed (a feed's tail flapping back in, an old release documented late);
    BACKFILL = "backfill"
    # an edit no reader would notice: casing, punctuation, whitespace, a typo, a link target.
    COSMETIC = "cosmetic"


# Kinds that briefings, alerts and the default change lists report; the rest is history.
ANNOUNCED_KINDS = frozenset({ChangeKind.ADDED, ChangeKind.EDITED, ChangeKind.REMOVED})


@dataclass(frozen=True, slots=True)
class Source:
    """One watched URL from the catalog."""

    id: str
    platform: str
    kind: SourceKind
    url: str
    name: str = ""
    role: SourceRole = SourceRole.CHANGELOG
    # Per-source overrides for the extractor (CSS selectors, JSON paths); see catalog docs.
    selectors: Mapping[str, str] = field(default_factory=dict)
    category_hints: tuple[str, ...] = ()
    interval: timedelta = timedelta(hours=1)
    # Pages that render with JavaScript cannot be watched directly; `watch_instead` says what to.
    needs_javascript: bool = False
    watch_instead: str = ""
    # `browser`: the page is rendered in headless Chromium and the rendered DOM is extracted.
    render: RenderMode = RenderMode.NONE


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetch returned: a body, or "not modified" (status 304, empty body)."""

    url: str
    status: int
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # When the body was fetched: the latest date an entry on it can carry, and the year that
    # year-less labels ("November 15") belong to.
    fetched_at: datetime | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Item:
    """One entry extracted from a source: a feed item or a changelog entry."""

    key: str  # identity within the source, stable across edits of the entry
    title: str
    text: str  # plain text, whitespace-normalised
    url: str | None = None
    published: datetime | None = None
    # The entry names only its month ("March 2025"): `published` is the month's first day, and
    # the entry may be from any day of it (docs/catalog.md, "Month headings").
    month_only: bool = False

    @property
    def published_by(self) -> datetime | None:
        """The latest day the entry's own date allows (its month's last day for `month_only`):
        what "is this entry recent" and "is it older than the rest" are asked of."""
        return _published_by(self.published, self.month_only)


@dataclass(frozen=True, slots=True)
class EntryState:
    """What the snapshot remembers of one entry, enough to diff the next version against."""

    key: str
    title: str
    text: str
    digest: str  # hash of the normalised title + text; equal digests mean "unchanged"
    url: str | None
    published: datetime | None
    first_seen: datetime
    # Consecutive runs the entry has been absent. It is reported removed only after a few, so
    # feeds that flap items out and back in produce no changes.
    missing: int = 0
    # Hash of the entry's words alone (no case, punctuation, spacing or URLs), over its whole
    # text: tells a formatting-only edit from a real one even past the stored text's cap.
    shape: str = ""
    month_only: bool = False  # as `Item.month_only`: `published` names only a month


# The way entries are read from pages. Raised with a change to extraction that gives some
# pages' entries other keys, titles or splits (a release's sections no longer entries of their
# own): each source's next run then reads its page again and records what differs as history,
# not news (`watch_source`, radar/rebaseline.py). 0: snapshots stored before it was kept.
EXTRACTION_VERSION = 9


@dataclass(frozen=True, slots=True)
class SnapshotHead:
    """A stored snapshot without its entries: hash, validators and health.

    What a run needs to fetch conditionally and to tell "unchanged" or "failing"; the entries
    (compressed, often hundreds of kilobytes) are read only when the body changed.
    """

    source_id: str
    version: int = 0  # 0: never stored
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_success: datetime | None = None
    failures: int = 0  # consecutive failed runs
    last_error: str | None = None
    last_error_at: datetime | None = None
    extractor: int = 0  # the EXTRACTION_VERSION that read its entries

    @property
    def read_by_older_extractors(self) -> bool:
        """Entries stored from a page read by an older EXTRACTION_VERSION: the page is read
        again, whole, on its next run (radar/rebaseline.py)."""
        return self.content_hash is not None and self.extractor != EXTRACTION_VERSION

    def with_entries(self, entries: Mapping[str, EntryState] | None = None) -> Snapshot:
        """The whole snapshot: this head and `entries` (none: a source never read yet)."""
        head = {f.name: getattr(self, f.name) for f in fields(SnapshotHead)}
        return Snapshot(entries=entries if entries is not None else {}, **head)


@dataclass(frozen=True, slots=True)
class Snapshot(SnapshotHead):
    """The last known state of a source: its head and its entries. `version` is the optimistic
    lock."""

    # Keyword-only: it comes after the head's fields, where a positional call would not look.
    entries: Mapping[str, EntryState] = field(default_factory=dict, kw_only=True)

    @property
    def head(self) -> SnapshotHead:
        """Everything but the entries."""
        return SnapshotHead(**{f.name: getattr(self, f.name) for f in fields(SnapshotHead)})


@dataclass(frozen=True, slots=True)
class Change:
    """A detected change to one entry of one source."""

    id: str
    source_id: str
    platform: str
    kind: ChangeKind
    entry_key: str
    title: str
    text: str
    url: str | None
    published: datetime | None
    detected_at: datetime
    diff: str = ""  # short word-level diff, for edits
    category: str | None = None
    severity: str | None = None
    deadline: date | None = None
    deadline_text: str = ""
    # The entry names only its month ("March 2025"): `published` is the month's first day and
    # readers are shown the month, never "1 March" (issue 14).
    month_only: bool = False

    @property
    def announce(self) -> bool:
        """Whether briefings report it (baseline, backfill and cosmetic edits are history)."""
        return self.kind in ANNOUNCED_KINDS

    @property
    def effective_date(self) -> datetime:
        """The entry's own date where it has one, else when Radar first saw it."""
        return self.published or self.detected_at

    @property
    def published_by(self) -> datetime | None:
        """As `Item.published_by`: the last day a month-only entry may be from."""
        return _published_by(self.published, self.month_only)


@dataclass(frozen=True, slots=True)
class ChangeQuery:
    """Which stored changes to list. Empty `platforms` means every platform."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    platforms: frozenset[str] = frozenset()
    # "detected": by when Radar saw the change (briefings); "published": by the entry's own
    # date (pulls for trainers, archives of past periods).
    by: str = "detected"
    # Also the changes that are history, not news (baseline, backfill, cosmetic edits).
    include_baseline: bool = False
    limit: int | None = None


def _published_by(published: datetime | None, month_only: bool) -> datetime | None:
    if published is None or not month_only:
        return published
    following = (published.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def change_id(source_id: str, entry_key: str, kind: ChangeKind, digest: str) -> str:
    """Deterministic id, so re-detecting the same change after a crash overwrites, never doubles."""
    raw = "\x1f".join((source_id, entry_key, kind.value, digest))
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
