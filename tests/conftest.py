"""Root conftest: makes the project root importable so tests can `import tests.support...`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:  # pyproject's pythonpath does this too; this covers other runners
    sys.path.insert(0, _ROOT)


@pytest.fixture(autouse=True)
def _unfreeze_gc() -> Iterator[None]:
    """`radar.cli.main` freezes the collector's objects as a command ends (the process exits
    next); after a test that ran it in-process, they are collected as usual again."""
    yield
    gc.unfreeze()
