"""Severities, most urgent first: what readers, packs and deduplication sort and filter by.

Its own module so that code which only sorts by severity imports neither the rules nor the
classifier.
"""

from __future__ import annotations

ACTION, NOTABLE, MINOR = "action", "notable", "minor"
SEVERITIES = (ACTION, NOTABLE, MINOR)  # most urgent first


def severity_rank(severity: str | None) -> int:
    """Sort key: action before notable before minor; unrated last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
