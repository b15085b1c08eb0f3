"""`radar serve`: the HTTP API and web page on this machine."""

from __future__ import annotations

import errno
from dataclasses import replace

import click

from radar.catalog.loader import load_catalog, load_rules
from radar.cli.app import (
    cli,
    err,
    open_store,
    out,
    settings_of,
)
from radar.errors import ConfigError
from radar.settings import LOCAL_BASE_URL


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the HTTP API and the web page (the same code as the AWS `api` function)."""
    from radar.api.app import ApiDeps, build_app
    from radar.api.local_server import make_server
    from radar.mail import build_mailer

    settings = settings_of(ctx)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach it can read it")
    if settings.base_url == LOCAL_BASE_URL and host in ("127.0.0.1", "localhost", "::1") and port:
        # Not set: links in mail point here, at the address this server listens on (never at
        # a request's Host header).
        where = f"[{host}]" if ":" in host else host
        settings = replace(settings, base_url=f"http://{where}:{port}")
    with open_store(settings) as store:
        deps = ApiDeps(
            store,
            load_rules(settings.catalog),
            subscriptions=store,
            settings=settings,
            mailer=build_mailer(settings),
            source_names={s.id: s.name for s in load_catalog(settings.catalog) if s.name},
        )
        try:
            server = make_server(build_app(deps), host, port)
        except OSError as exc:  # a busy port, a privileged one, an address not on this host
            raise ConfigError(_cannot_listen(host, port, exc)) from None
        out.print(f"Platform Radar on http://{host}:{server.server_port}/  (Ctrl+C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            out.print("stopped")
        finally:
            server.server_close()


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    """One line for `radar` to print instead of a traceback."""
    if exc.errno == errno.EADDRINUSE:
        why = "the port is already in use (is another `radar serve` running?)"
        return f"cannot listen on {host}:{port}: {why}; choose another with --port {port + 1}"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
