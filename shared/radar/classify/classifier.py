"""The classifier: change -> category, severity and deadline, driven by rule data.

Pure: no clock, no environment, no IO. Categories are scored by weighted regex patterns (title
matches count more, a source's category hints add a bonus); a version release is read by its
sections (releases.py), so it is filed by its most important part; severity follows the category,
action cues and deadlines; deadlines are dates found in forward-looking sentences, never before
the change's own date. One scan of an entry's words picks the few patterns that can match
(matcher.py).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from radar.classify.blogs import is_blog_post
from radar.classify.deadlines import find_deadline, mentions_date
from radar.classify.edits import added_text, is_tiny_edit
from radar.classify.headings import Part
from radar.classify.items import (
    breaks_in,
    breaks_when_changed,
    is_chore,
    is_fix,
    is_security_fix,
    is_upkeep,
    names_a_scope,
    removal,
    restates,
)
from radar.classify.matcher import Matcher
from radar.classify.releases import Release, read_release, says_nothing_changed
from radar.classify.rules import ACTION_CATEGORIES, FIXES_DOCS, Pattern, Rules, compiled
from radar.classify.severity import ACTION, MINOR, NOTABLE
from radar.classify.specs import classify_spec
from radar.classify.stamp import with_verdict
from radar.model import Change, ChangeKind
from radar.spec_changes import is_spec_entry

_SECURITY = "privacy-safety-security"
# An entry that only thanks or credits people: a release page's "Thank you to our contributors!"
# or "Contributors to our Issues:" section (not "Sponsors API launched").
_CREDITS_TITLE = re.compile(
    r"(?:a |many |special |big )?(?:thanks|thank you)(?: to [^.!?\n]{1,60})?[!.:]?"
    r"|(?:new |our )?(?:contributors|credits|acknowledge?ments|sponsors|supporters|backers)"
    r"(?: to [^.!?\n]{1,60})?[!.:]?",
    re.IGNORECASE,
)
_RELEASE_ORDER = ("breaking-change", "deprecation")
_ACCESS = "access-rate-limits"
_REQUEST_LINE = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE) /\S")
# A scope token: lowercase segments joined by colons; spec entries' own "schema:Name" and
# "field:name" keys are not scopes.
_SCOPE_TITLE = re.compile(
    r"(?!(?:schema|field|type|enum|param):)[a-z][a-z_.-]*(?::[a-z_.*-]+){1,3}"
)


@dataclass(frozen=True, slots=True)
class _Verdict:
    category: str
    # False when a fixes verdict rests partly on lines that said nothing ("Adaptive Model
    # Visibility"): one of them may be a change users must act on, so it is not called minor.
    sure: bool = True
    # A release was read item by item: a deprecation's or a breaking change's words inside a
    # fix ("Fixed the warn_deprecated call") do not make it one.
    itemised: bool = False


@dataclass(frozen=True, slots=True)
class _Hits:
    """Which patterns (by index in `Classifier._patterns`) matched the lead, and anywhere."""

    lead: frozenset[int]
    anywhere: frozenset[int]


_NO_HITS = _Hits(frozenset(), frozenset())


class Classifier:
    """Applies a rule set to changes."""

    def __init__(self, rules: Rules) -> None:
        self._rules = rules
        self._by_id = {c.id: c for c in rules.categories}
        self._index_of = {c.id: ci for ci, c in enumerate(rules.categories)}
        self._feature = self._index_of.get(rules.default_category, -1)
        # Every pattern once, in one list: owner is the category's index, or -1 for action cues.
        patterns: list[Pattern] = []
        owners: list[int] = []
        for ci, cat in enumerate(rules.categories):
            patterns.extend(cat.patterns)
            owners.extend([ci] * len(cat.patterns))
        patterns.extend(rules.action_patterns)
        owners.extend([-1] * len(rules.action_patterns))
        self._patterns = tuple(patterns)
        self._owners = tuple(owners)
        # Built (and the patterns compiled) at the first entry classified: a run where nothing
        # changed classifies nothing and should not pay for it.
        self._built_matcher: Matcher | None = None
        self._matcher_lock = threading.Lock()
        # Categories that win at a score, in the rules' order (see _best).
        self._wins_at = tuple((ci, c.wins_at) for ci, c in enumerate(rules.categories) if c.wins_at)
        self._action_owners = frozenset(
            ci for ci, c in enumerate(rules.categories) if c.id in ACTION_CATEGORIES
        )
        # Categories about a subject (ads, access, ...): neither an action, a feature nor a fix.
        # In the rules' order, so the first of equal scores wins (see _topical_best).
        self._topical = tuple(
            ci
            for ci, c in enumerate(rules.categories)
            if c.id not in (*ACTION_CATEGORIES, FIXES_DOCS, rules.default_category)
        )

    @property
    def rules(self) -> Rules:
        return self._rules

    @property
    def _matcher(self) -> Matcher:
        built = self._built_matcher
        if built is not None:  # the lock is only for the first entry
            return built
        with self._matcher_lock:  # workers meeting their first change at once build one
            if self._built_matcher is None:
                # Patterns are compiled as the matcher first selects them (matcher.py).
                self._built_matcher = Matcher([p.source for p in self._patterns], compiled)
            return self._built_matcher

    def classify(self, change: Change, hints: Sequence[str] = ()) -> Change:
        """`change` with category, severity, deadline and deadline_text filled in.

        `hints` are the source's category hints from the catalog (a bonus, not a verdict).
        """
        on = change.effective_date.date()
        if is_spec_entry(change.entry_key, change.text):
            return classify_spec(change, self._rules, partial(self._subject, hints=hints))
        edited = change.kind is ChangeKind.EDITED and bool(change.diff)
        # An edit is judged by what it added, not by the whole entry it touched.
        added = added_text(change.diff) if edited else ""
        if (
            edited
            and is_tiny_edit(change, self._rules)
            and not self._has_action(self._hits("", added))
        ):
            return with_verdict(change, FIXES_DOCS, MINOR, None, "")
        hits = self._hits(change.title, change.text)
        verdict = self._category(change.title, change.text, hits, hints, url=change.url)
        category = verdict.category
        deadline, sentence = (None, "")
        if change.kind is not ChangeKind.REMOVED:
            # "in 90 days" or "until October 1" in an entry of unknown date says nothing.
            deadline, sentence = find_deadline(
                f"{change.title}.\n{change.text}",
                on,
                self._rules,
                relative=change.published is not None,
            )
        if edited:
            action = self._has_action(self._hits("", added)) or (
                deadline is not None and mentions_date(added)
            )
            severity = ACTION if action else (MINOR if category == FIXES_DOCS else NOTABLE)
        elif (
            self._by_id[category].severity == ACTION
            or deadline is not None
            or self._has_action(hits, by_category=not verdict.itemised)
        ):
            severity = ACTION if change.kind is not ChangeKind.REMOVED else NOTABLE
        else:
            severity = self._by_id[category].severity
            if severity == MINOR and not verdict.sure:
                severity = NOTABLE
        return with_verdict(change, category, severity, deadline, sentence)

    def _subject(self, title: str, text: str, hints: Sequence[str]) -> str:
        """The category these words are about, by score alone (a spec entry's identifiers)."""
        return self._best(self._scores(self._hits(title, text), hints))

    def scores(self, title: str, text: str, hints: Sequence[str] = ()) -> dict[str, float]:
        """Score of every category for this title and text (for reports and debugging)."""
        totals = self._scores(self._hits(title, text), hints)
        return {c.id: totals[ci] for ci, c in enumerate(self._rules.categories)}

    def category_of(self, title: str, text: str, hints: Sequence[str] = ()) -> str:
        """The category of an entry with this title and text."""
        return self._category(title, text, self._hits(title, text), hints).category

    def _category(
        self, title: str, text: str, hits: _Hits, hints: Sequence[str], *, url: str | None = None
    ) -> _Verdict:
        # An entry named by an OAuth scope ("channel:read:subscriptions") documents who may do
        # what, whatever the scope is about.
        if _SCOPE_TITLE.fullmatch(title.strip()) and _ACCESS in self._by_id:
            # ... unless the scope itself is deprecated ("Deprecated. Was previously used for").
            deprecated = self._best(self._scores(hits, hints)) == "deprecation"
            return _Verdict("deprecation" if deprecated else _ACCESS)
        if FIXES_DOCS in self._by_id and _CREDITS_TITLE.fullmatch(title.strip()):
            return _Verdict(FIXES_DOCS)  # "Thank you to our contributors!": names, no change
        release = read_release(title, text)
        if release is not None:
            return self._release_category(title, release, hits.anywhere, hints)
        if _REQUEST_LINE.match(text):
            # An API reference section ("POST /api/v1/statuses HTTP/1.1 Publish a status ...")
            # is about what its title and first lines say; the auth, headers and parameters
            # every endpoint lists below say nothing about its subject.
            lead = text[: self._rules.lead_chars * 2]
            return _Verdict(self._best(self._scores(self._hits(title, lead, hits.anywhere), hints)))
        totals = self._scores(hits, hints)
        if max(totals) < self._rules.min_score and FIXES_DOCS in self._by_id and is_blog_post(url):
            # A changelog's entries are changes, so one that says nothing is a feature; a blog
            # post that announces nothing is an essay, a tutorial or a story.
            return _Verdict(FIXES_DOCS)
        return _Verdict(self._topical_best(totals, hints, subject=True))

    def _release_category(
        self, title: str, release: Release, matched: frozenset[int], hints: Sequence[str]
    ) -> _Verdict:
        """A release is filed by its most important item: a breaking change (it breaks now),
        then a deprecation (it breaks later), then a topical category, then a feature; fixes
        and chores only when that is all it has. A fix stays a fix whatever its topic, unless it
        is about security."""
        fallback = FIXES_DOCS if FIXES_DOCS in self._by_id else self._rules.default_category
        if fallback == FIXES_DOCS and says_nothing_changed(release):
            return _Verdict(FIXES_DOCS, itemised=True)
        best = fallback
        best_rank = self._rank(best)
        # Whether any item said what it is (a chore counts); a release of lines that say
        # nothing ("Adaptive Model Visibility") is unknown, not a fix.
        placed = unknown = False
        # A fix is only ever filed as security, and only if the release mentions it somewhere.
        security = self._index_of.get(_SECURITY, -1)
        fixes_may_be_security = _SECURITY in hints or any(
            self._owners[i] == security for i in matched
        )
        # Whether an item's words may make it a deprecation or a breaking change.
        may_act = any(self._owners[i] in self._action_owners for i in matched)
        for part, item in release.items():
            if part is Part.CREDITS or is_chore(item, part):
                placed = True  # (credits name people: no change to weigh)
                continue
            removes = removal(item) if part is Part.REMOVED else None
            if removes is False:
                placed = True  # internals or a mistake removed: upkeep
                continue
            # Once a topic is found, only a breaking change or a deprecation can outrank it.
            topic_found = best_rank <= 2 and not may_act
            if (
                part is Part.BREAKING
                or removes
                or breaks_in(part, item)
                or (part is Part.CHANGED and breaks_when_changed(item) and not is_fix(item))
            ):
                found = "breaking-change"
            elif part is Part.DEPRECATED:
                found = "deprecation"
            elif part is Part.SECURITY:
                found = _SECURITY
            elif topic_found:
                continue
            elif part in (Part.FIXES, Part.CHORES, Part.DOCS) or is_fix(item):
                found = fallback
                if fixes_may_be_security and is_security_fix(item):
                    topic = self._best(self._scores(self._hits("", item, matched), hints))
                    found = _SECURITY if topic == _SECURITY else fallback
            else:
                totals = self._scores(self._hits("", item, matched), hints)
                if part is Part.PATCH and totals[self._feature] < self._rules.min_score:
                    # A patch item is a fix unless it says it adds something ("Add
                    # useDataChannelMessages hook"); "Use different import scheme" is upkeep.
                    placed = True
                    continue
                silent = max(totals) < self._rules.min_score
                default = self._rules.default_category
                found = default if silent else self._topical_best(totals, hints, subject=True)
                if found == "breaking-change" and part is Part.FEATURES:
                    # What a features section lists is added; it breaks only where the item
                    # says so in its form (breaks_in, above): "support using name instead of
                    # state" describes the new thing.
                    totals[self._index_of[found]] = 0.0
                    found = self._topical_best(totals, hints, subject=True)
                # A topic too weak to name the line's subject ("quota" in "users who hit the bug
                # had their quota reset") leaves it a feature only if it says it adds something.
                weak_topic = (
                    not silent
                    and found == default
                    and totals[self._feature] < self._rules.min_score
                )
                if part is not Part.FEATURES and (silent or weak_topic):
                    # Outside a features section, a line with no cue is no feature: "Updating
                    # all cassettes", "Printing max rpm message in different color". Under
                    # "Improvements" it is a tweak; before the first section, a preamble; a
                    # line that repeats the heading is one too, and one about docs or tests
                    # ("Update docs for X") is upkeep; elsewhere it is unknown. A line that names
                    # a subject, if weakly, is content: never a preamble.
                    preamble = not weak_topic and (
                        (part is Part.NOTES and len(release.parts) > 1)
                        or restates(title, item)
                        or names_a_scope(item)
                        or item.endswith(":")  # a lead-in: "Changes since rc.4:"
                    )
                    said = part is Part.IMPROVED or is_upkeep(item)
                    placed = placed or said
                    unknown = unknown or not (said or preamble)
                    continue
            placed = True
            if found in self._by_id and self._rank(found) < best_rank:
                best, best_rank = found, self._rank(found)
                if best_rank == 0:
                    break
        if best == "breaking-change" and release.unreleased and "deprecation" in self._by_id:
            best = "deprecation"  # it breaks with the next release: later, not now
        if unknown and not placed:
            return _Verdict(self._rules.default_category, itemised=True)
        return _Verdict(best, sure=not unknown, itemised=True)

    def _rank(self, category: str) -> int:
        """Importance in a release: breaking change, deprecation, topical, feature, fixes."""
        if category in _RELEASE_ORDER:
            return _RELEASE_ORDER.index(category)
        if category == FIXES_DOCS:
            return 4
        return 3 if category == self._rules.default_category else 2

    def _hits(self, title: str, text: str, among: frozenset[int] | None = None) -> _Hits:
        """Patterns matching title and text; only those in `among` when given (a part of a text
        whose hits are known can only match what the whole matched)."""
        if among is not None and not among:
            return _NO_HITS
        # The lead (the title and the start of the text) is where a match counts more.
        lead_end = len(title) + 1 + self._rules.lead_chars
        lead, anywhere = self._matcher.hits(f"{title}\n{text}", lead_end, among)
        return _Hits(frozenset(lead), frozenset(anywhere))

    def _scores(self, hits: _Hits, hints: Sequence[str]) -> list[float]:
        r = self._rules
        totals = [0.0] * len(r.categories)
        for i in hits.anywhere:
            owner = self._owners[i]
            if owner >= 0:
                weight = self._patterns[i].weight
                totals[owner] += weight * r.title_weight if i in hits.lead else weight
        if hints:
            for ci, cat in enumerate(r.categories):
                if cat.id in hints:
                    totals[ci] += r.hint_weight
        return totals

    def _topical_best(
        self, totals: list[float], hints: Sequence[str], *, subject: bool = False
    ) -> str:
        """`_best`, where a topical category must reach `topic_min_score` unless the source is
        about it (a hint): a weak word ("images", "limits") does not make the subject. For the
        text of one `subject` (an entry, or an item of a release), a topic that names it also
        beats the feature cues."""
        found = self._best(totals)
        ci = self._index_of[found]
        if ci in self._topical and totals[ci] < self._rules.topic_min_score and found not in hints:
            return self._rules.default_category
        if subject and found == self._rules.default_category:
            # A feature whose subject is a topic ("Added the method sendDice") is filed by the
            # topic: the strongest one, if a strong cue of it is in the headline (the title or
            # the lead, where a match counts `title_weight` times) or two are in the text.
            top = max(self._topical, key=totals.__getitem__, default=None)
            named = self._rules.topic_min_score * self._rules.title_weight
            if top is not None and totals[top] >= named:
                return self._rules.categories[top].id
        return found

    def _best(self, totals: list[float]) -> str:
        """Among categories that reached `wins_at`, the rules' order decides (a deprecation is
        filed as one even when it also breaks things); otherwise the top score, ties to the
        earlier category; below `min_score`, the default."""
        cats = self._rules.categories
        winners = [ci for ci, wins_at in self._wins_at if totals[ci] >= wins_at]
        best = winners[0] if winners else max(range(len(cats)), key=totals.__getitem__)
        if totals[best] < self._rules.min_score:
            return self._rules.default_category
        return cats[best].id

    def _has_action(self, hits: _Hits, *, by_category: bool = True) -> bool:
        """Action cues, or (`by_category`) deprecation / breaking-change patterns, reach the
        threshold."""
        cues = 0.0
        per_category = dict.fromkeys(self._action_owners, 0.0)
        for i in hits.anywhere:
            owner = self._owners[i]
            if owner < 0:
                cues += self._patterns[i].weight
            elif owner in per_category:
                per_category[owner] += self._patterns[i].weight
        if not by_category:
            return cues >= self._rules.action_threshold
        return max(cues, *per_category.values()) >= self._rules.action_threshold
