"""What changed between two renderings of one API spec entry, in the words a developer reads.

Outside the extract package on purpose: the differ, the classifier and briefings use it, and
importing it must not import every extractor (the API's cold start).

Spec entries (radar/extract/apispec/render.py) are canonical one-line texts: sections joined by
` / `, members `name (attributes): description` joined by `; ` inside `{...}` or after a section
label, attributes joined by `, `. `facts` reads a rendering back into structural facts, one per
attribute of every member at its path (`parameters.limit: integer`, `properties.type: enum
value text`), leaving prose out (descriptions, summaries, docs links, tags). Comparing the facts
of two renderings gives findings: a parameter or field added or removed, made required or
optional, retyped, enum values added or removed, the entry deprecated, auth or responses changed.
No finding while the texts differ means only prose changed.

`judge` turns findings into a category and severity by structure, not phrasing: anything that
can break a caller (removal, new requirement, type change, narrowed enum, auth change) is a
breaking change; a deprecation is a deprecation; additions are features.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

# Keys of spec entries: `GET /path`, `POST webhook:name`, `GET name` (JSON specs),
# `schema:Name`, `type:Name`, `field:name`, and a JSON spec's bare method names (`sendMessage`).
_SPEC_KEY = re.compile(
    r"(?:(?:GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE|QUERY) \S+|(?:schema|type|field):\S+"
    r"|[A-Za-z_][\w.]*)$"
)
# Sections and attributes that are prose or pointers, not contract.
_PROSE = frozenset(
    {
        "description",
        "summary",
        "title",
        "docs",
        "href",
        "tags",
        "servers",
        "externalDocs",
        "example",
    }
)
_OPEN, _CLOSE = "([{", ")]}"
_SCHEMA_REF = re.compile(r"schema:[^\s,;:()\[\]{}|]+")
_MEMBER = re.compile(r"^([^\s(){}\[\];,:]+) \(")
_STATUS = re.compile(r"^(\d{3}|[1-5]XX|default)\b[^;]*?(?: -> |$)")
_NAME = re.compile(r"[\w.$@-]+")
_LOCATIONS = frozenset({"path", "query", "header", "cookie", "body", "formData"})
_FLAGS = frozenset({"required", "optional", "deprecated", "nullable", "read-only", "write-only"})
# Sections whose whole value is a type: a JSON spec's `return:` and a field's `type:`.
_SCALAR_SECTIONS = frozenset({"return", "returns", "type"})
# How each section's members are called in a finding.
_NOUNS = {
    "parameters": "parameter",
    "params": "parameter",
    "properties": "field",
    "responses": "response",
    "request body": "request body",
    "request body (required)": "request body",
    "security": "auth",
    "subtypes": "subtype",
    "return": "return type",
    "returns": "return type",
    "fields": "field",
    "type": "type",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One structural change; `breaking` when existing callers can fail because of it."""

    words: str
    breaking: bool = False
    deprecation: bool = False


def is_spec_entry(key: str, text: str) -> bool:
    """An entry made by the API spec extractors (its text opens with its own key)."""
    return _SPEC_KEY.match(key) is not None and (text == key or text.startswith(f"{key} / "))


def findings(old: str, new: str) -> list[Finding]:
    """The structural changes from rendering `old` to rendering `new` (empty: prose only)."""
    before, after = _by_path(facts(old)), _by_path(facts(new))
    out: list[Finding] = []
    for path in sorted(before.keys() | after.keys()):
        was, now = before.get(path), after.get(path)
        if was == now:
            continue
        out.extend(_compare(path, was or set(), now or set(), was is None, now is None))
    return out


def describe(found: list[Finding], limit: int = 8) -> str:
    """Findings as one line for readers, deprecations and breaking ones first and labelled
    ("breaking: parameter limit removed; parameter cursor added")."""
    ordered = sorted(found, key=lambda f: (not f.deprecation, not f.breaking))
    words = [_labelled(f) for f in ordered[:limit]]
    if len(ordered) > limit:
        words.append(f"and {len(ordered) - limit} more")
    return "; ".join(words)


def judge(described: str) -> tuple[str, str]:
    """Category and severity of a spec edit from its `describe` line."""
    if DEPRECATED_LABEL in described:
        return "deprecation", "action"
    if BREAKING_LABEL in described:
        return "breaking-change", "action"
    return "new-feature", "notable"


BREAKING_LABEL, DEPRECATED_LABEL = "breaking: ", "deprecated: "


