"""The same answer time for every address (issue 13, item 10).

`POST /subscriptions` must not tell an unknown address from a subscribed or suppressed one, and
timing told: active and suppressed addresses answered ~16 ms sooner (no write, no rendering, no
mail), enough for one request to classify an address 90% of the time. The use case now does the
same reads, signing and rendering for every address; what still differs (writing the pending
subscription and handing the mail over) is evened out here: every answer waits until the same
time after the request began, the time the full path (with its mail) usually takes.

That target is the `quantile` of the latest full-path durations (`start` until `samples` of them
are known), so it follows the mailer actually in use (an outbox file, SES) without a setting.
A full path slower than the target (a slow SES call, 2% of them) still stands out, and only on
an address's first request: a repeat finds it pending and mails nothing. What is left is how
late the process wakes from its wait, which differs by a few milliseconds with what it did
before (I/O or not) on a busy machine; a random `jitter` on top of the target blurs that.
Measured in tests/bench/bench_subscribe_timing.py (report in tests/bench/reports/).
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable

_RANDOM = random.SystemRandom()


class EvenTiming:
    """Pads subscription answers to one target duration; thread-safe."""

    def __init__(
        self,
        *,
        start: float = 0.25,
        samples: int = 10,
        keep: int = 100,
        quantile: float = 0.98,
        cap: float = 2.0,
        jitter: float = 0.01,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        uniform: Callable[[float, float], float] = _RANDOM.uniform,
    ) -> None:
        self._start = start
        self._samples = samples
        self._quantile = quantile
        self._cap = cap
        self._jitter = jitter
        self._uniform = uniform
        self._took: deque[float] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self.monotonic = monotonic
        self._sleep = sleep

    def target(self) -> float:
        """Seconds every answer takes at least."""
        with self._lock:
            took = sorted(self._took)
        if len(took) < self._samples:
            return self._start
        return min(self._cap, took[min(len(took) - 1, int(self._quantile * len(took)))])

    def finish(self, began: float, *, full: bool) -> None:
        """Wait until the target (plus up to `jitter` at random) after `began` (a `monotonic`
        instant). `full`: this request did all the work (stored and mailed), so its duration
        teaches the target."""
        took = self.monotonic() - began
        if full:
            with self._lock:
                self._took.append(took)
        wait = self.target() + self._uniform(0.0, self._jitter) - took
        if wait > 0:
            self._sleep(wait)
