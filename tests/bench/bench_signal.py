"""Signal benchmark: does Radar find the entries and the changes that really happened?

Replays every `../shared/corpus` case that has a `truth.json` through the real pipeline
(`watch_source` with the catalog kind `auto`, a SQLite store, the classifier) one version after
another, with the clock at each version's commit date, and compares what Radar stored with the
truth written independently of the product (see ../shared/corpus/README.md):

- entries: truth entries of the first version that one of Radar's items matches (baseline), and
  the lowest share over all versions;
- added: recall over truly new entries (for feeds, items that reappear after dropping out of the
  window are not new) and precision over Radar's announced additions; recall twice: of announced
  additions, and counting the new entries Radar recorded as backfill (first seen but older than
  what the source already showed: held back by design, not missed);
- edited: recall over edits a reader sees (truth grade `subst`; for API specs, not edits to
  descriptions or examples alone, which are documentation) and precision over Radar's
  announced edits (an announced typo/format-only edit counts as false);
- removals: truth's removals sorted by what Radar is designed to do with them (an empty version
  is a failed fetch, not a removal; an entry back within the three-run wait flapped; a dated
  entry older than everything left on the page fell off a window or an archive's end and is
  forgotten; the rest are removals a reader is told of), with recall over the last;
- false changes on formatting-only pairs: pairs truth marks formatting-only on which Radar
  announced anything;
- dates: matched entries whose date differs from truth, entries dated after the commit, and
  deadlines before the entry's own date.

Radar's keys are its own; they are matched to truth keys per version by identity (equal keys),
else by version numbers, dates and title words.

Run: `python tests/bench/bench_signal.py [case ...]`; the committed report is
tests/bench/reports/signal.txt.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from radar.diff import REMOVE_AFTER_MISSING
from radar.model import Change, ChangeKind, FetchResult, Item, Snapshot, Source, SourceKind
from radar.store.sqlite import SqliteStore
from radar.watch.cycle import watch_source

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ANNOUNCE_DAYS = 7
_VERSION = re.compile(r"\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|alpha|beta|dev|post)\.?\d*)?")
_WORD = re.compile(r"[a-z0-9]+")
# In API specs, descriptions and examples are documentation, not contract: an edit to them alone
# is kept as history, not announced (issue "API surface changes").
_SPEC_PROSE = frozenset(
    {"description", "summary", "externalDocs", "examples", "example", "title", "tags"}
)


def spec_prose_only(details: object) -> bool:
    """Truth's changed JSON paths of a spec edit (`~properties.x.description`) are all prose."""
    if (
        not isinstance(details, list)
        or not details
        or not all(isinstance(d, str) and d[:1] in "+-~" for d in details)
    ):
        return False  # not a spec edit (word diffs for changelogs)
    return all(any(part.split("[")[0] in _SPEC_PROSE for part in d[1:].split(".")) for d in details)


@dataclass
class CaseScore:
    case: str
    versions: int = 0
    baseline_truth: int = 0
    baseline_found: int = 0
    min_found_share: float = 1.0
    added_truth: int = 0
    added_hit: int = 0
    added_reported: int = 0
    added_held: int = 0  # truly new entries recorded as backfill (history, by design)
    reappeared_announced: int = 0
    edited_truth: int = 0
    edited_hit: int = 0
    edited_reported: int = 0
    edited_cosmetic_shown: int = 0
    removed_truth: int = 0  # every removal truth counts
    # Truth removals Radar does not report by design, by reason (see _removal_reason).
    removed_design: dict[str, int] = field(default_factory=dict)
    removed_real: int = 0  # the rest: removals a reader is told of
    removed_hit: int = 0
    removed_reported: int = 0
    removed_false: int = 0  # reported removed, but no real removal truth knows of
    # Radar keys of entries truth removed, not yet reported removed: Radar waits for three
    # absent runs, so a removal is reported some versions after the pair that made it.
    pending_removed: dict[str, int] = field(default_factory=dict)  # key -> version it went
    removed_waiting: int = 0  # removed in the last two versions: not reportable yet
    fo_pairs: int = 0
    fo_pairs_noisy: int = 0
    wrong_dates: set[tuple[str, str]] = field(default_factory=set)
    future_dates: set[str] = field(default_factory=set)
    early_deadlines: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    false_examples: list[str] = field(default_factory=list)
    missed_examples: list[str] = field(default_factory=list)

    @property
    def correct_reports(self) -> int:
        return self.added_hit + self.edited_hit

    @property
    def reports(self) -> int:
        return self.added_reported + self.edited_reported