def _labelled(f: Finding) -> str:
    if f.deprecation:
        return f"{DEPRECATED_LABEL}{f.words}"
    return f"{BREAKING_LABEL}{f.words}" if f.breaking else f.words


def schema_users(texts: Mapping[str, str], schemas: Iterable[str]) -> dict[str, list[str]]:
    """For each of `schemas` (`schema:Name` keys), the operations that use it, directly or
    through other schemas (`texts` maps every entry key of a spec to its rendering)."""
    referrers: dict[str, set[str]] = defaultdict(set)
    for key, text in texts.items():
        for name in _SCHEMA_REF.findall(text):
            if name != key:
                referrers[name].add(key)
    users: dict[str, list[str]] = {}
    for schema in schemas:
        seen, todo, ops = {schema}, [schema], set()
        while todo:
            for referrer in referrers.get(todo.pop(), ()):
                if referrer in seen:
                    continue
                seen.add(referrer)
                if referrer.startswith("schema:"):
                    todo.append(referrer)
                else:
                    ops.add(referrer)
        users[schema] = sorted(ops)
    return users


def is_deprecated(text: str) -> bool:
    """The rendering marks the whole entry deprecated (a `deprecated` section)."""
    return any(section.strip() == "deprecated" for section in _split(text, " / ")[1:])


# --- reading a rendering back ---------------------------------------------------------------


def facts(text: str) -> set[str]:
    """Structural facts of a rendering: `path: attribute`, prose left out."""
    out: set[str] = set()
    for section in _split(text, " / ")[1:]:
        label, value = _label(section)
        if label in _PROSE:
            continue
        if label is None:
            _attributes(section, "schema", out)
        elif not value:
            out.add(f"{label}: {label}")  # a flag section: "deprecated"
        elif label in _SCALAR_SECTIONS:
            out.add(f"{label}: type {value}")
        else:
            _walk(value, label, out)
    return out


def _walk(value: str, path: str, out: set[str]) -> None:
    if value == "none":
        return
    members = _split(value, "; ")
    if len(members) > 1 or _MEMBER.match(value) or _STATUS.match(value):
        for member in members:
            _member(member, path, out)
        return
    _attributes(value, path, out)


def _member(member: str, path: str, out: set[str]) -> None:
    status = _STATUS.match(member)
    if status is not None:
        # "200 OK -> application/json: schema:X": a response keyed by its code.
        code, content = status.group(1), member[status.end() :]
        parts = [p for p in _split(content, ", ") if _label(p)[0] not in _PROSE]
        out.add(f"{path}.{code}: (present)")
        if parts:
            out.add(f"{path}.{code}: content {', '.join(parts)}")
        return
    m = _MEMBER.match(member)
    if m is None:
        out.add(f"{path}: {member.strip()}")
        return
    name = m.group(1)
    close = _closing(member, m.end() - 1)
    attrs = _split(member[m.end() : close] if close > 0 else member[m.end() :], ", ")
    out.add(f"{path}.{name}: (present)")
    # The first attribute is the type, after a parameter's location ("path, string, required").
    if attrs and attrs[0] in _LOCATIONS:
        out.add(f"{path}.{name}: in {attrs.pop(0)}")
    if attrs and _label(attrs[0])[0] is None and attrs[0] not in _FLAGS:
        out.add(f"{path}.{name}: type {attrs.pop(0)}")
    _attributes(", ".join(attrs), f"{path}.{name}", out)


def _attributes(value: str, path: str, out: set[str]) -> None:
    previous = None
    for part in _split(value, ", "):
        label, inner = _label(part)
        if previous == "required" and label is None and _NAME.fullmatch(part.strip()):
            # "required: a, b": the list goes on past the comma the renderer also joins with.
            out.add(f"{path}.properties.{part.strip()}: required")
            continue
        previous = label
        if label in _PROSE:
            continue
        if inner.startswith("{") and inner.endswith("}"):
            _walk(inner[1:-1], f"{path}.{label}", out)
        elif inner.startswith("[") and inner.endswith("]"):
            # "all of: [object, properties: {...} | schema:Base]"
            for alternative in _split(inner[1:-1], " | "):
                _attributes(alternative, path, out)
        elif label == "enum":
            out.update(f"{path}: enum value {v.strip()}" for v in inner.split(" | "))
        elif label == "required":
            out.add(f"{path}.properties.{inner.strip()}: required")
        elif part.startswith("discriminator "):
            _discriminator(part, path, out)
        else:
            out.add(f"{path}: {part.strip()}")


