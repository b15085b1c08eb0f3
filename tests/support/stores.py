"""The main store and the trend store of one backend, as the mail use cases take them."""

from __future__ import annotations

from dataclasses import dataclass

from radar.store.ports import BriefingStore
from radar.store.trend_ports import TrendStore


@dataclass
class Stores:
    main: BriefingStore
    trends: TrendStore
