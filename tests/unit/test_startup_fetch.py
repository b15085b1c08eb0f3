"""Start-up of the HTTP fetcher (issue 15): no httpx command-line tool, no TLS context before an
https URL. Imports are checked in a fresh interpreter, so other tests' imports do not hide them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# httpx imports its CLI only when these are installed (as they are beside Radar).
needs_cli_stack = pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("click", "rich", "pygments")),
    reason="httpx imports its CLI only when click, rich and pygments are installed",
)


def fresh(code: str) -> Any:
    """What `code` prints as JSON, run in a new interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def loaded_after(code: str) -> set[str]:
    """The modules `code` loaded (a name marked absent, None in sys.modules, is not loaded)."""
    listing = "print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))"
    return set(fresh(f"{code}\nimport json, sys\n{listing}"))


@needs_cli_stack
def test_fetch_import_leaves_out_httpx_cli_that_plain_httpx_loads() -> None:
    assert "httpx._main" in loaded_after("import httpx")  # what the fetcher avoids
    loaded = loaded_after("import radar.fetch.fetcher")
    assert "httpx" in loaded
    assert not {"rich", "pygments", "httpx._main"} & loaded


def test_fetch_httpx_still_works_without_its_cli() -> None:
    status = fresh(
        "import json, radar.fetch, httpx\n"
        "reply = lambda request: httpx.Response(200, text='ok')\n"
        "with httpx.Client(transport=httpx.MockTransport(reply)) as client:\n"
        "    answer = client.get('http://example.test/')\n"
        "print(json.dumps([answer.status_code, answer.text, callable(httpx.main)]))"
    )
    assert status == [200, "ok", True]


@needs_cli_stack
def test_fetch_httpx_imported_before_radar_is_left_whole() -> None:
    assert "httpx._main" in loaded_after("import httpx, radar.fetch")


def test_fetcher_construction_builds_no_tls_context() -> None:
    # Building one reads the CA bundle (~20 ms); a run of http:// URLs needs none.
    built = fresh(
        "import json, ssl\n"
        "calls = []\n"
        "real = ssl.create_default_context\n"
        "ssl.create_default_context = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "from radar.fetch import Fetcher, FetchPolicy\n"
        "Fetcher().close(); Fetcher(FetchPolicy(allow_private=True)).close()\n"
        "print(json.dumps(len(calls)))"
    )
    assert built == 0
