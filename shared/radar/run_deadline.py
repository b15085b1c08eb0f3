"""A run's deadline: until when one invocation may start new work (issue 13, item 5).

Lambda kills an invocation at its timeout wherever it is: in the middle of a send (leaving a
delivery "sending", which is never resent) or of a batch (so SQS redelivers the whole batch).
The handlers derive a deadline from the time Lambda says is left, minus a margin as long as
one unit of work can take (a fetch, a send); the use cases check it before each unit and stop
cleanly once it has passed, leaving what they did not start for the next run: subscribers stay
due, alerts stay within their lookback, queued requests go back to the queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from radar.errors import RadarError


class RemainingTime(Protocol):
    """The part of the Lambda context a deadline is made from."""

    def get_remaining_time_in_millis(self) -> int: ...


class DeadlinePassed(RadarError):
    """The run's deadline came before this piece of work could start; a later run does it."""


@dataclass(frozen=True, slots=True)
class RunDeadline:
    """An instant of `clock` (seconds) after which no new unit of work starts."""

    at: float
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def after(cls, seconds: float, clock: Callable[[], float] = time.monotonic) -> RunDeadline:
        """The deadline `seconds` from now."""
        return cls(clock() + seconds, clock)

    @classmethod
    def from_lambda(cls, context: RemainingTime, margin: float) -> RunDeadline:
        """The deadline of a Lambda invocation: when its remaining time falls to `margin`
        seconds. Read from the context at every check (Lambda's own clock of the timeout)."""
        return cls(-margin, lambda: -context.get_remaining_time_in_millis() / 1000)

    def left(self) -> float:
        """Seconds until the deadline (negative once it has passed)."""
        return self.at - self.clock()

    def passed(self) -> bool:
        """Whether new work must not start any more."""
        return self.left() <= 0
