"""The `radar` command, one module per group of commands over the same `radar` group (app.py).

A command's module is imported when one of its commands runs (`radar.cli.app._COMMANDS`), so
`radar --version` or `radar run` pays for no other command's imports.
"""

from radar.cli.app import cli, main

__all__ = ["cli", "main"]
