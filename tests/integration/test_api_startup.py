"""The API function's cold start (issue 15): what only some routes need is imported by them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_api_cold_start_imports_no_calendar_briefing_or_pack_renderer() -> None:
    code = (
        "import json, sys; sys.path[:0] = ['functions/api']; import handler; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    env = {"RADAR_STORE": "dynamodb", "RADAR_TABLE_NAME": "t", "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(done.stdout))
    assert "radar.api.app" in modules
    later = ("icalendar", "radar.render.calendar", "radar.briefings.send", "radar.render.pack")
    assert [m for m in later if m in modules] == []
