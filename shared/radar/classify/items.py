"""What one item of a release says: a chore, a fix, a security fix, or a change that breaks
callers, read by its form (the verb it opens with, a Conventional Commits type or scope, a
"!" or "BREAKING" mark) and a few phrases. releases.py splits a release into its items; the
classifier asks these of each. Nothing here knows a particular project.
"""

from __future__ import annotations

import re
from functools import cache

from radar.classify.headings import Part
from radar.classify.lowercase import lowers_plainly

# The verbs change log items open with ("Add ...", "Fixed ...", "Dropped ..."), capitalised:
# those that take something away, and the others.
_TAKING_VERBS = ("Remove", "Drop", "Deprecate", "Rename", "Replace", "Disable", "Change", "Move",
                 "Revert")  # fmt: skip
_OTHER_VERBS = ("Add", "Fix", "Update", "Improve", "Introduce", "Support", "Allow", "Enable",
                "Bump", "Upgrade", "Refactor", "Ensure", "Prevent", "Correct", "Resolve", "Expose",
                "Implement")  # fmt: skip
_PAST = r"(?:d|ed|ped)"
ITEM_VERB = f"(?:{'|'.join(_OTHER_VERBS + _TAKING_VERBS)}){_PAST}"
# In a "Removed" list flattened without marks, a verb of another kind opens an item of its own
# ("Removed x Upgraded y"); "Moved ...", "Disabled ...", "Renamed ..." there still take away.
_OTHER_ITEM = re.compile(f"(?:{'|'.join(_OTHER_VERBS)}){_PAST}\\s")
# A Conventional Commits "!" after the type: "feat!:", "api(client)!:".
_BANG = r"\w+(?:\([^)]{0,40}\))?!:"
_INCOMPATIBLE = r"\bbackwards?[- ]incompatib|\bnot backwards?[- ]compatible"
# An item that says it breaks: a "!", "breaking", "backwards incompatible".
_BANG_START = re.compile(rf"\s*{_BANG}")
_MARKED_BREAKING = re.compile(rf"^\s*{_BANG}|\bbreaking\b|{_INCOMPATIBLE}", re.IGNORECASE)
# Items that change nothing a platform's user sees: a Conventional Commits chore scope, a
# dependency bump in the words of changesets, Dependabot or Renovate, regenerated code.
_CHORE_ITEM = re.compile(
    r"^\s*(?:(?:deps|deps-dev|dependencies|internal|build|ci|chore|chores|docs|test|tests|style|"
    r"refactor|lint|release|codegen)(?:\([^)]{0,40}\))?!?:"
    r"|updated? dependenc|bump(?:ed|s)? \S+ from|update dependency|upgrade dependenc"
    r"|bump(?:ed|s)? \S+ (?:minimum |required )?(?:version|requirement|dependency)"
    r"|regenerat|re-?generated?|codegen|update generated|generated (?:code|types|client)"
    # a runtime supported: packaging ("Add Python 3.4 support"); dropping one breaks (below)
    r"|(?:add(?:s|ed)?|support(?:s|ed)?) (?:support for )?(?:python|node(?:\.?js)?|ruby|php"
    r"|java|go|django|pypy) ?v?\d[\d.x]*(?: support)?\s*$)",
    re.IGNORECASE,
)
# What a removal takes away that leaves callers' code working: a deprecation withdrawn, or its
# warning ("Removed the deprecation of includePostAttributes for now").
_WITHDRAWN = re.compile(r"(?:the |a |an |all )?deprecation\b", re.IGNORECASE)
# Packaging for those who install the software: builds, packages and images for operating
# systems and architectures ("Add Fedora and Alpine builds", "Build release packages for several
# distributions", "Remove OS-specific packages"). It changes no API and no feature.
_PACKAGING = re.compile(
    r"\b(?:os-specific|debian|ubuntu|fedora|alpine|centos|rhel|homebrew|flatpak|snap|rpm|deb"
    r"|arm64|aarch64|x86(?:_64)?|amd64|armv7)\b[^.]{0,60}?\b(?:packages?|builds?|images?|binaries)\b"
    r"|\b(?:packages?|builds?|images?|binaries) for (?:\S+ ){0,3}?(?:distributions|linux|debian"
    r"|ubuntu|fedora|alpine|architectures|arm64|aarch64)\b",
    re.IGNORECASE,
)
_PACKAGING_WORDS = ("packag", "build", "image", "binar")
# Items that break callers by their form: a Conventional Commits "!" or BREAKING marker, or an
# item that removes, renames, replaces or drops something, or makes something required. Removing
# internals (unused code, polyfills, imports, dev dependencies) breaks no one, and neither does
# removing a mistake ("Remove incorrect legacy NSFW checks", "Remove useForwardedRef
# redeclaration"): that is a fix.
_INTERNALS = (
    r"(?:\S+\s){0,4}?(?:unused|unnecessary|redundant|dead|orphaned|obsolete|non-exposed|internal"
    r"|polyfill|imports?|dependenc\w*|undocumented|incorrect|wrong|erroneous|duplicat\w*"
    r"|extraneous|stray|spurious|superfluous|re-?declar\w*|warnings?|noise|clutter)\b"
)
# A requirement taken away loosens what callers must do, it breaks nothing ("Remove the limit of
# participants in private conversations", "Remove the requirement to have two users").
_LOOSENED = (
    r"(?:the |a |an |any )?(?:\S+ )?(?:limits?|limitations?|requirements?|restrictions?|caps?)\b"
    r"(?! (?:field|param|parameter|argument|option|property)s?\b)"  # "the limit parameter" breaks
)
_BREAKING_ITEM = re.compile(
    rf"^\s*(?:{_BANG}|breaking\b"
    rf"|(?:remove[ds]?|removing|rename[ds]?|renaming|drop(?:s|ped)?|replace[ds]?)\s(?!{_INTERNALS})(?!{_LOOSENED})"
    rf"(?!{_WITHDRAWN.pattern})"
    r"|makes?\s(?:\S+\s){0,4}?(?:required|mandatory)\b|requires?\s)",
    re.IGNORECASE,
)
# A "Removed" section's item that names internals ("mkdocs from project dependencies").
_INTERNAL_REMOVAL = re.compile(rf"^\s*{_INTERNALS}", re.IGNORECASE)
# The same anywhere in an item: a rename, a call that now raises, a changed default. Each phrase
# with the words (lowercase) one of which every match of it holds: most items hold none, and an
# item is searched only for the phrases whose words it holds.
_PHRASES = (
    (r"\brenam(?:e|ed|es|ing) \S+ (?:to|into) \S", ("renam",)),
    (r"\bnow (?:raises?|throws?)\b", ("now raise", "now throw")),
    # An item that says it is a breaking change ("... (breaking change for people ...)").
    (r"(?<!no )(?<!non-)(?<!to )(?<!any )\bbreaking (?:\w+ )?changes?\b", ("breaking",)),
    (_INCOMPATIBLE, ("compatib",)),
    # A field or parameter replaced by another, anywhere in the item ("Updated UniqueGiftInfo
    # class: replaced last_resale_star_count with last_resale_currency"): identifiers only.
    (
        r"\breplac(?:e|ed|es|ing) (?:the (?:field|parameter|argument|property|method|event) )?"
        r"\w+[_.]\w+(?: (?:field|parameter|argument|property|method|event))? with\b",
        ("replac",),
    ),
    (r"\b(?:change|increase|decrease|lower|raise)[sd]? (?:the )?default\b", ("default",)),
    # Something callers could leave out must now be given: "The client token is now mandatory".
    (r"\b(?:is|are) now (?:mandatory|required)\b", ("now mandatory", "now required")),
    # "This version removes support for Python 3.8": a dropped runtime or platform.
    (r"\b(?:removes?|removed|removing|drops?|dropped|dropping) support for\b", ("support for",)),
    # A rename written as identity: "x-mcp is now x-mint.mcp" (identifiers on both sides).
    (r"\b\w+(?:[-_.]\w+)+ (?:is|are) now \w+(?:[-_.]\w+)+", ("is now ", "are now ")),
    # Stricter than before: "Now you'll receive an error if a render method doesn't return ...".
    (
        r"\b(?:you(?:'|’)ll|you will|will) (?:now )?(?:receive|get|see|raise|throw)"
        r" an? (?:error|exception)\b",
        ("error", "exception"),
    ),
    # Work a change makes the reader do: "We no longer run installs, so you'll need to run
    # yarn" (not "to join the pilot, you'll need to submit a form": that is how to use a new
    # thing), and upgrade steps ("To update Devvit: Uninstall @devvit/cli ...").
    (r"\b(?:so|therefore|now) (?:you(?:'|’)ll|you will|you) (?:now )?need to\b", ("need to",)),
    (r"\b(?:you(?:'|’)ll|you will|you) now need to\b", ("now need to",)),
    (
        r"\bto (?:update|upgrade|migrate)(?: to| from)? [\w.@/-]+:",
        ("to update", "to upgrade", "to migrate"),
    ),
)


