"""Is it a platform? Per-item evidence that a name found in a trend item is an app or network.

A name found in an item (terms.py) is a platform *candidate* only with evidence in that item:

- `alias`: the alias table names it (a known platform; an ambiguous alias such as "Signal"
  only with terms.py's context or one of the kinds of evidence below);
- `domain`: the item links to the platform's own site (`domains` in aliases.yaml): a story
  linking to signal.org that says "Signal" is about Signal, whatever its wording;
- `context`: app and network words bound to the name: "Noplace app", "Spill users",
  "download Lemon8", "join Bluesky", "invite to Clubhouse", "Noplace, a new social network",
  "Twitter rival Parler" (a known platform next to rival/alternative/clone);
- `listing`: the source lists apps or platforms (`terms: name`: app charts, Product Hunt).

Structure first (links, the kind of source, words bound to the name), not a list of names: a
name without evidence is still counted, so it builds the term's long-run history (GitHub seen
every week is never "new"), but it cannot fire an emerging alert. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

from radar.trends.terms import Platform, Term, TermExtractor, TermKind

ALIAS = "alias"
DOMAIN = "domain"
CONTEXT = "context"
LISTING = "listing"
# Counter-evidence: the item says the name is a game or a device, not a platform.
NOT_PLATFORM = "not-a-platform"

# Words that, bound to a name, say it is an app or a network (the list, inflected).
_AFTER = (
    r"app|apps|users|user\s+base|downloads?|invites?|invite-only|waitlist|wait\s+list|"
    r"messaging(?:\s+app)?|messenger|social\s+network|social\s+media\s+app|social\s+app|chat\s+app"
)
_BEFORE = (
    r"download(?:s|ed|ing)?|join(?:s|ed|ing)?|invites?\s+to|invited\s+to|sign(?:ed|s)?\s+up\s+for|"
    r"users\s+of|flock(?:s|ed|ing)?\s+to|new\s+app|social\s+app|messaging\s+app|"
    r"app\s+called|network\s+called"
)
_RIVAL = r"rivals?|alternatives?|competitors?|clones?|challengers?"
# "Noplace hits 1M downloads", "Threads passes 100 million users": a user-count milestone.
_MILESTONE = (
    r"\s+(?:hits|reaches|passes|tops|crosses|gets|gains|adds|has|surpasses)\s+"
    r"[\d.,]+\s*(?:[kKmMbB]|million|billion|thousand)?\s+"
    r"(?:new\s+|daily\s+|monthly\s+|active\s+)*(?:users|downloads|sign-?ups|members|installs)(?![\w])"
)
# Words that, bound to a name, say it is a game or a device: "Palworld players", "playing
# Palworld", "the Vision Pro headset". Counter-evidence: such a name does not fire (rise.py).
_GAME_OR_DEVICE_AFTER = (
    r"players|gamers|speedruns?|DLC|esports|game|games|headsets?|phones?|smartphones?|"
    r"laptops?|tablets?|consoles?|chips?|processors?|GPUs?|devices?|handhelds?|glasses"
)
_GAME_OR_DEVICE_BEFORE = r"play|plays|playing|played|the\s+game|new\s+game|video\s+game"
# App/network words anywhere in an item: enough to read an ambiguous alias ("Signal") as the
# platform in that item, never enough to make an unknown name a platform.
_ANYWHERE = re.compile(
    r"(?i)(?<![\w-])(?:apps?|users|download(?:s|ed|ing)?|invite[sd]?|join(?:s|ed|ing)?|"
    r"messaging|messenger|social\s+(?:network|media)s?)(?![\w-])"
)


@dataclass(frozen=True, slots=True)
class Evidenced:
    """A term found in one item, and why it counts as a platform ("" when nothing says so)."""

    term: Term
    evidence: str

    @property
    def candidate(self) -> bool:
        return bool(self.evidence) and self.evidence != NOT_PLATFORM

    @property
    def countered(self) -> bool:
        return self.evidence == NOT_PLATFORM


def host_matches(url: str | None, domains: Sequence[str]) -> bool:
    """Whether `url`'s host is one of `domains` or a subdomain of one."""
    if not url or not domains:
        return False
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in domains)


def bare_mentions(text: str, candidates: frozenset[str]) -> list[Term]:
    """Capitalised bare mentions of `candidates` (term keys of names that had platform evidence
    lately): once "Teens flock to Noplace" made Noplace a candidate, "What is Noplace?" counts.
    """
    pattern = _candidate_pattern(candidates)
    if pattern is None:
        return []
    found: dict[str, Term] = {}
    for m in pattern.finditer(text):
        key = " ".join(m.group(0).casefold().split())
        found.setdefault(key, Term(key, m.group(0), TermKind.NAME))
    return [t for k, t in found.items() if k in candidates]


@lru_cache(maxsize=16)
def _candidate_pattern(candidates: frozenset[str]) -> re.Pattern[str] | None:
    if not candidates:
        return None
    words = sorted(candidates, key=lambda c: (-len(c), c))
    alternation = "|".join(r"\s+".join(re.escape(w) for w in c.split()) for c in words)
    # A name starts with a capital or a digit; "noplace" in lower case is a word.
    return re.compile(rf"(?<![\w#@.-])(?=[A-Z0-9])(?i:{alternation})(?![\w]|-\w)")


