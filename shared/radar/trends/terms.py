"""Term extraction: text of a trend item -> the terms it mentions.

Two kinds of term come out:

- known platforms, found through the alias table (`aliases.yaml`): "Twitter", "X (formerly
  Twitter)" and "#twitter" all count as `twitter`;
- unknown candidates, which may be the next platform: hashtags of one word, CamelCase product
  names ("BeReal", "ChatGPT"), and capitalised names next to cue words ("the Spill app",
  "Bluesky waitlist", "launches Noplace").

Stopwords and common words in several languages (`stopwords/*.yaml`) keep ordinary words out.
Pure: no clock, no environment, no I/O except reading the packaged data files once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from radar.trends.data import LANGUAGES, Platform, load_words, parse_aliases, read_data

# The data helpers live in radar.trends.data; they stay importable from here.
__all__ = [
    "LANGUAGES",
    "Platform",
    "Term",
    "TermExtractor",
    "TermKind",
    "load_extractor",
    "load_words",
    "normalise",
    "parse_aliases",
]

# Words that, next to a capitalised name, say that the name is an app or a platform.
CUES_AFTER_NAME = (
    "app",
    "apps",
    "platform",
    "social network",
    "social media app",
    "network",
    "users",
    "downloads",
    "waitlist",
    "wait list",
    "invite",
    "invites",
    "beta",
    "messenger",
)
CUES_BEFORE_NAME = (
    "launches",
    "launched",
    "rival",
    "alternative",
    "alternatives",
    "app called",
    "platform called",
    "invite to",
    "invites to",
    "joins",
    "joined",
    "downloaded",
    "new app",
    "social app",
)
# Context that makes an ambiguous alias ("X", "Signal", "Threads") the platform.
_AMBIGUOUS_BEFORE = (
    r"(?:on|to|from|via|joins?|joined|leaves?|left|quits?|quitting|ditch(?:es|ed|ing)?|"
    r"launch(?:es|ed)?|"
    r"rival|owner of|owns|bought|Musk's|Musk’s|Meta's|Meta’s|Instagram's|Instagram’s)"
)
_AMBIGUOUS_AFTER = (
    r"(?:['’]s\b|\s*\(formerly|,\s*formerly|\s*\(Twitter\)|/Twitter\b|\s+(?:app|apps|users|"
    r"platform|Premium|CEO|Corp|account|accounts|posts|feed|messenger|Messenger)\b)"
)

_WORD = r"[^\W_][\w'’.+-]*[^\W_]|[^\W_]"
_NAME_WORD = r"[A-Z0-9][\w'’.+-]*[^\W_]|[A-Z]"
_HASHTAG = re.compile(r"(?<![\w&])#([^\W_][\w]*)")
_CAMEL = re.compile(
    r"(?<![\w#@])([A-Za-z]*[a-z][A-Z][A-Za-z0-9]*)(?![\w]|-(?i:style|like|esque|inspired|type|clone)\b)"
)
_CAMEL_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# One token with a capital after a lower-case letter, or letters and digits mixed: "BeReal",
# "Lemon8", "X2". Not all capitals ("GOT7" is a band name too often).
_PRODUCT_TOKEN = re.compile(r"[A-Za-z]*[a-z][A-Z0-9][A-Za-z0-9]*")
# CamelCase that is a surname pattern, not a product: McConnell, DeKalb, LeBron, VanDyke.
_SURNAME = re.compile(r"(?:Mc[A-Z]|(?:De|Di|Da|La|Le|Van|Von|O)[A-Z][a-z]+$)")
_CUE_EDGE = re.compile(
    r"(?i)^(?:(?:the|new)\s+)*(?:"
    + "|".join(re.escape(c) for c in ("app", "apps", "social app"))
    + r")\s+|\s+(?:"
    + "|".join(re.escape(c) for c in CUES_AFTER_NAME)
    + r")$"
)
_YEAR_END = re.compile(r"(?:19|20)\d\d$")
_POSSESSIVE = re.compile(r"['’]s$")
_STRIP = "\"'“”‘’«»()[]{}<>.,;:!?¡¿…*_~|/\\"


class TermKind(StrEnum):
    PLATFORM = "platform"  # a known platform from the alias table
    HASHTAG = "hashtag"
    NAME = "name"  # a CamelCase or capitalised product name
    TOPIC = "topic"  # a whole trend-list entry (Twitter trends, Google Trends)


@dataclass(frozen=True, slots=True)
class Term:
    """One term found in a text: `key` is what counts are stored under."""

    key: str
    display: str
    kind: TermKind

    @property
    def known(self) -> bool:
        return self.kind is TermKind.PLATFORM


def normalise(text: str) -> str:
    """The key form of a term: NFKC, casefolded, `#` and outer punctuation gone, spaces single."""
    text = unicodedata.normalize("NFKC", text).strip().lstrip("#@")
    text = _POSSESSIVE.sub("", text.strip(_STRIP))
    return " ".join(w.strip(_STRIP) for w in text.casefold().split() if w.strip(_STRIP))


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "Bluesky Social" wins over "Bluesky".
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


# "MySpace-style profiles", "Twitter-like feed": the name describes something else.
_LIKENESS = r"-(?i:style|like|esque|inspired|type|clone)\b"


def _bounded(alternation: str) -> str:
    return rf"(?<![\w#@.])(?:{alternation})(?![\w]|\.\w|{_LIKENESS})"


@dataclass(frozen=True, eq=False)
class TermExtractor:
    """Finds terms in text with an alias table and word lists. Build it with `load_extractor`."""

    platforms: Mapping[str, Platform]
    stopwords: frozenset[str]
    common: frozenset[str]
    _by_alias: dict[str, str] = field(init=False, repr=False)
    _ambiguous_keys: frozenset[str] = field(init=False, repr=False)
    _plain: re.Pattern[str] | None = field(init=False, repr=False)
    _cased: re.Pattern[str] | None = field(init=False, repr=False)
    _ambiguous: re.Pattern[str] | None = field(init=False, repr=False)
    _after: re.Pattern[str] = field(init=False, repr=False)
    _before: re.Pattern[str] = field(init=False, repr=False)
    _apposition: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_alias: dict[str, str] = {}
        plain: list[str] = []
        cased: list[str] = []
        ambiguous: list[str] = []
        for p in self.platforms.values():
            for alias in (*p.aliases, *p.names):
                by_alias[normalise(alias)] = p.term
            for alias in p.ambiguous:
                by_alias.setdefault(normalise(alias), p.term)
            plain += p.aliases
            cased += p.names
            ambiguous += p.ambiguous
        # Dataclass is frozen for callers; the compiled patterns are built once here.
        set_ = object.__setattr__
        set_(self, "_by_alias", by_alias)
        set_(self, "_ambiguous_keys", frozenset(normalise(a) for a in ambiguous))
        set_(self, "_plain", re.compile(_bounded(_alternation(plain)), re.I) if plain else None)
        set_(self, "_cased", re.compile(_bounded(_alternation(cased))) if cased else None)
        set_(
            self,
            "_ambiguous",
            re.compile(
                rf"(?:(?<![\w])(?i:{_AMBIGUOUS_BEFORE})\s+(?P<a>{_alternation(ambiguous)})(?![\w-])"
                rf"|(?<![\w#@.-])(?P<b>{_alternation(ambiguous)})(?={_AMBIGUOUS_AFTER}))"
            )
            if ambiguous
            else None,
        )
        name = rf"(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD})){{0,2}}"
        after = _alternation(CUES_AFTER_NAME)
        before = _alternation(CUES_BEFORE_NAME)
        set_(self, "_after", re.compile(rf"(?<![\w#@])({name})\s+(?i:{after})(?![\w])"))
        set_(self, "_before", re.compile(rf"(?<![\w])(?i:{before})\s+({name})(?![\w])"))
        # "Noplace, a new social app" / "Spill, the Black Twitter alternative"
        set_(
            self,
            "_apposition",
            re.compile(
                rf"(?<![\w#@])({name}),\s+(?i:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?"
                rf"(?i:{after}|{before})(?![\w])"
            ),
        )

    # --- lookups ----------------------------------------------------------------------------

    def platform(self, term: str) -> Platform | None:
        """The known platform stored under `term` (a key), if any."""
        return self.platforms.get(term)

    def is_common(self, text: str) -> bool:
        """True when every word of `text` is a stopword, a common word or a number."""
        words = normalise(text).split()
        return all(self._common_word(w) for w in words)

    def _common_word(self, word: str) -> bool:
        w = word.strip(_STRIP)
        return (
            len(w) < 2
            or w in self.stopwords
            or w in self.common
            or w.rstrip("s") in self.common
            or not any(c.isalpha() for c in w)
        )

    # --- extraction -------------------------------------------------------------------------

    def terms(self, text: str) -> list[Term]:
        """Terms mentioned in `text`, each once: known platforms first, then candidates."""
        found: dict[str, Term] = {}
        taken: list[tuple[int, int]] = []  # spans already claimed by a known platform

        def add(term: Term) -> None:
            found.setdefault(term.key, term)

        for pattern in (self._plain, self._cased):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = self._by_alias.get(normalise(m.group(0)))
                if key is not None:
                    add(self._platform_term(key))
                    taken.append(m.span())
        if self._ambiguous is not None:
            for m in self._ambiguous.finditer(text):
                alias = m.group("a") or m.group("b")
                key = self._by_alias.get(normalise(alias))
                if key is not None:
                    add(self._platform_term(key))
                    taken.append(m.span("a") if m.group("a") else m.span("b"))
        for m in _HASHTAG.finditer(text):
            for term in self._hashtag(m.group(1)):
                add(term)
            taken.append(m.span())
        for m in _CAMEL.finditer(text):
            if not _inside(m.span(), taken) and not _SURNAME.match(m.group(1)):
                add(self._candidate(m.group(1), TermKind.NAME) or _NOTHING)
        for pattern in (self._after, self._before, self._apposition):
            for m in pattern.finditer(text):
                if not _inside(m.span(1), taken):
                    add(self._candidate(m.group(1), TermKind.NAME) or _NOTHING)
        found.pop(_NOTHING.key, None)
        return list(found.values())

    def topic_terms(self, topic: str) -> list[Term]:
        """Terms of one trend-list entry ("Parler", "#WhatsApp", "Twitter and Facebook").

        Known platforms and what `terms` finds count. The entry as a whole is a candidate only
        when it looks like a product name: one token with inner capitals or digits ("BeReal",
        "Lemon8"). Plain words and phrases in trend lists are overwhelmingly people, places
        and events ("Kanye", "Senate", "Happy Birthday Eli"); a new app among them is found
        through the cue words of headline sources instead (docs/trends.md).
        """
        # Hashtags in trend lists are mostly events ("#tuesdayvibe", "#GOT7"): keep known
        # platforms and product-like tags only.
        found = {
            t.key: t
            for t in self.terms(topic)
            if t.kind is not TermKind.HASHTAG or _product_like(t.display.lstrip("#"))
        }
        stripped = topic.strip()
        # A cue word makes the rest a name whatever its case: "noplace app" (Google Trends
        # queries are lower case), "Spill waitlist".
        cued = _CUE_EDGE.sub("", stripped).strip() if not stripped.startswith("#") else ""
        if cued and cued != stripped and len(cued.split()) <= 2:
            term = self._by_alias_term(cued) or self._candidate(cued, TermKind.TOPIC)
            if term is not None:
                found.setdefault(term.key, term)
        words = normalise(stripped).split()
        if len(words) == 1 and not stripped.startswith("#") and words[0] not in found:
            known = self._by_alias.get(words[0])
            if known is not None and words[0] not in self._ambiguous_keys:
                found.setdefault(known, self._platform_term(known))
            elif known is None and _product_like(stripped):
                term = self._candidate(stripped, TermKind.TOPIC)
                if term is not None:
                    found.setdefault(term.key, term)
        return list(found.values())

    def name_terms(self, name: str, text: str = "") -> list[Term]:
        """Terms of an item whose title is a product's name (Product Hunt, app charts).

        The name itself is a candidate unless it is common ("Notes", "Calendar"); the text
        adds what `terms` finds in it.
        """
        found = {t.key: t for t in self.terms(f"{name}\n{text}" if text else name)}
        name = name.split(" - ")[0].split(" — ")[0].split(": ")[0].strip()
        if name and len(name.split()) <= 3:
            term = self._by_alias_term(name) or self._candidate(name, TermKind.NAME)
            if term is not None:
                found.setdefault(term.key, term)
        return list(found.values())

    def _by_alias_term(self, text: str) -> Term | None:
        key = normalise(text)
        known = self._by_alias.get(key)
        if known is None or key in self._ambiguous_keys:
            return None
        return self._platform_term(known)

    def _platform_term(self, term: str) -> Term:
        return Term(term, self.platforms[term].name, TermKind.PLATFORM)

    def _hashtag(self, tag: str) -> list[Term]:
        key = normalise(tag)
        known = self._by_alias.get(key)
        if known is not None:
            return [self._platform_term(known)]
        parts = _CAMEL_PARTS.findall(tag)
        words = [p for p in parts if not p.isdigit()]
        if len(words) <= 1:
            # "#Welcome2021" -> "welcome": a common word, not a name.
            word = words[0] if words else ""
            if word and not self._common_word(word.casefold()) and len(word) >= 3:
                return [Term(key, f"#{tag}", TermKind.HASHTAG)]
            return []
        # A sentence hashtag ("#HappyBirthdayDeepikaPadukone") is not a product name, but it
        # may name a known platform ("#CatsOfTwitter", "#1MPostsOnInsta").
        out: list[Term] = []
        for word in words:
            known = self._by_alias.get(word.casefold())
            if known is not None and word.casefold() not in self._ambiguous_keys:
                out.append(self._platform_term(known))
        return out

    def _candidate(self, raw: str, kind: TermKind) -> Term | None:
        words = [w for w in raw.split() if w]
        # Trim common words at both ends: "The Spill app" -> "Spill", "Grow Your App" -> "".
        while words and self._common_word(normalise(words[0])):
            words.pop(0)
        while words and self._common_word(normalise(words[-1])):
            words.pop()
        if not words:
            return None
        display = " ".join(words).strip(_STRIP)
        display = _POSSESSIVE.sub("", display)
        if re.search(rf"{_LIKENESS}$", display):
            return None  # "the Myspace-style app": a likeness, not a name
        key = normalise(display)
        if len(key) < 3 or self.is_common(key):
            return None
        known = self._by_alias.get(key)
        if known is not None and key not in self._ambiguous_keys:
            return self._platform_term(known)
        if known is not None:
            return None  # "Signal" alone, without context, is just a word
        return Term(key, display, kind)


_NOTHING = Term("\x00", "", TermKind.NAME)


def _product_like(token: str) -> bool:
    """One token shaped like a product name ("BeReal", "Lemon8"), not a year tag."""
    return bool(_PRODUCT_TOKEN.fullmatch(token)) and not _YEAR_END.search(token)


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(s < end and start < e for s, e in taken)


# --- data (radar.trends.data) ------------------------------------------------------------------


@cache
def load_extractor(languages: tuple[str, ...] = LANGUAGES) -> TermExtractor:
    """The default extractor: packaged alias table, stopwords of `languages`, common words."""
    stop: set[str] = set()
    for lang in languages:
        stop |= load_words(lang)
    return TermExtractor(
        platforms=parse_aliases(read_data("aliases.yaml")),
        stopwords=frozenset(stop),
        common=load_words("common-en"),
    )