def _discriminator(part: str, path: str, out: set[str]) -> None:
    open_at = part.find("(")
    if open_at < 0:
        out.add(f"{path}: {part}")
        return
    out.add(f"{path}: {part[:open_at].strip()}")
    for pair in _split(part[open_at + 1 : part.rfind(")")], ", "):
        value, _, target = pair.partition(" -> ")
        out.add(f"{path}.subtypes.{value.strip()}: (present)")
        out.add(f"{path}.subtypes.{value.strip()}: type {target.strip()}")


def _label(section: str) -> tuple[str | None, str]:
    """`label: value` at depth 0 (a label has no brackets or commas), else (None, section)."""
    depth = 0
    for i, ch in enumerate(section):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == "," and depth == 0:
            break
        elif ch == ":" and depth == 0 and section[i + 1 : i + 2] in (" ", ""):
            label = section[:i].strip()
            if "(" in label and not label.startswith("request body"):
                break
            return label, section[i + 1 :].strip()
    stripped = section.strip()
    return (stripped, "") if stripped in ("deprecated", "nullable") else (None, section)


def _split(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside brackets."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


# --- comparing ------------------------------------------------------------------------------


def _by_path(found: set[str]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for fact in found:
        path, _, value = fact.partition(": ")
        grouped[path].add(value)
    return grouped


def _compare(
    path: str, was: set[str], now: set[str], added: bool, removed: bool
) -> Iterator[Finding]:
    what, section = _name(path)
    if section == "deprecated":
        if added:
            yield Finding("the entry is marked deprecated", deprecation=True)
        return
    if added and "(present)" in now:
        required = "required" in now
        yield Finding(f"{what} added" + (" (required)" if required else ""), breaking=required)
        return
    if removed and "(present)" in was:
        # A success response or any parameter or field going away can break a caller.
        yield Finding(f"{what} removed", breaking=not _is_error_response(path))
        return
    yield from _attribute_changes(what, was, now, response=section == "responses")


def _name(path: str) -> tuple[str, str]:
    """How a path reads in a finding ("parameter limit", "field text"), and its section."""
    segments = path.split(".")
    for i in range(len(segments) - 1, -1, -1):
        if segments[i] in _NOUNS:
            name = ".".join(segments[i + 1 :])
            noun = _NOUNS[segments[i]]
            return (f"{noun} {name}" if name else noun), segments[i]
    return path, segments[0]


def _is_error_response(path: str) -> bool:
    code = path.rsplit(".", 1)[-1]
    return code[:1] in ("4", "5")


def _attribute_changes(
    what: str, was: set[str], now: set[str], *, response: bool = False
) -> Iterator[Finding]:
    gained, lost = now - was, was - now
    if "required" in gained:
        yield Finding(f"{what} made required", breaking=True)
    elif "optional" in gained and "required" in lost:
        yield Finding(f"{what} made optional")
    if "deprecated" in gained:
        yield Finding(f"{what} deprecated", deprecation=True)
    old_type = sorted(v[5:] for v in lost if v.startswith("type "))
    new_type = sorted(v[5:] for v in gained if v.startswith("type "))
    if old_type or new_type:
        before, after = ", ".join(old_type) or "none", ", ".join(new_type) or "none"
        typed = what if what.endswith("type") else f"{what} type"
        yield Finding(f"{typed} {before} -> {after}", breaking=bool(old_type))
    more = sorted(v[len("enum value ") :] for v in gained if v.startswith("enum value "))
    fewer = sorted(v[len("enum value ") :] for v in lost if v.startswith("enum value "))
    if more:
        yield Finding(f"{what} accepts {', '.join(more)}")
    if fewer:
        yield Finding(f"{what} no longer accepts {', '.join(fewer)}", breaking=True)
    handled = {"required", "optional", "deprecated", "(present)"}
    rest_gained = sorted(v for v in gained - handled if not v.startswith(("type ", "enum value ")))
    rest_lost = sorted(v for v in lost - handled if not v.startswith(("type ", "enum value ")))
    if rest_gained or rest_lost:
        change = " -> ".join(", ".join(x) or "none" for x in (rest_lost, rest_gained))
        # A response that gains content breaks no one; one that loses or changes it may.
        yield Finding(f"{what} changed: {change}", breaking=bool(rest_lost))