@cache
def _phrase(index: int) -> re.Pattern[str]:
    """`_PHRASES[index]` compiled, at its first use: most runs search a few of them, or none."""
    return re.compile(_PHRASES[index][0], re.IGNORECASE)


@cache
def _any_phrase() -> re.Pattern[str]:
    """All of them in one, for the rare item whose lowercase may not hold a match's words
    (lowercase.py)."""
    return re.compile("|".join(p for p, _ in _PHRASES), re.IGNORECASE)


# A word each of those phrases holds: an item with none of them (most) is not searched.
_BREAKING_WORDS = ("renam", "now ", "breaking", "compatib", "replac", "default", "support for",
                   "an error", "an exception", "need to", "to update", "to upgrade",
                   "to migrate")  # fmt: skip
# In a "Changed" section (existing behaviour that changed), what makes a change one callers
# must follow: something replaced, renamed, reverted, no longer done, or a new default ("now
# defaults to", "kwarg default to False"; not "the default value of None retains the
# preexisting behavior", which is how a new option says it breaks nothing).
_CHANGED_BREAKING = re.compile(
    r"\b(?:instead of|in favou?r of|no longer|renamed|reverted|replaced|defaults? to"
    r"|new defaults?|defaults? (?:is|are|was|has been|have been) (?:now|changed)"
    # "The default Graph API version is updated to v9.0"
    r"|default (?:\S+ ){0,4}(?:is|are|was|has been) (?:now )?(?:updated|changed|set|bumped) to)\b",
    re.IGNORECASE,
)
# An item that opens by deprecating something: the old way still works, for now.
_DEPRECATES = re.compile(r"\s*deprecat(?:e[sd]?|ing)\b", re.IGNORECASE)
# A version bump in a commit's own words ("Update google-auth-library to v7.14.0").
_VERSION_BUMP = re.compile(
    r"^\s*(?:update|upgrade|bump|pin)\w* \S+ (?:to|from|below|above) v?\d", re.IGNORECASE
)
# A Conventional Commits scope before an item's text ("api: remove deprecated endpoints").
# Also in brackets, as many changelogs write it: "[liveleak] Remove extractor".
_SCOPE = re.compile(r"^\s*(?:[a-z][\w./-]*(?:\([^)]{0,40}\))?:|\[[^\]\s][^\]]{0,40}\])\s+")
# Items that repair what exists, by their first word.
_FIX_ITEM = re.compile(
    r"^\s*(?:fix(?:e[sd]|ing)?|bug ?fix(?:es)?|correct(?:s|ed|ing)?|resolve[sd]?|patch(?:es|ed)?)"
    r"\b",
    re.IGNORECASE,
)
# A verb that changes what exists and, within its next words, the mistake it puts right
# ("Update wrong requirement"); adding something ("Add broken-link detection") is no fix.
_MISTAKE_ITEM = re.compile(
    r"^\s*(?:update|correct|change|replace|adjust|amend|revert)\w*\s(?:\S+\s){0,2}?"
    r"(?:wrong|incorrect|erroneous|faulty|mistaken|broken)(?![-\w])",
    re.IGNORECASE,
)

