"""Change -> category, severity and deadline, driven by rule data (radar/rules/rules.yaml).

Pure: no clock, no environment, no IO except reading the packaged rule file in
`load_default_rules`. Categories are scored by weighted regex patterns (title matches count more,
a source's category hints add a bonus); severity follows the category, action cues and deadlines;
deadlines are dates found in forward-looking sentences, never before the change's own date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from radar.errors import ConfigError
from radar.model import Change, ChangeKind
from radar.text import within_edits

ACTION, NOTABLE, MINOR = "action", "notable", "minor"
SEVERITIES = (ACTION, NOTABLE, MINOR)  # most urgent first


def severity_rank(severity: str | None) -> int:
    """Sort key: action before notable before minor; unrated last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


FIXES_DOCS = "fixes-docs"
# Reserved for trend alerts (issue: emerging platforms); never chosen by the rules here.
EMERGING_PLATFORM = "emerging-platform"
DEFAULT_RULES = "rules.yaml"

_MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Each form is linear: fixed alternations and single bounded quantifiers only.
_DATE_FORMS = (
    re.compile(rf"\b{_MONTH}\s{{1,3}}{_DAY}\b(?:,?\s{{1,3}}{_YEAR}\b)?", re.IGNORECASE),
    re.compile(
        rf"\b{_DAY}\s{{1,3}}(?:of\s{{1,3}})?{_MONTH}(?:,?\s{{1,3}}{_YEAR}\b)?", re.IGNORECASE
    ),
    re.compile(r"\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b"),
    re.compile(r"\b(?:end\s{1,3}of\s{1,3})?Q(?P<q>[1-4])\s{1,3}(?P<qy>\d{4})\b", re.IGNORECASE),
)
_RELATIVE = re.compile(
    r"\b(?:in|within|after)\s{1,3}(?P<n>\d{1,3})\s{1,3}(?P<unit>day|week|month)s?\b"
    r"|\b(?P<n2>\d{1,3})[- ](?P<unit2>day|week|month)\s{1,3}"
    r"(?:deprecation|grace|notice|migration|transition)\s{1,3}(?:period|cycle|window)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_DIFF_SEGMENT = re.compile(r"\[-(?P<old>.*?)-\]|\{\+(?P<new>.*?)\+\}", re.DOTALL)
_WORD = re.compile(r"\w+")
# Quantified group whose body has a quantifier: the shape of catastrophic backtracking.
_QUANT = frozenset("*+?{")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One weighted pattern; `source` is the regex as written, for messages and docs."""

    regex: re.Pattern[str]
    weight: float
    source: str


@dataclass(frozen=True, slots=True)
class CategoryRule:
    id: str
    label: str
    severity: str
    patterns: tuple[Pattern, ...]
    # A score at or above this wins over every category without one (deprecations and breaking
    # changes are filed as such even when the entry is mostly about something else).
    wins_at: float | None = None


@dataclass(frozen=True)
class Rules:
    """A loaded, validated rule set. `raw` keeps the mapping it came from, for merging."""

    categories: tuple[CategoryRule, ...]
    default_category: str
    title_weight: float
    lead_chars: int
    hint_weight: float
    min_score: float
    default_severity: str
    action_patterns: tuple[Pattern, ...]
    action_threshold: float
    deadline_cues: tuple[Pattern, ...]
    deadline_excludes: tuple[Pattern, ...]
    max_changed_words: int
    max_word_distance: int
    raw: Mapping[str, Any]

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)


def load_default_rules() -> Rules:
    """The rules shipped with Radar (radar/rules/rules.yaml)."""
    text = resources.files("radar.rules").joinpath(DEFAULT_RULES).read_text("utf-8")
    return parse_rules(yaml.safe_load(text), f"built-in rules ({DEFAULT_RULES})")


def parse_rules(raw: Any, name: str) -> Rules:
    """Validate a rules mapping; errors name `name` and the offending key."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{name}: rules must be a mapping")
    cats = raw.get("categories")
    if not isinstance(cats, Mapping) or not cats:
        raise ConfigError(f"{name}: 'categories' must be a non-empty mapping")
    categories = tuple(_category(str(cid), spec, name) for cid, spec in cats.items())
    ids = {c.id for c in categories}
    default = str(raw.get("default_category", "new-feature"))
    if default not in ids:
        raise ConfigError(f"{name}: default_category {default!r} is not a category")
    sev = _mapping(raw.get("severity", {}), f"{name}: severity")
    dl = _mapping(raw.get("deadlines", {}), f"{name}: deadlines")
    edit = _mapping(raw.get("minor_edit", {}), f"{name}: minor_edit")
    default_severity = str(sev.get("default", NOTABLE))
    if default_severity not in SEVERITIES:
        raise ConfigError(f"{name}: severity.default must be one of {', '.join(SEVERITIES)}")
    return Rules(
        categories=categories,
        default_category=default,
        title_weight=_number(raw.get("title_weight", 2), f"{name}: title_weight"),
        lead_chars=int(_number(raw.get("lead_chars", 0), f"{name}: lead_chars")),
        hint_weight=_number(raw.get("hint_weight", 1.5), f"{name}: hint_weight"),
        min_score=_number(raw.get("min_score", 1), f"{name}: min_score"),
        default_severity=default_severity,
        action_patterns=_weighted(sev.get("action_weights", {}), f"{name}: severity"),
        action_threshold=_number(sev.get("action_threshold", 5), f"{name}: action_threshold"),
        deadline_cues=_plain(dl.get("cues", []), f"{name}: deadlines.cues"),
        deadline_excludes=_plain(dl.get("exclude", []), f"{name}: deadlines.exclude"),
        max_changed_words=int(_number(edit.get("max_changed_words", 3), f"{name}: minor_edit")),
        max_word_distance=int(_number(edit.get("max_word_distance", 2), f"{name}: minor_edit")),
        raw=raw,
    )


