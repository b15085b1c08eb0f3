"""The weekly briefing as data: what one subscriber reads, before any HTML is made.

Changes detected in the briefing's window are filtered by the subscriber's platforms,
categories and severities, merged across sources (one announcement seen in two sources is one
item with two links), then arranged: "Action required" first (deadlines and breaking changes,
soonest deadline first), then by platform and category. A source-health footer lists sources
that keep failing, since their news may be missing. Pure: the caller queries the store and
passes the window, the health and the links in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from radar.classify import load_default_rules, severity_rank
from radar.dedup import ChangeGroup, group_duplicates, latest_per_entry
from radar.model import Change, ChangeKind, SnapshotHead, Source
from radar.render.locale import Locale, load_locale, platform_name
from radar.render.worddiff import is_invisible
from radar.spec_changes import is_spec_entry
from radar.subscriptions.model import Subscription, zone
from radar.text import summarize
from radar.trends.model import SURGE, TrendSignal

ACTION = "action"
SUMMARY_CHARS = 320
DIFF_CHARS = 400


@dataclass(frozen=True, slots=True)
class Links:
    """Where a briefing's own links go (made by the caller, with signed tokens)."""

    manage: str
    unsubscribe: str
    archive: str = ""  # the full briefing online, linked when the mail is truncated


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source that failed several runs in a row."""

    source_id: str
    name: str
    platform: str
    failures: int
    last_error: str


@dataclass(frozen=True, slots=True)
class BriefingItem:
    """One announcement (possibly seen in several sources)."""

    id: str
    platform: str
    category: str
    severity: str
    kind: ChangeKind
    title: str
    summary: str
    diff: str  # word diff for edits ("[-old-] {+new+}"), else empty
    first_seen: date  # in the subscriber's zone
    links: tuple[str, ...]  # http(s) only
    deadline: date | None
    deadline_text: str
    # What each link is, for its text: "Discord API change log: Voice gateway v8".
    link_labels: tuple[str, ...] = ()
    # For an API spec entry, its key (`GET /v2/pins`, `schema:Pin`): listed compactly under
    # "API surface" rather than as an article.
    api: str = ""


@dataclass(frozen=True, slots=True)
class CategorySection:
    category: str
    label: str
    items: tuple[BriefingItem, ...]


@dataclass(frozen=True, slots=True)
class PlatformSection:
    platform: str
    name: str
    categories: tuple[CategorySection, ...]
    api_surface: tuple[BriefingItem, ...] = ()  # spec changes that need no action

    @property
    def count(self) -> int:
        return sum(len(c.items) for c in self.categories) + len(self.api_surface)


@dataclass(frozen=True, slots=True)
class Briefing:
    """Everything one briefing mail says, already localised for its subscriber."""

    subscription: Subscription
    period: str
    week_of: date
    since: datetime
    until: datetime
    subject: str
    preheader: str
    actions: tuple[BriefingItem, ...]  # "Action required", soonest deadline first
    platforms: tuple[PlatformSection, ...]  # everything else, by platform then category
    health: tuple[SourceHealth, ...]
    links: Links
    # Established platforms unusually in the news this week (issue 12: surges are a briefing
    # line, not "new name" alerts); one localised line each.
    surges: tuple[str, ...] = ()

    @property
    def locale(self) -> Locale:
        return load_locale(self.subscription.lang)

    @property
    def items(self) -> tuple[BriefingItem, ...]:
        """Every item, in reading order."""
        rest = (i for p in self.platforms for c in p.categories for i in c.items)
        return (*self.actions, *rest)

    @property
    def deadlines(self) -> tuple[BriefingItem, ...]:
        """Items with a deadline, soonest first (what the .ics carries)."""
        dated = [i for i in self.items if i.deadline is not None]
        return tuple(sorted(dated, key=lambda i: (i.deadline, i.id)))

    @property
    def empty(self) -> bool:
        return not self.actions and not self.platforms

    @property
    def count(self) -> int:
        return len(self.actions) + sum(p.count for p in self.platforms)


def build_briefing(
    sub: Subscription,
    changes: Iterable[Change],
    *,
    period: str,
    since: datetime,
    until: datetime,
    links: Links,
    health: Sequence[SourceHealth] = (),
    surges: Sequence[TrendSignal] = (),
    source_names: Mapping[str, str] | None = None,
) -> Briefing:
    """Arrange the changes detected in [since, until) into `sub`'s briefing.

    `source_names` (source id -> catalog name) name the links; without them a link names its
    platform.

    Baseline entries (a source's history) and removals (a page dropping an entry is rarely
    news, unless it breaks integrations: an API operation removed) are left out; so are
    changes outside the subscriber's filters.
    """
    locale = load_locale(sub.lang)
    tz = zone(sub.tz)
    # One item per entry: added on Monday and edited on Thursday is one piece of news.
    news = tuple(
        sorted(
            latest_per_entry(
                [
                    c
                    for c in changes
                    if c.announce
                    and (c.kind is not ChangeKind.REMOVED or c.severity == ACTION)
                    and since <= c.detected_at < until
                    and not (c.kind is ChangeKind.EDITED and is_invisible(c.diff))
                ]
            ),
            key=lambda c: (c.effective_date, c.id),
        )
    )
    # Grouping is the costly part and does not depend on the subscriber, so subscribers
    # sharing a week share it; a group is in a briefing when its primary change is wanted.
    named = source_names or {}
    items = [
        _item(g, tz, named)
        for g in _grouped(news)
        if sub.wants(g.primary.platform, g.primary.category, g.primary.severity)
    ]
    actions = sorted((i for i in items if i.severity == ACTION), key=_action_order)
    rest = [i for i in items if i.severity != ACTION]
    platforms = _by_platform(rest, locale)
    health_in_scope = tuple(h for h in health if not sub.platforms or h.platform in sub.platforms)
    week_of = _monday(until.astimezone(tz).date())
    shown = {"week": locale.short_date(week_of)}
    n_changes = len(items)
    if not items:
        subject = locale.t("subject_empty", **shown)
        preheader = locale.t("preheader_empty")
    elif actions:
        subject = locale.t(
            "subject",
            actions=locale.plural("action", len(actions)),
            changes=locale.plural("change", n_changes),
            **shown,
        )
        preheader = locale.t("preheader_actions", title=_clip(actions[0].title, 90))
    else:
        subject = locale.t(
            "subject_no_actions", changes=locale.plural("change", n_changes), **shown
        )
        names = ", ".join(p.name for p in platforms[:4])
        preheader = locale.t("preheader_changes", platforms=names)
    return Briefing(
        subscription=sub,
        period=period,
        week_of=week_of,
        since=since,
        until=until,
        subject=subject,
        preheader=preheader,
        actions=tuple(actions),
        platforms=platforms,
        health=health_in_scope,
        links=links,
        surges=_surge_lines(sub, surges, since, until, locale, tz),
    )


def _surge_lines(
    sub: Subscription,
    surges: Sequence[TrendSignal],
    since: datetime,
    until: datetime,
    locale: Locale,
    tz: ZoneInfo,
) -> tuple[str, ...]:
    """One line per surge of the window on a platform the subscriber follows."""
    wanted = [
        s
        for s in sorted(surges, key=lambda s: (s.fired_at, s.term))
        if s.kind == SURGE
        and since <= s.fired_at < until
        and (not sub.platforms or _surge_platform(s.term) & sub.platforms)
    ]
    return tuple(
        locale.t(
            "surge_line",
            name=s.display,
            mentions=locale.plural("mention", s.count),
            expected=f"{s.expected:.1f}",
            day=locale.short_date(s.fired_at.astimezone(tz).date()),
        )
        for s in wanted
    )


def _surge_platform(term: str) -> frozenset[str]:
    # A trend term and the catalog id subscribers name it by: surges count "twitter", and a
    # subscription stores `x` however it was typed (radar.subscriptions.names).
    from radar.subscriptions.names import catalog_platform_names

    return frozenset({term, catalog_platform_names(None).canonical(term) or term})


@lru_cache(maxsize=8)
def _grouped(changes: tuple[Change, ...]) -> tuple[ChangeGroup, ...]:
    return tuple(group_duplicates(changes))


def source_health(pairs: Iterable[tuple[Source, SnapshotHead]]) -> tuple[SourceHealth, ...]:
    """What `radar.watch.health.unhealthy_sources` returns, as briefing footer lines."""
    return tuple(
        SourceHealth(
            source_id=s.id,
            name=s.name or s.id,
            platform=s.platform,
            failures=snap.failures,
            last_error=_clip(snap.last_error or "", 160),
        )
        for s, snap in pairs
    )


def safe_link(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) link, else None (javascript:, data:, relative...)."""
    if not url:
        return None
    candidate = url.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Control characters and spaces have no business in a link; they hide tricks.
    if any(ord(ch) < 33 or ch in "\"'<>`" for ch in candidate):
        return None
    return candidate


