"""Every command in the README's and docs/replay.md's ```sh / ```bash blocks runs, as written,
and exits 0 (issue 14: "the README's commands all work as written").

Each document runs in one bash session, block after block, as a reader would type it in one
terminal (exports, variables and `cd` carry over; `set -eo pipefail`, so a failing command in
a loop or a pipeline counts). The environment is a local replay: RADAR_* point at a temporary
folder and the catalog at recorded pages from ../shared/corpus served from 127.0.0.1, so nothing
touches the internet. Commands that need the network or AWS are skipped: those marked in the
document with a trailing `# needs network` / `# needs AWS`, and the short list below, each with
its reason. `TOKEN` in the README (a reader pastes the token `radar subscribe` printed) is that
token.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.support.catalogs import write_discord_catalog
from tests.support.corpus import versions

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REPLAY_DOC = ROOT / "docs" / "replay.md"
BIN = Path(sys.executable).parent
MARKED = re.compile(r"#\s*needs (?:network|AWS)\b", re.I)
# Commands that cannot run here, by how they start, and why.
SKIP = {
    "pip install": "installs from the network (this environment is the installed project)",
    "sam ": "needs AWS",
    "radar serve": "runs until Ctrl+C; tests/integration/test_cli_newcomer.py and the API "
    "fuzz (tests/fuzz/test_api_schema.py) start it",
    "RADAR_FUZZ_": "a long fuzz run (tens of minutes); CI runs the same tests with bounded counts",
    "pytest": "runs the test suite this test is part of",
}
TIMEOUT = 300  # seconds for one command (a replay loop runs radar a dozen times)


@dataclass(frozen=True)
class Command:
    text: str  # one command, possibly several lines (a loop, a here-document)
    line: int  # where it starts in its document

    @property
    def skip_reason(self) -> str | None:
        first = self.text.splitlines()[0]
        if MARKED.search(first):
            return "marked in the document"
        bare = re.sub(r"^(?:\w+=\S+\s+)+", "", first)  # VAR=value prefixes
        for start, reason in SKIP.items():
            if first.startswith(start) or bare.startswith(start):
                return reason
        return None


def commands(markdown: str) -> list[Command]:
    """The commands of the ```sh / ```bash blocks, one per complete shell command."""
    found: list[Command] = []
    lines = markdown.splitlines()
    inside = False
    unit: list[str] = []
    start = depth = 0
    heredoc: str | None = None
    for number, line in enumerate(lines, 1):
        if not inside:
            inside = line.strip() in ("```sh", "```bash")
            continue
        if line.strip() == "```" and heredoc is None and not unit:
            inside = False
            continue
        if not unit:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            start = number
        unit.append(line)
        if heredoc is not None:
            heredoc = None if line.strip() == heredoc else heredoc
        elif opened := re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line):
            heredoc = opened.group(1)
        else:
            code = re.sub(r"\s#.*$", "", line)
            depth += bool(re.match(r"\s*(?:for|while|until|if|case)\b", code))
            depth -= len(re.findall(r"(?:^|;)\s*(?:done|fi|esac)\b", code))
        if heredoc is None and depth == 0 and not line.rstrip().endswith("\\"):
            found.append(Command("\n".join(unit), start))
            unit = []
    return found


class Session:
    """One bash process fed command after command, as a terminal would be."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.transcript: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._send("set -eo pipefail")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def run(self, command: str) -> tuple[int, str]:
        """Run `command`; its exit status (set -e ends the session on failure) and output."""
        marker = f"__done_{uuid.uuid4().hex}__"
        # Nothing may read the rest of this session's input as its own.
        self._send(f"{{\n{command}\n}} </dev/null\necho {marker} $?")
        out: list[str] = []
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            if line is None:  # bash ended: the command failed under set -e
                return self.proc.wait(timeout=10) or 1, "".join(out)
            if line.startswith(marker):
                return int(line.split()[1]), "".join(out)
            out.append(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


def base_env(tmp_path: Path) -> dict[str, str]:
    """The user's environment without Radar settings, with this project's `radar` first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RADAR_")}
    home = tmp_path / "home"
    home.mkdir()
    return env | {
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "HOME": str(home),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "200",
    }


def run_document(path: Path, cwd: Path, env: dict[str, str]) -> list[tuple[Command, str]]:
    """Run every command of `path` in one session; fail naming the first that fails."""
    ran: list[tuple[Command, str]] = []
    session = Session(cwd, env)
    token = ""
    try:
        for command in commands(path.read_text(encoding="utf-8")):
            if command.skip_reason:
                continue
            # A bare TOKEN is the placeholder; $TOKEN and TOKEN= are a shell variable.
            text = (
                re.sub(r"(?<![$\w])TOKEN(?![=\w])", token, command.text) if token else command.text
            )
            status, output = session.run(text)
            assert status == 0, (
                f"{path.name}:{command.line}: `{command.text}` exited {status}:\n{output[-3000:]}"
            )
            ran.append((command, output))
            if printed := re.search(r"radar confirm (\S+)", output):
                token = printed.group(1)
    finally:
        session.close()
        for pid_file in Path(env["TMPDIR"]).rglob(".replay-server.pid"):
            subprocess.run(  # a replay server the document left running when it failed
                [sys.executable, "-m", "tests.support.replay_server", "stop", str(pid_file.parent)],
                cwd=ROOT,
                check=False,
            )
    return ran


# --- the extraction itself --------------------------------------------------------------------


def test_readme_commands_extraction_keeps_loops_and_heredocs_whole() -> None:
    doc = (
        "text\n```sh\nradar run   # a comment\n# only a comment\n\n"
        "for f in a b; do\n  echo $f\ndone\ncat > x <<EOF\nfor\nEOF\n"
        "radar pull \\\n  --since 2026-01-01\nsam deploy --guided\n"
        "pip install -e .   # needs network\n```\n```yaml\nnot: run\n```\n"
    )
    found = commands(doc)
    assert [c.text for c in found] == [
        "radar run   # a comment",
        "for f in a b; do\n  echo $f\ndone",
        "cat > x <<EOF\nfor\nEOF",
        "radar pull \\\n  --since 2026-01-01",
        "sam deploy --guided",
        "pip install -e .   # needs network",
    ]
    assert [c.skip_reason is not None for c in found] == [False] * 4 + [True, True]


def test_readme_commands_skips_are_few_and_named() -> None:
    found = commands(README.read_text(encoding="utf-8"))
    skipped = [c for c in found if c.skip_reason]
    assert len(found) >= 10
    # Everything a newcomer types on one machine runs; only installs, AWS, the long-running
    # server, the suite itself and long fuzz runs are left out.
    assert all(re.match(r"(pip|sam|radar serve|RADAR_FUZZ|pytest)", c.text) for c in skipped)


# --- running them -----------------------------------------------------------------------------


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@pytest.fixture
def replay_catalog(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """A catalog of the recorded Discord change log, served from 127.0.0.1."""
    page = versions("discord_changelog_2024")[-1]
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/changelog.md").respond_with_data(
        page.path.read_bytes(), content_type="text/markdown; charset=utf-8"
    )
    catalog = write_discord_catalog(tmp_path / "catalog.yaml", httpserver.url_for("/changelog.md"))
    return catalog


@needs_bash
def test_readme_commands_run_and_exit_0(tmp_path: Path, replay_catalog: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = base_env(tmp_path) | {
        "RADAR_DB_PATH": str(tmp_path / "radar.sqlite3"),
        "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RADAR_CATALOG": str(replay_catalog),
        "RADAR_ALLOW_PRIVATE": "true",
        "RADAR_PER_HOST_DELAY": "0",
    }
    ran = run_document(README, work, env)
    texts = [c.text for c, _ in ran]
    assert any(t.startswith("radar run") for t in texts)
    assert any(t.startswith("radar confirm") for t in texts)
    assert (work / "q3.md").exists()  # the training pack example wrote its file


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


@needs_bash
def test_readme_commands_replay_recipe_gives_a_briefing_an_alert_and_a_pack(
    tmp_path: Path,
) -> None:
    versions("twitter_trends_india")  # skips with a reason when the corpus is absent
    ran = run_document(REPLAY_DOC, ROOT, base_env(tmp_path) | {"PORT": free_port()})
    output = "".join(out for _, out in ran)
    assert "emerging: Parler is rising" in output
    assert "1 alert sent" in output
    assert re.search(r"\d+ briefings? sent", output)
    assert re.search(r"\d+ changes written to .*discord-2024-08\.html", output)
    outbox = next(tmp_path.rglob("outbox"))
    alerts = [p for p in outbox.glob("*strategist*.html") if "Parler is rising" in p.read_text()]
    assert len(alerts) == 1
