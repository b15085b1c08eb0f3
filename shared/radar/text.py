"""Text helpers shared by the extractors and the differ: normalising, HTML to text, URLs, dates.

Pure functions: no clock, no environment, no network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# The version rule lives in radar.versions; re-exported for the callers that read it here.
from radar.versions import find_version as find_version

if TYPE_CHECKING:
    import lxml.etree

# Typographic characters mapped to their plain ASCII look-alikes, so that a page that swaps
# "straight" for “curly” quotes (or a dash for a hyphen) produces the same digest.
_TYPOGRAPHY = {
    **dict.fromkeys("‘’‚‛′‵ʼ`´", "'"),
    **dict.fromkeys("“”„‟″‶«»", '"'),
    **dict.fromkeys("‐‑‒–−⁃﹘﹣－", "-"),
    # An em dash is typed "--" by people writing plain text.
    **dict.fromkeys("—―", "--"),
    "…": "...",
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000", " "),
    # Zero-width and invisible formatting characters carry nothing a reader sees.
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f", ""),
}
# One regex over the mapped characters: str.translate with a table looks up every character
# of the text in Python, which made normalising non-ASCII pages (emoji, accents) the costliest
# step of extraction. The output is the same.
_TYPOGRAPHIC = re.compile("[" + "".join(re.escape(c) for c in _TYPOGRAPHY) + "]")


def _plain_typography(s: str) -> str:
    return _TYPOGRAPHIC.sub(lambda m: _TYPOGRAPHY[m.group()], s)


def normalize_text(s: str) -> str:
    """NFKC, typographic quotes/dashes/ellipsis/spaces to ASCII, all whitespace to one space.

    Idempotent: `normalize_text(normalize_text(s)) == normalize_text(s)`.
    """
    if _is_normal(s):
        return s  # extractors, the differ and slugs normalise the same text again and again
    if s.isascii() and "`" not in s:  # the common case: nothing for NFKC or the table to do
        # Text wrapped over lines ("one\ntwo"): line ends become spaces in one pass, without
        # the word-by-word copy of split and join.
        joined = s.replace("\n", " ")
        if joined.isprintable() and "  " not in joined:
            return joined.strip(" ")
        return " ".join(s.split())
    out = _normalize_once(s)
    # Removing a zero-width character can bring a base letter and a combining mark together,
    # which NFKC then composes; repeat until stable (rarely more than one extra pass).
    while not out.isascii():
        again = _normalize_once(out)
        if again == out:
            break
        out = again
    return out


def _is_normal(s: str) -> bool:
    """Whether `s` is already what `normalize_text` makes of it, told without building a copy.

    Every whitespace character but the space, and every zero-width one, is unprintable, so a
    printable text with single inner spaces has nothing to collapse; beyond that, ASCII needs
    no backtick and other text must be NFKC with no typographic character left.
    """
    if not s.isprintable() or "  " in s or s[:1] == " " or s[-1:] == " ":
        return False
    if s.isascii():
        return "`" not in s
    return unicodedata.is_normalized("NFKC", s) and _TYPOGRAPHIC.search(s) is None


def _normalize_once(s: str) -> str:
    s = _plain_typography(unicodedata.normalize("NFKC", _plain_typography(s)))
    return " ".join(s.split())


# --- HTML -----------------------------------------------------------------------------------

# Elements whose content is never part of what a reader of the entry sees.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "nav",
        "noscript",
        "template",
        "iframe",
        "svg",
        "head",
        "title",
        "object",
        "embed",
        "canvas",
        "select",
        "button",
        "form",
    }
)
# Elements that end a line of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "thead",
        "tbody",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "details",
        "summary",
        "address",
        "caption",
        "td",
        "th",
    }
)


def parse_html(html: str | bytes) -> lxml.etree._Element | None:
    """Parse HTML leniently (lxml); None when there is nothing to parse.

    The root is chosen as `lxml.html.fromstring` chooses it: the <html> element of a whole
    document (or of a fragment with a <head>), the element itself when the fragment is one
    element, else the <body> holding the fragment. Plain lxml elements, not `lxml.html`'s:
    their Python class lookup cost more than the parse on every element a walk touched.
    """
    import lxml.etree  # imported here: the differ uses this module and never needs lxml

    if isinstance(html, str):
        # lxml refuses str input that declares an encoding; bytes let it read the declaration.
        html = html.encode("utf-8")
    if not html.strip():
        return None
    parser = lxml.etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        doc = lxml.etree.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if doc is None:
        return None
    if _FULL_HTML.match(html) or doc.find("head") is not None:
        return doc
    bodies = doc.findall("body")
    if not bodies:
        return doc
    body = bodies[0]
    for other in bodies[1:]:  # "<body>a</body><body>b</body>": one body, as lxml.html makes it
        if other.text:
            if len(body):
                body[-1].tail = (body[-1].tail or "") + other.text
            else:
                body.text = (body.text or "") + other.text
        body.extend(other)
        _drop_tree(other)
    if len(body) == 1 and not (body.text or "").strip() and not (body[0].tail or "").strip():
        return body[0]
    return body


# lxml.html's test for "a whole document" (else the input is read as a fragment).
_FULL_HTML = re.compile(rb"^\s*<(?:html|!doctype)", re.IGNORECASE)


def _drop_tree(el: lxml.etree._Element) -> None:
    """Remove `el` and its children, keeping its tail text (lxml.html's `drop_tree`)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def element_text(root: lxml.etree._Element) -> str:
    """Visible text of an element: dropped tags skipped, a newline after each block element.

    Iterative (lxml's walk, no recursion), so deeply nested hostile markup cannot exhaust the
    stack.
    """
    import lxml.etree

    parts: list[str] = []
    skipped = None  # a dropped element: only its tail is read
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag.__class__ is not str or tag in DROP_TAGS:
                walker.skip_subtree()
                skipped = el
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            text = el.text
            if text:
                parts.append(text)
            continue
        if el is skipped:
            skipped = None
        elif tag in BLOCK_TAGS:
            parts.append("\n")
        elif tag == "img":
            alt = el.get("alt")
            if alt:
                parts.append(alt)
        if el is not root:
            text = el.tail
            if text:
                parts.append(text)
    return _tidy_lines("".join(parts))


def html_to_text(html: str | bytes) -> str:
    """Plain text of an HTML fragment or page: scripts, styles and navigation dropped.

    Paragraphs and other blocks are separated by newlines; whitespace inside a line is collapsed.
    """
    root = parse_html(html)
    return "" if root is None else element_text(root)


def _tidy_lines(text: str) -> str:
    lines = (normalize_text(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- URLs -----------------------------------------------------------------------------------

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "igshid",
        "si",
        "_hsenc",
        "_hsmi",
        "yclid",
    }
)


# Control characters browsers drop from URLs (and attackers put in them).
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL without tracking parameters, or None.

    Relative URLs are resolved against `base`; `javascript:`, `data:`, `mailto:` and anything
    else that is not http(s) gives None. The fragment is kept (changelog anchors).
    """
    if not url:
        return None
    url = _URL_CONTROL.sub("", url.strip())
    if not url:
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = parts.query
    if query:
        kept = [
            (k, v)
            for k, v in parse_qsl(query, keep_blank_values=True)
            if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
        ]
        query = urlencode(kept)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, query, parts.fragment)
    )


# --- slugs ----------------------------------------------------------------------------------

_NON_SLUG = re.compile(r"[\W_]+")
MAX_SLUG = 80


def slugify(s: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case words joined by hyphens (letters of any script kept, accents dropped)."""
    s = normalize_text(s)
    if not s.isascii():  # ASCII has no accents to drop: skip the per-character pass
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    # Each run of characters that are not letters or digits (underscores included) is one "-".
    slug = _NON_SLUG.sub("-", s.casefold()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


# --- dates ----------------------------------------------------------------------------------

# Month names in the languages changelogs are most often written in (English first).
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "janv",
        "januar",
        "jän",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
    ),
    2: (
        "february",
        "feb",
        "février",
        "fevrier",
        "févr",
        "fév",
        "februar",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
    ),
    3: ("march", "mar", "mars", "märz", "marz", "mär", "marzo", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag"),
    6: ("june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre"),
    10: (
        "october",
        "oct",
        "octobre",
        "oktober",
        "okt",
        "octubre",
        "outubro",
        "out",
        "ottobre",
        "ott",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
    ),
}
# Month names and abbreviations (several languages) -> month number, and a pattern of them
# (longest first), shared with the MDX label parser.
MONTH_NUMBERS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
MONTH_PATTERN = "|".join(sorted((re.escape(n) for n in MONTH_NUMBERS), key=len, reverse=True))


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex for exactly `words`, shaped as a trie ("aug(?:ust)?" for "aug" and "august").

    It matches as MONTH_PATTERN's longest-first alternation does: the words that fit at one
    place are prefixes of each other, and both forms try them longest first. But `re` tries
    an alternation's branches one by one at every position of the text, where a trie fails
    on the first letter that no word has.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_MONTH_TRIE = _trie_pattern(MONTH_NUMBERS)
_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag)\.?,?\s+"
)
_ORD = r"(?:st|nd|rd|th|er|º|°|\.)?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "iso",
        re.compile(
            # The day is optional: "2025-03" alone is a `Month` (see `_iso_month`).
            r"(?<![\w.])(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
            r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
            r"\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?)?)?(?![\w.]\d)",
            re.IGNORECASE,
        ),
    ),
    ("slash", re.compile(r"(?<![\w./])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\w/])")),
    (
        "mdy",
        re.compile(
            # The day is optional: a month alone ("March 2025", "marzo de 2025") is a `Month`.
            rf"(?<!\w)(?:{_WEEKDAY})?(?P<mon>{_MONTH_TRIE})\.?(?:\s+(?P<d>\d{{1,2}}){_ORD})?,?\s+"
            r"(?:de\s+)?(?P<y>\d{4})(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?<![\w.])(?:{_WEEKDAY})?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?"
            rf"(?P<mon>{_MONTH_TRIE})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})(?!\w)",
            re.IGNORECASE,
        ),
    ),
)
_YEAR = re.compile(r"\d{4}")
_SEPARATOR = {"iso": "-", "slash": "/"}
_NAMED_MONTH = ("mdy", "dmy")
# What may surround a date in a line that is "just a date": labels and punctuation.
_DATE_LABEL = re.compile(
    r"^(?:(?:released?|published|posted|updated|last|shipped|date|on)\s*)*:?\s*$", re.IGNORECASE
)