# What upkeep lines are about: docs, tests, examples. A line that names one and says nothing
# else ("Update docs for useDisconnectButton", "Drop unnecessary tests") is a chore.
_UPKEEP_WORD = re.compile(
    r"\b(?:docs?|documentation|readme|tests?|test suite|cassettes?|examples?|samples?|typos?"
    r"|ci|lint|linting|changelog"
    # the project's own packaging: "Remove tests_require from setup.py", "universal wheels"
    r"|setup\.py|setup\.cfg|pyproject\.toml|tox|tests_require|wheels?)\b",
    re.IGNORECASE,
)
# What a fix that is a security fix names: a weakness or what it guards. A fix that names
# only a safety topic ("Properly handle and error on Cloudflare bans") is a fix.
_SECURITY_FIX = re.compile(
    r"\b(?:secur\w*|vulnerab\w*|cve-\d|xss|csrf|ssrf|cross-site|code execution|open redirect"
    r"|injection|exploit\w*|saniti[sz]\w*|privilege\w*"
    r"|authenticat\w*|authori[sz]\w*|oauth|tokens?|encrypt\w*|passwords?|credentials?"
    r"|permissions?|privacy|personal data|spoof\w*|bypass\w*|(?:data|secret|token) leaks?)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+")
_SCOPE_LINE = re.compile(r"[\w.:/@-]+")
_URL = re.compile(r"\S*https?://\S*")  # "docs" in a link says nothing of the line


def is_chore(item: str, part: Part | None = None) -> bool:
    """A dependency bump, regenerated code, packaging or a chore-scoped commit. Under a features
    heading a chore scope is only where the commit was made: "deps: auth adds support for
    additional headers" is a feature; a bump stays a chore wherever it is listed. A commit marked
    breaking ("refactor!: refactored the client interfaces") is no chore."""
    if _CHORE_ITEM.match(item) is None:
        return is_packaging(item) and _BANG_START.match(item) is None
    if _BANG_START.match(item) is not None:
        return False
    if part is not Part.FEATURES:
        return True
    rest = _unscoped(item)
    return _CHORE_ITEM.match(rest) is not None or _VERSION_BUMP.match(rest) is not None