class EvidenceFinder:
    """Finds the evidence for the terms of one item. Build it with `evidence_finder`."""

    def __init__(self, extractor: TermExtractor) -> None:
        self._extractor = extractor
        known = sorted(
            {a for p in extractor.platforms.values() for a in (*p.aliases, *p.names) if len(a) > 2},
            key=lambda a: (-len(a), a),
        )
        platforms = "|".join(re.escape(a) for a in known)
        self._platforms = platforms
        # "Twitter rival Parler", "Twitter's alternative Parler"
        self._rival_before = rf"(?i:(?:{platforms})(?:['’]s)?\s+(?:{_RIVAL}))"
        name = r"[A-Z0-9][\w'’.+-]*[^\W_](?:\s+[A-Z0-9][\w'’.+-]*[^\W_]){0,2}|[A-Z]"
        self._cued = (
            re.compile(rf"(?<![\w])(?i:{_BEFORE})\s+(?:the\s+)?({name})(?![\w])"),
            re.compile(rf"(?<![\w#@])({name})\s+(?i:{_AFTER})(?![\w])"),
            re.compile(rf"(?<![\w#@])({name})(?i:{_MILESTONE})"),
        )
        self._domains = tuple(d for p in extractor.platforms.values() for d in p.domains)
        self._bare = [
            (p, alias, re.compile(rf"(?<![\w#@.-]){re.escape(alias)}(?![\w-])"))
            for p in extractor.platforms.values()
            for alias in p.ambiguous
        ]

    def find(
        self, terms: Sequence[Term], text: str, url: str | None, *, listing: bool = False
    ) -> list[Evidenced]:
        """Each term with its evidence in `text` (title and body) and the item's `url`; also
        the platforms an ambiguous alias names in this item when the item carries evidence."""
        out = [Evidenced(t, self._evidence(t, text, url, listing)) for t in terms]
        found = {t.key for t in terms}
        for term in self._cued_names(text):
            if term.key not in found:
                if term.kind is TermKind.PLATFORM:
                    why = ALIAS
                elif self._game_or_device(re.escape(term.display), text):
                    why = NOT_PLATFORM
                else:
                    why = CONTEXT
                out.append(Evidenced(term, why))
                found.add(term.key)
        for platform, alias, pattern in self._bare:
            if platform.term in found or not pattern.search(text):
                continue
            # A list of apps or platforms names the platform: "Signal - Private Messenger".
            why = LISTING if listing else self._ambiguous_evidence(platform, alias, text, url)
            if why:
                term = Term(platform.term, platform.name, TermKind.PLATFORM)
                out.append(Evidenced(term, why))
                found.add(platform.term)
        return out

    def _evidence(self, term: Term, text: str, url: str | None, listing: bool) -> str:
        if term.kind is TermKind.PLATFORM:
            return ALIAS
        if listing:
            return LISTING
        name = re.escape(term.display.lstrip("#"))
        if self._game_or_device(name, text):
            return NOT_PLATFORM
        if self._bound_context(name, text):
            return CONTEXT
        return ""

    def bare(self, term: Term, text: str) -> Evidenced:
        """A bare mention of a candidate (`bare_mentions`): no evidence of its own, but the
        item may still say it is a game or a device."""
        countered = self._game_or_device(re.escape(term.display), text)
        return Evidenced(term, NOT_PLATFORM if countered else "")

    def _game_or_device(self, name: str, text: str) -> bool:
        n = rf"(?<![\w#@]){name}(?:['’]s)?(?![\w])"
        return bool(
            re.search(rf"(?i:{n})\s+(?i:{_GAME_OR_DEVICE_AFTER})(?![\w])", text)
            or re.search(rf"(?<![\w])(?i:{_GAME_OR_DEVICE_BEFORE})\s+(?i:{n})", text)
        )

    def _ambiguous_evidence(
        self, platform: Platform, alias: str, text: str, url: str | None
    ) -> str:
        if host_matches(url, platform.domains) or self._account_link(url, alias):
            return DOMAIN
        # Short aliases ("X", "Gab") are too common to read from words anywhere in the item.
        if len(alias) > 3 and (
            self._bound_context(re.escape(alias), text) or _ANYWHERE.search(text)
        ):
            return CONTEXT
        return ""

    def _cued_names(self, text: str) -> list[Term]:
        """Capitalised names bound to app/network words that terms.py's cues do not cover
        ("Teens flock to Noplace", "How to join Spillz")."""
        out: list[Term] = []
        for pattern in self._cued:
            for m in pattern.finditer(text):
                out += self._extractor.name_terms(m.group(1))
        return out

    def _account_link(self, url: str | None, alias: str) -> bool:
        """A link to the platform's own account on another platform (twitter.com/signalapp)."""
        if not url or len(alias) <= 3 or not host_matches(url, self._domains):
            return False
        segment = urlsplit(url).path.strip("/").split("/")[0].casefold().lstrip("@")
        return segment.startswith(alias.casefold())

    def _bound_context(self, name: str, text: str) -> bool:
        """App/network words bound to `name` (a regex): after it, before it, or in apposition."""
        n = rf"(?<![\w#@]){name}(?:['’]s)?(?![\w])"
        patterns = (
            rf"(?i:{n})\s+(?i:{_AFTER})(?![\w])",
            rf"(?<![\w])(?i:{_BEFORE})\s+(?:the\s+)?(?i:{n})",
            rf"{self._rival_before}\s+(?i:{n})",
            rf"(?i:{n})(?i:{_MILESTONE})",
            # "Noplace, a new social app", "Parler, the Twitter alternative"
            rf"(?i:{n}),?\s+(?i:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?"
            rf"(?i:{_AFTER}|(?:{self._platforms})\s+(?:{_RIVAL})|(?:{_RIVAL})\s+to\s+(?:{self._platforms}))"
            r"(?![\w])",
        )
        return any(re.search(p, text) for p in patterns)


@cache
def evidence_finder(extractor: TermExtractor) -> EvidenceFinder:
    """The finder for `extractor` (built once: it compiles the alias table's names)."""
    return EvidenceFinder(extractor)
