"""Text helpers shared by the extractors and the differ: normalising, URLs, slugs, summaries.

Dates are in radar.dates, HTML to text in radar.htmltext.

Pure functions: no clock, no environment, no network.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

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


def _plain_typography(s: str, found: re.Match[str] | None = None) -> str:
    # Each character found is replaced everywhere at once (str.replace, in C), then the search
    # goes on from where it was found: a text holds one or two kinds of them ("We’ve ...
    # app’s"), and a Python callback per match was two thirds of the cost. The same result as
    # a substitution of every match: each match is one character, and no replacement holds
    # a character of the table. `found`: the first match, when the caller searched already.
    if found is None:
        found = _TYPOGRAPHIC.search(s)
    while found is not None:
        char = found.group()
        start = found.start()
        s = s.replace(char, _TYPOGRAPHY[char])
        if s.isascii() and "`" not in s:
            # Nothing of the table is left (its one ASCII character is the backtick): most
            # texts hold one kind ("We’ve ... app’s"), and the search for another through the
            # rest of the text cost as much as the replacement.
            return s
        found = _TYPOGRAPHIC.search(s, start)
    return s


def normalize_text(s: str) -> str:
    """NFKC, typographic quotes/dashes/ellipsis/spaces to ASCII, all whitespace to one space.

    Idempotent: `normalize_text(normalize_text(s)) == normalize_text(s)`.
    """
    # Already normal? Told without building a copy (extractors, the differ and slugs
    # normalise the same text again and again), inline: this runs for every block, item and
    # digest, and a function call cost as much as the test. Every whitespace character but
    # the space, and every zero-width one, is unprintable, so a printable text with single
    # inner spaces has nothing to collapse; beyond that, ASCII needs no backtick and other
    # text must be NFKC with no typographic character left.
    # `s.strip() == s`: no space at either end (the only whitespace a printable text can
    # have); the two slices it replaced were a quarter of the test's cost.
    is_ascii = s.isascii()
    if s.isprintable() and "  " not in s and s.strip() == s:
        if is_ascii:
            if "`" not in s:
                return s
        else:
            if "’" in s:
                # The apostrophe most prose with one holds ("We’ve"), often its only
                # character outside ASCII: replaced without the table's search.
                plain = s.replace("’", "'")
                if plain.isascii() and "`" not in plain:
                    return plain
            found = _TYPOGRAPHIC.search(s)
            if found is None:
                if unicodedata.is_normalized("NFKC", s):
                    return s
            else:
                # Prose with a curly quote or a dash ("We’ve"): a printable text holds no
                # space or invisible character of the table, so each one found becomes
                # visible ASCII and the spacing stays normal; ASCII after that is done (the
                # full pipeline gives it back as it is).
                plain = _plain_typography(s, found)
                if plain.isascii():
                    return plain
    if is_ascii and "`" not in s:  # the common case: nothing for NFKC or the table to do
        # Text wrapped over lines ("one\ntwo"): line ends become spaces in one pass, without
        # the word-by-word copy of split and join.
        joined = s.replace("\n", " ")
        if joined.isprintable() and "  " not in joined:
            return joined.strip(" ")
        return " ".join(s.split())
    out = _normalize_once(s)
    # Removing a zero-width character can bring a base letter and a combining mark together,
    # which NFKC then composes; repeat until stable (rarely more than one extra pass). A pass
    # over text that is NFKC with no typographic character left gives it back as it is (its
    # whitespace is single spaces already): that is told without the pass, which was half of
    # normalising a text with a curly quote or an arrow.
    while not out.isascii():
        if _TYPOGRAPHIC.search(out) is None and unicodedata.is_normalized("NFKC", out):
            break
        again = _normalize_once(out)
        if again == out:
            break
        out = again
    return out


def normalize_lines(s: str) -> str:
    """`normalize_text` line by line: each non-blank line normalised, lines joined by "\n".

    An entry's text keeps one line per block (heading, paragraph, list item), so readers and the
    classifier see its structure; every digest and comparison still reads it through
    `normalize_text`, where a line break is a space. Idempotent, like `normalize_text`.
    """
    if "\n" not in s:
        return normalize_text(s)
    lines = [normalize_text(line) for line in s.split("\n")]
    return "\n".join([line for line in lines if line])


def _normalize_once(s: str) -> str:
    s = _plain_typography(s)
    if not s.isascii():  # ASCII is NFKC, and its one typographic character (`) is replaced
        s = _plain_typography(unicodedata.normalize("NFKC", s))
    if s.isprintable() and "  " not in s and s.strip() == s:
        return s  # spaced as " ".join(s.split()) would space it (see normalize_text)
    return " ".join(s.split())


# --- HTML -----------------------------------------------------------------------------------

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


_ABSOLUTE = ("https://", "http://")


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
        parts = urlsplit(url)
        # An absolute http(s) URL with a host (most links) is its own join: urljoin was a
        # third of this function's time. (urljoin rewrites path parameters, `;`: not those.)
        if base and not (parts.netloc and url.startswith(_ABSOLUTE) and ";" not in url):
            parts = urlsplit(urljoin(base, url))
    except ValueError:
        return None
    host = parts.hostname
    # A host with white space ("https:// 1") is no host.
    if parts.scheme.lower() not in ("http", "https") or not host or " " in host:
        return None
    query = parts.query
    if query:
        kept = [
            (k, v)
            for k, v in parse_qsl(query, keep_blank_values=True)
            if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
        ]
        query = urlencode(kept)
    # An empty fragment is dropped, so a URL that ended "x #" would end in a space, stripped the
    # next time round: strip it now, so that a clean URL cleans to itself.
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, query, parts.fragment)
    ).rstrip()


# --- slugs ----------------------------------------------------------------------------------

_NON_SLUG = re.compile(r"[\W_]+")
# ASCII letters to lower case, digits kept, every other byte to a space: in ASCII text the words
# this leaves are exactly what `_NON_SLUG` leaves between its runs, found in C by bytes.translate
# and split (the regex cost three times the rest of slugify; a page slugs every heading).
_ASCII_SLUG = bytes(
    ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else ord(" ") for c in range(256)
)
MAX_SLUG = 80


def slugify(s: str, max_length: int = MAX_SLUG, *, normal: bool = False) -> str:
    """Lower-case words joined by hyphens (letters of any script kept, accents dropped).

    `normal`: `s` is a `normalize_text` result already (a splitter's heading), not read again.
    """
    if not normal:
        s = normalize_text(s)
    if s.isascii():  # no accents to drop, and the words are found in C
        slug = b"-".join(s.encode().translate(_ASCII_SLUG).split()).decode()
    else:
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        # Each run of characters that are not letters or digits (underscores included) is one
        # "-".
        slug = _NON_SLUG.sub("-", s.casefold()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


# --- dates ----------------------------------------------------------------------------------


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
