"""Noise on real histories: formatting-only versions report nothing that matters, new entries
are ADDED (never EDITED). See tests/bench/reports/noise.txt for the full per-pair listing."""

from __future__ import annotations

import re

import pytest

from radar.model import ChangeKind
from tests.support.corpus import corpus_dir

pytestmark = pytest.mark.corpus


def _pairs(folder: str):  # type: ignore[no-untyped-def]
    corpus_dir(folder)  # skips when the corpus is absent
    pytest.importorskip("radar.extract").extract  # noqa: B018
    from tests.bench.noise_report import pairs

    return pairs(folder)


# Discord versions (manifest index of the newer file) whose commit added one new entry.
DISCORD_NEW = {
    3: "Application Emoji",
    7: "Voice State Endpoints",
    8: "User App Install Count",
    9: "Get Guild Role Endpoint",
    11: "Voice Gateway Version 8 and Deprecation of Versions < 4",
    14: "Voice Encryption Modes",
}


def test_corpus_noise_discord_new_entries_are_added_not_edited() -> None:
    by_index = {p.index: p for p in _pairs("discord_changelog_2024")}
    for index, title in DISCORD_NEW.items():
        kinds = {c.kind for c in by_index[index].changes if c.title == title}
        assert kinds == {ChangeKind.ADDED}, (index, title, by_index[index].changes)


def test_corpus_noise_discord_typo_commits_are_minor_edits_or_nothing() -> None:
    for p in _pairs("discord_changelog_2024"):
        if p.subject.startswith("Update Change_Log.md") and p.index not in DISCORD_NEW:
            for c in p.changes:
                assert c.kind is ChangeKind.EDITED, (p.index, c.title)
                assert c.severity == "minor", (p.index, c.title, c.diff)


def _punctuation_only(diff: str) -> bool:
    """Whether a word diff (`[-old-] {+new+}`) removes and adds the same words."""
    removed = " ".join(re.findall(r"\[-(.*?)-\]", diff))
    added = " ".join(re.findall(r"\{\+(.*?)\+\}", diff))
    return re.sub(r"[^\w]+", "", removed) == re.sub(r"[^\w]+", "", added)


def test_corpus_noise_discord_docs_moves_report_nothing() -> None:
    # "Move message docs to a new page" touches no entry. "use frontmatter for TOC config" also
    # put one kaomoji in backticks and added a full stop after it: a cosmetic edit (kept in the
    # entry's history, never announced) whose words are unchanged.
    for p in _pairs("discord_changelog_2024"):
        if p.subject.startswith("Move message docs"):
            assert p.changes == (), (p.index, p.changes)
        if p.subject.startswith("use frontmatter"):
            for c in p.changes:
                assert c.kind is ChangeKind.COSMETIC, (p.index, c)
                assert not c.announce, (p.index, c)
                assert _punctuation_only(c.diff), (p.index, c.diff)


@pytest.mark.parametrize(
    "folder", ["discord_changelog_2024", "meta_business_sdk_changelog", "mastodon_statuses_api_doc"]
)
def test_corpus_noise_nothing_is_ever_removed(folder: str) -> None:
    for p in _pairs(folder):
        assert all(c.kind is not ChangeKind.REMOVED for c in p.changes), p.index


def test_corpus_noise_meta_new_versions_are_added() -> None:
    for p in _pairs("meta_business_sdk_changelog"):
        for c in p.changes:
            if c.kind is ChangeKind.EDITED:
                # An edited version heading would mean a new release was mistaken for an edit.
                assert not c.diff.startswith("{+## v"), (p.index, c.diff)
