"""`radar` commands run in-process by tests: their settings, all state under a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest


def local_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Radar's database and outbox into `tmp_path`, mail to the outbox; returns it."""
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "radar.sqlite3"))
    monkeypatch.setenv("RADAR_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("RADAR_SECRET_KEY", "cli-test-secret-long-enough")
    monkeypatch.delenv("RADAR_MAIL_BACKEND", raising=False)
    return tmp_path
