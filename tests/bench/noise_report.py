"""What Radar reports for every consecutive pair of versions of the changelog corpus folders.

Run: `python tests/bench/noise_report.py` (needs radar.extract and ../shared/corpus). Output is
committed at tests/bench/reports/noise.txt. Used by tests/corpus/test_corpus_noise.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from radar.classify import Classifier, load_default_rules
from radar.diff import diff_entries
from radar.extract import extract
from radar.model import Change, FetchResult, Snapshot, Source, SourceKind

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FOLDERS = {
    "discord_changelog_2024": (SourceKind.CHANGELOG_MARKDOWN, "discord", "text/markdown"),
    "meta_business_sdk_changelog": (SourceKind.CHANGELOG_MARKDOWN, "meta", "text/markdown"),
    "mastodon_statuses_api_doc": (SourceKind.CHANGELOG_MARKDOWN, "mastodon", "text/markdown"),
}


@dataclass(frozen=True)
class Pair:
    folder: str
    index: int  # index of the newer version (1-based, as in the manifest)
    subject: str
    changes: tuple[Change, ...]


def pairs(folder: str) -> list[Pair]:
    """Classified changes between each version of `folder` and the one before it."""
    kind, platform, content_type = FOLDERS[folder]
    root = CORPUS / folder
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    source = Source(id=folder, platform=platform, kind=kind, url=f"https://example.com/{folder}")
    classifier = Classifier(load_default_rules())
    snapshot: Snapshot | None = None
    out: list[Pair] = []
    for v in manifest["versions"]:
        now = datetime.fromisoformat(v["date"])
        body = (root / v["file"]).read_bytes()
        items = extract(source, FetchResult(source.url, 200, body, content_type))
        result = diff_entries(source, snapshot, items, now, announce_since=now - timedelta(days=7))
        if snapshot is not None:
            changes = tuple(classifier.classify(c) for c in result.changes)
            out.append(Pair(folder, v["index"], v.get("commit_subject", ""), changes))
        snapshot = Snapshot(folder, version=1, entries=result.entries, content_hash="x")
    return out


def report() -> str:
    lines: list[str] = []
    for folder in FOLDERS:
        lines.append(f"== {folder}")
        for p in pairs(folder):
            lines.append(f"-- v{p.index - 1:02d} -> v{p.index:02d}  {p.subject!r}")
            if not p.changes:
                lines.append("   (nothing reported)")
            for c in p.changes:
                extra = f"  diff: {c.diff[:120]}" if c.diff else ""
                lines.append(
                    f"   {c.kind.value:8} {c.severity or '-':8} {c.category or '-':30} "
                    f"{c.title[:60]!r}{extra}"
                )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(report())