class ReplayFetcher:
    """Serves one recorded version at a time, as a server of raw files would (text/plain)."""

    def __init__(self) -> None:
        self.body = b""
        self.at: datetime | None = None

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        return FetchResult(url, 200, self.body, "text/plain; charset=utf-8", fetched_at=self.at)


class CapturingStore(SqliteStore):
    """The SQLite store, remembering what the last save stored (the run's changes)."""

    last: list[Change]

    def save(self, snapshot: Snapshot, changes: Sequence[Change] = ()) -> Snapshot:
        self.last = list(changes)
        return super().save(snapshot, changes)


def run_case(case: str, items_of: dict[int, list[Item]] | None = None) -> CaseScore:
    folder = CORPUS / case
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    dates = {
        v["index"]: datetime.fromisoformat(v["date"]).astimezone(UTC) for v in manifest["versions"]
    }
    source = Source(
        id=case, platform="bench", kind=SourceKind.AUTO, url=f"https://example.com/{case}"
    )
    score = CaseScore(case, versions=len(truth["versions"]))
    fetcher = ReplayFetcher()
    with tempfile.TemporaryDirectory() as tmp:
        store = CapturingStore(Path(tmp) / "radar.db")
        mappings: dict[int, dict[str, str]] = {}
        by_index = {v["index"]: v for v in truth["versions"]}
        pairs = {p["to"]: p for p in truth["pairs"]}
        for version in truth["versions"]:
            index = version["index"]
            now = dates[index]
            fetcher.body = (folder / version["file"]).read_bytes()
            fetcher.at = now
            store.last = []
            outcome = watch_source(
                source,
                fetcher=fetcher,
                store=store,
                now=now,
                announce_since=now - timedelta(days=ANNOUNCE_DAYS),
            )
            if outcome.error:
                score.failures.append(f"v{index}: {outcome.error}")
            snapshot = store.get_snapshot(case)
            items = list(snapshot.entries.values()) if snapshot else []
            current = [e for e in items if e.missing == 0]
            mapping = match(version["entries"], current)
            mappings[index] = mapping
            _score_entries(score, version, current, mapping, now)
            _score_deadlines(score, store.last)
            if index == truth["versions"][0]["index"]:
                score.baseline_truth = version["n_entries"]
                score.baseline_found = len(set(mapping.values()))
                continue
            pair = pairs.get(index)
            if pair is not None:
                _score_pair(
                    score, pair, store.last, mappings.get(pair["from"], {}), mapping, by_index
                )
        store.close()
    last = truth["versions"][-1]["index"]
    score.removed_waiting = sum(1 for gone in score.pending_removed.values() if gone > last - 2)
    return score


def _score_entries(
    score: CaseScore, version: dict, current: list, mapping: dict[str, str], now: datetime
) -> None:
    n = version["n_entries"]
    if n:
        score.min_found_share = min(score.min_found_share, len(set(mapping.values())) / n)
    truth_by_key = {e["key"]: e for e in version["entries"]}
    for entry in current:
        if entry.published is not None and entry.published > now + timedelta(days=1):
            score.future_dates.add(f"{entry.key} {entry.published.date()} > {now.date()}")
        key = mapping.get(entry.key)
        if key is None:
            continue
        want = truth_by_key[key]["date"]
        if not _same_date(want, entry.published):
            got = entry.published.date().isoformat() if entry.published else None
            score.wrong_dates.add((key, f"{want} != {got}"))


