"""Synthetic trend histories for the replay benchmark: a busy news front page over months, with
planted rises whose right answer is known.

The background is made to be hard, not easy: every day brings stories about household
platforms, general tech terms (some with "users" next to them), headlines without names, and
fresh made-up names with app context, once each and sometimes twice within a day (one short of
the emerging bar). The planted cases are the issue's: a new app going 0 -> 3 stories in 12 hours,
an ambiguous name ("Signal") linked to its own domain, a name edited into a title and stories
that stay on the page under an hour, a household platform surging, a general tech term surging
with and without app context, a new device and a new game near app words, a slow riser only a
second kind of source sees.

Deterministic (a seeded `random.Random`); no I/O. Times are UTC.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from radar.model import Item, Source, SourceKind, SourceRole

START = datetime(2026, 1, 1, tzinfo=UTC)
DAYS = 120

NEWS = Source(
    id="synthetic-news",
    platform="trends",
    kind=SourceKind.JSON,
    url="https://news.example.invalid/front.json",
    name="Synthetic news front page (hourly)",
    role=SourceRole.TREND,
)
CHART = Source(
    id="synthetic-app-chart",
    platform="trends",
    kind=SourceKind.JSON,
    url="https://charts.example.invalid/top-free.json",
    name="Synthetic app-store top free chart",
    role=SourceRole.TREND,
    selectors={"terms": "name", "signal": "chart"},
)


@dataclass(frozen=True)
class Story:
    """One item on a source's page from `appears` for `life`; `edits` change its title later."""

    source: str
    key: str
    title: str
    appears: datetime
    life: timedelta
    url: str | None = None
    edits: tuple[tuple[datetime, str], ...] = ()

    def visible(self, at: datetime) -> bool:
        return self.appears <= at < self.appears + self.life

    def item(self, at: datetime) -> Item:
        title = self.title
        for when, new in self.edits:
            if when <= at:
                title = new
        return Item(self.key, title, "", self.url or f"https://news.example.invalid/{self.key}")


@dataclass(frozen=True)
class Case:
    """A planted rise: the term, what should fire (None: nothing) and its stories."""

    name: str
    term: str
    expect: str | None  # "emerging", "surge" or None
    what: str
    stories: tuple[Story, ...] = ()


@dataclass
class History:
    stories: list[Story] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    def visible(self, source: str, at: datetime) -> list[Item]:
        return [s.item(at) for s in self.stories if s.source == source and s.visible(at)]


_SYLLABLES = ("ka", "lo", "mi", "zu", "ve", "ra", "no", "ti", "sa", "pe",
              "qu", "or", "an", "el", "ix", "um", "by", "fo", "da", "ri")  # fmt: skip
_HOUSEHOLD = ("Facebook", "Twitter", "Instagram", "YouTube", "WhatsApp", "TikTok", "LinkedIn")
_TECH = ("GitHub", "JavaScript", "PostgreSQL", "CentOS", "Kubernetes", "macOS", "OpenAI")
_PHRASES = (
    "{n} changes its ranking rules",
    "Inside {n}'s new moderation policy",
    "{n} outage hits Europe",
    "{n} users report login problems",
    "Why {n} is betting on video",
    "{n} earnings beat estimates",
    "A deep dive into {n} internals",
    "{n} 4.2 released",
    "How we cut our {n} bill in half",
)
_PLAIN = (
    "The economics of small bookshops",
    "Ask HN: How do you take notes?",
    "A history of the fax",
    "Show HN: I built a keyboard",
    "The quiet decline of the office park",
    "Notes on type design",
    "Why cities are planting micro-forests",
    "A field guide to Unix pipes",
)
_FRESH = (
    "Show HN: {n} – an app for shared grocery lists",
    "{n} app wants to fix group chats",
    "Launch HN: {n} (YC W26) – invoices for freelancers",
    "{n}DB 2.0: a faster embedded store",
)


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        if name not in taken and len(name) >= 4:
            taken.add(name)
            return name


def background(rng: random.Random, days: int = DAYS) -> list[Story]:
    """About 30 stories a day, each on the page 2-30 hours."""
    stories: list[Story] = []
    taken = {"Noplace", "Signal", "Telegram", "Lemon9", "Neuralhash", "Palworld", "Vision"}
    n = 0
    for hour in range(days * 24):
        at = START + timedelta(hours=hour, minutes=rng.randrange(60))
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
            n += 1
            roll = rng.random()
            if roll < 0.3:
                title = rng.choice(_PHRASES).format(n=rng.choice(_HOUSEHOLD))
            elif roll < 0.55:
                title = rng.choice(_PHRASES).format(n=rng.choice(_TECH))
            elif roll < 0.8:
                title = rng.choice(_PLAIN)
            else:
                name = _name(rng, taken)
                title = rng.choice(_FRESH).format(n=name)
                if rng.random() < 0.15:  # a second story within the day: one short of the bar
                    again = at + timedelta(hours=rng.randrange(1, 20))
                    stories.append(_story(f"bg{n}b", f"{name} app is growing fast", again, rng))
            stories.append(_story(f"bg{n}", title, at, rng))
    return stories


def _story(key: str, title: str, at: datetime, rng: random.Random, url: str | None = None) -> Story:
    return Story(NEWS.id, key, title, at, timedelta(hours=rng.randrange(2, 31)), url)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return START + timedelta(days=day, hours=hour, minutes=minute)


