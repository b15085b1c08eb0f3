"""The SQS message that asks a `watch_source` worker to watch one source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class WatchRequest:
    source_id: str
    tick: datetime  # the scheduler tick that made the source due

    def to_json(self) -> str:
        return json.dumps({"source_id": self.source_id, "tick": self.tick.isoformat()})

    @classmethod
    def from_json(cls, body: str) -> WatchRequest:
        """Parse a message body; ValueError with a readable reason when it is malformed."""
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ValueError(f"watch request is not JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("source_id"), str):
            raise ValueError("watch request needs a string 'source_id'")
        try:
            tick = datetime.fromisoformat(str(data.get("tick")))
        except ValueError:
            raise ValueError("watch request needs an ISO-8601 'tick'") from None
        tick = tick.replace(tzinfo=UTC) if tick.tzinfo is None else tick.astimezone(UTC)
        return cls(source_id=data["source_id"], tick=tick)