class Month(date):
    """A date that names only its month ("March 2025"): the month's first day, standing for any
    day of it. Code that needs no more than a date reads it as the first; keys write it as
    the month (`date_key`) and items carry it as `Item.month_only`. Python keeps the class
    through arithmetic and `replace`: compute with `date(m.year, m.month, 1)`, not with it."""

    __slots__ = ()


def date_key(value: date | datetime) -> str:
    """The day as an entry key writes it ("2025-03-14"), or the month for a `Month` ("2025-03")."""
    day = value.date() if isinstance(value, datetime) else value
    return day.isoformat()[:7] if isinstance(day, Month) else day.isoformat()


def find_date(s: str) -> tuple[date | datetime, int, int] | None:
    """The first date in `s` and its span (in `normalize_text(s)`), or None.

    Recognises ISO dates and datetimes, 2026/11/12, "Nov 12, 2026", "12 November 2026",
    "13th of August 2024", with month names in English, French, German, Spanish, Portuguese and
    Italian; a month alone ("March 2025", "2025-03") is a `Month`. Version numbers ("v25.0.3"),
    bare numbers and years are never dates.
    """
    text = normalize_text(s)
    if not _YEAR.search(text):
        return None  # every format below has a four-digit year
    plain = _PLAIN_DATE.fullmatch(text)
    if plain is not None:
        value = _plain_date(plain)
        if value is not None:
            return value, 0, len(text)
    months = _may_name_a_month(text)
    best: tuple[date | datetime, int, int] | None = None
    for name, pattern in _DATE_PATTERNS:
        if not months and name in _NAMED_MONTH:
            continue
        if _SEPARATOR.get(name, "") not in text:
            continue  # 2024-05-01 needs a "-", 2024/05/01 a "/"
        for match in pattern.finditer(text):
            value = _date_from_match(name, match)
            if value is not None:
                if best is None or match.start() < best[1]:
                    best = (value, match.start(), match.end())
                break
        if best is not None and best[1] == 0:
            break  # no other format can start earlier (a heading that is just a date)
    return best


