"""Visual cues in briefings: platform colours, severity badges, counts per platform.

A reader scans a briefing by platform and by how urgent each item is. Colour helps, but it is
never the only cue (WCAG 1.4.1): a platform chip carries the platform's name, and a severity
badge a symbol and a word whose shapes differ (▲ action, ● notable, ○ minor), so a
colour-blind reader, a plain-text reader and a screen reader get the same information.
Pure: data for the templates.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from radar.render.locale import Locale, platform_name

# A small fixed palette: every colour keeps white text at a contrast of at least 4.5:1 (WCAG
# AA for small text), in light and dark mode alike (tests/unit/test_render_cues.py checks it).
PALETTE = (
    "#0b5cad",  # blue
    "#8a3ffc",  # violet
    "#a0306e",  # magenta
    "#1a7f37",  # green
    "#3b4cc0",  # indigo (no amber: the action badge is amber)
    "#b42318",  # red
    "#0e6e80",  # teal
    "#4d5966",  # slate
)
# Platforms people see side by side get distinct colours; any other id is hashed into the
# palette, so a platform keeps its colour in every briefing and on every machine.
PLATFORM_COLOURS = {
    "instagram": PALETTE[2],
    "tiktok": PALETTE[7],
    "youtube": PALETTE[5],
    "facebook": PALETTE[0],
    "meta": PALETTE[0],
    "x": PALETTE[7],
    "threads": PALETTE[1],
    "linkedin": PALETTE[6],
    "whatsapp": PALETTE[3],
    "discord": PALETTE[1],
    "telegram": PALETTE[6],
    "snapchat": PALETTE[4],
    "pinterest": PALETTE[5],
    "reddit": PALETTE[5],
    "twitch": PALETTE[1],
    "line": PALETTE[3],
}


@dataclass(frozen=True, slots=True)
class Severity:
    """How a severity is shown: a symbol and a word (never colour alone), and its colours."""

    symbol: str
    label_key: str  # locale label
    css: str  # the badge's class: sev-action | sev-notable | sev-minor


SEVERITIES = {
    "action": Severity("▲", "severity_action", "sev-action"),
    "notable": Severity("●", "severity_notable", "sev-notable"),
    "minor": Severity("○", "severity_minor", "sev-minor"),
}


@dataclass(frozen=True, slots=True)
class PlatformCount:
    """One platform in the briefing's header: "Instagram 5"."""

    platform: str
    name: str
    count: int
    colour: str
    share: int = 0  # percent of the header's bar (the bar's segments add up to 100)


def platform_colour(platform: str) -> str:
    """The platform's chip colour: its own for common platforms, else one from the palette."""
    return PLATFORM_COLOURS.get(platform) or PALETTE[zlib.crc32(platform.encode()) % len(PALETTE)]


def severity(value: str) -> Severity:
    """How `value` is shown; an unknown severity reads as notable."""
    return SEVERITIES.get(value, SEVERITIES["notable"])


def severity_text(value: str, loc: Locale) -> str:
    """The badge's words: "▲ Action required"."""
    s = severity(value)
    return f"{s.symbol} {loc.t(s.label_key)}"


def platform_counts(platforms: Iterable[str]) -> tuple[PlatformCount, ...]:
    """Items per platform, most first (then by name), for the briefing's header."""
    counts = Counter(platforms)
    ordered = sorted(counts, key=lambda p: (-counts[p], platform_name(p).casefold()))
    shares = bar_shares([counts[p] for p in ordered])
    return tuple(
        PlatformCount(p, platform_name(p), counts[p], platform_colour(p), share)
        for p, share in zip(ordered, shares, strict=True)
    )


def bar_shares(counts: Sequence[int], minimum: int = 2) -> tuple[int, ...]:
    """Whole percents for `counts` (largest first) that add up to 100: a stacked bar drawn
    with table cells, which mail clients lay out by percent. Each is at least `minimum`, so
    a platform with one change among hundreds still shows; the largest give way for it."""
    total = sum(counts)
    if not total:
        return ()
    minimum = min(minimum, 100 // len(counts))
    raw = [100 * n / total for n in counts]
    shares = [max(minimum, int(r)) for r in raw]
    # Largest remainder first, then take back what the minimums added from the largest.
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    for i in by_remainder[: max(0, 100 - sum(shares))]:
        shares[i] += 1
    for i in range(len(shares)):
        while sum(shares) > 100 and shares[i] > minimum:
            shares[i] -= 1
    return tuple(shares)
