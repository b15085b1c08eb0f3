"""A training pack as Markdown slides, a printable HTML handout, CSV or JSON.

Everything in a pack was scraped from the web, so it is untrusted: HTML output is autoescaped and
links are kept only when they are http(s); Markdown neutralises HTML and slide breaks; CSV cells
that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from radar.dedup import ChangeGroup
from radar.model import Change
from radar.packs.build import TrainingPack
from radar.text import summarize

CSV_COLUMNS = (
    "date",
    "platform",
    "category",
    "severity",
    "deadline",
    "title",
    "summary",
    "links",
    "kind",
    "id",
)


def to_json(pack: TrainingPack) -> str:
    """The pack as one JSON document (schema: docs/training-packs.md)."""
    doc = {
        "title": pack.title,
        "since": pack.request.since.isoformat(),
        "until": pack.request.until.isoformat(),
        "platforms": list(pack.platforms),
        "generated_at": pack.generated_at.isoformat(),
        "count": len(pack),
        "agenda": [
            {"category": s.category, "label": s.label, "count": len(s.groups)}
            for s in pack.sections
        ],
        "changes": [item_json(g, s.label) for s in pack.sections for g in s.groups],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def item_json(group: ChangeGroup, category_label: str) -> dict[str, Any]:
    c = group.primary
    return {
        "id": c.id,
        "platform": c.platform,
        "category": c.category,
        "category_label": category_label,
        "severity": c.severity,
        "kind": c.kind.value,
        "title": c.title,
        "summary": summarize(c.text),
        "text": c.text,
        "date": c.effective_date.date().isoformat(),
        # "month": `date` is the first of the month the entry names ("March 2025"), not a day.
        "published_precision": published_precision(c),
        "published_label": published_label(c),
        "detected_at": c.detected_at.isoformat(),
        "deadline": c.deadline.isoformat() if c.deadline else None,
        "deadline_text": c.deadline_text or None,
        "diff": c.diff or None,
        "links": list(safe_links(group)),
        "sources": sorted({m.source_id for m in group.changes}),
    }


def to_csv(pack: TrainingPack) -> str:
    """One row per item, for spreadsheets."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section in pack.sections:
        for group in section.groups:
            c = group.primary
            row = (
                _csv_date(c),
                c.platform,
                section.label,
                c.severity or "",
                c.deadline.isoformat() if c.deadline else "",
                c.title,
                summarize(c.text),
                " ".join(safe_links(group)),
                c.kind.value,
                c.id,
            )
            writer.writerow([_defuse_formula(v) for v in row])
    return buf.getvalue()


def to_markdown(pack: TrainingPack) -> str:
    """Slides (Marp-compatible): a title slide, an agenda by category, one slide per change."""
    slides = [
        f"# {_md(pack.title)}\n\n{len(pack)} changes · prepared {pack.generated_at:%-d %B %Y}"
        " with Platform Radar",
        "## Agenda\n\n" + "\n".join(f"1. {_md(s.label)} ({len(s.groups)})" for s in pack.sections),
    ]
    if pack.deadlines:
        slides.append(
            "## Deadlines\n\n"
            + "\n".join(
                f"- **{g.primary.deadline:%-d %b %Y}**: {_md(g.primary.title)}"
                f" ({_md(g.primary.platform.title())})"
                for g in pack.deadlines
            )
        )
    for section in pack.sections:
        for group in section.groups:
            slides.append(_slide(group, section.label))
    front = "---\nmarp: true\npaginate: true\n---\n\n"
    return front + "\n\n---\n\n".join(slides) + "\n"


def _slide(group: ChangeGroup, label: str) -> str:
    c = group.primary
    lines = [
        f"## {_md(c.title)}",
        "",
        f"*{_md(c.platform.title())} · {_md(label)} · {published_label(c)}*",
        "",
        _md(summarize(c.text)),
    ]
    if c.deadline:
        lines += ["", f"**Deadline: {c.deadline:%-d %B %Y}**"]
    links = safe_links(group)
    if links:
        lines += ["", *(f"- <{url}>" for url in links)]
    return "\n".join(lines)


def to_html(pack: TrainingPack) -> str:
    """A printable handout: table of contents, deadlines first, source links."""
    return _environment().get_template("pack.html.j2").render(pack=pack)


FORMATS: dict[str, Callable[[TrainingPack], str]] = {
    "md": to_markdown,
    "html": to_html,
    "csv": to_csv,
    "json": to_json,
}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def published_precision(change: Change) -> str | None:
    """How precise the entry's own date is: "day", "month" ("March 2025"), or None (no date
    of its own; `effective_date` is when Radar first saw it)."""
    if change.published is None:
        return None
    return "month" if change.month_only else "day"


def published_label(change: Change) -> str:
    """The entry's date as a reader sees it: "March 2025" for an entry dated only by its
    month (never "1 Mar 2025", a day it does not name), else "12 Mar 2025"."""
    if change.published is not None and change.month_only:
        return f"{change.published:%B %Y}"
    return f"{change.effective_date:%-d %b %Y}"


def _csv_date(change: Change) -> str:
    # ISO 8601 at the precision the entry gives: "2025-03" for a month, which spreadsheets
    # read as that month and sort with the days.
    if change.published is not None and change.month_only:
        return f"{change.published:%Y-%m}"
    return change.effective_date.date().isoformat()


def safe_links(group: ChangeGroup) -> tuple[str, ...]:
    """The group's links that are plain http(s) URLs (no javascript:, data:, ...)."""
    return tuple(u for u in group.links if _HTTP.match(u) and not _UNSAFE_URL_CHARS.search(u))


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("radar", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["summary"] = summarize
    env.filters["links"] = safe_links
    env.filters["published"] = published_label
    env.filters["anchor"] = lambda s: re.sub(r"[^a-z0-9]+", "-", str(s).lower()).strip("-")
    return env


_HTTP = re.compile(r"https?://", re.IGNORECASE)
_UNSAFE_URL_CHARS = re.compile(r"[\s<>\"'`]")
# Characters that start a formula in Excel, LibreOffice and Google Sheets (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Markdown: raw HTML and lines that would start a heading, a list or a new slide.
_MD_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;"})
_MD_LINE_START = re.compile(r"^(\s*)([#>\-+*=|])", re.MULTILINE)


def _defuse_formula(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _md(text: str) -> str:
    """Scraped text as inert Markdown: shown literally, never as HTML, headings or slides."""
    flat = " ".join(text.split())
    return _MD_LINE_START.sub(r"\1\\\2", flat.translate(_MD_ESCAPES))