def _item(group: ChangeGroup, tz: ZoneInfo, names: Mapping[str, str]) -> BriefingItem:
    c = group.primary
    labelled: dict[str, str] = {}
    for change in group.changes:
        link = safe_link(change.url)
        if link and link not in labelled:
            source = names.get(change.source_id) or platform_name(change.platform)
            entry = _clip(" ".join(change.title.split()), 70)
            labelled[link] = f"{source}: {entry}" if entry else source
    links = tuple(labelled)
    title = " ".join(c.title.split()) or _clip(" ".join(c.text.split()), 90) or c.entry_key
    first_seen = min(x.detected_at for x in group.changes)
    return BriefingItem(
        id=c.id,
        platform=c.platform,
        category=c.category or "new-feature",
        severity=c.severity or "notable",
        kind=c.kind,
        title=_clip(title, 200),
        summary=summarize(c.text, SUMMARY_CHARS) if c.text.strip() else "",
        # Cut at render time, at a word and never inside a marker (render.worddiff).
        diff=" ".join(c.diff.split()) if c.kind is ChangeKind.EDITED else "",
        first_seen=first_seen.astimezone(tz).date(),
        links=links,
        link_labels=tuple(labelled.values()),
        deadline=c.deadline,
        deadline_text=c.deadline_text,
        api=c.entry_key if is_spec_entry(c.entry_key, c.text) else "",
    )