def merge_rules(base: Rules, extra: Mapping[str, Any]) -> Rules:
    """`base` plus a user's rules (a catalog's `rules:` section, same shape as rules.yaml).

    Patterns of known categories are added to the built-in ones; unknown categories are new
    (they need a `severity` or take `notable`); scalar settings in `extra` replace base ones.
    """
    merged: dict[str, Any] = {k: v for k, v in base.raw.items() if k != "categories"}
    categories: dict[str, Any] = {k: dict(v) for k, v in base.raw["categories"].items()}
    for key, value in extra.items():
        if key == "categories":
            for cid, spec in _mapping(value, "user rules: categories").items():
                spec = _mapping(spec, f"user rules: category {cid!r}")
                current = categories.setdefault(str(cid), {"label": str(cid)})
                weights = dict(current.get("weights", {}))
                for weight, pats in _mapping(spec.get("weights", {}), "user rules").items():
                    weights[weight] = [*weights.get(weight, []), *_strings(pats, "user rules")]
                current.update({k: v for k, v in spec.items() if k != "weights"})
                current["weights"] = weights
        elif key in ("severity", "deadlines", "minor_edit"):
            section = dict(merged.get(key, {}))
            section.update(_mapping(value, f"user rules: {key}"))
            merged[key] = section
        else:
            merged[key] = value
    merged["categories"] = categories
    return parse_rules(merged, "user rules")


