"""The `radar` command: run the watcher locally, inspect the catalog and stored changes."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from radar.catalog.loader import load_catalog, load_rules
from radar.cli_briefing import describe as describe_briefings
from radar.cli_briefing import register as register_briefing_commands
from radar.cli_briefing import send_due_alerts, send_due_briefings
from radar.cli_trends import register as register_trends_command
from radar.errors import RadarError
from radar.extract import extract
from radar.extract.sniff import sniff_kind
from radar.health import unhealthy_sources
from radar.model import Change, ChangeQuery, FetchResult, Item, RenderMode, Source, SourceKind
from radar.pack import FIRST_DAY, LAST_DAY, PackRequest, build_pack
from radar.pipeline import (
    CycleReport,
    Fetcher,
    Outcome,
    SourceOutcome,
    run_cycle,
)
from radar.render.pack import FORMATS as PACK_FORMATS
from radar.settings import LOCAL_BASE_URL, Settings, load_settings
from radar.store.ports import BriefingStore
from radar.text import comma_set
from radar.trends.sources import source_url
from radar.trends.usecases import detect_trends, source_kinds
from radar.wiring import (
    build_classifier,
    build_fetcher,
    build_renderer,
    build_store,
    build_trend_store,
    route_rendered,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def main() -> None:
    """Entry point of the `radar` command: Radar's own errors become one clear line, exit 2."""
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RadarError as exc:
        # soft_wrap: one line whatever the terminal's width, so scripts can grep it.
        err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(2)


@click.group()
@click.version_option(package_name="platform-radar")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file (default: per-user data dir, or RADAR_DB_PATH).",
)
@click.option(
    "--catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own catalog YAML instead of the built-in one (or RADAR_CATALOG).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (to standard error).")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, catalog: Path | None, verbose: bool) -> None:
    """Platform Radar: what changed on the social platforms you run."""
    # The summary tables already say what failed and why; logs are for when you ask for them.
    handler = RichHandler(console=err, show_path=False)
    handler.setFormatter(_ContextFormatter())
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, handlers=[handler], force=True
    )
    settings = load_settings(db_path=db, catalog=catalog)
    if not settings.base_url:  # on this machine, links point to `radar serve`'s default address
        settings = settings.model_copy(update={"base_url": LOCAL_BASE_URL})
    ctx.obj = settings