# Most dated headings are just "2024-05-01" or "August 13, 2024": read directly, they give what
# the patterns below give (a match of the whole text, which nothing can start before).
_PLAIN_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")


def _plain_date(m: re.Match[str]) -> date | None:
    try:
        if m[1] is not None:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        else:
            year, month, day = int(m[6]), MONTH_NUMBERS[m[4].lower()], int(m[5])
        return date(year, month, day) if 1970 <= year <= 2200 else None
    except (KeyError, ValueError):
        return None


# The month-name patterns are most of find_date's time (a large alternation tried at every
# position); in them a month name is always a whole word. ASCII text with no such word (most
# headings: "2024-05-01 Release 7", "Section 12") skips them. Other text is always scanned:
# case folding outside ASCII differs between `re` and str.lower.
_ASCII_MONTH = re.compile(
    rf"(?<![A-Za-z])(?:{_trie_pattern(n for n in MONTH_NUMBERS if n.isascii())})(?![A-Za-z])",
    re.IGNORECASE | re.ASCII,
)


def _may_name_a_month(text: str) -> bool:
    if not text.isascii():
        return True
    return _ASCII_MONTH.search(text) is not None  # a run of ASCII letters that is a month


def parse_date(s: str) -> date | datetime | None:
    """`s` as a date (or an aware datetime), when `s` is essentially just a date.

    A label ("Released:") and surrounding punctuation are allowed; other words are not, so
    "Version 8" and "v25.0.3" are not dates. Naive datetimes are taken as UTC.
    """
    return date_alone(s, find_date(s))


