"""What code imports, seen from a fresh interpreter (other tests' imports do not count)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fresh_modules(code: str) -> set[str]:
    """The modules loaded after running `code` in a new interpreter."""
    listing = "import json, sys; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\n{listing}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return set(json.loads(out.stdout))
