"""Markdown inline markup -> readable text: link targets, emphasis markers and tags dropped.

markdown-it-py's inline pass is switched off (see `markdown`); entries only need readable text.
Code spans are literal, as CommonMark reads them: their content is set aside before the other
rules run and put back after, so a tag, an entity or emphasis inside backticks ("`<body>`",
"`/users/<user_id>`", "`&lt;`") stays as written instead of being read as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from operator import itemgetter

from radar.text import normalize_text

# (text that must be present, pattern, replacement): the check skips most regexes per line.
# Each check names what the rule's changing branch needs (a link needs "](", strong emphasis
# "**"), so a rule whose check fails would have left the line as it was.
#
# Each rule runs in linear time, whatever the line holds. A lazy "opener ... closer" pattern is
# tried from every opener, and a line with many openers and no closer (16 KB of `[`, `**a `
# repeated) made each try scan to the end of the line: quadratic, seconds per line. Where a
# failed try proves that every later opener fails too (or every opener up to some point), a
# last alternative consumes that stretch unchanged (`_kept`): the same output, one scan.
# A group that every match has is taken with `itemgetter` (C) rather than a template like
# r"\2", which `re` expands in Python for each match.
# Code spans follow CommonMark (the closing run of backticks is exactly as long as the opening
# one): the old `(`+)(.+?)\1` was cubic on a run of backticks.
_Rule = tuple[str, re.Pattern[str], "str | Callable[[re.Match[str]], str]"]


def _kept(group: int) -> Callable[[re.Match[str]], str]:
    """A replacement: `group` when the rule matched, the text as it was when a fallback did."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(group)
        return match.group(0) if found is None else found

    return replace


_INLINE_RULES: tuple[_Rule, ...] = (
    # DocFX: an include (`[!INCLUDE[title](path)]`, `[!code-cs[title](path)]`) stands for text
    # kept in another file, which Radar cannot fetch; `[!div class="x"]` and `[!VIDEO url]`
    # are layout. Each is dropped (bounded runs: one try never scans the rest of the line).
    (
        "[!",
        re.compile(
            r"\[!(?:include|code(?:-[\w-]{1,30})?)[ \t]*\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)\]"
            r"|\[!(?:div|video)\b[^\]\n]{0,500}\]",
            re.IGNORECASE,
        ),
        "",
    ),
    ("\\", re.compile(r"\\\r?\n"), " "),  # hard line break
    # image -> alt text; no `)` left: no later image can close either
    ("![", re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\Z|!\[[^\]]*"), _kept(1)),
    (  # link; a failed try fails for every `[` before the same `]`
        "](",
        # The target is read atomically: it stops at a space or an unpaired paren, and giving
        # any of it back could not make the rest match.
        re.compile(r"\[(?:([^\]]+)\]\((?>(?:[^()\s]+|\([^()]*\))*)(?:\s+\"[^\"]*\")?\)|[^\]]*)"),
        _kept(1),
    ),
    ("][", re.compile(r"\[([^\]]+)\]\[[^\]]*\]|\[[^\]]*"), _kept(1)),  # reference link
    ("<", re.compile(r"<(https?://[^>\s]+)>"), itemgetter(1)),  # autolink
    ("<", re.compile(r"</?[A-Za-z][^<>]*>"), " "),  # inline HTML tag
    # strong and emphasis: whether a closer fits depends only on where it is, so when the first
    # opener finds none, no later one can: the rest of the line is kept as it is. The marker
    # opens the pattern, outside the alternatives, so `re` jumps to it (2.5x faster on
    # bold-heavy entries; the same matches as "(\*\*)…\*\*|\*\*(?=\S).*").
    ("**", re.compile(r"(\*\*)(?:(?=\S)(.+?)(?<=\S)\*\*|(?=\S).*)", re.S), _kept(2)),
    ("__", re.compile(r"(__)(?:(?=\S)(.+?)(?<=\S)__|(?=\S).*)", re.S), _kept(2)),
    ("*", re.compile(r"\*(?<![\w*]\*)(?=\S)(?:(.+?)(?<=\S)\*(?![\w*])|.*)", re.S), _kept(1)),
    ("_", re.compile(r"_(?<!\w_)(?=\S)(?:(.+?)(?<=\S)_(?!\w)|.*)", re.S), _kept(1)),
    ("~~", re.compile(r"~~(.+?)~~|~~.*", re.S), _kept(1)),  # strikethrough
    ("\\", re.compile(r"\\([!-/:-@\[-`{-~])"), itemgetter(1)),  # backslash escape
)


# A code span: the content is read in whole runs, text or backticks, up to the first run as long
# as the opener. It and the two emphasis rules open with their marker, not a lookbehind
# ("`(?<!``)": a backtick with none before it), so `re` jumps from marker to marker instead of
# trying the pattern at every position of the line.
_CODE_SPAN = re.compile(r"(`(?<!``)`*)(?!`)((?:[^`]++|(?!\1(?!`))`++)+)\1(?!`)", re.S)
# Where a code span was set aside: private-use characters, which no rule reads as markup.
_SET_ASIDE = re.compile("\ue000(\\d+)\ue001")
_MARKUP = re.compile(r"[\\\[`*_<~&]")


def inline_text(raw: str) -> str:
    """The readable text of a line of Markdown inline markup."""
    if _MARKUP.search(raw):  # most lines have no markup at all
        spans: list[str] = []
        if "`" in raw and "\ue000" not in raw:

            def set_aside(match: re.Match[str]) -> str:
                spans.append(match.group(2))
                return f"\ue000{len(spans) - 1}\ue001"

            raw = _CODE_SPAN.sub(set_aside, raw)
        for trigger, pattern, repl in _INLINE_RULES:
            if trigger in raw:
                raw = pattern.sub(repl, raw)
        if "&" in raw:
            raw = html.unescape(raw)
        if spans:
            raw = _SET_ASIDE.sub(lambda m: spans[int(m.group(1))], raw)
    return normalize_text(raw)


# A link an item opens with, maybe in emphasis ("[CGAL 5.5.3](/2023/07/cgal553/) (July 2023)",
# "**[v2.0](…)**"): where a release index's item points (`Block.link`, `releaselist`).
_OPENING_LINK = re.compile(r"[*_]{0,2}\[[^\]\n]*\]\(<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\)")


def opening_link(raw: str) -> str:
    """The target of the link a Markdown item's text opens with, "" when it opens with none."""
    found = _OPENING_LINK.match(raw)
    return "" if found is None else found.group(1)
