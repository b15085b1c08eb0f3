"""Training packs: what changed on chosen platforms over a period, arranged for teaching.

Trainers prepare sessions about a period ("Instagram and Threads, last quarter"), so a pack is
filtered on each entry's own date (not on when Radar first saw it) and includes the entries Radar
recorded on a source's first run: they are history, and history is what a session covers.
The same announcement seen in two sources is one item with two links. Pure: the caller queries
the store and passes the clock in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from radar.classify import SEVERITIES, Rules, severity_rank
from radar.dedup import ChangeGroup, group_duplicates, latest_per_entry
from radar.model import Change, ChangeKind, ChangeQuery

# The days a period may cover: beyond them a day or a window added to a date overflows.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


@dataclass(frozen=True, slots=True)
class PackRequest:
    """What a trainer asks for. `until` is inclusive (a trainer says "to September 30")."""

    since: date
    until: date
    platforms: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    text: str = ""  # words that must all appear in the title or text

    def __post_init__(self) -> None:
        for day in (self.since, self.until):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise ValueError(f"{day} is out of range; use a day from {FIRST_DAY} to {LAST_DAY}")
        if self.until < self.since:
            raise ValueError(f"the period ends ({self.until}) before it starts ({self.since})")
        unknown = self.severities - set(SEVERITIES)
        if unknown:
            raise ValueError(
                f"unknown severity {sorted(unknown)[0]!r}; use {', '.join(SEVERITIES)}"
            )

    @property
    def window(self) -> tuple[datetime, datetime]:
        """The period as UTC datetimes, `until` exclusive."""
        return (
            datetime.combine(self.since, time.min, UTC),
            datetime.combine(self.until, time.min, UTC) + timedelta(days=1),
        )

    def query(self, by: str = "published") -> ChangeQuery:
        """The store query that finds the candidates (the rest is filtered here, `covers`
        first: by published date, the query starts at the first of the month, so entries
        dated only by a month that overlaps the period are among the candidates)."""
        since, until = self.window
        return widened(
            ChangeQuery(
                since=since, until=until, platforms=self.platforms, by=by, include_baseline=True
            )
        )

    def covers(self, change: Change, by: str = "published") -> bool:
        """Whether `change` falls in the period (by its own date, or when Radar saw it)."""
        since, until = self.window
        if by == "published":
            return published_within(change, since, until)
        return since <= change.detected_at < until

    def matches(self, change: Change) -> bool:
        if self.categories and change.category not in self.categories:
            return False
        if self.severities and change.severity not in self.severities:
            return False
        if self.text:
            haystack = f"{change.title} {change.text}".casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True


@dataclass(frozen=True, slots=True)
class Section:
    """One category of the pack, in the rules' order."""

    category: str
    label: str
    groups: tuple[ChangeGroup, ...]


@dataclass(frozen=True, slots=True)
class TrainingPack:
    request: PackRequest
    generated_at: datetime
    sections: tuple[Section, ...]
    platforms: tuple[str, ...] = field(default=())  # platforms that have changes, sorted

    @property
    def title(self) -> str:
        names = ", ".join(p.title() for p in (self.platforms or sorted(self.request.platforms)))
        return f"{names or 'Platform'} changes, {_period(self.request.since, self.request.until)}"

    @property
    def groups(self) -> tuple[ChangeGroup, ...]:
        return tuple(g for s in self.sections for g in s.groups)

    @property
    def deadlines(self) -> tuple[ChangeGroup, ...]:
        """Items with a deadline, soonest first."""
        dated = [g for g in self.groups if g.primary.deadline is not None]
        return tuple(sorted(dated, key=lambda g: (g.primary.deadline, g.primary.id)))

    def __len__(self) -> int:
        return len(self.groups)


def build_pack(
    changes: Sequence[Change], request: PackRequest, rules: Rules, now: datetime
) -> TrainingPack:
    """Arrange `changes` (as the store returned them for `request.query()`) into a pack.

    Removals and cosmetic edits are left out (a trainer teaches what is, not what a page
    dropped or a typo fixed); within a
    category, items run by severity then date, so the ones to act on lead.
    """
    # One item per entry: added and then edited twice in the range is one thing to teach.
    wanted = latest_per_entry(
        [
            c
            for c in changes
            if c.kind not in (ChangeKind.REMOVED, ChangeKind.COSMETIC)
            and (c.published is not None or c.announce)  # undated history: not for a calendar
            and request.covers(c)
            and request.matches(c)
        ]
    )
    labels = {c.id: c.label for c in rules.categories}
    order = {cid: i for i, cid in enumerate(labels)}
    by_category: dict[str, list[ChangeGroup]] = {}
    for group in group_duplicates(sorted(wanted, key=_chronological)):
        category = group.primary.category or rules.default_category
        by_category.setdefault(category, []).append(group)
    sections = tuple(
        Section(
            category=cat,
            label=labels.get(cat, cat.replace("-", " ").capitalize()),
            groups=tuple(sorted(groups, key=lambda g: _teaching_order(g.primary))),
        )
        for cat, groups in sorted(by_category.items(), key=lambda kv: order.get(kv[0], 99))
    )
    platforms = tuple(sorted({c.platform for c in wanted}))
    return TrainingPack(request, now, sections, platforms)


def widened(query: ChangeQuery) -> ChangeQuery:
    """`query` as the store runs it: by published date, from the first of `since`'s month, so
    that entries dated only by a month (stored at its first day) that overlaps the period are
    found; `published_within` then keeps the ones that do."""
    if query.by != "published" or query.since is None:
        return query
    first = query.since.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return replace(query, since=first)


def published_within(change: Change, since: datetime | None, until: datetime | None) -> bool:
    """Whether the entry's own date falls in [since, until). An entry dated only by its
    month ("March 2025") falls in every period that overlaps that month: it may be from any
    day of it, and a trainer preparing 10-20 March would rather see it than miss it."""
    start = change.effective_date
    last = change.published_by
    if not change.month_only or last is None:  # a day: the instant, as the store compares it
        return (since is None or start >= since) and (until is None or start < until)
    end = last + timedelta(days=1)  # the month's end, exclusive
    return (since is None or end > since) and (until is None or start < until)


def _chronological(change: Change) -> tuple[datetime, str]:
    return (change.effective_date, change.id)


def _teaching_order(change: Change) -> tuple[int, datetime, str]:
    return (severity_rank(change.severity), change.effective_date, change.id)


def _period(since: date, until: date) -> str:
    if since.year == until.year:
        return f"{since:%-d %b} to {until:%-d %b %Y}"
    return f"{since:%-d %b %Y} to {until:%-d %b %Y}"