class Classifier:
    """Applies a rule set to changes."""

    def __init__(self, rules: Rules) -> None:
        self._rules = rules
        self._by_id = {c.id: c for c in rules.categories}

    @property
    def rules(self) -> Rules:
        return self._rules

    def classify(self, change: Change, hints: Sequence[str] = ()) -> Change:
        """`change` with category, severity, deadline and deadline_text filled in.

        `hints` are the source's category hints from the catalog (a bonus, not a verdict).
        """
        on = change.effective_date.date()
        if change.kind is ChangeKind.EDITED and change.diff:
            added = " ".join(m.group("new") or "" for m in _DIFF_SEGMENT.finditer(change.diff))
            if self._is_tiny_edit(change) and not self._has_action(added, ""):
                return replace(
                    change, category=FIXES_DOCS, severity=MINOR, deadline=None, deadline_text=""
                )
        category = self.category_of(change.title, change.text, hints)
        # "in 90 days" or "until October 1" in an entry of unknown date says nothing about when.
        deadline, sentence = find_deadline(
            f"{change.title}.\n{change.text}",
            on,
            self._rules,
            relative=change.published is not None,
        )
        if change.kind is ChangeKind.REMOVED:
            deadline, sentence = None, ""
        severity = self._severity(change, category, deadline)
        return replace(
            change,
            category=category,
            severity=severity,
            deadline=deadline,
            deadline_text=sentence,
        )

    def scores(self, title: str, text: str, hints: Sequence[str] = ()) -> dict[str, float]:
        """Score of every category for this title and text (for reports and debugging)."""
        r = self._rules
        lead = f"{title}\n{text[: r.lead_chars]}" if r.lead_chars else title
        out: dict[str, float] = {}
        for cat in r.categories:
            score = 0.0
            for p in cat.patterns:
                if p.regex.search(lead):
                    score += p.weight * r.title_weight
                elif p.regex.search(text):
                    score += p.weight
            if cat.id in hints:
                score += r.hint_weight
            out[cat.id] = score
        return out

    def category_of(self, title: str, text: str, hints: Sequence[str] = ()) -> str:
        """The best-scoring category; ties go to the earlier category in the rules."""
        scores = self.scores(title, text, hints)
        winners = [c for c in self._rules.categories if c.wins_at and scores[c.id] >= c.wins_at]
        # Among winners the rules' order decides (a deprecation is filed as one even when it
        # also breaks things); otherwise the top score, ties to the earlier category.
        best = winners[0] if winners else max(self._rules.categories, key=lambda c: scores[c.id])
        if scores[best.id] < self._rules.min_score:
            return self._rules.default_category
        return best.id

    def _severity(self, change: Change, category: str, deadline: date | None) -> str:
        edited = change.kind is ChangeKind.EDITED and bool(change.diff)
        # An edit is judged by what it added, not by the whole entry it touched.
        added = (
            " ".join(m.group("new") or "" for m in _DIFF_SEGMENT.finditer(change.diff))
            if edited
            else ""
        )
        if edited:
            if self._has_action(added, "") or (deadline is not None and _mentions_date(added)):
                return ACTION
            return NOTABLE if category != FIXES_DOCS else MINOR
        base = self._by_id[category].severity
        if base == ACTION or deadline is not None or self._has_action(change.title, change.text):
            return ACTION if change.kind is not ChangeKind.REMOVED else NOTABLE
        return base

    def _has_action(self, title: str, text: str) -> bool:
        r = self._rules
        score = 0.0
        for p in r.action_patterns:
            if p.regex.search(title) or p.regex.search(text):
                score += p.weight
        for cid in ("deprecation", "breaking-change"):
            cat = self._by_id.get(cid)
            if cat is None:
                continue
            cat_score = sum(p.weight for p in cat.patterns if p.regex.search(f"{title}\n{text}"))
            score = max(score, cat_score)
        return score >= r.action_threshold

    def _is_tiny_edit(self, change: Change) -> bool:
        """Typo, punctuation, link or heading-only edits (see rules' minor_edit)."""
        olds: list[str] = []
        news: list[str] = []
        for m in _DIFF_SEGMENT.finditer(change.diff):
            if m.group("old") is not None:
                olds.append(m.group("old"))
            else:
                news.append(m.group("new") or "")
        old_words = [w for s in olds for w in _WORD.findall(_strip_urls(s).lower())]
        new_words = [w for s in news for w in _WORD.findall(_strip_urls(s).lower())]
        if old_words == new_words:
            return True  # punctuation, markup or link targets only
        title_words = set(_WORD.findall(change.title.lower()))
        if new_words and set(new_words) <= title_words and len(old_words) <= len(title_words):
            return True  # the heading changed, the body did not
        changed = max(len(old_words), len(new_words))
        if changed > self._rules.max_changed_words or len(old_words) != len(new_words):
            return False
        return all(
            within_edits(a, b, self._rules.max_word_distance)
            for a, b in zip(old_words, new_words, strict=True)
        )


def find_deadline(
    text: str, on: date, rules: Rules, *, relative: bool = True
) -> tuple[date | None, str]:
    """The earliest future date in a forward-looking sentence of `text`, and that sentence.

    `on` is the change's own date: dates without a year are the next such date on or after it,
    relative periods ("in 90 days") count from it, and dates before it are history, not deadlines.
    With `relative` false (the entry has no date of its own) only dates with a year count.
    """
    best: tuple[date, str] | None = None
    for sentence in _sentences(text):
        if not any(p.regex.search(sentence) for p in rules.deadline_cues):
            continue
        if any(p.regex.search(sentence) for p in rules.deadline_excludes):
            continue
        for found in _dates_in(sentence, on, relative):
            if found >= on and (best is None or found < best[0]):
                best = (found, sentence.strip())
    return (best[0], best[1]) if best else (None, "")