def _same_date(want: str | None, got: datetime | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if len(want) > 10:
        return abs(datetime.fromisoformat(want).astimezone(UTC) - got) < timedelta(days=1)
    return got.date().isoformat().startswith(want)


def _score_deadlines(score: CaseScore, changes: Iterable[Change]) -> None:
    for c in changes:
        if c.deadline is not None and c.published is not None and c.deadline < c.published.date():
            score.early_deadlines.add(
                f"{c.entry_key}: deadline {c.deadline} < {c.published.date()}"
            )


def _score_pair(
    score: CaseScore,
    pair: dict,
    changes: list[Change],
    before: dict[str, str],
    after: dict[str, str],
    versions: dict[int, dict],
) -> None:
    reappeared = set(pair.get("reappeared", ()))
    added = set(pair["added"]) - reappeared
    grades = pair.get("edit_grades", {})
    details = pair.get("edit_details", {})
    edited = {
        k
        for k in pair["edited"]
        if grades.get(k, "subst") == "subst" and not spec_prose_only(details.get(k))
    }
    cosmetic = set(pair["edited"]) - edited
    score.added_truth += len(added)
    score.edited_truth += len(edited)
    score.removed_truth += len(pair["removed"])
    removed = set()
    for key in pair["removed"]:
        reason = _removal_reason(key, pair, versions)
        if reason:
            score.removed_design[reason] = score.removed_design.get(reason, 0) + 1
        else:
            removed.add(key)
    score.removed_real += len(removed)
    hit_added: set[str] = set()
    held_added: set[str] = set()
    hit_edited: set[str] = set()
    announced = 0
    label = f"v{pair['from']}->v{pair['to']}"
    score.pending_removed.update({rk: pair["to"] for rk, tk in before.items() if tk in removed})
    for c in changes:
        if c.kind is ChangeKind.ADDED:
            announced += 1
            score.added_reported += 1
            key = after.get(c.entry_key)
            if key in added:
                hit_added.add(key)
            elif key in reappeared:
                score.reappeared_announced += 1
                score.false_examples.append(f"{label} added (reappeared) {c.title[:60]!r}")
            else:
                score.false_examples.append(f"{label} added {c.entry_key[:50]!r} -> {key}")
        elif c.kind is ChangeKind.BACKFILL and after.get(c.entry_key) in added:
            held_added.add(after[c.entry_key])
        elif c.kind is ChangeKind.EDITED:
            announced += 1
            score.edited_reported += 1
            key = after.get(c.entry_key)
            if key in edited:
                hit_edited.add(key)
            elif key in cosmetic:
                score.edited_cosmetic_shown += 1
                score.false_examples.append(
                    f"{label} edited (cosmetic) {c.entry_key[:50]!r}: {c.diff[:90]}"
                )
            else:
                score.false_examples.append(f"{label} edited {c.entry_key[:50]!r} -> {key}")
        elif c.kind is ChangeKind.REMOVED:
            announced += 1
            score.removed_reported += 1
            if score.pending_removed.pop(c.entry_key, None) is not None:
                score.removed_hit += 1
            else:
                score.removed_false += 1
                score.false_examples.append(f"{label} removed {c.entry_key[:50]!r}")
    score.added_hit += len(hit_added)
    score.added_held += len(held_added - hit_added)
    score.edited_hit += len(hit_edited)
    for key in sorted(held_added - hit_added)[:3]:
        score.missed_examples.append(f"{label} held back added {key[:60]!r} (backfill)")
    for key in sorted(added - hit_added - held_added)[:3]:
        score.missed_examples.append(f"{label} missed added {key[:60]!r}")
    for key in sorted(edited - hit_edited)[:3]:
        score.missed_examples.append(f"{label} missed edited {key[:60]!r}")
    if pair.get("formatting_only"):
        score.fo_pairs += 1
        if announced:
            score.fo_pairs_noisy += 1


def _removal_reason(key: str, pair: dict[str, Any], versions: dict[int, dict[str, Any]]) -> str:
    """Why Radar is designed not to report truth's removal of `key`, or "" when it should."""
    if pair.get("vanished_all"):
        return "empty version (a failed fetch)"
    gone = pair["to"]
    # Absent in `gone` and the next runs up to the wait: back in one of them is a flap.
    for index in range(gone + 1, gone + REMOVE_AFTER_MISSING):
        if key in {e["key"] for e in versions.get(index, {}).get("entries", ())}:
            return "back within the wait (flap)"
    was = next((e for e in versions[pair["from"]]["entries"] if e["key"] == key), None)
    left = [e["date"][:10] for e in versions[gone]["entries"] if e["date"]]
    if was and was["date"] and left and was["date"][:10] < min(left):
        return "older than all left (window or archive end)"
    return ""


def match(truth_entries: list[dict], items: Sequence) -> dict[str, str]:
    """Radar key -> truth key, one to one: equal keys first, then best version/date/title fit."""
    truth_keys = {e["key"] for e in truth_entries}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for item in items:
        if item.key in truth_keys:
            out[item.key] = item.key
            taken.add(item.key)
    rest = [e for e in truth_entries if e["key"] not in taken]
    candidates = [i for i in items if i.key not in out]
    scored: list[tuple[float, str, str]] = []
    item_feats = [(i, _features(f"{i.key} {i.title}"), i.published) for i in candidates]
    for entry in rest:
        t_versions, t_words = _features(f"{entry['key']} {entry['title']}")
        for item, (i_versions, i_words), published in item_feats:
            if t_versions and not t_versions <= i_versions:
                continue
            if not t_versions and i_versions and entry["date"] is None:
                continue
            words = len(t_words & i_words) / max(1, len(t_words | i_words))
            same_day = entry["date"] is not None and _same_date(entry["date"], published)
            value = words + (1.0 if same_day else 0.0) + (2.0 if t_versions else 0.0)
            if value >= 0.5:
                scored.append((value, entry["key"], item.key))
    scored.sort(reverse=True)
    for _, truth_key, item_key in scored:
        if truth_key not in taken and item_key not in out:
            out[item_key] = truth_key
            taken.add(truth_key)
    return out


def _features(text: str) -> tuple[set[str], set[str]]:
    low = text.lower()
    versions = {v.lstrip("v") for v in _VERSION.findall(low)}
    return versions, set(_WORD.findall(low))


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f}%" if den else "    -"


