"""Serve a folder on 127.0.0.1 for local replays (docs/replay.md): each request gets the file
as it is at that moment, so a replay swaps in a page's next recorded version between two
`radar run --at ...` and Radar sees it.

    python -m tests.support.replay_server start FOLDER --port 8765   # returns once listening
    python -m tests.support.replay_server stop FOLDER

Unlike `python -m http.server` it never answers 304 Not Modified: Last-Modified has a
resolution of one second, and two versions copied within the same second would look
unchanged. `start` returns only when the port is listening (no race with the first fetch) and
leaves the server running in the background, its process id in FOLDER/.replay-server.pid;
`stop` ends it. Standard library only, loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PID_FILE = ".replay-server.pid"
READY = "ready"


class ReplayHandler(SimpleHTTPRequestHandler):
    """Files as they are now: no conditional answers, types Radar's extractors expect."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as an instance variable)
        **SimpleHTTPRequestHandler.extensions_map,
        ".md": "text/markdown; charset=utf-8",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/xml",
    }

    def send_head(self):  # type: ignore[no-untyped-def]
        # A replay's file changes between runs faster than Last-Modified can tell.
        for header in ("If-Modified-Since", "If-None-Match"):
            del self.headers[header]
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: Radar's own report says what it fetched


def serve(folder: Path, port: int) -> None:
    """Serve `folder` on 127.0.0.1:`port` until killed; say READY once listening."""
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(ReplayHandler, directory=folder))
    except OSError as exc:
        raise SystemExit(f"error: cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    print(READY, flush=True)
    # Let go of the parent's pipes (and so of any shell pipeline `start` ran in).
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    server.serve_forever()


def start(folder: Path, port: int) -> int:
    """Start `serve` in the background and return its process id once it listens."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.support.replay_server", "serve", str(folder),
         "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # not stopped by the shell's Ctrl+C meant for a radar command
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert child.stdout is not None
    if child.stdout.readline().strip() != READY:
        _, why = child.communicate(timeout=10)
        raise SystemExit(why.strip() or f"error: the replay server did not start on port {port}")
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()
    (folder / PID_FILE).write_text(str(child.pid), encoding="utf-8")
    return child.pid


def stop(folder: Path) -> None:
    """Stop the server started for `folder`, if it still runs."""
    pid_file = folder / PID_FILE
    if not pid_file.exists():
        return
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.kill(int(pid_file.read_text(encoding="utf-8")), signal.SIGTERM)
    pid_file.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.replay_server")
    parser.add_argument("action", choices=("start", "stop", "serve"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    if args.action == "serve":
        serve(folder, args.port)
    elif args.action == "start":
        folder.mkdir(parents=True, exist_ok=True)
        print(f"serving {folder} on http://127.0.0.1:{args.port}/ (pid {start(folder, args.port)})")
    else:
        stop(folder)


if __name__ == "__main__":
    main()
