"""Access to the real recorded data in ../shared/corpus (never copied into the project)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@dataclass(frozen=True)
class Version:
    index: int
    path: Path
    date: datetime
    subject: str


def corpus_dir(name: str) -> Path:
    """The corpus folder `name`, or skip the test with a clear reason when it is absent."""
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is absent (it lives beside the project in shared/)")
    return folder


def versions(name: str) -> list[Version]:
    """The recorded versions of a corpus folder, oldest first, from its manifest."""
    folder = corpus_dir(name)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return [
        Version(
            index=v["index"],
            path=folder / v["file"],
            date=datetime.fromisoformat(v["date"]).astimezone(UTC),
            subject=v.get("commit_subject", ""),
        )
        for v in manifest["versions"]
    ]
