"""radar.fetch.deadline._PoolPerOrigin: one httpcore pool per origin (issue 15), so a request
no longer re-examines the connections of every other host; idle pools beyond `keep` closed."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpcore

from radar.fetch.deadline import _PoolPerOrigin


@dataclass(eq=False)
class _Connection:
    idle: bool = True

    def is_idle(self) -> bool:
        return self.idle


@dataclass(eq=False)
class _Pool:
    """What _PoolPerOrigin uses of an httpcore pool."""

    connections: list[_Connection] = field(default_factory=lambda: [_Connection()])
    served: list[bytes] = field(default_factory=list)
    closed: bool = False

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        self.served.append(request.url.host)
        return httpcore.Response(200)

    def close(self) -> None:
        self.closed = True


def _pools(keep: int = 20) -> tuple[_PoolPerOrigin, list[_Pool]]:
    made: list[_Pool] = []

    def make() -> _Pool:
        made.append(_Pool())
        return made[-1]

    return _PoolPerOrigin(make, keep=keep), made  # type: ignore[arg-type]


def _get(router: _PoolPerOrigin, url: str) -> None:
    router.handle_request(httpcore.Request("GET", url))


def test_each_origin_has_its_own_pool_and_keeps_it() -> None:
    router, made = _pools()
    for url in ("http://a.test/1", "http://b.test/", "http://a.test/2", "https://a.test/"):
        _get(router, url)
    # http://a.test twice in one pool; https://a.test is another origin.
    assert [p.served for p in made] == [[b"a.test", b"a.test"], [b"b.test"], [b"a.test"]]


def test_beyond_keep_the_least_recently_used_idle_pools_are_closed() -> None:
    router, made = _pools(keep=2)
    _get(router, "http://a.test/")
    _get(router, "http://b.test/")
    _get(router, "http://a.test/")  # a is now the more recently used
    made[0].connections[0].idle = False  # ... and its response is still being read
    _get(router, "http://c.test/")
    _get(router, "http://d.test/")
    assert [p.closed for p in made] == [False, True, False, False]  # b went, busy a stayed
    made[0].connections[0].idle = True
    _get(router, "http://e.test/")  # back to the two most recent: a and c go
    assert [p.closed for p in made] == [True, True, True, False, False]


def test_close_closes_every_pool() -> None:
    router, made = _pools()
    _get(router, "http://a.test/")
    _get(router, "http://b.test/")
    router.close()
    assert all(p.closed for p in made)
