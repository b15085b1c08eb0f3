"""Benchmark: cold-start import time of each Lambda handler, fresh process per run.

Run: python tests/bench/bench_cold_start.py [--runs 15]
Writes its figures to stdout (committed as tests/bench/reports/cold_start.txt).

Each run is a new `python -I -S` process whose sys.path is what Lambda gives a function: the
function folder, then the layer's `python/` folder, then site-packages (standing in for the rest
of the layer and the runtime's boto3). The radar package is copied into a temporary "layer" and
precompiled exactly as the Makefile does it (compileall, unchecked-hash); third-party packages
are used from site-packages with the .pyc files they already have. No assertions: figures only.

Three figures per handler, medians over the runs (wall clock, and the process's CPU time):
  import   `import handler` (what the issue's bar is about; target for watch_source < 400 ms)
  ready    import + build_deps() + the modules the first invocation imports lazily (the parsers,
           the differ, the HTTP client, boto3 and its client creation): the rest of a real cold
           start; for watch_source, one whose first source changed (unchanged ones parse nothing)
  no .pyc  `import handler` with no .pyc used anywhere (-B and an empty -X pycache_prefix):
           what a build without compileall costs on Lambda's read-only /opt, where the
           .pyc files compiled at a cold start cannot be kept
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = {
    d.name: d for d in sorted((ROOT / "functions").iterdir()) if (d / "handler.py").exists()
}
UNCHECKED = ("--invalidation-mode", "unchecked-hash")  # as the Makefile compiles the layer
WATCHED = ("bs4", "feedparser", "lxml", "httpx", "boto3", "jinja2", "markdown_it")

PROBE = """
import json, sys, time
fn, layer, site, ready = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
sys.path[:0] = [fn, layer]
sys.path.append(site)
t0, c0 = time.perf_counter(), time.process_time()
import handler
t1, c1 = time.perf_counter(), time.process_time()
imported = sorted(m for m in sys.modules if "." not in m)
if ready:
    (getattr(handler, "build_deps", None) or handler.build_api)()
    if "watch_source" in fn:
        # What the first source whose body changed imports (an unchanged one imports none).
        import radar.extract, radar.diff, feedparser, lxml.html, bs4, markdown_it
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"import": t1 - t0, "ready": t2 - t0, "import_cpu": c1 - c0,
                  "ready_cpu": c2 - c0, "modules": imported,
                  "after_ready": sorted(m for m in sys.modules if "." not in m)}))
"""


def make_layer(dest: Path, *, precompile: bool) -> Path:
    layer = dest / "python"
    shutil.copytree(
        ROOT / "shared" / "radar", layer / "radar", ignore=shutil.ignore_patterns("__pycache__")
    )
    if precompile:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "-j", "0", *UNCHECKED, str(layer)],
            check=True,
        )
    return layer


def run(
    fn: Path, layer: Path, *, ready: bool, no_bytecode: bool, empty: Path | None = None
) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "RADAR_STORE": "dynamodb",
        "RADAR_TABLE_NAME": "platform-radar",
        "RADAR_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/bench",
        "POWERTOOLS_SERVICE_NAME": "bench",
        "POWERTOOLS_METRICS_NAMESPACE": "PlatformRadar",
        "RADAR_SECRET_KEY": "bench-" * 8,
        "RADAR_MAIL_BACKEND": "ses",
    }
    # pycache_prefix makes Python look for .pyc files only under an empty folder: none is found.
    flags = ["-I", "-S"] + (["-B", "-X", f"pycache_prefix={empty}"] if no_bytecode else [])
    site = sysconfig.get_paths()["purelib"]
    done = subprocess.run(
        [sys.executable, *flags, "-c", PROBE, str(fn), str(layer), site, "1" if ready else "0"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f})"


def ms_cpu(runs: list[dict[str, Any]], key: str) -> str:
    """Median wall time of `key`, and the median CPU time beside it."""
    cpu = statistics.median(r[f"{key}_cpu"] for r in runs) * 1000
    return f"{ms([r[key] for r in runs])}, CPU {cpu:6.1f} ms"


def yes_no(modules: set[str]) -> str:
    return ", ".join(f"{m}={'yes' if m in modules else 'no'}" for m in WATCHED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        compiled = make_layer(Path(tmp) / "compiled", precompile=True)
        source_only = make_layer(Path(tmp) / "source", precompile=False)
        print("Cold-start import time of each handler (fresh process per run, medians)")
        print(f"python {platform.python_version()} on {platform.machine()}, {args.runs} runs")
        print("(this machine, 2 shared cores, other jobs running; Lambda arm64 differs)\n")
        for name, fn in HANDLERS.items():
            run(fn, compiled, ready=True, no_bytecode=False)  # warm the OS file cache once
            runs = range(args.runs)
            imports = [run(fn, compiled, ready=False, no_bytecode=False) for _ in runs]
            readies = [run(fn, compiled, ready=True, no_bytecode=False) for _ in runs]
            sources = [
                run(fn, source_only, ready=False, no_bytecode=True, empty=Path(tmp) / "none")
                for _ in runs
            ]
            loaded, after = set(imports[0]["modules"]), set(readies[0]["after_ready"])
            print(f"{name}")
            print(f"  import   {ms_cpu(imports, 'import')}")
            print(f"  ready    {ms_cpu(readies, 'ready')}")
            print(f"  no .pyc  {ms([r['import'] for r in sources])}")
            print("  after import: " + yes_no(loaded))
            print("  when ready:   " + yes_no(after))
            print()
        print(
            "Bar: watch_source import < 400 ms; handlers that do not parse pages import no bs4"
            " or feedparser."
        )


if __name__ == "__main__":
    main()