def report(cases: Sequence[str]) -> str:
    scores = [run_case(c) for c in cases]
    head = (
        f"{'case':34} {'base':>11} {'min':>6} {'add rec':>14} {'+held':>6} {'add prec':>13} "
        f"{'edit rec':>13} {'edit prec':>13} {'removed':>7} {'fo noisy':>8} {'dates':>5} "
        f"{'fut':>4} {'dl':>3}"
    )
    lines = [head, "-" * len(head)]
    total = CaseScore("ALL")
    for s in scores:
        lines.append(_row(s))
        for name in (
            "baseline_truth", "baseline_found", "added_truth", "added_hit", "added_reported",
            "edited_truth", "edited_hit", "edited_reported", "fo_pairs", "fo_pairs_noisy",
            "removed_truth", "removed_hit", "removed_reported", "reappeared_announced",
            "edited_cosmetic_shown", "removed_waiting", "added_held", "removed_real",
            "removed_false",
        ):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.min_found_share = min(total.min_found_share, s.min_found_share)
        for reason, n in s.removed_design.items():
            total.removed_design[reason] = total.removed_design.get(reason, 0) + n
        total.wrong_dates |= {(f"{s.case}:{k}", v) for k, v in s.wrong_dates}
        total.future_dates |= {f"{s.case}:{k}" for k in s.future_dates}
        total.early_deadlines |= {f"{s.case}:{k}" for k in s.early_deadlines}
    lines.append("-" * len(head))
    lines.append(_row(total))
    lines.append("")
    found = total.added_hit + total.added_held
    found_pct = _pct(found, total.added_truth)
    design = "; ".join(f"{n} {reason}" for reason, n in sorted(total.removed_design.items()))
    lines += [
        f"added + edited precision: {_pct(total.correct_reports, total.reports)} "
        f"({total.correct_reports}/{total.reports}); reappeared feed items announced "
        f"{total.reappeared_announced}; typo/format edits announced {total.edited_cosmetic_shown}",
        f"added recall: announced {_pct(total.added_hit, total.added_truth)} "
        f"({total.added_hit}/{total.added_truth}); with those held back as backfill (first seen "
        f"but older than what the source showed: history by design) {found_pct} "
        f"({found}/{total.added_truth})",
        f"removals: truth {total.removed_truth}; not reported by design: {design or 'none'}; "
        f"the rest {total.removed_real}: reported {total.removed_hit} "
        f"({total.removed_waiting} in the last two versions, within the three-run wait); "
        f"reported with no such removal behind them {total.removed_false}",
    ]
    lines.append("")
    for s in scores:
        notes = s.failures[:3] + sorted(s.false_examples)[:4] + s.missed_examples[:4]
        notes += [f"date {k}: {v}" for k, v in sorted(s.wrong_dates)[:3]]
        notes += sorted(s.future_dates)[:2] + sorted(s.early_deadlines)[:2]
        if notes:
            lines.append(f"== {s.case}")
            lines.extend(f"   {n}" for n in notes)
    return "\n".join(lines) + "\n"


