"""The two tools of bench_vs_urlwatch.py: installed, configured, run and read.

urlwatch is installed from PyPI into a venv kept under ~/.cache/radar-bench/, so reruns are fast.
Radar gets the same treatment: a venv with only its runtime install (`pip install .`, no [dev]
extra), kept there too and keyed by its dependency list, so neither tool imports a package its
users would not have (the dev venv's trio, for one, is imported by httpcore when installed).
Each tool runs as a whole process with its state in its own folder; a run's CPU is the child's
own user+sys (os.wait4). Their summaries are read so that a run that failed, or did less than
the other tool, cannot pass for a fast one.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vs_urlwatch_sites import Page, Sites

CACHE = Path.home() / ".cache" / "radar-bench"
URLWATCH_THREADS = 10  # urlwatch.worker.MAX_WORKERS, not configurable
# Politeness made equal-ish: urlwatch has no per-host delay and never reads robots.txt, so
# Radar runs without them too; 127.0.0.1 is allowed as bench_cycle.py allows it
# (FetchPolicy(allow_private=True)); Radar's workers match urlwatch's threads.
RADAR_SETTINGS = {
    "RADAR_PER_HOST_DELAY": "0",
    "RADAR_RESPECT_ROBOTS": "false",
    "RADAR_ALLOW_PRIVATE": "true",
    "RADAR_WORKERS": str(URLWATCH_THREADS),
    "RADAR_BASE_URL": "http://127.0.0.1:8080",
}


# --- the tools ------------------------------------------------------------------------------


def _cached_venv(name: str, what: str, *requirements: Sequence[str]) -> Path:
    """A venv under CACHE/name, kept between runs, with the first of `requirements` that pip
    installs (each a list of pip arguments); its bin/."""
    venv = CACHE / name
    ready = venv / ".ready"
    if not ready.exists():
        shutil.rmtree(venv, ignore_errors=True)
        print(f"installing {what} into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        *tries, last = requirements
        for args in tries:
            if subprocess.run([*pip, *args], check=False).returncode == 0:
                break
            print(f"{' '.join(args)} is not on PyPI: trying the next", file=sys.stderr)
        else:
            subprocess.run([*pip, *last], check=True)
        ready.write_text("ok\n")
    return venv / "bin"


def urlwatch_venv(version: str) -> Path:
    """urlwatch `version` (else the newest on PyPI) in a venv kept between runs; its bin/."""
    return _cached_venv(f"urlwatch-{version}", "urlwatch", [f"urlwatch=={version}"], ["urlwatch"])


def radar_venv(project: Path) -> Path:
    """A venv with `project` installed as a user installs it (no extras); its bin/.

    Kept between runs under a key of the runtime dependencies and the Python version: the
    benchmark's Radar code itself comes from PYTHONPATH (snapshot_radar), ahead of this copy.
    """
    deps = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    key = "\n".join([platform.python_version(), *deps["dependencies"]])
    name = f"radar-runtime-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return _cached_venv(name, "Radar's runtime", [str(project)])


def clean_env() -> dict[str, str]:
    # Nothing of the caller's Radar settings or proxies may reach either tool.
    drop = ("RADAR_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


@dataclass
class Tool:
    """One tool at one scale: how to run a cycle, where its state lives, how to read a run."""

    name: str
    cycle: list[str]
    version: list[str]
    env: dict[str, str]
    state: Path
    saved: Path = field(init=False)

    def __post_init__(self) -> None:
        self.saved = self.state.with_name(self.state.name + ".saved")

    def wipe(self) -> None:
        shutil.rmtree(self.state, ignore_errors=True)
        self.state.mkdir(parents=True)

    def save(self) -> None:
        shutil.rmtree(self.saved, ignore_errors=True)
        shutil.copytree(self.state, self.saved)

    def restore(self) -> None:
        shutil.rmtree(self.state, ignore_errors=True)
        shutil.copytree(self.saved, self.state)


def catalog_id(page: Page, copy: int) -> str:
    return f"c{copy}-" + page.name.replace("/", "-").lower()


def snapshot_radar(root: Path, dest: Path) -> Path:
    """A copy of the project as it is now (pyproject and the radar package), for every Radar
    run of the benchmark.

    Others may edit the work tree while the benchmark runs (minutes); every figure of one
    report must come from one version of the code. Returns the folder to put on PYTHONPATH,
    which comes before the installed copy in radar_venv; dest/project is what it installs.
    """
    project = dest / "project"
    shutil.copytree(
        root / "shared" / "radar",
        project / "shared" / "radar",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(root / name, project / name)
    return project / "shared"


def precompile(radar_bin: Path, src: Path) -> None:
    """Byte-compile the copy of Radar with the venv's Python, as `pip install` does.

    Without it every run would compile every Radar module it imports from source: the
    environment may say PYTHONDONTWRITEBYTECODE (then no run caches them), and a user's
    install, like urlwatch's here, comes with its .pyc files.
    """
    subprocess.run([str(radar_bin / "python"), "-m", "compileall", "-q", str(src)], check=True)


def make_tools(
    work: Path,
    sites: Sites,
    pages: Sequence[Page],
    copies: int,
    bins: tuple[Path, Path],
    radar_src: Path,
) -> list[Tool]:
    """Radar (from `radar_src`, run by the venv of bins[0]) and urlwatch (bins[1]), configured
    for `copies` URLs per page."""
    radar_bin, uw_bin = bins
    work.mkdir(parents=True)
    entries = [
        (catalog_id(page, copy), page, sites.url(n, page, copy))
        for copy in range(copies)
        for n, page in enumerate(pages)
    ]
    catalog = work / "catalog.yaml"
    catalog.write_text(
        "sources:\n"
        + "".join(
            f'  - {{id: "{sid}", platform: "{page.platform}", url: "{url}", name: "{page.name}"}}\n'
            for sid, page, url in entries
        )
    )
    urls = work / "urls.yaml"
    urls.write_text("---\n".join(f'name: "{sid}"\nurl: "{url}"\n' for sid, _, url in entries))
    config = work / "urlwatch.yaml"
    subprocess.run(  # urlwatch's own default configuration, as a first start writes it
        [
            str(uw_bin / "python"),
            "-c",
            "import sys; from urlwatch.storage import YamlConfigStorage as C; "
            "C.write_default_config(sys.argv[1])",
            str(config),
        ],
        check=True,
    )
    radar_state, uw_state = work / "radar", work / "urlwatch"
    radar_env = clean_env() | RADAR_SETTINGS
    radar_env |= {
        "PYTHONPATH": str(radar_src),
        "RADAR_CATALOG": str(catalog),
        "RADAR_DB_PATH": str(radar_state / "radar.sqlite3"),
        "RADAR_OUTBOX_DIR": str(radar_state / "outbox"),
    }
    urlwatch = str(uw_bin / "urlwatch")
    uw_env = clean_env() | {
        "XDG_CONFIG_HOME": str(work / "xdg-config"),
        "XDG_CACHE_HOME": str(work / "xdg-cache"),
    }
    files = ["--urls", str(urls), "--config", str(config), "--hooks", str(work / "hooks.py")]
    tools = [
        Tool(
            "radar",
            [str(radar_bin / "radar"), "run"],
            [str(radar_bin / "radar"), "--version"],
            radar_env,
            radar_state,
        ),
        Tool(
            "urlwatch",
            [urlwatch, *files, "--cache", str(uw_state / "cache.db")],
            [urlwatch, "--version"],
            uw_env,
            uw_state,
        ),
    ]
    for tool in tools:
        tool.wipe()
    where = subprocess.run(
        [str(radar_bin / "python"), "-c", "import radar; print(radar.__file__)"],
        env=radar_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).is_relative_to(radar_src):
        raise SystemExit(f"radar is imported from {where}, not from the copy in {radar_src}")
    return tools


@dataclass(frozen=True)
class Sample:
    cpu: float
    wall: float
    code: int
    output: str
    statuses: Counter[int]


def measure(cmd: Sequence[str], env: dict[str, str], sites: Sites, log: Path) -> Sample:
    """Run `cmd` to its end; its own user+sys CPU (os.wait4) and the wall clock around it."""
    sites.take_statuses()
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        usage.ru_utime + usage.ru_stime,
        wall,
        proc.returncode,
        log.read_text("utf-8", errors="replace"),
        sites.take_statuses(),
    )


# --- reading what a run said --------------------------------------------------------------

# The closing line of `radar run`'s table report: "12 changes in 5 sources; 1 failed",
# "nothing new". Failures are also in the exit code (1 some, 3 all), which is checked first.
_RADAR_CHANGES = re.compile(r"^(\d+) changes in (\d+) sources\b", re.M)
_RADAR_NOTHING = re.compile(r"^nothing new\b", re.M)
_RADAR_FIRST_LOOK = re.compile(r"^first look at \d+ sources\b", re.M)  # a baseline: no changes
# urlwatch's text report opens with a numbered summary: "01. NEW: name"
_URLWATCH_VERB = re.compile(r"^\s*\d+\. (NEW|CHANGED|ERROR|UNCHANGED): ", re.M)


def radar_changed_sources(output: str) -> int | None:
    """How many sources `radar run` said changed; None when its closing line is not one of
    the known ones (a first run's, or a wording this benchmark does not know yet)."""
    found = _RADAR_CHANGES.search(output)
    if found:
        return int(found[2])
    if _RADAR_NOTHING.search(output) or _RADAR_FIRST_LOOK.search(output):
        return 0
    return None


def urlwatch_verbs(output: str) -> Counter[str]:
    """How many jobs urlwatch reported new, changed or failed."""
    return Counter(verb.lower() for verb in _URLWATCH_VERB.findall(output))
