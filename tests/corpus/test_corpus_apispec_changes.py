"""Spec edits of real histories against their truth: structural edits are described, prose-only
and formatting edits are not (../shared/corpus, cases with truth.json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind
from radar.spec_changes import describe, findings
from tests.bench.bench_signal import spec_prose_only
from tests.support.corpus import corpus_dir


def _items(path: Path) -> dict[str, Item]:
    source = Source(
        id="s", platform="p", kind=SourceKind.AUTO, url=f"https://example.com/{path.name}"
    )
    result = FetchResult(
        url=source.url,
        status=200,
        body=path.read_bytes(),
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return {i.key: i for i in extract(source, result)}


@pytest.mark.parametrize("case", ["line_messaging_openapi_yaml", "meta_waba_api_spec_json"])
def test_spec_edits_are_described_by_structure(case: str) -> None:
    folder = corpus_dir(case)
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    files = {v["index"]: folder / v["file"] for v in truth["versions"]}
    cache: dict[int, dict[str, Item]] = {}
    missed, noisy, described = [], [], 0
    for pair in truth["pairs"]:
        for key in pair["edited"]:
            before = cache.setdefault(pair["from"], _items(files[pair["from"]])).get(key)
            after = cache.setdefault(pair["to"], _items(files[pair["to"]])).get(key)
            if before is None or after is None or before.text == after.text:
                continue  # not an edit Radar sees (counted by the signal benchmark)
            found = describe(findings(before.text, after.text))
            paths = pair["edit_details"].get(key, [])
            structural = bool(paths) and not spec_prose_only(paths)
            if structural and not found:
                missed.append(key)
            if not structural and found:
                noisy.append((key, found))
            described += bool(found)
    assert described > 0
    assert missed == []
    assert noisy == []
