"""`radar run`: watch every source once, send what is due, print the report."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import click

from radar.catalog.loader import load_catalog
from radar.cli import app as cli_app
from radar.cli.app import (
    EXIT_ALL_FAILED,
    EXIT_SOME_FAILED,
    cli,
    closing,
    on_terminal,
    open_store,
    parse_when,
    renderer_for,
    select_sources,
    settings_of,
)
from radar.model import RenderMode, Source, SourceRole
from radar.watch.cycle import run_cycle
from radar.watch.health import unhealthy_sources
from radar.watch.outcomes import CycleReport, Outcome, SourceOutcome
from radar.wiring import (
    build_fetcher,
    build_trend_store,
    classifier_on_first_use,
    route_rendered,
)

if TYPE_CHECKING:
    from radar.briefings.send import SendReport
    from radar.settings import Settings
    from radar.store.ports import BriefingStore
    from radar.store.trend_ports import TrendStore
    from radar.trends.model import TrendSignal


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
                classifier=classifier_on_first_use(settings),
                trend_store=trend_store,
            ),
        )
        signals = _detect_trends(settings, trend_store, now, catalog)
        # Emerging-platform alerts of the rises just detected (and any missed in the last
        # 24 h) go out right away; weekly briefings that are due now go out after the watch
        # cycle (radar.cli.briefing).
        alerts, briefings = _send_due(settings, store, trend_store, now, catalog)
        unhealthy = unhealthy_sources(store, sources, settings.unhealthy_after)
    failed = [o.source_id for o in report.outcomes if o.outcome is Outcome.FAILED]
    if as_json:
        cli_app.out.print_json(
            json.dumps(
                {
                    "now": report.now.isoformat(),
                    "failed": failed,
                    "skipped": _skipped(sources, no_browser),
                    "sources": [asdict(o) for o in report.outcomes],
                    "unhealthy": [s.id for s, _ in unhealthy],
                    "emerging": [sig.term for sig in signals if sig.kind == "emerging"],
                    "surge": [sig.term for sig in signals if sig.kind != "emerging"],
                    "briefings": [asdict(o) for o in briefings.outcomes] if briefings else [],
                    "alerts": [asdict(o) for o in alerts.outcomes] if alerts else [],
                }
            )
        )
    else:
        _print_report(report, sources, no_browser)
        for sig in signals:
            rising = f"{sig.display} is rising (see `radar trends`)"
            _say(f"{sig.kind}: {rising}", f"[magenta]{sig.kind}:[/] {rising}")
        for source, snap in unhealthy:
            failed_runs = f"{source.id} failed {snap.failures} runs in a row: {snap.last_error}"
            _say(f"source health: {failed_runs}", f"[yellow]source health:[/] {failed_runs}")
        for summary in _describe_sent(briefings, alerts):
            cli_app.out.print(summary)
    if failed:
        # So that cron and CI notice: 1 when some sources failed, 3 when every one did.
        all_failed = len(failed) == len(report.outcomes)
        raise SystemExit(EXIT_ALL_FAILED if all_failed else EXIT_SOME_FAILED)


def _say(plain: str, styled: str | None = None) -> None:
    """A line of the report: `styled` (rich markup) on a terminal, else `plain` as it is."""
    if on_terminal(sys.stdout):
        cli_app.out.print(styled or plain, markup=styled is not None, highlight=False)
    else:
        click.echo(plain)


def _detect_trends(
    settings: Settings, trend_store: TrendStore, now: datetime, catalog: Sequence[Source]
) -> list[TrendSignal]:
    """Rising terms, when anything can be rising: a trend source in the catalog, or terms
    counted recently (by an earlier catalog).

    The trend use cases are ~30 ms to import, which a catalog of changelogs need not pay.
    """
    config = settings.trend_config()
    day = now.date()
    recent = day - timedelta(days=config.recent_days - 1)
    if not any(s.role is SourceRole.TREND for s in catalog) and not trend_store.active_terms(
        recent, day
    ):
        return []
    from radar.trends.usecases import detect_trends, source_kinds

    return detect_trends(trend_store, now, config, kinds=source_kinds(catalog))


def _send_due(
    settings: Settings,
    store: BriefingStore,
    trend_store: TrendStore,
    now: datetime,
    catalog: Sequence[Source],
) -> tuple[SendReport | None, SendReport | None]:
    """What the alert and the briefing senders did (None: no one could be due).

    The mail stack (templates, calendar, mailer: a sixth of an unchanged run's CPU to import)
    is imported only when someone may be due: an alert subscriber, a briefing due by now.
    """
    alerts = briefings = None
    if store.alert_subscriptions():
        from radar.cli.briefing import send_due_alerts

        alerts = send_due_alerts(settings, store, trend_store, now, catalog)
    if store.due_subscriptions(now, limit=1):
        from radar.cli.briefing import send_due_briefings

        briefings = send_due_briefings(settings, store, now, catalog, trend_store)
    return alerts, briefings


def _describe_sent(briefings: SendReport | None, alerts: SendReport | None) -> list[str]:
    """A line each about the briefings and the alerts sent, when any were due."""
    if briefings is None and alerts is None:
        return []
    from radar.cli.briefing import describe

    lines = [describe(briefings) if briefings else None]
    lines.append(describe(alerts, "alerts") if alerts else None)
    return [line for line in lines if line]


def _run_with_progress(
    sources: Sequence[Source],
    work: Callable[[Callable[[SourceOutcome], None] | None], CycleReport],
) -> CycleReport:
    if not on_terminal(sys.stderr):  # a log file or a pipe: no one watches a bar
        return work(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    # A source done only updates the task; the bar is drawn a few times a second, whatever
    # the number of sources.
    with Progress(*columns, console=cli_app.err, transient=True, refresh_per_second=4) as progress:
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


# The report's columns and how each is aligned.
_COLUMNS = (
    ("source", "left"),
    ("result", "left"),
    ("new", "right"),
    ("edited", "right"),
    ("removed", "right"),
    ("details", "left"),
)
# On a terminal, a run over more sources than this lists only those with something to say.
TERMINAL_ROWS = 50
_QUIET = frozenset({Outcome.UNCHANGED, Outcome.NOT_MODIFIED})


def _print_report(
    report: CycleReport, sources: Sequence[Source], no_browser: str | None = None
) -> None:
    title = f"Radar run at {report.now:%Y-%m-%d %H:%M} UTC"
    if on_terminal(sys.stdout):
        _print_table(title, report.outcomes)
    else:  # a log or a pipe: aligned plain text, at a fraction of a rich table's cost per row
        click.echo(plain_table(title, _COLUMNS, [_cells(o) for o in report.outcomes]))
    skipped = [s.id for s in sources if s.needs_javascript]
    if skipped:
        line = f"skipped (page needs JavaScript): {', '.join(skipped)}"
        _say(line, f"[dim]{line}[/]")
    unrendered = [s.id for s in sources if no_browser and s.render is RenderMode.BROWSER]
    if unrendered:
        _say(f"skipped (page needs a browser: {no_browser}): {', '.join(unrendered)}")
    for o in report.outcomes:
        if o.note:
            _say(f"note: {o.source_id}: {o.note}")
    failed = report.count(Outcome.FAILED)
    _say(run_summary(report) + (f"; {failed} failed" if failed else ""))


def _cells(o: SourceOutcome) -> tuple[str, ...]:
    details = o.error or (f"{o.baseline} existing entries recorded" if o.baseline else "")
    counts = (str(o.added or ""), str(o.edited or ""), str(o.removed or ""))
    return (o.source_id, o.outcome.value, *counts, details)


def _print_table(title: str, outcomes: Sequence[SourceOutcome]) -> None:
    from rich.table import Table

    shown = outcomes
    if len(outcomes) > TERMINAL_ROWS:
        shown = [o for o in outcomes if o.outcome not in _QUIET]
        title += f" ({len(outcomes) - len(shown)} unchanged sources not listed)"
    table = Table(title=title, title_justify="left")
    for name, justify in _COLUMNS:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for o in shown:
        source, result, *rest = _cells(o)
        table.add_row(source, f"[{_STYLE[o.outcome]}]{result}[/]", *rest)
    cli_app.out.print(table)


def plain_table(
    title: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]]
) -> str:
    """`rows` under `title` and a header, as text in aligned columns (no trailing spaces)."""
    header = [name for name, _ in columns]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(columns))]
    lines = [title]
    for row in (header, *rows):
        cells = (
            cell.rjust(width) if justify == "right" else cell.ljust(width)
            for cell, width, (_, justify) in zip(row, widths, columns, strict=True)
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run_summary(report: CycleReport) -> str:
    """The run in one line. A first run's sources are "baseline", not "changed", yet may
    announce their recent entries: count every source with news, and say what was recorded
    ("2 changes in 1 source; first look at 3 sources: 45 existing entries recorded"), never
    "2 changes in 0 sources"."""
    with_news = sum(1 for o in report.outcomes if o.added + o.edited + o.removed)
    baseline = [o for o in report.outcomes if o.outcome is Outcome.BASELINE]
    parts = []
    if with_news:
        parts.append(f"{_plural(report.changes_found, 'change')} in {_plural(with_news, 'source')}")
    if baseline:
        recorded = sum(o.baseline for o in baseline)  # trend lists keep no entries: 0
        entries = _plural(recorded, "existing entry", "existing entries")
        first = f"first look at {_plural(len(baseline), 'source')}"
        parts.append(f"{first}: {entries} recorded" if recorded else first)
    return "; ".join(parts) or "nothing new"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- radar sources --------------------------------------------------------------------------