def _row(s: CaseScore) -> str:
    base = f"{s.baseline_found}/{s.baseline_truth}"
    held = _pct(s.added_hit + s.added_held, s.added_truth)
    removed = f"{s.removed_hit}/{s.removed_real}"
    return (
        f"{s.case:34} {base:>11} {100 * s.min_found_share:5.0f}% "
        f"{_pct(s.added_hit, s.added_truth)} {s.added_hit:>3}/{s.added_truth:<3} {held} "
        f"{_pct(s.added_hit, s.added_reported)} {s.added_reported:>5}  "
        f"{_pct(s.edited_hit, s.edited_truth)} {s.edited_hit:>3}/{s.edited_truth:<3} "
        f"{_pct(s.edited_hit, s.edited_reported)} {s.edited_reported:>4}  {removed:>7} "
        f"{s.fo_pairs_noisy:>2}/{s.fo_pairs:<2}    {len(s.wrong_dates):>5} "
        f"{len(s.future_dates):>4} {len(s.early_deadlines):>3}"
    )


def mdx_timing(runs: int = 25) -> list[str]:
    """Extract + diff of about 100 KB of each MDX case (its newest version, repeated or cut)."""
    from statistics import median
    from time import perf_counter

    from radar.diff import diff_entries
    from radar.extract import extract

    lines = []
    for case in sorted(p.parent.name for p in CORPUS.glob("*_mdx/truth.json")):
        newest = sorted((CORPUS / case).glob("0*"))[-1].read_bytes()
        previous = sorted((CORPUS / case).glob("0*"))[-2].read_bytes()
        body = (newest * (100_000 // len(newest) + 1))[:100_000]
        body = body[: body.rfind(b"\n</Update>") + 10] or newest
        source = Source(id=case, platform="b", kind=SourceKind.AUTO, url="https://example.com/c")
        now = datetime(2026, 11, 1, tzinfo=UTC)
        old = extract(source, FetchResult(source.url, 200, previous, "text/plain", fetched_at=now))
        snap = diff_entries(source, None, old, now, announce_since=now)
        before = Snapshot(case, 1, entries=snap.entries, content_hash="x")
        times = []
        for _ in range(runs):
            start = perf_counter()
            result = FetchResult(source.url, 200, body, "text/plain", fetched_at=now)
            diff_entries(source, before, extract(source, result), now, announce_since=now)
            times.append(perf_counter() - start)
        lines.append(f"{case:34} {len(body) / 1000:6.0f} KB  median {1000 * median(times):6.1f} ms")
    return lines


def truth_cases() -> list[str]:
    return sorted(p.parent.name for p in CORPUS.glob("*/truth.json"))


if __name__ == "__main__":
    logging.disable(logging.WARNING)  # failed versions are in the report, not on stderr
    chosen = sys.argv[1:] or truth_cases()
    sys.stdout.write(report(chosen))
    if not sys.argv[1:]:
        sys.stdout.write("\nExtract + diff, ~100 KB of MDX (bar: median < 25 ms)\n")
        sys.stdout.write("\n".join(mdx_timing()) + "\n")
        # Timings on a busy machine read high: say how busy it was.
        load, cpus = os.getloadavg()[0], os.cpu_count()
        sys.stdout.write(f"(load average {load:.1f} on {cpus} CPUs while timing)\n")
