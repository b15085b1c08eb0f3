"""The `radar` group: options shared by every command, settings, the store, errors on one line.

Start-up is part of every command's cost, so this module imports little: each command's module
is imported when that command runs (`_COMMANDS`), and rich, the settings and the adapters when
first used. `radar --version` imports none of them.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from radar.errors import RadarError

if TYPE_CHECKING:
    from rich.console import Console

    from radar.model import Source
    from radar.settings import Settings
    from radar.store.ports import BriefingStore

# The module that defines each command; it registers the command on `cli` when imported (with
# `@cli.command()`, or its `register(cli)`).
_COMMANDS = {
    "run": "radar.cli.run",
    "sources": "radar.cli.sources",
    "changes": "radar.cli.changes",
    "pull": "radar.cli.changes",
    "serve": "radar.cli.serve",
    "subscribe": "radar.cli.briefing",
    "confirm": "radar.cli.briefing",
    "unsubscribe": "radar.cli.briefing",
    "brief": "radar.cli.briefing",
    "trends": "radar.cli.trends",
}


class _LazyGroup(click.Group):
    """A group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module = importlib.import_module(_COMMANDS[cmd_name])
            register = getattr(module, "register", None)
            if cmd_name not in self.commands and register is not None:
                register(self)
        return super().get_command(ctx, cmd_name)


@cache
def _consoles() -> tuple[Console, Console]:
    from rich.console import Console  # ~40 ms to import, which `radar --version` need not pay

    return Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False)


def __getattr__(name: str) -> Console:
    """`out` (standard output) and `err` (standard error): rich consoles, made on first use."""
    if name == "out":
        return _consoles()[0]
    if name == "err":
        return _consoles()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def on_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (someone watches), decided without importing rich.

    A run whose output goes to a pipe or a log prints plain text, and pays nothing for rich
    (~25 ms to import with its console).
    """
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def main() -> None:
    """Entry point of the `radar` command: Radar's own errors become one clear line, exit 2.

    Meant to end the process (see the `finally`): a program that uses Radar as a library calls
    the commands' functions, not this.
    """
    try:
        _main()
    finally:
        # At exit the interpreter runs full garbage collections over every object still alive
        # (modules, classes, compiled patterns, caches): 8% of the CPU of a `radar run` where 5
        # of 100 sources changed (bench_vs_urlwatch.py). Frozen objects are left out of them.
        # Nothing waits on those collections: adapters and files are closed by now, and the
        # memory goes back with the process.
        gc.freeze()


def _main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        _consoles()[1].print("aborted")
        sys.exit(130)
    except click.NoSuchOption as exc:
        shown: click.UsageError = exc
        if exc.option_name in _GROUP_OPTIONS:  # `radar run --catalog my.yaml`, as people type it
            command = exc.ctx.info_name if exc.ctx else "run"
            usage = f"{exc.option_name}{_GROUP_OPTIONS[exc.option_name]}"
            shown = click.UsageError(
                f"{exc.option_name} is an option of radar itself: put it before the command: "
                f"radar {usage} {command} ...",
                ctx=exc.ctx,
            )
        shown.show()
        sys.exit(shown.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RadarError as exc:
        # soft_wrap: one line whatever the terminal's width, so scripts can grep it.
        _consoles()[1].print(
            f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True
        )
        sys.exit(2)


# Options of the `radar` group itself, which go before the command.
_GROUP_OPTIONS = {"--db": " FILE", "--catalog": " FILE", "-v": "", "--verbose": ""}


@click.group(cls=_LazyGroup)
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
    from radar.settings import LOCAL_BASE_URL, load_settings

    # The summary tables already say what failed and why; logs are for when you ask for them.
    handler: logging.Handler
    if verbose or on_terminal(sys.stderr):
        from rich.logging import RichHandler

        handler = RichHandler(console=_consoles()[1], show_path=False)
        handler.setFormatter(_ContextFormatter())
    else:  # errors only, to a log or a pipe: one plain line each
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ContextFormatter("%(levelname)s %(message)s"))
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, handlers=[handler], force=True
    )
    settings = load_settings(db_path=db, catalog=catalog)
    if not settings.base_url:  # on this machine, links point to `radar serve`'s default address
        settings = replace(settings, base_url=LOCAL_BASE_URL)
    ctx.obj = settings


class _ContextFormatter(logging.Formatter):
    """The message followed by the record's context (`extra=`) as key=value pairs."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in self._STANDARD)
        return f"{super().format(record)} {context}".rstrip()


def settings_of(ctx: click.Context) -> Settings:
    from radar.settings import Settings

    settings = ctx.find_object(Settings)
    assert settings is not None
    return settings


@contextmanager
def closing(resource: object) -> Iterator[None]:
    """Close an adapter that holds a connection (SQLite), if it has a close()."""
    try:
        yield
    finally:
        close = getattr(resource, "close", None)
        if close is not None:
            close()


@contextmanager
def open_store(settings: Settings) -> Iterator[BriefingStore]:
    from radar.wiring import build_store

    store = build_store(settings)
    with closing(store):
        yield store


def parse_when(value: str | None, *, param: str) -> datetime | None:
    if value is None:
        return None
    from radar.packs.build import FIRST_DAY, LAST_DAY

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


def select_sources(sources: list[Source], only: Sequence[str]) -> list[Source]:
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


def renderer_for(settings: Settings, sources: Sequence[Source]) -> tuple[Any, str | None]:
    """The browser for `render: browser` sources (None if there are none), or why there is none."""
    from radar.model import RenderMode

    if not any(s.render is RenderMode.BROWSER for s in sources):
        return None, None
    from radar.wiring import build_renderer

    return build_renderer(settings)
