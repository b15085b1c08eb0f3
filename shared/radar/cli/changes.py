"""`radar changes` and `radar pull`: stored changes for a reader, and training packs."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from radar.catalog.loader import load_rules
from radar.cli.app import (
    cli,
    err,
    open_store,
    out,
    parse_when,
    settings_of,
)
from radar.cli.names import check_known, known_platforms
from radar.model import Change, ChangeQuery
from radar.packs.build import PackRequest, build_pack, published_within, widened
from radar.render.pack import FORMATS as PACK_FORMATS
from radar.render.pack import published_precision
from radar.text import comma_set


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
    wanted_platforms = comma_set(platforms)
    if wanted_platforms:
        check_known(
            wanted_platforms,
            known_platforms(settings_of(ctx).catalog),
            what="platform",
            param="--platform",
        )
    query = ChangeQuery(
        since=parse_when(since, param="--since"),
        until=parse_when(until, param="--until"),
        platforms=wanted_platforms,
        by=by,
        include_baseline=include_baseline,
    )
    with open_store(settings_of(ctx)) as store:
        found = store.query_changes(widened(query))
    if by == "published":
        found = [c for c in found if published_within(c, query.since, query.until)]
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
            _own_date(c) if by == "published" else f"{c.detected_at:%Y-%m-%d}",
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
    data["published_precision"] = published_precision(change)
    return data


def _own_date(change: Change) -> str:
    # "March 2025" for an entry dated only by its month: never a day it does not name.
    if change.published is not None and change.month_only:
        return f"{change.published:%B %Y}"
    return f"{change.effective_date:%Y-%m-%d}"


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
@click.option("--at", "at", metavar="TIME", help="Prepare the pack as if at this UTC time.")
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
    at: str | None,
) -> None:
    """Everything that changed over a period, as training material."""
    settings = settings_of(ctx)
    rules = load_rules(settings.catalog)
    wanted_categories = comma_set(categories)
    check_known(wanted_categories, rules.category_ids, what="category", param="--category")
    wanted_platforms = comma_set(platforms)
    if wanted_platforms:
        known = known_platforms(settings.catalog)
        check_known(wanted_platforms, known, what="platform", param="--platform")
    now = parse_when(at, param="--at") or datetime.now(UTC)
    try:
        request = PackRequest(
            since=_parse_day(since, "--since"),
            until=_parse_day(until, "--until") if until else now.date(),
            platforms=wanted_platforms,
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
    with open_store(settings) as store:
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
