"""Text helpers shared by the extractors and the differ: normalising, HTML to text, URLs, dates.

Pure functions: no clock, no environment, no network.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    import lxml.html

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
    if s.isascii() and "`" not in s:
        return " ".join(s.split())  # the common case: nothing for NFKC or the table to do
    out = _normalize_once(s)
    # Removing a zero-width character can bring a base letter and a combining mark together,
    # which NFKC then composes; repeat until stable (rarely more than one extra pass).
    while not out.isascii():
        again = _normalize_once(out)
        if again == out:
            break
        out = again
    return out


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


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse HTML leniently (lxml); None when there is nothing to parse."""
    import lxml.etree  # imported here: the differ uses this module and never needs lxml
    import lxml.html

    if isinstance(html, str):
        # lxml refuses str input that declares an encoding; bytes let it read the declaration.
        html = html.encode("utf-8")
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    return root


def element_text(root: lxml.html.HtmlElement) -> str:
    """Visible text of an element: dropped tags skipped, a newline after each block element.

    Iterative (no recursion), so deeply nested hostile markup cannot exhaust the stack.
    """
    parts: list[str] = []
    # Walk with an explicit stack of (element, entering?) pairs.
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if entering:
            if tag in DROP_TAGS or not tag:
                if el is not root and el.tail:
                    parts.append(el.tail)
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el))
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            elif tag == "img" and el.get("alt"):
                parts.append(el.get("alt", ""))
            if el is not root and el.tail:
                parts.append(el.tail)
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

_NON_SLUG = re.compile(r"[^\w]+")
MAX_SLUG = 80


def slugify(s: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case words joined by hyphens (letters of any script kept, accents dropped)."""
    s = normalize_text(s)
    if not s.isascii():  # ASCII has no accents to drop: skip the per-character pass
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold()
    slug = _NON_SLUG.sub("-", s).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
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
            r"(?<![\w.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
            r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
            r"\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?)?(?![\w.]\d)",
            re.IGNORECASE,
        ),
    ),
    ("slash", re.compile(r"(?<![\w./])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\w/])")),
    (
        "mdy",
        re.compile(
            rf"(?<!\w)(?:{_WEEKDAY})?(?P<mon>{MONTH_PATTERN})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+"
            r"(?P<y>\d{4})(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?<![\w.])(?:{_WEEKDAY})?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?"
            rf"(?P<mon>{MONTH_PATTERN})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})(?!\w)",
            re.IGNORECASE,
        ),
    ),
)
_YEAR = re.compile(r"\d{4}")
# What may surround a date in a line that is "just a date": labels and punctuation.
_DATE_LABEL = re.compile(
    r"^(?:(?:released?|published|posted|updated|last|shipped|date|on)\s*)*:?\s*$", re.IGNORECASE
)
# A release version: "1.2", "v0.20.38", "2.0.0-beta.1", "pkg@2.0.5"; never part of a date or an
# address. The lookahead keeps "1.2.3.4.5" and "10.0.0.1/8" from reading as versions.
_VERSION = re.compile(
    r"(?<![\w.])v?(\d+(?:\.\d+){1,3}(?:-?(?:alpha|beta|rc|pre|dev|a|b)\.?\d*)?)(?![\w.]*\d|/)",
    re.IGNORECASE,
)


def find_date(s: str) -> tuple[date | datetime, int, int] | None:
    """The first date in `s` and its span (in `normalize_text(s)`), or None.

    Recognises ISO dates and datetimes, 2026/11/12, "Nov 12, 2026", "12 November 2026",
    "13th of August 2024", with month names in English, French, German, Spanish, Portuguese and
    Italian. Version numbers ("v25.0.3") and bare numbers are never dates.
    """
    text = normalize_text(s)
    if not _YEAR.search(text):
        return None  # every format below has a four-digit year
    months = _may_name_a_month(text)
    best: tuple[date | datetime, int, int] | None = None
    for name, pattern in _DATE_PATTERNS:
        if not months and name in ("mdy", "dmy"):
            continue
        for match in pattern.finditer(text):
            value = _date_from_match(name, match)
            if value is not None:
                if best is None or match.start() < best[1]:
                    best = (value, match.start(), match.end())
                break
    return best


# The month-name patterns are most of find_date's time (a large alternation tried at every
# position); in them a month name is always a whole word. ASCII text with no such word (most
# headings: "2024-05-01 Release 7", "Section 12") skips them. Other text is always scanned:
# case folding outside ASCII differs between `re` and str.lower.
_ASCII_MONTHS = frozenset(name for name in MONTH_NUMBERS if name.isascii())
_LETTERS = re.compile(r"[A-Za-z]+")


def _may_name_a_month(text: str) -> bool:
    if not text.isascii():
        return True
    return any(word.lower() in _ASCII_MONTHS for word in _LETTERS.findall(text))


def parse_date(s: str) -> date | datetime | None:
    """`s` as a date (or an aware datetime), when `s` is essentially just a date.

    A label ("Released:") and surrounding punctuation are allowed; other words are not, so
    "Version 8" and "v25.0.3" are not dates. Naive datetimes are taken as UTC.
    """
    found = find_date(s)
    if found is None:
        return None
    value, start, end = found
    text = normalize_text(s)
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


def find_version(s: str) -> str | None:
    """The first release version named in `s` ("Version 12.4.2" -> "12.4.2"), without its "v"."""
    if "." not in s:
        return None
    match = _VERSION.search(s)
    return match.group(1).lower() if match else None


def as_datetime(value: date | datetime | None) -> datetime | None:
    """A timezone-aware datetime (midnight UTC for a date, UTC for a naive datetime)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _date_from_match(kind: str, m: re.Match[str]) -> date | datetime | None:
    try:
        year, day = int(m["y"]), int(m["d"])
        month = int(m["m"]) if kind in ("iso", "slash") else MONTH_NUMBERS[m["mon"].casefold()]
        if not 1970 <= year <= 2200:
            return None
        if kind == "iso" and m["time"]:
            return _iso_datetime(year, month, day, m["time"], m["tz"])
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


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
