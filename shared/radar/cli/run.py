"""`radar run`: watch every source once, send what is due, print the report."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from radar.catalog.loader import load_catalog
from radar.cli.app import (
    EXIT_ALL_FAILED,
    EXIT_SOME_FAILED,
    cli,
    closing,
    err,
    open_store,
    out,
    parse_when,
    renderer_for,
    select_sources,
    settings_of,
)
from radar.cli.briefing import describe as describe_briefings
from radar.cli.briefing import send_due_alerts, send_due_briefings
from radar.model import RenderMode, Source
from radar.trends.usecases import detect_trends, source_kinds
from radar.watch.cycle import (
    CycleReport,
    Outcome,
    SourceOutcome,
    run_cycle,
)
from radar.watch.health import unhealthy_sources
from radar.wiring import (
    build_classifier,
    build_fetcher,
    build_trend_store,
    route_rendered,
)


@cli.command()
@click.option("--at", "at", metavar="TIME", help="Process as if at this UTC time (replays).")
@click.option("--source", "only", multiple=True, metavar="ID", help="Only these sources.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.pass_context
def run(ctx: click.Context, at: str | None, only: tuple[str, ...], as_json: bool) -> None:
    """Fetch every source, store what is new or edited, and summarise."""
    settings = settings_of(ctx)
    now = parse_when(at, param="--at") or datetime.now(UTC)
    catalog = load_catalog(settings.catalog)
    sources = select_sources(catalog, only)
    # Pages that need a browser are skipped, with the reason, when Chromium is not installed.
    renderer, no_browser = renderer_for(settings, sources)
    watched = [s for s in sources if renderer is not None or s.render is not RenderMode.BROWSER]
    trend_store = build_trend_store(settings)
    with (
        open_store(settings) as store,
        build_fetcher(settings) as http,
        closing(renderer),
        closing(trend_store),
    ):
        fetcher = route_rendered(http, renderer, watched)
        report = _run_with_progress(
            watched,
            lambda on_done: run_cycle(
                watched,
                fetcher=fetcher,
                store=store,
                now=now,
                announce_since=now - timedelta(days=settings.announce_days),
                workers=settings.workers,
                on_done=on_done,
                classifier=build_classifier(settings),
                trend_store=trend_store,
            ),
        )
        signals = detect_trends(
            trend_store, now, settings.trend_config(), kinds=source_kinds(catalog)
        )
        # Emerging-platform alerts of the rises just detected (and any missed in the last
        # 24 h) go out right away (radar.alerts.send via radar.cli.briefing).
        alerts = send_due_alerts(settings, store, trend_store, now, catalog)
        unhealthy = unhealthy_sources(store, sources, settings.unhealthy_after)
        # Weekly briefings that are due now go out after the watch cycle (radar.cli.briefing).
        briefings = send_due_briefings(settings, store, now, catalog, trend_store)
    failed = [o.source_id for o in report.outcomes if o.outcome is Outcome.FAILED]
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "now": report.now.isoformat(),
                    "failed": failed,
                    "skipped": _skipped(sources, no_browser),
                    "sources": [asdict(o) for o in report.outcomes],
                    "unhealthy": [s.id for s, _ in unhealthy],
                    "emerging": [sig.term for sig in signals if sig.kind == "emerging"],
                    "surge": [sig.term for sig in signals if sig.kind != "emerging"],
                    "briefings": [asdict(o) for o in briefings.outcomes],
                    "alerts": [asdict(o) for o in alerts.outcomes],
                }
            )
        )
    else:
        _print_report(report, sources, no_browser)
        for sig in signals:
            out.print(f"[magenta]{sig.kind}:[/] {sig.display} is rising (see `radar trends`)")
        for source, snap in unhealthy:
            out.print(
                f"[yellow]source health:[/] {source.id} failed {snap.failures} runs in a row: "
                f"{snap.last_error}"
            )
        for summary in (describe_briefings(briefings), describe_briefings(alerts, "alerts")):
            if summary:
                out.print(summary)
    if failed:
        # So that cron and CI notice: 1 when some sources failed, 3 when every one did.
        all_failed = len(failed) == len(report.outcomes)
        raise SystemExit(EXIT_ALL_FAILED if all_failed else EXIT_SOME_FAILED)


def _run_with_progress(
    sources: Sequence[Source],
    work: Callable[[Callable[[SourceOutcome], None]], CycleReport],
) -> CycleReport:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("watching sources", total=len(sources))

        def on_done(outcome: SourceOutcome) -> None:
            progress.update(task, advance=1, description=f"watching sources ({outcome.source_id})")

        return work(on_done)


_STYLE = {
    Outcome.CHANGED: "green",
    Outcome.BASELINE: "cyan",
    Outcome.UNCHANGED: "dim",
    Outcome.NOT_MODIFIED: "dim",
    Outcome.FAILED: "red",
    Outcome.CONFLICT: "yellow",
}


def _skipped(sources: Sequence[Source], no_browser: str | None) -> dict[str, str]:
    """Sources not watched in this run, with the one-line reason."""
    out = {s.id: "page needs JavaScript" for s in sources if s.needs_javascript}
    if no_browser:
        out |= {s.id: no_browser for s in sources if s.render is RenderMode.BROWSER}
    return out


def _print_report(
    report: CycleReport, sources: Sequence[Source], no_browser: str | None = None
) -> None:
    table = Table(title=f"Radar run at {report.now:%Y-%m-%d %H:%M} UTC", title_justify="left")
    for name, justify in (
        ("source", "left"),
        ("result", "left"),
        ("new", "right"),
        ("edited", "right"),
        ("removed", "right"),
        ("details", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for o in report.outcomes:
        details = o.error or (f"{o.baseline} existing entries recorded" if o.baseline else "")
        table.add_row(
            o.source_id,
            f"[{_STYLE[o.outcome]}]{o.outcome.value}[/]",
            str(o.added or ""),
            str(o.edited or ""),
            str(o.removed or ""),
            details,
        )
    out.print(table)
    skipped = [s.id for s in sources if s.needs_javascript]
    if skipped:
        out.print(f"[dim]skipped (page needs JavaScript): {', '.join(skipped)}[/]")
    unrendered = [s.id for s in sources if no_browser and s.render is RenderMode.BROWSER]
    if unrendered:
        out.print(
            f"skipped (page needs a browser: {no_browser}): {', '.join(unrendered)}", markup=False
        )
    for o in report.outcomes:
        if o.note:
            out.print(f"note: {o.source_id}: {o.note}", markup=False, highlight=False)
    failed = report.count(Outcome.FAILED)
    if report.changes_found:
        out.print(
            f"{report.changes_found} changes in {report.count(Outcome.CHANGED)} sources"
            + (f"; {failed} failed" if failed else "")
        )
    else:
        out.print("nothing new" + (f"; {failed} failed" if failed else ""))


# --- radar sources --------------------------------------------------------------------------