class _ContextFormatter(logging.Formatter):
    """The message followed by the record's context (`extra=`) as key=value pairs."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in self._STANDARD)
        return f"{super().format(record)} {context}".rstrip()


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.find_object(Settings)
    assert settings is not None
    return settings


@contextmanager
def _closing(resource: object) -> Iterator[None]:
    """Close an adapter that holds a connection (SQLite), if it has a close()."""
    try:
        yield
    finally:
        close = getattr(resource, "close", None)
        if close is not None:
            close()


@contextmanager
def _store(settings: Settings) -> Iterator[BriefingStore]:
    store = build_store(settings)
    with _closing(store):
        yield store


def _parse_when(value: str | None, *, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or time; use e.g. 2026-11-01 or 2026-01-15T09:00Z",
            param_hint=param,
        ) from None
    if not FIRST_DAY <= when.date() <= LAST_DAY:  # beyond, date arithmetic overflows
        raise click.BadParameter(
            f"{value!r} is out of range; use a day from {FIRST_DAY} to {LAST_DAY}",
            param_hint=param,
        )
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _select(sources: list[Source], only: Sequence[str]) -> list[Source]:
    if not only:
        return sources
    known = {s.id for s in sources}
    unknown = [i for i in only if i not in known]
    if unknown:
        raise click.BadParameter(f"not in the catalog: {', '.join(unknown)}", param_hint="--source")
    return [s for s in sources if s.id in set(only)]


# --- radar run ------------------------------------------------------------------------------


EXIT_SOME_FAILED = 1
EXIT_ALL_FAILED = 3


@cli.command()
@click.option("--at", "at", metavar="TIME", help="Process as if at this UTC time (replays).")
@click.option("--source", "only", multiple=True, metavar="ID", help="Only these sources.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.pass_context
def run(ctx: click.Context, at: str | None, only: tuple[str, ...], as_json: bool) -> None:
    """Fetch every source, store what is new or edited, and summarise."""
    settings = _settings(ctx)
    now = _parse_when(at, param="--at") or datetime.now(UTC)
    catalog = load_catalog(settings.catalog)
    sources = _select(catalog, only)
    # Pages that need a browser are skipped, with the reason, when Chromium is not installed.
    renderer, no_browser = _renderer_for(settings, sources)
    watched = [s for s in sources if renderer is not None or s.render is not RenderMode.BROWSER]
    trend_store = build_trend_store(settings)
    with (
        _store(settings) as store,
        build_fetcher(settings) as http,
        _closing(renderer),
        _closing(trend_store),
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
        # 24 h) go out right away (radar.alerts via radar.cli_briefing).
        alerts = send_due_alerts(settings, store, trend_store, now, catalog)
        unhealthy = unhealthy_sources(store, sources, settings.unhealthy_after)
        # Weekly briefings that are due now go out after the watch cycle (radar.cli_briefing).
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


def _renderer_for(settings: Settings, sources: Sequence[Source]) -> tuple[Any, str | None]:
    """The browser for `render: browser` sources (None if there are none), or why there is none."""
    if not any(s.render is RenderMode.BROWSER for s in sources):
        return None, None
    return build_renderer(settings)


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


@cli.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the catalog's sources (`radar sources check` tests them)."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = load_catalog(_settings(ctx).catalog)
    table = Table()
    for name in ("id", "platform", "kind", "every", "url"):
        table.add_column(name)
    for s in catalog:
        url = s.url + ("  [yellow](needs JavaScript)[/]" if s.needs_javascript else "")
        url += "  [cyan](rendered in a browser)[/]" if s.render is RenderMode.BROWSER else ""
        table.add_row(s.id, s.platform, s.kind.value, _every(s.interval), url)
    out.print(table)
    out.print(f"{len(catalog)} sources, {len({s.platform for s in catalog})} platforms")


def _every(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


@sources.command("check")
@click.argument("only", nargs=-1, metavar="[ID|URL]...")
@click.pass_context
def sources_check(ctx: click.Context, only: tuple[str, ...]) -> None:
    """Fetch each source once and say whether extraction works (stores nothing).

    Give a URL instead of a catalog id to try a page before adding it: Radar says which kind
    of document it is, how many entries (and how many with dates) it found, and the first three.
    """
    settings = _settings(ctx)
    urls = [u for u in only if "://" in u]
    ids = tuple(i for i in only if "://" not in i)
    catalog = _select(load_catalog(settings.catalog), ids) if ids or not urls else []
    table = Table()
    for name in ("source", "status", "entries", "newest", "details"):
        table.add_column(name)
    broken = 0
    advice: list[str] = []
    renderer, no_browser = _renderer_for(settings, catalog)
    with build_fetcher(settings) as http, _closing(renderer):
        fetcher = route_rendered(http, renderer, catalog)
        for url in urls:
            broken += not _check_url(http, url, settings)
        for s in catalog:
            if s.needs_javascript:
                table.add_row(
                    s.id, "[yellow]skipped[/]", "", "", f"needs JavaScript; {s.watch_instead}"
                )
                continue
            if s.render is RenderMode.BROWSER and renderer is None:
                table.add_row(s.id, "[yellow]skipped[/]", "", "", f"needs a browser: {no_browser}")
                continue
            result = None
            try:
                result = fetcher.fetch(source_url(s, datetime.now(UTC)))
                items = extract(s, result)
            except RadarError as exc:
                broken += 1
                table.add_row(s.id, "[red]broken[/]", "", "", str(exc))
                items = []
            else:
                dates = [i.published for i in items if i.published]
                newest = f"{max(dates):%Y-%m-%d}" if dates else "no dates"
                table.add_row(s.id, "[green]ok[/]", str(len(items)), newest, items[0].title[:60])
            if result is not None:  # a page that publishes a feed should be watched through it
                advice += [f"{s.id}: {line}" for line in _feed_advice(http, s, result, items)]
    if catalog:
        out.print(table)
    for line in advice:
        out.print(line, markup=False, highlight=False)
    if broken:
        raise SystemExit(1)


def _feed_advice(
    fetcher: Fetcher, source: Source, result: FetchResult, items: list[Item]
) -> list[str]:
    """ "This page has a feed: use it" lines for a page source (the page's feeds, confirmed)."""
    if source.kind not in (SourceKind.AUTO, SourceKind.CHANGELOG_HTML):
        return []
    if result.not_modified or sniff_kind(result) is not SourceKind.CHANGELOG_HTML:
        return []
    from radar.fetch.discover import discover_feeds

    found = discover_feeds(fetcher, result, items)
    return [f.advice(source.id, source.platform) for f in found[:2]]


def _check_url(fetcher: Fetcher, url: str, settings: Settings) -> bool:
    """Print what `auto` makes of the page at `url`; False when it gives no entries.

    For a page it also looks for the page's feed; a page that gives no entries as served is
    tried in a browser (when one is installed), with the catalog line for each way that works.
    """
    source = Source(id="my-source", platform="...", kind=SourceKind.AUTO, url=url)
    try:
        result = fetcher.fetch(url)
        kind = sniff_kind(result)
    except RadarError as exc:
        out.print(f"[red]broken:[/] {url}: {exc}", highlight=False)
        return False
    try:
        items = extract(source, result)
    except RadarError as exc:
        out.print(f"[red]broken:[/] {url}: {exc}", highlight=False)
        items = []
    else:
        _print_found(
            url, f"is {kind.value}", items, f"{{id: my-source, platform: ..., url: {url}}}"
        )
    advice = _feed_advice(fetcher, source, result, items)
    for line in advice:
        out.print(f"  {line}", markup=False, highlight=False)
    if items or advice or kind is not SourceKind.CHANGELOG_HTML:
        return bool(items)
    renderer, no_browser = build_renderer(settings)  # an empty page may be filled in by scripts
    if renderer is None:
        out.print(f"  not tried in a browser: {no_browser}", markup=False, highlight=False)
        return False
    with _closing(renderer):
        try:
            items = extract(source, renderer.fetch(url))
        except RadarError as exc:
            out.print(f"  in a browser: {exc}", markup=False, highlight=False)
            return False
    line = f"{{id: my-source, platform: ..., url: {url}, render: browser}}"
    _print_found(url, "rendered in a browser", items, line)
    return True


def _print_found(url: str, what: str, items: Sequence[Item], catalog_line: str) -> None:
    dated = sum(1 for i in items if i.published)
    out.print(
        f"[green]ok:[/] {url} {what}: {len(items)} entries, {dated} with dates", highlight=False
    )
    for item in items[:3]:
        when = f"{item.published:%Y-%m-%d}" if item.published else "undated"
        out.print(f"  {when}  {item.title[:90]}", markup=False, highlight=False)
    out.print(f"  catalog line: {catalog_line}", markup=False)


# --- radar changes --------------------------------------------------------------------------


@cli.command()
@click.option("--since", required=True, metavar="DATE", help="From this date or time (UTC).")
@click.option("--until", metavar="DATE", help="Up to (not including) this date or time.")
@click.option("--platform", "platforms", metavar="P[,P]", help="Only these platforms.")
@click.option(
    "--by",
    type=click.Choice(["detected", "published"]),
    default="detected",
    show_default=True,
    help="Filter on when Radar saw the change, or on the entry's own date.",
)
@click.option("--all", "include_baseline", is_flag=True, help="Include first-run baseline entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def changes(
    ctx: click.Context,
    since: str,
    until: str | None,
    platforms: str | None,
    by: str,
    include_baseline: bool,
    as_json: bool,
) -> None:
    """List stored changes."""
    query = ChangeQuery(
        since=_parse_when(since, param="--since"),
        until=_parse_when(until, param="--until"),
        platforms=comma_set(platforms),
        by=by,
        include_baseline=include_baseline,
    )
    with _store(_settings(ctx)) as store:
        found = store.query_changes(query)
    if as_json:
        for c in found:
            click.echo(json.dumps(change_to_json(c), ensure_ascii=False))
        return
    if not found:
        out.print("no changes in that period")
        return
    table = Table()
    for name in ("date", "platform", "kind", "title", "link"):
        table.add_column(name, overflow="fold")
    for c in found:
        table.add_row(
            f"{c.effective_date if by == 'published' else c.detected_at:%Y-%m-%d}",
            c.platform,
            c.kind.value,
            c.title,
            c.url or "",
        )
    out.print(table)
    out.print(f"{len(found)} changes")


def change_to_json(change: Change) -> dict[str, Any]:
    """A change as plain JSON types (dates as ISO-8601)."""
    data = asdict(change)
    for key, value in data.items():
        if isinstance(value, datetime | date):
            data[key] = value.isoformat()
    data["kind"] = change.kind.value
    return data


# --- radar pull -----------------------------------------------------------------------------


@cli.command()
@click.option("--platform", "platforms", metavar="P[,P]", help="Platforms to cover (default: all).")
@click.option("--since", required=True, metavar="DATE", help="First day of the period.")
@click.option("--until", metavar="DATE", help="Last day of the period (default: today).")
@click.option("--category", "categories", metavar="C[,C]", help="Only these categories.")
@click.option("--severity", "severities", metavar="S[,S]", help="Only action, notable or minor.")
@click.option("--search", "text", default="", metavar="WORDS", help="Only items with these words.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(PACK_FORMATS)),
    help="md (slides), html (handout), csv or json; default: from -o's extension, else md.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def pull(
    ctx: click.Context,
    platforms: str | None,
    since: str,
    until: str | None,
    categories: str | None,
    severities: str | None,
    text: str,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Everything that changed over a period, as training material."""
    settings = _settings(ctx)
    rules = load_rules(settings.catalog)
    wanted_categories = comma_set(categories)
    unknown = wanted_categories - set(rules.category_ids)
    if unknown:
        raise click.BadParameter(
            f"unknown category {sorted(unknown)[0]!r}; known: {', '.join(rules.category_ids)}",
            param_hint="--category",
        )
    now = datetime.now(UTC)
    try:
        request = PackRequest(
            since=_parse_day(since, "--since"),
            until=_parse_day(until, "--until") if until else now.date(),
            platforms=comma_set(platforms),
            categories=wanted_categories,
            severities=comma_set(severities),
            text=text,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    fmt = fmt or (output.suffix.lstrip(".").lower() if output else "md")
    if fmt not in PACK_FORMATS:
        raise click.BadParameter(
            f"cannot tell the format from {output}; add --format", param_hint="--format"
        )
    with _store(settings) as store:
        pack = build_pack(store.query_changes(request.query()), request, rules, now)
    rendered = PACK_FORMATS[fmt](pack)
    if output is None:
        click.echo(rendered, nl=False)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:  # a missing folder, no permission, a full disk
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror or exc}", param_hint="-o/--output"
        ) from None
    err.print(f"{len(pack)} changes written to {output}")


def _parse_day(value: str, param: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; use e.g. 2026-07-01", param_hint=param
        ) from None


# --- radar serve ----------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the HTTP API and the web page (the same code as the AWS `api` function)."""
    from radar.api import ApiDeps, build_app
    from radar.mail import build_mailer
    from radar.serve import make_server

    settings = _settings(ctx)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach it can read it")
    if settings.base_url == LOCAL_BASE_URL and host in ("127.0.0.1", "localhost", "::1") and port:
        # Not set: links in mail point here, at the address this server listens on (never at
        # a request's Host header).
        where = f"[{host}]" if ":" in host else host
        settings = settings.model_copy(update={"base_url": f"http://{where}:{port}"})
    with _store(settings) as store:
        deps = ApiDeps(
            store,
            load_rules(settings.catalog),
            subscriptions=store,
            settings=settings,
            mailer=build_mailer(settings),
        )
        server = make_server(build_app(deps), host, port)
        out.print(f"Platform Radar on http://{host}:{server.server_port}/  (Ctrl+C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            out.print("stopped")
        finally:
            server.server_close()


# --- radar subscribe / confirm / unsubscribe / brief (radar.cli_briefing) -------------------

register_briefing_commands(cli)


register_trends_command(cli)