def date_alone(s: str, found: tuple[date | datetime, int, int] | None) -> date | datetime | None:
    """`parse_date(s)` given `find_date(s)`, for callers that need both of one text."""
    if found is None:
        return None
    value, start, end = found
    text = normalize_text(s)
    if start == 0 and end == len(text):
        return value  # the whole text is the date (most dated headings)
    before = text[:start].strip(" ,;-()[]*_")
    after = text[end:].strip(" .,;:-()[]*_")
    if after or not _DATE_LABEL.match(before):
        return None
    return value


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether the Levenshtein distance of `a` and `b` is at most `limit`.

    Rows stop as soon as every cell exceeds `limit`, so long unlike words cost little.
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def as_datetime(value: date | datetime | None) -> datetime | None:
    """A timezone-aware datetime (midnight UTC for a date, UTC for a naive datetime)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _date_from_match(kind: str, m: re.Match[str]) -> date | datetime | None:
    try:
        year = int(m["y"])
        month = MONTH_NUMBERS[m["mon"].casefold()] if kind in _NAMED_MONTH else int(m["m"])
        if not 1970 <= year <= 2200:
            return None
        if m["d"] is None:
            return _iso_month(year, month, m) if kind == "iso" else Month(year, month, 1)
        day = int(m["d"])
        if kind == "iso" and m["time"]:
            return _iso_datetime(year, month, day, m["time"], m["tz"])
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


# What may not follow "2025-03" for it to be a month: more of a token ("2025-03-beta"), or a
# number ("2025-03.5", "2025-03:30", "2025-03/01").
_AFTER_ISO_MONTH = re.compile(r"[\w-]|[.:/]\d")


def _iso_month(year: int, month: int, m: re.Match[str]) -> Month | None:
    """ "2025-03" as a month, unless it is part of a longer token ("1.2.0-2025-03")."""
    start, end = m.start(), m.end()
    if len(m["m"]) != 2 or m.string[start - 1 : start] == "-":
        return None
    return None if _AFTER_ISO_MONTH.match(m.string, end) else Month(year, month, 1)


def _iso_datetime(year: int, month: int, day: int, clock: str, tz: str | None) -> datetime:
    hms = clock.split(":")
    seconds = float(hms[2]) if len(hms) > 2 else 0.0
    value = datetime(year, month, day, int(hms[0]), int(hms[1]), int(seconds), tzinfo=UTC)
    if tz and tz.upper() not in ("Z", "UTC"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        value = value.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)
    return value


def comma_set(value: str | None) -> frozenset[str]:
    """'Instagram, threads,' as {'instagram', 'threads'}: the lists of flags and query strings."""
    return frozenset(v.strip().lower() for v in (value or "").split(",") if v.strip())


# A sentence ends at . ! or ? followed by a space and something that starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def summarize(text: str, max_chars: int = 320, max_sentences: int = 3) -> str:
    """The first one to three sentences of `text`, cut on a word boundary if still too long."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    summary = ""
    for sentence in sentences[:max_sentences]:
        candidate = f"{summary} {sentence}".strip()
        if summary and len(candidate) > max_chars:
            break
        summary = candidate
    if len(summary) <= max_chars:
        return summary
    cut = summary[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
