"""Benchmark: Radar against urlwatch on the same corpus-derived sources, side by side (issue 15).

Run: python tests/bench/bench_vs_urlwatch.py [--reps 3] [--big 1000] [--write]
(needs ../shared/corpus, and PyPI once: urlwatch is installed into a venv kept under
~/.cache/radar-bench/). Prints the report; --write also writes tests/bench/reports/vs_urlwatch.txt
and the cProfile of Radar's first and unchanged cycles to reports/vs_urlwatch_profile.txt.

Both tools run as whole processes (`radar run`, `urlwatch --urls --config --hooks --cache`) with
their own state in a temp dir, against 100 sources built from real recorded versions (see
vs_urlwatch_sites.py) served by 20 local HTTP servers with ETag/Last-Modified. CPU is the
child's user+sys from os.wait4, wall is the parent's clock around it. Every cycle runs N times;
the two tools take turns going first, and each ratio is Radar/urlwatch of the same repetition.
Each run's output and the servers' status counts are checked, so a tool that failed or fetched
nothing cannot pass for a fast one.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from vs_urlwatch_probe import (
    changed_files,
    entries_stored,
    extract_only_cpu,
    fingerprint,
    profile_run,
)
from vs_urlwatch_sites import CHANGING, Page, Sites, changing, corpus_pages
from vs_urlwatch_tools import (
    URLWATCH_THREADS,
    Sample,
    Tool,
    make_tools,
    measure,
    precompile,
    radar_changed_sources,
    radar_venv,
    snapshot_radar,
    urlwatch_venv,
    urlwatch_verbs,
)

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "bench" / "reports"
URLWATCH_VERSION = "2.29"  # the version of the measurements
HOSTS = 20
VERSION_BAR_CPU = 0.25
# cycle -> the bar for Radar CPU / urlwatch CPU
BARS = {
    "first run (empty state)": 3.0,
    "unchanged": 0.8,
    "5 of 100 changed": 1.0,
    "unchanged, 1,000 sources": 0.5,
}


# --- one cycle, N times -----------------------------------------------------------------------


@dataclass
class Cycle:
    name: str
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def ratios(self, attr: str) -> list[float]:
        pairs = zip(self.samples["radar"], self.samples["urlwatch"], strict=True)
        return [getattr(r, attr) / getattr(u, attr) for r, u in pairs]


Check = Callable[[str, Sample], str | None]  # a reason the run does not count, or None


def run_cycle(
    name: str,
    tools: Sequence[Tool],
    sites: Sites,
    reps: int,
    check: Check,
    before: Callable[[Tool], None] = lambda tool: None,
    after: Callable[[], None] = lambda: None,
    *,
    version: bool = False,
) -> Cycle:
    """`reps` repetitions of one cycle; the tools alternate going first."""
    cycle = Cycle(name, {tool.name: [] for tool in tools})
    for rep in range(reps):
        order = tools if rep % 2 == 0 else list(reversed(tools))
        for tool in order:
            before(tool)
            cmd = tool.version if version else tool.cycle
            sample = measure(cmd, tool.env, sites, tool.state.parent / f"{tool.name}.log")
            after()
            problem = check(tool.name, sample)
            if problem:
                raise SystemExit(f"{name}: {tool.name} run {rep + 1}: {problem}\n{sample.output}")
            cycle.samples[tool.name].append(sample)
    return cycle


def expect(sources: int, *, new: int = 0, changed: int = 0, fetched: int | None = None) -> Check:
    """A check: no failures, the expected number of new and changed sources, and the servers
    answered `fetched` full bodies (the rest 304) when it is given."""

    def check(tool: str, s: Sample) -> str | None:
        got = s.statuses
        if fetched is not None and (got[200] != fetched or got[304] != sources - fetched):
            return f"servers answered {dict(got)}, expected {fetched} x 200"
        if tool == "radar":
            if s.code != 0:
                return f"exit {s.code} (1: some sources failed, 3: all did)"
            said = radar_changed_sources(s.output)
            if said is not None and said != changed:
                return f"{said} sources changed, expected {changed}"
            return None
        verbs = urlwatch_verbs(s.output)
        if s.code != 0 or verbs["error"]:
            return f"exit {s.code}, {verbs['error']} errors"
        if verbs["new"] != new or verbs["changed"] != changed:
            return f"{verbs['new']} new and {verbs['changed']} changed, expected {new}/{changed}"
        return None

    return check


def version_ok(tool: str, s: Sample) -> str | None:
    return None if s.code == 0 and s.output.strip() else f"exit {s.code}"


# --- the cycles -----------------------------------------------------------------------------


def watch_cycles(
    tools: Sequence[Tool],
    sites: Sites,
    pages: Sequence[Page],
    reps: int,
    notes: list[str],
) -> list[Cycle]:
    """First run, unchanged, unchanged without validators, 5 changed, at 100 sources."""
    n = len(pages)
    cycles = [
        run_cycle(
            "first run (empty state)",
            tools,
            sites,
            reps,
            expect(n, new=n, fetched=n),
            before=lambda tool: tool.wipe(),
        )
    ]
    radar = tools[0]
    notes.append(f"first run: Radar stored {entries_stored(radar.state)} entries")
    notes.append(extract_floor(radar, pages, cycles[0]))
    for tool in tools:
        tool.save()
    before = fingerprint(radar.state)
    cycles.append(run_cycle("unchanged", tools, sites, reps, expect(n, fetched=0)))
    changed = changed_files(before, fingerprint(radar.state))
    writes = f"SOME ({', '.join(changed)} changed)" if changed else "none"
    notes.append(f"unchanged: writes to Radar's database files: {writes}")

    def no_validators(on: bool) -> Callable[..., None]:
        def switch(tool: Tool | None = None) -> None:
            if tool is not None:
                tool.restore()
            sites.validators = on

        return switch

    cycles.append(
        run_cycle(
            "unchanged, no validators (all 200)",
            tools,
            sites,
            reps,
            expect(n, fetched=n),
            before=no_validators(False),
            after=no_validators(True),
        )
    )
    moved = changing(pages)

    def publish_next(tool: Tool) -> None:
        tool.restore()
        for i in moved:
            sites.publish(i, pages[i], 1, nxt=True)

    def publish_base() -> None:
        for i in moved:
            sites.publish(i, pages[i], 1)

    cycles.append(
        run_cycle(
            "5 of 100 changed",
            tools,
            sites,
            reps,
            expect(n, changed=len(moved), fetched=len(moved)),
            before=publish_next,
            after=publish_base,
        )
    )
    for tool in tools:
        tool.restore()
    return cycles


def extract_floor(radar: Tool, pages: Sequence[Page], first: Cycle) -> str:
    """How far the first-run bar is from extraction alone, as a line of the report."""
    python = Path(radar.cycle[0]).with_name("python")
    cpu = extract_only_cpu(python, radar.env, [(p.body, p.content_type) for p in pages])
    urlwatch = statistics.median(s.cpu for s in first.samples["urlwatch"])
    return (
        f"first run: extracting the {len(pages)} bodies alone takes Radar {cpu:.2f} s of CPU "
        f"(one warm process, no fetch, diff, classify or store): {cpu / urlwatch:.2f}x "
        "urlwatch's whole first run"
    )


def big_cycles(
    tools: Sequence[Tool], sites: Sites, sources: int, reps: int, notes: list[str]
) -> list[Cycle]:
    """Unchanged at `sources` URLs, after one (reported, not judged) first run."""
    first = run_cycle(
        f"first run, {sources:,} sources (1 run)",
        tools,
        sites,
        1,
        expect(sources, new=sources, fetched=sources),
    )
    notes.append(f"first run at {sources:,}: Radar stored {entries_stored(tools[0].state)} entries")
    unchanged = run_cycle(
        f"unchanged, {sources:,} sources", tools, sites, reps, expect(sources, fetched=0)
    )
    return [first, unchanged]


# --- the report -----------------------------------------------------------------------------


def _x(value: float) -> str:
    return f"{value:.2f}x"


def report_lines(cycles: Sequence[Cycle]) -> list[str]:
    lines = [
        f"{'cycle':<36} {'Radar CPU':>9} {'urlwatch':>9} {'ratio':>7} {'bar':>7}  "
        f"{'Radar wall':>10} {'urlwatch':>9} {'ratio':>7}"
    ]
    for c in cycles:
        med = {t: statistics.median(s.cpu for s in c.samples[t]) for t in c.samples}
        wall = {t: statistics.median(s.wall for s in c.samples[t]) for t in c.samples}
        ratio = statistics.median(c.ratios("cpu"))
        bar = BARS.get(c.name)
        verdict = "" if bar is None else ("ok" if ratio <= bar else "MISSED")
        bar_text = f"<={bar:g}x" if bar is not None else "-"
        lines.append(
            f"{c.name:<36} {med['radar']:>8.2f}s {med['urlwatch']:>8.2f}s "
            f"{_x(ratio):>7} {bar_text:>7}  {wall['radar']:>9.2f}s {wall['urlwatch']:>8.2f}s "
            f"{_x(statistics.median(c.ratios('wall'))):>7}  {verdict}"
        )
    lines += ["", "run by run (CPU s Radar / urlwatch = ratio; wall s):"]
    for c in cycles:
        runs = zip(c.samples["radar"], c.samples["urlwatch"], strict=True)
        text = "; ".join(
            f"{r.cpu:.2f}/{u.cpu:.2f}={r.cpu / u.cpu:.2f}x ({r.wall:.2f}/{u.wall:.2f})"
            for r, u in runs
        )
        lines.append(f"  {c.name}: {text}")
    return lines


def unread_summaries(cycles: Sequence[Cycle]) -> list[str]:
    """A note for the cycles whose Radar runs were checked by exit code and requests only."""
    notes = []
    for c in cycles:
        unread = sum(radar_changed_sources(s.output) is None for s in c.samples["radar"])
        if unread:
            notes.append(
                f"{c.name}: Radar's closing line was not one the bench reads in {unread} runs "
                "(checked by exit code and the servers' answers only)"
            )
    return notes


def version_line(cycle: Cycle) -> str:
    radar = statistics.median(s.cpu for s in cycle.samples["radar"])
    urlwatch = statistics.median(s.cpu for s in cycle.samples["urlwatch"])
    verdict = "ok" if radar <= VERSION_BAR_CPU else "MISSED"
    runs = ", ".join(f"{s.cpu:.3f}" for s in cycle.samples["radar"])
    return (
        f"--version (start-up only): Radar {radar:.3f} s CPU, urlwatch {urlwatch:.3f} s "
        f"({_x(radar / urlwatch)}); bar <= {VERSION_BAR_CPU} s CPU: {verdict} (Radar runs: {runs})"
    )


def git_state() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    dirty = len(git("status", "--porcelain").splitlines())
    return f"{git('rev-parse', '--short', 'HEAD')}" + (f" + {dirty} changed files" if dirty else "")


def header(
    args: argparse.Namespace, pages: Sequence[Page], tools: Sequence[Tool], tree: str
) -> list[str]:
    kinds = Counter(p.kind for p in pages)
    size = sum(len(p.body) for p in pages)
    versions = {t.name: measure_version(t) for t in tools}
    return [
        f"# python tests/bench/bench_vs_urlwatch.py --reps {args.reps} --big {args.big}",
        f"# {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, tree {tree}",
        "#   (Radar runs from a copy of shared/radar taken at the start, so that edits to the",
        "#   work tree during the run change nothing, in a scratch venv holding only its runtime",
        "#   install, `pip install .` without [dev], as urlwatch has its own scratch venv;",
        "#   the copy byte-compiled first, as pip compiles an install)",
        f"# {versions['radar']} vs {versions['urlwatch']} (its default configuration:",
        f"#   {URLWATCH_THREADS} threads, stdout report; plain `url:` jobs without filters)",
        f"# {len(pages)} sources ({', '.join(f'{v} {k}' for k, v in kinds.items())}; "
        f"{size / 1e6:.1f} MB in all)",
        f"#   on {HOSTS} local hosts (127.0.0.1, one port each),",
        "#   HTTP/1.1 keep-alive, ETag + Last-Modified; every body a real recorded version",
        "#   from ../shared/corpus (tests/bench/vs_urlwatch_sites.py)",
        "# Politeness made equal: urlwatch has no per-host delay and reads no robots.txt, so Radar",
        "#   runs with RADAR_PER_HOST_DELAY=0, RADAR_RESPECT_ROBOTS=false, RADAR_WORKERS="
        f"{URLWATCH_THREADS}",
        "#   (still one request at a time per host, which urlwatch does not do), and",
        "#   RADAR_ALLOW_PRIVATE=true for the 127.0.0.1 hosts (as bench_cycle.py's",
        "#   FetchPolicy(allow_private=True)). Each tool keeps its state in a temp dir.",
        f"# CPU = the child's user+sys (os.wait4), medians of {args.reps} runs; ratio = median of",
        "#   Radar/urlwatch taken run by run, the tools taking turns going first.",
        "# 5 changed: these publish their next recorded version:",
        *(f"#   {name}" for name in CHANGING),
    ]


def measure_version(tool: Tool) -> str:
    done = subprocess.run(tool.version, env=tool.env, capture_output=True, text=True, check=True)
    return (done.stdout or done.stderr).strip().splitlines()[0]


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each cycle (default 3)")
    ap.add_argument("--big", type=int, default=1000, help="sources of the large run (0: skip)")
    ap.add_argument("--urlwatch", default=URLWATCH_VERSION, help="urlwatch version to install")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile of Radar")
    ap.add_argument("--write", action="store_true", help="write the reports into tests/bench")
    args = ap.parse_args()
    if args.big and args.big % 100:
        ap.error("--big must be a multiple of 100 (copies of the 100 sources)")

    uw_bin = urlwatch_venv(args.urlwatch)
    pages = corpus_pages()
    sites = Sites(HOSTS)
    copies = max(1, args.big // len(pages))
    for n, page in enumerate(pages):
        sites.publish(n, page, copies)
    notes: list[str] = []
    load = os.getloadavg()[0]  # other work on the machine shows in wall times, less in CPU
    tree = git_state()
    try:
        with tempfile.TemporaryDirectory(prefix="radar-vs-urlwatch-") as tmp:
            src = snapshot_radar(ROOT, Path(tmp) / "src")  # one version of the code throughout
            bins = (radar_venv(src.parent), uw_bin)
            precompile(bins[0], src)
            tools = make_tools(Path(tmp) / "s100", sites, pages, 1, bins, src)
            for tool in tools:  # warm the page cache and the .pyc files of both tools
                measure(tool.version, tool.env, sites, Path(tmp) / "warm.log")
            head = header(args, pages, tools, tree)
            version = run_cycle(
                "--version", tools, sites, max(args.reps, 5), version_ok, version=True
            )
            cycles = watch_cycles(tools, sites, pages, args.reps, notes)
            profile = ""
            if not args.no_profile:
                profile = profile_radar(tools[0], Path(tmp), src, tree, (sites, pages))
            if args.big:
                big = make_tools(Path(tmp) / f"s{args.big}", sites, pages, copies, bins, src)
                cycles += big_cycles(big, sites, args.big, args.reps, notes)
    finally:
        sites.close()
    notes.append(
        f"load average (1 min) at the start: {load:.2f}, at the end: {os.getloadavg()[0]:.2f}"
    )
    notes += unread_summaries(cycles)
    text = "\n".join([*head, "", *report_lines(cycles), "", version_line(version), *notes, ""])
    print(text)
    if args.write:
        (REPORTS / "vs_urlwatch.txt").write_text(text)
        if profile:
            (REPORTS / "vs_urlwatch_profile.txt").write_text(profile)
    elif profile:
        print(profile)


def profile_radar(
    radar: Tool, tmp: Path, src: Path, tree: str, served: tuple[Sites, Sequence[Page]]
) -> str:
    """Radar's first, unchanged and 5-changed cycles at 100 sources under cProfile, as text."""
    sites, pages = served
    python = Path(radar.cycle[0]).with_name("python")
    radar.wipe()
    first = profile_run(python, radar.env, tmp / "first.prof", src)
    unchanged = profile_run(python, radar.env, tmp / "unchanged.prof", src)
    moved = changing(pages)
    for i in moved:
        sites.publish(i, pages[i], 1, nxt=True)
    five = profile_run(python, radar.env, tmp / "changed.prof", src)
    for i in moved:
        sites.publish(i, pages[i], 1)
    radar.restore()
    return "\n".join(
        [
            "# cProfile of `radar run` at 100 sources, the settings of vs_urlwatch.txt; every",
            "# thread profiled (the workers too) and merged; start-up imports included.",
            "# python tests/bench/bench_vs_urlwatch.py --write   "
            f"({datetime.now(UTC):%Y-%m-%d}, tree {tree})",
            "",
            "## first run (empty state)",
            first,
            "## unchanged (all 304)",
            unchanged,
            "## 5 of 100 changed (the others 304)",
            five,
        ]
    )


if __name__ == "__main__":
    main()
