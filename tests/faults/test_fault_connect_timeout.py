"""A site that never accepts the connection (issue 13, item 12), on a real socket: the source
fails as a timeout, named as one, never as "robots.txt disallows" (what it was reported as when
robots.txt was the first request to time out).

A listening socket whose accept queue is full drops new SYNs (Linux), so connecting to it
times out exactly like connecting to a host that is down.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from radar.errors import FetchTimeout, RobotsDisallowed
from radar.fetch import Fetcher, FetchPolicy

WITHIN = 5.0
POLICY = FetchPolicy(
    allow_private=True,
    respect_robots=True,
    per_host_delay=0,
    connect_timeout=0.5,
    total_timeout=2.0,
)


@pytest.fixture
def unaccepting_port() -> Iterator[int]:
    """A port on 127.0.0.1 where connections are never accepted (the queue is full)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    probe = socket.socket()
    probe.settimeout(0.3)
    try:
        probe.connect(("127.0.0.1", port))
        pytest.skip("this system accepts connections beyond a full listen queue")
    except TimeoutError:
        pass
    finally:
        probe.close()
    yield port
    for s in [*fillers, server]:
        s.close()


def test_fault_connect_timeout_is_a_timeout_not_robots(unaccepting_port: int) -> None:
    url = f"http://127.0.0.1:{unaccepting_port}/feed"
    start = time.monotonic()
    with Fetcher(POLICY) as fetcher, pytest.raises(FetchTimeout) as raised:
        fetcher.fetch(url)
    assert time.monotonic() - start < WITHIN
    assert not isinstance(raised.value, RobotsDisallowed)
    assert "did not accept a connection within 0.5 s" in str(raised.value)
