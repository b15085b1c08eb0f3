"""`radar sources` and `radar sources check`: the catalog, and trying a source or a URL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import click
from rich.table import Table

from radar.catalog.loader import load_catalog
from radar.cli.app import (
    cli,
    closing,
    out,
    renderer_for,
    select_sources,
    settings_of,
)
from radar.errors import RadarError
from radar.extract import extract
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, Item, RenderMode, Source, SourceKind
from radar.settings import Settings
from radar.trends.sources import source_url
from radar.watch.cycle import (
    Fetcher,
)
from radar.wiring import (
    build_fetcher,
    build_renderer,
    route_rendered,
)


@cli.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the catalog's sources (`radar sources check` tests them)."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = load_catalog(settings_of(ctx).catalog)
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
    settings = settings_of(ctx)
    urls = [u for u in only if "://" in u]
    ids = tuple(i for i in only if "://" not in i)
    catalog = select_sources(load_catalog(settings.catalog), ids) if ids or not urls else []
    table = Table()
    for name in ("source", "status", "entries", "newest", "details"):
        table.add_column(name)
    broken = 0
    advice: list[str] = []
    renderer, no_browser = renderer_for(settings, catalog)
    with build_fetcher(settings) as http, closing(renderer):
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
    with closing(renderer):
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
