"""Benchmark: does `POST /subscriptions` take longer for an unknown address than for a known one?
(issue 13, item 10: known addresses answered ~16 ms sooner; one request classified an address
correctly 90.6% of the time.)

Run: PYTHONPATH=. python tests/bench/bench_subscribe_timing.py [ROUNDS]
     (report: tests/bench/reports/subscribe_timing.txt, with the same script run against the
     code before the change for comparison: PYTHONPATH=<old shared>:. python ...)

The local setup `radar serve` uses: a SQLite store and the outbox mailer (files, fsync), each
request an API Gateway v2 event through the resolver, from its own client address. Requests for
unknown addresses (a new one each time), active and suppressed addresses are interleaved in a
random order after a warm-up. Reported per kind: median and p90 in ms; then how well the time of
ONE request tells unknown from known: the AUC (0.5: no better than a coin) and the accuracy of the
best time threshold, chosen on one half of the requests and scored on the other (50%: chance).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from radar.api.app import ApiDeps, build_app
from radar.classify import load_default_rules
from radar.mail.outbox import OutboxMailer
from radar.settings import load_settings
from radar.store.sqlite import SqliteStore
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe

SECRET = "bench-secret-that-is-long-enough-0123456789"
NOW = datetime.now(UTC)


class Ctx:
    function_name = "bench"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"


def event(email: str, ip: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/subscriptions",
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "127.0.0.1"},
        "requestContext": {
            "http": {"method": "POST", "path": "/subscriptions", "sourceIp": ip},
            "requestId": "bench",
            "stage": "$default",
        },
        "body": json.dumps({"email": email, "platforms": ["instagram"], "tz": "Europe/London"}),
        "isBase64Encoded": False,
    }


def auc(unknown: list[float], known: list[float]) -> float:
    """P(an unknown address's request is slower than a known one's), ties counted half."""
    wins = sum((u > k) + 0.5 * (u == k) for u in unknown for k in known)
    return wins / (len(unknown) * len(known))


def held_out_accuracy(unknown: list[float], known: list[float]) -> float:
    """Accuracy of the best threshold ("slower: unknown", or the reverse) chosen on the first
    half of each kind and scored on the second half, classes balanced."""
    half_u, half_k = len(unknown) // 2, len(known) // 2
    train = [(t, 1) for t in unknown[:half_u]] + [(t, 0) for t in known[:half_k]]
    test_u, test_k = unknown[half_u:], known[half_k:]
    best, rule = 0.0, (0.0, True)
    for threshold in sorted(t for t, _ in train):
        for slower_is_unknown in (True, False):
            right = sum(((t > threshold) == slower_is_unknown) == bool(y) for t, y in train)
            if right / len(train) > best:
                best, rule = right / len(train), (threshold, slower_is_unknown)
    threshold, slower_is_unknown = rule
    right_u = sum((t > threshold) == slower_is_unknown for t in test_u) / len(test_u)
    right_k = sum((t > threshold) != slower_is_unknown for t in test_k) / len(test_k)
    return (right_u + right_k) / 2


def main(rounds: int = 300) -> None:
    rng = random.Random(13)
    settings = load_settings(secret_key=SECRET, base_url="https://radar.example.com")
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "r.sqlite3") as store:
        mailer = OutboxMailer(Path(tmp) / "outbox")
        before = NOW - timedelta(days=2)
        _, token = subscribe(
            store, mailer, before, settings, SubscribeRequest(email="active@example.com")
        )
        confirm(store, token, before, settings)
        store.suppress("gone@example.com", "bounce: Permanent/General", before)
        app = build_app(
            ApiDeps(
                store,
                load_default_rules(),
                clock=lambda: NOW,
                subscriptions=store,
                settings=settings,
                mailer=mailer,
            )
        )
        plan = ["unknown"] * rounds + ["active"] * (rounds // 2) + ["suppressed"] * (rounds // 2)
        rng.shuffle(plan)
        warmup = ["unknown", "active", "suppressed"] * 10
        took: dict[str, list[float]] = {"unknown": [], "active": [], "suppressed": []}
        for n, kind in enumerate(warmup + plan):
            email = {
                "unknown": f"new{n}@example.com",
                "active": "active@example.com",
                "suppressed": "gone@example.com",
            }[kind]
            ip = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            start = time.perf_counter()
            answer = app.resolve(event(email, ip), Ctx())
            elapsed = (time.perf_counter() - start) * 1000
            assert answer["statusCode"] == 202, answer
            if n >= len(warmup):
                took[kind].append(elapsed)
    known = [t for pair in zip(took["active"], took["suppressed"], strict=True) for t in pair]
    print(f"{rounds} unknown, {rounds // 2} active, {rounds // 2} suppressed; SQLite + outbox")
    for kind, samples in took.items():
        ordered = sorted(samples)
        p90 = ordered[int(len(ordered) * 0.9) - 1]
        print(f"  {kind:10s} median {statistics.median(samples):7.2f} ms  p90 {p90:7.2f} ms")
    gap = statistics.median(took["unknown"]) - statistics.median(known)
    print(f"  unknown - known, medians: {gap:+.2f} ms")
    print(f"  AUC (0.5 = indistinguishable): {auc(took['unknown'], known):.3f}")
    accuracy = held_out_accuracy(took["unknown"], known)
    print(f"  one request, best threshold, held out: {accuracy:.1%} right (50% = chance)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
