"""Root conftest: makes the project root importable so tests can `import tests.support...`."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:  # pyproject's pythonpath does this too; this covers other runners
    sys.path.insert(0, _ROOT)
