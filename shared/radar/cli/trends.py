"""`radar trends`: the terms rising now, with their scores and daily counts.

Exposed as `register(cli_group)` so `radar.cli` adds it with one line.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from radar.catalog.loader import load_catalog
from radar.settings import Settings
from radar.trends.terms import load_extractor
from radar.trends.usecases import TermReport, judge_terms, source_kinds
from radar.wiring import build_trend_store

out = Console(highlight=False, soft_wrap=True)


def register(group: click.Group) -> None:
    """Add the `trends` command to `group` (the `radar` command group)."""
    group.add_command(trends)


@click.command()
@click.option("--at", "at", metavar="TIME", help="Evaluate as if at this UTC time (replays).")
@click.option(
    "--days", default=14, show_default=True, type=click.IntRange(1, 120),
    help="Daily counts to show per term.",
)  # fmt: skip
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
    help="At most this many terms.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one per term.")
@click.pass_context
def trends(ctx: click.Context, at: str | None, days: int, limit: int, as_json: bool) -> None:
    """Terms rising now: emerging names and surging platforms, with why others were dropped."""
    settings = ctx.find_object(Settings)
    if settings is None:
        raise click.UsageError("radar trends needs the radar command's settings")
    now = _parse_at(at)
    config = settings.trend_config()
    kinds = source_kinds(load_catalog(settings.catalog))
    store = build_trend_store(settings)
    try:
        judged = judge_terms(store, now, config, kinds=kinds, days=days)
        reports = [r for r in judged if r.evaluation.count or _moved(r)][:limit]
        fired = {r.term: store.get_signal(r.term) for r in reports if _moved(r)}
    finally:
        close = getattr(store, "close", None)
        if close is not None:
            close()
    if as_json:
        for r in reports:
            signal = fired.get(r.term)
            click.echo(json.dumps(report_to_json(r, signal.day if signal else None)))
        return
    if not reports:
        out.print(f"No trend mentions in the {config.recent_days} days up to {now:%Y-%m-%d}.")
        return
    out.print(_table(reports, fired, now.date(), days))


def _moved(report: TermReport) -> bool:
    return report.judgement is not None and report.judgement.rising


def report_to_json(report: TermReport, fired_on: date | None = None) -> dict[str, Any]:
    """One term's evaluation as plain JSON data (with its judgement: emerging, surge or none)."""
    ev = report.evaluation
    j = report.judgement
    platform = load_extractor().platform(ev.term)
    return {
        "term": ev.term,
        "what": platform.what if platform else None,
        "score": round(ev.score, 3),
        "count": ev.count,
        "expected": round(ev.expected, 3),
        "lift": round(ev.lift, 3),
        "sources": list(ev.sources),
        "emerging": ev.emerging,
        "reason": ev.reason,
        "kind": j.kind if j else None,
        "fires": j.fire if j else False,
        "judgement": (j.reason or "fires") if j and j.rising else "quiet",
        "items_24h": j.velocity.items if j else None,
        "fired_on": fired_on.isoformat() if fired_on else None,
        "daily": [{"day": d.isoformat(), "count": n} for d, n in report.daily],
    }


_BARS = " ▁▂▃▄▅▆▇█"


def _spark(values: list[int]) -> str:
    top = max(values) or 1
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] for v in values)


def _table(reports: list[TermReport], fired: dict[str, Any], day: date, days: int) -> Table:
    table = Table(title=f"Trend terms on {day:%Y-%m-%d} (distinct items per day, last {days})")
    for name, justify in (
        ("term", "left"), ("score", "right"), ("items", "right"), ("24 h", "right"),
        ("sources", "left"), ("daily", "left"), ("status", "left"),
    ):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    extractor = load_extractor()
    for r in reports:
        ev = r.evaluation
        platform = extractor.platform(ev.term)
        signal = fired.get(ev.term)
        j = r.judgement
        if signal is not None and signal.day == day:
            status = f"[bold green]fired[/] ({signal.kind}, rise {signal.rise})"
        elif j is not None and j.fire:
            status = f"[green]{j.kind}[/]: fires on the next run"
        elif j is not None and j.rising:
            status = f"[yellow]dropped ({j.kind or 'not a platform rise'}):[/] {j.reason}"
        else:
            status = f"[dim]{ev.reason or 'quiet'}[/]"
        counts = [n for _, n in r.daily]
        table.add_row(
            platform.name if platform else ev.term,
            f"{ev.score:.2f}",
            str(ev.count),
            str(j.velocity.items) if j is not None else "",
            ", ".join(ev.sources),
            f"{_spark(counts)} {counts[-1]}",
            status,
        )
    return table


def _parse_at(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or time; use e.g. 2026-11-01 or 2026-01-15T09:00Z",
            param_hint="--at",
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
