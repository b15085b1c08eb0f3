"""Benchmark: the HTTP API and training packs over a year of changes in SQLite.

Run: PYTHONPATH=. python tests/bench/bench_api.py   (report: tests/bench/reports/api.txt)

5,000 changes on 16 platforms over 365 days, stored through the SQLite adapter; each request
goes through the Powertools resolver with an API Gateway v2 event, as on AWS and in `radar serve`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from radar.api.app import ApiDeps, build_app
from radar.classify import load_default_rules
from radar.model import Snapshot
from radar.store.sqlite import SqliteStore
from tests.unit.test_api import NOW, call, make_change

PLATFORMS = [f"platform{n}" for n in range(14)] + ["instagram", "threads"]
CATEGORIES = [c.id for c in load_default_rules().categories]


def seed(store: SqliteStore, n: int = 5000) -> None:
    changes = [
        replace(
            make_change(i),
            platform=PLATFORMS[i % len(PLATFORMS)],
            category=CATEGORIES[i % len(CATEGORIES)],
            published=NOW - timedelta(hours=i * 365 * 24 // n),
            detected_at=NOW - timedelta(hours=i * 365 * 24 // n),
        )
        for i in range(1, n + 1)
    ]
    for start in range(0, n, 500):  # as a year of runs would have stored them
        store.save(
            Snapshot(f"seed{start}"),
            changes[start : start + 500],
        )


def timed(label: str, fn: Callable[[], Any], runs: int = 30) -> str:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"{label:58s} median {statistics.median(samples):7.2f} ms  p95 {p95:7.2f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "r.sqlite3") as store:
        seed(store)
        app = build_app(ApiDeps(store, load_default_rules(), clock=lambda: NOW))
        print("5,000 changes, 16 platforms, 365 days, SQLite; through the resolver")
        print(timed("GET /changes (one platform, 90 days, page of 50)",
                    lambda: call(app, "/changes", platform="instagram")))  # fmt: skip
        print(timed("GET /changes (all platforms, 90 days, page of 50)",
                    lambda: call(app, "/changes")))  # fmt: skip
        print(timed("GET /changes (all, 365 days, words 'charlie', page of 50)",
                    lambda: call(app, "/changes", since="2025-11-20", q="charlie")))  # fmt: skip
        print(timed("GET /changes/{id}",
                    lambda: call(app, "/changes/" + make_change(77).id)))  # fmt: skip
        # The web page's list: one item per entry, by detection date (issue 14).
        print(timed("GET /changes?view=entries (all, 30 days by detection)",
                    lambda: call(app, "/changes", view="entries", by="detected", days="30",
                                 order="desc", include_baseline="false")))  # fmt: skip
        print(timed("GET /changes?view=entries (all, 365 days by detection)",
                    lambda: call(app, "/changes", view="entries", by="detected",
                                 days="365", order="desc")))  # fmt: skip
        print(timed("GET /changes/{id}/history (no snapshot: all time)",
                    lambda: call(app, f"/changes/{make_change(77).id}/history")))  # fmt: skip
        for fmt in ("md", "html", "csv", "json"):
            print(timed(f"GET /packs 2 platforms, one quarter, format={fmt}",
                        lambda fmt=fmt: call(app, "/packs", platform="instagram,threads",
                                             since="2026-07-01", until="2026-09-30",
                                             format=fmt), runs=10))  # fmt: skip


if __name__ == "__main__":
    main()
