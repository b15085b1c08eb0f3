"""In-document `$ref` resolution, with the cycle, depth and size guards every rendering passes.

`_RefResolver` is the base of the renderer: it follows JSON pointers within the document
(never fetching a remote reference), follows chains of bare references up to `MAX_REF_CHAIN`,
refuses cycles, counts inlined references against `MAX_REF_INLINES`, tracks nesting against
`MAX_DEPTH`, and charges every piece of rendered text to a character budget. Together these
stop reference bombs and cycles that a document small on the wire could otherwise expand
without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from radar.errors import ExtractError
from radar.extract.apispec.limits import MAX_DEPTH, MAX_REF_CHAIN, MAX_REF_INLINES, Json

_SCHEMA_PREFIXES = ("#/components/schemas/", "#/definitions/")


class _RefResolver:
    """Local `$ref` resolution, cycle-checked, with the nesting and size budget of a rendering."""

    def __init__(self, doc: Json, budget: int) -> None:
        self.doc = doc
        self.left = budget
        self.budget = budget
        self.inlines = 0
        self.ref_stack: list[str] = []
        self.depth = 0
        self._resolved: dict[str, Json] = {}

    # budget and guards

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise ExtractError(
                f"the spec renders to over {self.budget:,} characters (references expanding "
                "without bound?); refusing to read it"
            )

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExtractError(f"the spec nests deeper than {MAX_DEPTH} levels")

    def leave(self) -> None:
        self.depth -= 1

    # references

    def resolve(self, ref: str) -> Json:
        """The target of a local `$ref`, following chains of bare references; cycle-checked."""
        seen = [ref]
        target = self._pointer(ref)
        while isinstance(target, dict) and isinstance(target.get("$ref"), str):
            nxt: str = target["$ref"]
            if nxt in seen:
                raise ExtractError(f"$ref cycle: {' -> '.join([*seen, nxt])}")
            if len(seen) >= MAX_REF_CHAIN or not nxt.startswith("#"):
                break
            seen.append(nxt)
            target = self._pointer(nxt)
        return target

    def _pointer(self, ref: str) -> Json:
        if ref in self._resolved:
            return self._resolved[ref]
        value: Json = self.doc
        for raw in ref[1:].split("/")[1:] if ref.startswith("#/") else ():
            step = unquote(raw).replace("~1", "/").replace("~0", "~")
            if isinstance(value, dict) and step in value:
                value = value[step]
            elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
                value = value[int(step)]
            else:
                value = None
                break
        if ref in ("#", "#/"):
            value = None  # the whole document is never a sensible target
        self._resolved[ref] = value
        return value

    def schema_name(self, ref: str) -> str | None:
        for prefix in _SCHEMA_PREFIXES:
            if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
                return unquote(ref[len(prefix) :]).replace("~1", "/").replace("~0", "~")
        return None

    def inline(self, ref: str, render: Callable[[Json], str]) -> str:
        """`render` of a reference's target, or a label when it is remote or missing."""
        if not ref.startswith("#"):
            return self.text(f"ref:{ref}")  # remote: named, never fetched
        if ref in self.ref_stack:
            raise ExtractError(f"$ref cycle: {' -> '.join([*self.ref_stack, ref])}")
        self.inlines += 1
        if self.inlines > MAX_REF_INLINES:
            raise ExtractError(
                f"the spec inlines over {MAX_REF_INLINES:,} references (a reference bomb?); "
                "refusing to read it"
            )
        target = self.resolve(ref)
        if target is None:
            return self.text(f"ref:{ref} (missing)")
        self.ref_stack.append(ref)
        try:
            return render(target)
        finally:
            self.ref_stack.pop()

    def deref(self, value: Json) -> Json:
        """An object with a local `$ref` replaced by its target (for parameters, bodies ...)."""
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref: str = value["$ref"]
            if ref.startswith("#"):
                target = self.resolve(ref)
                if isinstance(target, dict):
                    self.inlines += 1
                    if self.inlines > MAX_REF_INLINES:
                        raise ExtractError(
                            f"the spec inlines over {MAX_REF_INLINES:,} references "
                            "(a reference bomb?); refusing to read it"
                        )
                    return target
        return value

    # text: every rendered piece is charged to the budget

    def text(self, s: str) -> str:
        self.spend(len(s) + 1)
        return s