def _action_order(item: BriefingItem) -> tuple[int, date, str]:
    # Items with a deadline first, soonest first; then breaking changes by first-seen date.
    if item.deadline is not None:
        return (0, item.deadline, item.id)
    return (1, item.first_seen, item.id)


@cache
def _category_order() -> dict[str, int]:
    """Categories in the built-in rules' order (the classifier's tie-break order); a category
    a catalog adds comes after them."""
    return {cid: n for n, cid in enumerate(load_default_rules().category_ids)}


def _by_platform(items: Sequence[BriefingItem], locale: Locale) -> tuple[PlatformSection, ...]:
    order = _category_order()
    platforms: dict[str, dict[str, list[BriefingItem]]] = {}
    api: dict[str, list[BriefingItem]] = {}
    for item in items:
        if item.api:
            api.setdefault(item.platform, []).append(item)
            platforms.setdefault(item.platform, {})
        else:
            platforms.setdefault(item.platform, {}).setdefault(item.category, []).append(item)
    sections = []
    for platform in sorted(platforms, key=platform_name):
        categories = tuple(
            CategorySection(
                category=cat,
                label=locale.category(cat),
                items=tuple(sorted(found, key=lambda i: (severity_rank(i.severity), i.first_seen))),
            )
            for cat, found in sorted(
                platforms[platform].items(), key=lambda kv: (order.get(kv[0], 99), kv[0])
            )
        )
        surface = tuple(sorted(api.get(platform, []), key=lambda i: i.api))
        sections.append(PlatformSection(platform, platform_name(platform), categories, surface))
    return tuple(sections)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