def is_packaging(item: str) -> bool:
    """Builds, packages or images for those who install (see _PACKAGING)."""
    low = item.lower()
    # Most items name none of these words, and are done without a regex search.
    return any(w in low for w in _PACKAGING_WORDS) and _PACKAGING.search(item) is not None


def is_upkeep(item: str) -> bool:
    """A line about docs, tests or examples (read only where no other cue placed it)."""
    return _UPKEEP_WORD.search(_URL.sub(" ", item) if "://" in item else item) is not None


def restates(title: str, item: str) -> bool:
    """The item repeats the release's heading ("01-26-2019 21:18 PST" under "v0.7.2:
    01-26-2019 21:18 PST"): every word of it is in the title."""
    words = _WORDS.findall(item.lower())
    return bool(words) and set(words) <= set(_WORDS.findall(title.lower()))


def names_a_scope(item: str) -> bool:
    """A line that is one name ("TwitchIO", "ext.commands", "youtube"): the module or component
    the nested items below it are about, not a change of its own."""
    return _SCOPE_LINE.fullmatch(item) is not None


def is_fix(item: str) -> bool:
    """An item that fixes something ("Fixed ...", "Resolve ...", "client: fix ...") or puts a
    mistake right ("Update wrong requirement", "Correct incorrect links")."""
    if _FIX_ITEM.match(item) is not None or _MISTAKE_ITEM.match(item) is not None:
        return True
    rest = _scope_rest(item)
    return rest is not None and _FIX_ITEM.match(rest) is not None


def is_security_fix(item: str) -> bool:
    """A fix that closes a weakness (see _SECURITY_FIX), as opposed to one about a safety
    feature."""
    return _SECURITY_FIX.search(item) is not None


def is_breaking(item: str) -> bool:
    """An item that removes, renames or requires something, or is marked breaking."""
    if _BREAKING_ITEM.match(item):
        return True
    rest = _scope_rest(item)
    if rest is not None and _BREAKING_ITEM.match(rest):
        return True
    return _says_breaking(item)


def _says_breaking(item: str) -> bool:
    """One of `_PHRASES` anywhere in the item."""
    low = item.lower()
    if not any(w in low for w in _BREAKING_WORDS):
        return False
    if not lowers_plainly(item):
        return _any_phrase().search(item) is not None
    return any(
        any(w in low for w in words) and _phrase(i).search(item) is not None
        for i, (_, words) in enumerate(_PHRASES)
    )


def removal(item: str) -> bool | None:
    """What an item of a "Removed" section removes: True when callers lose something, False
    for internals or a mistake ("unused imports", "mkdocs from project dependencies"), None when
    the item is not a removal but the next item of a flattened list ("Upgraded ...")."""
    if _OTHER_ITEM.match(item):
        return None
    return _INTERNAL_REMOVAL.match(item) is None and _WITHDRAWN.match(item) is None


def breaks_in(part: Part, item: str) -> bool:
    """`is_breaking`, read in the item's section: a docs section's lines are about docs
    ("Remove FileOptions" removes a page), and a chore section's removal of docs, tests or
    packaging files ("Remove nose usage from tests") is upkeep, unless the item says it breaks.
    Other refactors can break ("api: remove deprecated endpoints" under "Refactors")."""
    if part is Part.FIXES:
        # A fix that opens "Remove ..." removes the bug's cause ("Remove case for setting member
        # to undefined"); one breaks only where it is marked so or says what callers now get.
        return _BANG_START.match(item) is not None or _says_breaking(item)
    if not is_breaking(item):
        return False
    if part is Part.DOCS or (part is Part.CHORES and is_upkeep(item)):
        return _MARKED_BREAKING.search(item) is not None
    return True


def breaks_when_changed(item: str) -> bool:
    """An item of a "Changed" section that changes what callers get (see _CHANGED_BREAKING),
    unless it says it deprecates: "Deprecate X in favor of Y" leaves X working, for now."""
    return _CHANGED_BREAKING.search(item) is not None and _DEPRECATES.match(_unscoped(item)) is None


def _unscoped(item: str) -> str:
    rest = _scope_rest(item)
    return item if rest is None else rest


def _scope_rest(item: str) -> str | None:
    """The item's text after its Conventional Commits scope; None when it has none."""
    scope = _SCOPE.match(item)
    return item[scope.end() :] if scope else None
