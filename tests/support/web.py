"""The HTTP API and its web page served on an ephemeral port of 127.0.0.1, for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from radar.api.app import ApiDeps, build_app
from radar.api.local_server import make_server


@contextmanager
def serve_api(deps: ApiDeps) -> Iterator[str]:
    """`build_app(deps)` served by the local server for the block; yields its base URL."""
    server = make_server(build_app(deps), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
