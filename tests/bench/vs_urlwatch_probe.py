"""What bench_vs_urlwatch.py reads from Radar besides its timings: its store, and a profile.

The store so that the report can say how much work a first run was and that an unchanged run
wrote nothing; the profile so that the next person knows where the time goes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import pstats
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zlib
from contextlib import closing
from pathlib import Path


def entries_stored(state: Path) -> str:
    """Entries in Radar's snapshots, read from a copy of its SQLite file ("?" if unreadable).

    A copy, because even a read-only connection leaves -wal/-shm files beside the database,
    which would make the next run look like it wrote something.
    """
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for path in state.glob("radar.sqlite3*"):
                shutil.copy(path, Path(tmp) / path.name)
            with closing(sqlite3.connect(Path(tmp) / "radar.sqlite3")) as db:
                rows = db.execute("SELECT entries FROM snapshots").fetchall()
        return f"{sum(len(json.loads(zlib.decompress(blob))) for (blob,) in rows):,}"
    except (OSError, sqlite3.Error, zlib.error, ValueError, TypeError) as exc:
        return f"? ({exc})"


def fingerprint(state: Path) -> dict[str, str]:
    """A hash of each of Radar's files (database, outbox), the shared-memory index excepted."""
    return {
        path.relative_to(state).as_posix(): hashlib.sha1(
            path.read_bytes(), usedforsecurity=False
        ).hexdigest()
        for path in sorted(state.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm")
    }


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The files added, removed or rewritten between two fingerprints."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


# Extracts every body once to warm up (imports, caches), then three times, and prints the
# fastest pass's CPU: what no storing watcher can go below, whatever else it does.
_EXTRACT_ONLY = r"""
import pickle, sys, time
from datetime import UTC, datetime
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind
with open(sys.argv[1], "rb") as f:
    bodies = pickle.load(f)
now = datetime.now(UTC)
def once():
    start = time.process_time()
    for n, (body, content_type) in enumerate(bodies):
        source = Source(id=str(n), platform="p", kind=SourceKind.AUTO, url=f"http://127.0.0.1/{n}")
        extract(source, FetchResult(source.url, 200, body, content_type, fetched_at=now))
    return time.process_time() - start
once()
print(min(once() for _ in range(3)))
"""


def extract_only_cpu(python: Path, env: dict[str, str], bodies: list[tuple[bytes, str]]) -> float:
    """CPU seconds Radar takes to extract `bodies` (body, content type) in one warm process,
    run by `python` with `env` (the benchmark's copy of Radar on its PYTHONPATH)."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bodies.pickle"
        data.write_bytes(pickle.dumps(bodies))
        out = subprocess.run(
            [str(python), "-c", _EXTRACT_ONLY, str(data)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return float(out.stdout.strip())


# Runs `radar run` under cProfile with every thread profiled (run_cycle's workers do the
# fetching and extracting, which a main-thread-only profile would not see) and merged. Each
# thread's clock is its own CPU time (time.thread_time), so time spent waiting (for a lock, the
# network, the other workers) is not counted and the merged figures add up to CPU, not wall.
_DRIVER = r"""
import cProfile, pstats, sys, threading, time
out = sys.argv[1]
profiles = []
_run = threading.Thread.run
def run(self):
    p = cProfile.Profile(time.thread_time)
    profiles.append(p)
    p.enable()
    try:
        _run(self)
    finally:
        p.disable()
threading.Thread.run = run
main = cProfile.Profile(time.thread_time)
main.enable()
sys.argv = ["radar", "run"]
try:
    from radar.cli import main as radar
    radar()
except SystemExit:
    pass
finally:
    main.disable()
    stats = pstats.Stats(main)
    for p in profiles:
        stats.add(p)
    stats.dump_stats(out)
"""


# (label, file the function is in, function names; "name*" is a prefix): the phases of a cycle,
# for a summary that does not need reading the whole profile. A phase whose functions were
# renamed shows "not called".
PHASES = (
    ("imports", "<frozen importlib._bootstrap>", ("_find_and_load",)),
    ("YAML (catalog, rules)", "yaml/constructor.py", ("get_single_data",)),
    ("fetch (HTTP)", "radar/fetch/fetcher.py", ("fetch",)),
    ("extract", "radar/extract/__init__.py", ("extract",)),
    ("diff", "radar/diff.py", ("diff_entries",)),
    ("classify", "radar/classify/classifier.py", ("classify",)),
    ("store: reads (get_*)", "radar/store/sqlite_watch.py", ("get_*",)),
    ("store: writes (save*)", "radar/store/sqlite_watch.py", ("save*",)),
    ("source health", "radar/watch/health.py", ("unhealthy_sources",)),
    ("report table", "radar/cli/run.py", ("_print_report",)),
)


def _named(name: str, names: tuple[str, ...]) -> bool:
    return any(name.startswith(n[:-1]) if n.endswith("*") else name == n for n in names)


def phases(stats: pstats.Stats) -> list[tuple[str, str]]:
    """Each PHASES entry's cumulative time and share of the profile's total."""
    table = stats.stats  # type: ignore[attr-defined]
    total = float(stats.total_tt)  # type: ignore[attr-defined]
    found = []
    for label, where, names in PHASES:
        spent = [
            cumtime
            for (path, _, name), (_, _, _, cumtime, _) in table.items()
            if path.endswith(where) and _named(name, names)
        ]
        share = f"{sum(spent):6.2f} s {sum(spent) / total:6.1%}" if spent else "not called"
        found.append((label, share))
    return found


def profile_run(python: Path, env: dict[str, str], out: Path, src: Path, top: int = 45) -> str:
    """One profiled `radar run` by `python` (the benchmark's Radar venv): its CPU, then the top
    entries by cumulative and by own time."""
    proc = subprocess.Popen(
        [str(python), "-c", _DRIVER, str(out)], env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"the profiled radar run failed (exit {proc.returncode})")
    buf = io.StringIO()
    stats = pstats.Stats(str(out), stream=buf)
    buf.write(
        f"CPU of the profiled run: {usage.ru_utime + usage.ru_stime:.2f} s (cProfile's overhead "
        "inflates it, most in code that makes many small calls: read shares, not seconds)\n"
        "phases (cumulative CPU of all threads; they overlap where one calls another, and\n"
        "imports also happen inside the others):\n"
    )
    for label, share in phases(stats):
        buf.write(f"  {label:<34} {share}\n")
    stats.sort_stats("cumulative").print_stats(top)
    buf.write(f"--- the same run by own time (tottime), top {top // 2} ---\n")
    stats.sort_stats("tottime").print_stats(top // 2)
    text = buf.getvalue().replace(str(out), out.name)
    text = text.replace(str(src) + "/", "")
    # Paths into the venv's site-packages and the standard library, as module paths.
    return re.sub(r"/\S*?/(site-packages|lib/python3\.\d+)/", "", text)
