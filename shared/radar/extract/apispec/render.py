"""Canonical one-line text of spec values and schemas, and the items that carry it.

The rendering is what makes edits readable in a word diff and reformatting invisible:
mappings by sorted key, lists and enum values sorted, descriptions with whitespace collapsed
and quoting marks dropped, examples (`_SKIPPED`) left out, named schemas referred to as
`schema:Name` rather than inlined. `_Renderer` adds this to `_RefResolver`'s reference
resolution and budget; `_make_item` caps an entry's text, keeping a digest of the whole so a
change past the cap still shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from radar.extract.apispec.limits import Json
from radar.extract.apispec.refs import _RefResolver
from radar.extract.common import MAX_TEXT_CHARS, make_item
from radar.model import Item

# Keys that are illustration, not contract: a changed example is no API change.
_SKIPPED = frozenset({"example", "examples", "x-example", "x-examples"})


class _Renderer(_RefResolver):
    """Canonical text of spec fragments, with `$ref` resolution and a size budget."""

    # scalars and generic values

    def prose(self, value: Json) -> str:
        """Descriptions and summaries: whitespace collapsed, quoting marks dropped."""
        if isinstance(value, list):
            value = " ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        if not isinstance(value, str):
            return self.scalar(value)
        s = " ".join(value.replace("`", "").replace('"', "").split())
        return self.text(s)

    def scalar(self, value: Json) -> str:
        if value is None:
            return self.text("null")
        if isinstance(value, bool):
            return self.text("true" if value else "false")
        if isinstance(value, str):
            return self.text(" ".join(value.split()) if value.strip() else repr(value))
        return self.text(str(value))

    def value(self, value: Json) -> str:
        """Any value, canonically: mappings by sorted key, lists sorted, examples dropped."""
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str) and len(value) == 1:
                return self.ref_label(value["$ref"], self.value)
            self.enter()
            try:
                parts = [
                    f"{self.text(k)}: {self.prose(v) if _is_prose(k) else self.value(v)}"
                    for k, v in value.items()
                    if k not in _SKIPPED
                ]
            finally:
                self.leave()
            return "{" + "; ".join(sorted(parts)) + "}"
        if isinstance(value, list):
            self.enter()
            try:
                items = sorted(self.value(v) for v in value)
            finally:
                self.leave()
            return "[" + ", ".join(items) + "]"
        return self.scalar(value)

    def ref_label(self, ref: str, render: Callable[[Json], str]) -> str:
        name = self.schema_name(ref)
        if name is not None:
            self.resolve(ref)  # refuses a cycle of bare references between schemas
            return self.text(f"schema:{name}")
        return self.inline(ref, render)

    # schemas

    def schema(self, s: Json, *, with_description: bool = True) -> str:
        """A schema on one line: `string, format uri, enum: a, b` or `schema:Name`."""
        if not isinstance(s, dict):
            return self.value(s) if s is not None else ""
        self.enter()
        try:
            return self._schema(s, with_description)
        finally:
            self.leave()

    def _schema(self, s: dict[str, Json], with_description: bool) -> str:
        keys = s.keys()
        parts: list[str] = []
        ref = s.get("$ref")
        if isinstance(ref, str):
            parts.append(self.ref_label(ref, self.schema))
        kind = s.get("type")
        if isinstance(kind, list):
            parts.append(" or ".join(sorted(self.scalar(k) for k in kind)))
        elif kind is not None:
            parts.append(self.scalar(kind))
        if "items" in keys:
            items = self.schema(s["items"])
            if kind == "array":  # the type was the last part
                parts[-1] = f"array of {items}"
            else:
                parts.append(f"items: {items}")
        if "format" in keys:
            parts.append(f"format {self.scalar(s['format'])}")
        if keys & _FLAG_KEYS:
            parts.extend(label for flag, label in _SCHEMA_FLAGS if s.get(flag) is True)
        if "enum" in keys:
            values = s["enum"] if isinstance(s["enum"], list) else [s["enum"]]
            parts.append("enum: " + " | ".join(sorted(self.scalar(v) for v in values)))
        if keys & _COMBINERS.keys():
            for key, label in _COMBINERS.items():
                if isinstance(s.get(key), list):
                    members = sorted(self.schema(m) for m in s[key])
                    parts.append(f"{label}: [" + " | ".join(members) + "]")
        if "not" in keys:
            parts.append(f"not ({self.schema(s['not'])})")
        if "properties" in keys or "required" in keys:
            parts.extend(self._object(s.get("properties"), s.get("required")))
        if "additionalProperties" in keys:
            extra = s["additionalProperties"]
            parts.append(
                "additional properties: "
                + (self.scalar(extra) if isinstance(extra, bool) else self.schema(extra))
            )
        if isinstance(s.get("discriminator"), dict):
            parts.append(self.discriminator(s["discriminator"]))
        docs_url = _docs_url(s)
        if docs_url:
            parts.append(f"docs: {self.text(docs_url)}")
        others = keys - _SCHEMA_HANDLED
        if others:
            if not with_description:
                others.discard("description")
            parts.extend(
                sorted(
                    f"{self.text(k)}: {self.prose(s[k]) if _is_prose(k) else self.value(s[k])}"
                    for k in others
                )
            )
        return ", ".join(p for p in parts if p)

    def _object(self, props: Json, required: Json) -> list[str]:
        required_set = (
            {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        )
        parts = []
        if isinstance(props, dict) and props:
            parts.append("properties: {" + "; ".join(self.properties(props, required_set)) + "}")
            required_set.difference_update(props)
        if required_set:  # required names whose properties live elsewhere (allOf members)
            parts.append("required: " + ", ".join(self.text(r) for r in sorted(required_set)))
        return parts

    def properties(self, props: dict[str, Json], required: set[str]) -> list[str]:
        out = []
        for name in sorted(props):
            prop = props[name]
            desc = prop.get("description") if isinstance(prop, dict) else None
            head = self.schema(prop, with_description=False)
            flags = ", required" if name in required else ""
            line = f"{self.text(name)} ({head}{flags})"
            if desc:
                line += f": {self.prose(desc)}"
            out.append(line)
        return out

    def discriminator(self, d: dict[str, Json]) -> str:
        text = f"discriminator {self.scalar(d.get('propertyName'))}"
        mapping = d.get("mapping")
        if isinstance(mapping, dict) and mapping:
            pairs = []
            for key in sorted(mapping):
                target = mapping[key]
                name = self.schema_name(target) if isinstance(target, str) else None
                label = f"schema:{name}" if name is not None else self.scalar(target)
                pairs.append(f"{self.text(key)} -> {self.text(label)}")
            text += " (" + ", ".join(pairs) + ")"
        return text


_SCHEMA_FLAGS = (
    ("nullable", "nullable"),
    ("deprecated", "deprecated"),
    ("readOnly", "read-only"),
    ("writeOnly", "write-only"),
    ("uniqueItems", "unique items"),
)
_FLAG_KEYS = frozenset(flag for flag, _ in _SCHEMA_FLAGS)
_COMBINERS = {"allOf": "all of", "oneOf": "one of", "anyOf": "any of"}
_SCHEMA_HANDLED = frozenset(
    {"$ref", "type", "items", "format", "enum", "allOf", "oneOf", "anyOf", "not", "properties",
     "required", "additionalProperties", "discriminator", "externalDocs"}
    | {flag for flag, _ in _SCHEMA_FLAGS}
    | _SKIPPED
)  # fmt: skip
_PROSE_KEYS = frozenset({"description", "summary", "title"})


def _is_prose(key: str) -> bool:
    return key in _PROSE_KEYS


def _make_item(key: str, title: str, text: str, url: str | None, base: str) -> Item:
    """An undated item linking to its own docs, else to the spec."""
    if len(text) > MAX_TEXT_CHARS - 100:
        # Item texts are capped; without a digest of the whole, a change past the cap (a
        # property added to a very large schema) would go unseen.
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        text = f"{text[: MAX_TEXT_CHARS - 100]} … (cut; full rendering {digest})"
    if not url:
        return make_item(key, title, text, base)
    if url.startswith(("http://", "https://")):
        return make_item(key, title, text, url)  # absolute: skip the costly urljoin
    return make_item(key, title, text, url, base=base)


def _docs_url(obj: Json) -> str | None:
    docs = obj.get("externalDocs") if isinstance(obj, dict) else None
    url = docs.get("url") if isinstance(docs, dict) else None
    return url if isinstance(url, str) else None
