"""The `radar` command, one module per group of commands over the same `radar` group (app.py).

Importing this package registers every command.
"""

from radar.cli import changes, run, serve, sources  # noqa: F401  (their commands register on import)
from radar.cli.app import cli, main
from radar.cli.briefing import register as _register_briefing
from radar.cli.trends import register as _register_trends

_register_briefing(cli)
_register_trends(cli)

__all__ = ["cli", "main"]
