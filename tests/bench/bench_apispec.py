"""API spec timings and memory: a 3 MB OpenAPI document, extract + diff against the previous
version, and hostile specs that must stop fast.

The 3 MB document is the LINE Messaging API spec of ../shared/corpus copied 20 times under
renamed paths and schemas (so references stay inside each copy); the next version removes a
parameter, makes a field required and adds an operation in one copy.

Run: `python tests/bench/bench_apispec.py` (needs ../shared/corpus). Output is committed at
tests/bench/reports/apispec.txt. Targets: extract + diff median < 300 ms, peak memory < 200 MB,
each hostile spec refused with a clear error in < 1 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from radar.diff import diff_entries
from radar.errors import ExtractError
from radar.extract import extract
from radar.model import FetchResult, Snapshot, Source, SourceKind

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SPEC = CORPUS / "line_messaging_openapi_yaml" / "013_20240403T014502Z_1ca46400.yml"
COPIES = 24
RUNS = 7
NOW = datetime(2026, 3, 1, tzinfo=UTC)
SOURCE = Source(id="bench", platform="line", kind=SourceKind.OPENAPI, url="https://example.com/s")


def _renamed(doc: dict[str, Any], n: int) -> dict[str, Any]:
    text = json.dumps(doc, default=str).replace(
        "#/components/schemas/", f"#/components/schemas/C{n}"
    )
    copy = json.loads(text)
    copy["paths"] = {f"/c{n}{p}": v for p, v in copy["paths"].items()}
    schemas = copy["components"]["schemas"]
    copy["components"]["schemas"] = {f"C{n}{k}": v for k, v in schemas.items()}
    return copy


def big_spec() -> tuple[bytes, bytes]:
    base = yaml.safe_load(SPEC.read_text("utf-8"))
    doc = {k: v for k, v in base.items() if k not in ("paths", "components")}
    doc["paths"], doc["components"] = {}, {**base["components"], "schemas": {}}
    for n in range(COPIES):
        copy = _renamed(base, n)
        doc["paths"].update(copy["paths"])
        doc["components"]["schemas"].update(copy["components"]["schemas"])
    old = json.dumps(doc, default=str).encode()
    # The next version: one parameter removed, one field made required, one operation added.
    op = next(
        op
        for item in doc["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("parameters")
    )
    op["parameters"] = op["parameters"][1:]
    schema, name = next(
        (s, p)
        for s in doc["components"]["schemas"].values()
        for p in s.get("properties", {})
        if p not in s.get("required", [])
    )
    schema["required"] = sorted({*schema.get("required", []), name})
    doc["paths"]["/c0/v2/bot/new"] = {"get": {"operationId": "newOp", "responses": {"200": {}}}}
    return old, json.dumps(doc, default=str).encode()


def timed(fn: Any, runs: int = RUNS) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def main() -> None:
    old, new = big_spec()
    first = extract(SOURCE, FetchResult(SOURCE.url, 200, old, "application/json"))
    base = diff_entries(SOURCE, None, first, NOW, announce_since=NOW)
    snapshot = Snapshot(source_id=SOURCE.id, content_hash="h", entries=base.entries)

    def step() -> Any:
        items = extract(SOURCE, FetchResult(SOURCE.url, 200, new, "application/json"))
        return diff_entries(SOURCE, snapshot, items, NOW, announce_since=NOW)

    median_ms, result = timed(step)
    extract_ms, _ = timed(lambda: extract(SOURCE, FetchResult(SOURCE.url, 200, new, None)))
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print("API spec benchmark (tests/bench/bench_apispec.py)")
    print(f"python {sys.version.split()[0]}, {RUNS} runs, medians")
    print(f"\n3 MB OpenAPI ({len(new) / 1e6:.1f} MB JSON, {len(first)} entries)")
    print(f"  extract alone      {extract_ms:7.1f} ms")
    print(f"  extract + diff     {median_ms:7.1f} ms   (target < 300 ms)")
    print(f"  peak memory        {peak:7.1f} MB   (target < 200 MB, tracemalloc)")
    print("  changes found:")
    for change in result.changes:
        print(f"    {change.kind.value:8} {change.entry_key}: {change.diff[:110]}")
    print("\nhostile specs (each must stop with ExtractError in < 1 s)")
    for name, body in hostile().items():
        start = time.perf_counter()
        try:
            extract(SOURCE, FetchResult(SOURCE.url, 200, body, None))
            verdict = "NOT REFUSED"
        except ExtractError as exc:
            verdict = f"refused: {str(exc)[:70]}"
        print(f"  {name:28} {(time.perf_counter() - start) * 1000:7.1f} ms  {verdict}")


def hostile() -> dict[str, bytes]:
    cycle = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}}},
        "components": {"responses": {"A": {"$ref": "#/components/responses/B"},
                                     "B": {"$ref": "#/components/responses/A"}}},
    }  # fmt: skip
    # Billion laughs by references: each level refers to the previous one ten times.
    laughs: dict[str, Any] = {"L0": {"type": "string"}}
    for i in range(1, 30):
        laughs[f"L{i}"] = {"type": "object",
                           "properties": {f"p{j}": {"$ref": f"#/components/parameters/L{i - 1}"}
                                          for j in range(10)}}  # fmt: skip
    bomb = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/L29"}],
                                 "responses": {"200": {"description": "ok"}}}}},
        "components": {"parameters": laughs},
    }  # fmt: skip
    yaml_bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12)
    )
    return {
        "$ref cycle": json.dumps(cycle).encode(),
        "1 GB expansion by $refs": json.dumps(bomb).encode(),
        "YAML alias bomb": ("openapi: 3.0.0\n" + yaml_bomb).encode(),
    }


if __name__ == "__main__":
    main()