def cases(rng: random.Random) -> list[Case]:
    """The planted rises (days counted from START)."""

    def news(
        key: str,
        title: str,
        day: int,
        hour: int,
        minute: int = 0,
        url: str | None = None,
        life: float = 8.0,
    ) -> Story:
        return Story(NEWS.id, key, title, _at(day, hour, minute), timedelta(hours=life), url)

    noplace = [
        news("np1", "Noplace, a new social app, tops the App Store", 70, 8),
        news("np2", "Teens flock to Noplace", 70, 12),
        news("np3", "What is Noplace and why is everyone talking about it?", 70, 19),
        *[news(f"np4{i}", f"Noplace story {i}", 71, 2 * i + 1) for i in range(7)],
        *[
            news(f"np5{i}", f"Noplace and the return of MySpace-style profiles {i}", 72, 3 * i + 2)
            for i in range(4)
        ],
        news("np6", "Noplace hits 1M downloads", 73, 10),
    ]
    signal = [
        news("sg0", "Signal boost: notes on radio", 20, 9),  # no evidence: stays out
        news("sg1", "Signal AMA", 80, 7, url="https://signal.org/blog/ama/"),
        news(
            "sg2",
            "Signal is having technical difficulties",
            80,
            13,
            url="https://twitter.com/signalapp/status/1",
        ),
        news("sg3", "Signal Is Back", 80, 20, url="https://signal.org/blog/back/"),
        *[
            news(f"sg4{i}", f"Why I moved my family to Signal, part {i}", 81, 2 * i + 1)
            for i in range(6)
        ],
        news("sg5", "Signal's growth in one chart", 82, 9, url="https://signal.org/blog/growth/"),
    ]
    telegram = [
        Story(
            NEWS.id,
            "tg1",
            "WhatsApp's new terms drive an exodus",
            _at(85, 8, 10),
            timedelta(hours=10),
            None,
            ((_at(85, 9, 40), "WhatsApp's new terms drive an exodus to Telegram"),),
        ),
        news("tg2", "Telegram adds 25M users in 72 hours", 85, 10, 30, life=0.67),  # seen at 11:00
        news("tg3", "Telegram's founder on privacy", 85, 13, 5, life=0.75),  # gone by 14:00
        news("tg4", "Telegram is now the most downloaded app", 85, 16),
        *[news(f"tg5{i}", f"Telegram group chats, explained {i}", 86, 3 * i + 1) for i in range(5)],
    ]
    facebook = [
        news(f"fb{d}{i}", f"Facebook whistleblower testimony, day {d} part {i}", d, i + 6)
        for d in (90, 91)
        for i in range(14)
    ]
    github = [
        news(
            f"gh{i}",
            f"GitHub users hit by {'Copilot' if i % 2 else 'Actions'} outage {i}",
            95,
            i + 4,
        )
        for i in range(12)
    ]
    neural = [
        news(f"nh{i}", f"NeuralHash collision found, round {i}", 100, 2 * i + 1) for i in range(6)
    ]
    gadget = [
        news("vp1", "Vision Pro users report headaches", 110, 8),
        news("vp2", "Apple Vision Pro app store opens", 110, 11),
        news("vp3", "Vision Pro launch: first impressions", 110, 14),
        news("vp4", "Apple's Vision Pro apps are here", 110, 17),
    ]
    game = [
        news("pw1", "Palworld downloads top 8M in a week", 114, 9),
        news("pw2", "Palworld players find a new exploit", 114, 13),
        news("pw3", "Palworld is the surprise hit of the year", 114, 20),
    ]
    chart = [
        Story(CHART.id, f"chart-{app}", app, START, timedelta(days=DAYS))
        for app in ("Instagram", "TikTok", "WhatsApp", "Threads", "CapCut")
    ]
    lemon = [
        Story(CHART.id, "chart-lemon9", "Lemon9 - Photo Feed", _at(105, 5), timedelta(days=10)),
        news("lm1", "Lemon9 app climbs the charts", 105, 9),
        news("lm2", "Lemon9 is the new photo feed everyone joins", 106, 15),
        news("lm3", "Lemon9 app explained", 107, 11),
        news("lm4", "Lemon9 app explained, again", 107, 18),
    ]
    return [
        Case(
            "new app, 0 -> 3 stories in 12 h",
            "noplace",
            "emerging",
            "one hourly news source",
            tuple(noplace),
        ),
        Case(
            "ambiguous name linked to its domain",
            "signal",
            "emerging",
            "'Signal AMA', 'Signal Is Back' link to signal.org",
            tuple(signal),
        ),
        Case(
            "edited title, stories under an hour",
            "telegram",
            "emerging",
            "a title edited to add the name; two stories on the page < 1 h",
            tuple(telegram),
        ),
        Case(
            "household platform surging",
            "facebook",
            "surge",
            "2-4 a day -> 14 a day",
            tuple(facebook),
        ),
        Case(
            "general tech term surging, with 'users'",
            "github",
            None,
            "familiar, not a platform",
            tuple(github),
        ),
        Case(
            "new general term, no app context",
            "neuralhash",
            None,
            "0 -> 6 stories, no evidence",
            tuple(neural),
        ),
        Case(
            "new gadget, app-store words nearby",
            "vision",
            None,
            "a device, not a platform: 4 stories in 10 h",
            tuple(gadget),
        ),
        Case(
            "new game, downloads milestone",
            "palworld",
            None,
            "a game: 'Palworld players' says so (counter-evidence)",
            tuple(game),
        ),
        Case(
            "slow riser, two kinds agree",
            "lemon9",
            "emerging",
            "1-2 stories a day on news + an app chart entry",
            tuple(chart + lemon),
        ),
    ]


def history(seed: int = 12) -> History:
    """The background and the planted cases on one timeline."""
    rng = random.Random(seed)
    out = History(background(rng))
    out.cases = cases(rng)
    for case in out.cases:
        out.stories += case.stories
    return out