def _dates_in(sentence: str, on: date, relative: bool) -> Iterator[date]:
    for form in _DATE_FORMS:
        for m in form.finditer(sentence):
            groups = m.groupdict()
            if not relative and not (groups.get("year") or groups.get("iy") or groups.get("qy")):
                continue
            found = _to_date(groups, on)
            if found is not None:
                yield found
    if not relative:
        return
    for m in _RELATIVE.finditer(sentence):
        n = int(m.group("n") or m.group("n2"))
        unit = (m.group("unit") or m.group("unit2")).lower()
        yield _add(on, n, unit)


def _to_date(g: Mapping[str, str | None], on: date) -> date | None:
    try:
        if g.get("iy"):
            return date(int(g["iy"] or 0), int(g["im"] or 0), int(g["id"] or 0))
        if g.get("q"):
            q, year = int(g["q"] or 0), int(g["qy"] or 0)
            last = q * 3
            return date(year, last, calendar.monthrange(year, last)[1])
        month_name = (g.get("month") or "").lower().rstrip(".")
        month = _MONTHS.get(month_name) or _MONTHS.get(month_name[:3])
        if month is None:
            return None
        day = int(g.get("day") or 0)
        if g.get("year"):
            return date(int(g["year"] or 0), month, day)
        candidate = date(on.year, month, day)
        return candidate if candidate >= on else date(on.year + 1, month, day)
    except ValueError:
        return None  # "February 30" and other impossible dates


def _add(on: date, n: int, unit: str) -> date:
    if unit == "day":
        return on + timedelta(days=n)
    if unit == "week":
        return on + timedelta(weeks=n)
    month0 = on.month - 1 + n
    year, month = on.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def _mentions_date(text: str) -> bool:
    return any(form.search(text) for form in _DATE_FORMS) or bool(_RELATIVE.search(text))


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _strip_urls(text: str) -> str:
    return re.sub(r"\S*(?:https?://|www\.|\(#|\]\()\S*", " ", text)


# --- rule validation ------------------------------------------------------------------------


def _category(cid: str, spec: Any, name: str) -> CategoryRule:
    where = f"{name}: category {cid!r}"
    spec = _mapping(spec, where)
    severity = str(spec.get("severity", NOTABLE))
    if severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    return CategoryRule(
        id=cid,
        label=str(spec.get("label", cid)),
        severity=severity,
        patterns=_weighted(spec.get("weights", {}), where),
        wins_at=_number(spec["wins_at"], f"{where}: wins_at") if "wins_at" in spec else None,
    )


def _weighted(raw: Any, where: str) -> tuple[Pattern, ...]:
    out: list[Pattern] = []
    for weight, patterns in _mapping(raw, f"{where}: weights").items():
        w = _number(weight, f"{where}: weight")
        out.extend(Pattern(_compile(p, where), w, p) for p in _strings(patterns, where))
    return tuple(out)


def _plain(raw: Any, where: str) -> tuple[Pattern, ...]:
    return tuple(Pattern(_compile(p, where), 1.0, p) for p in _strings(raw, where))


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    problem = _nonlinear(pattern)
    if problem:
        raise ConfigError(f"{where}: pattern {pattern!r}: {problem}")
    try:
        return re.compile(rf"\b(?:{pattern})", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: pattern {pattern!r} is not a valid regex ({exc})") from None


def _nonlinear(pattern: str) -> str:
    """Why `pattern` could backtrack badly, or "" (nested quantifiers, backreferences)."""
    if re.search(r"\\[1-9]|\(\?P=", pattern):
        return "backreferences are not allowed"
    stack: list[bool] = []  # per open group: does its body contain a quantifier?
    escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "(":
            stack.append(False)
        elif ch == ")" and stack:
            inner = stack.pop()
            quantified = i + 1 < len(pattern) and pattern[i + 1] in _QUANT
            if inner and quantified and pattern[i + 1] != "?":
                return "nested quantifiers are not allowed (they can take exponential time)"
            if stack and (inner or quantified):
                stack[-1] = True
        elif ch in "*+{" and stack:
            stack[-1] = True
    return ""


def _mapping(raw: Any, where: str) -> Mapping[Any, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must be a mapping")
    return raw


def _strings(raw: Any, where: str) -> list[str]:
    if (
        isinstance(raw, str)
        or not isinstance(raw, list)
        or not all(isinstance(p, str) for p in raw)
    ):
        raise ConfigError(f"{where}: patterns must be a list of strings")
    return list(raw)


def _number(raw: Any, where: str) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: must be a number, not {raw!r}") from None
