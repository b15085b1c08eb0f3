"""YAML text -> plain values, built from libyaml's event stream with bounds checked while parsing.

PyYAML's constructor would expand aliases without limit, recurse without limit and type
`yes`, `on` and dates; this builder counts the nodes aliases expand to (`MAX_ALIAS_NODES`),
refuses alias cycles, nesting deeper than `MAX_DEPTH` and multiple documents, types only the
YAML 1.2 core scalars, and keeps mapping keys as text, so an OpenAPI document in YAML reads as
the same values as its JSON twin.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import events as ev

from radar.errors import ExtractError
from radar.extract.apispec.limits import MAX_ALIAS_NODES, MAX_DEPTH, Json

__all__ = ["load_yaml"]

_YAML_CONSTANTS: dict[str, Json] = {
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_YAML_INT = re.compile(r"[-+]?[0-9]+\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def load_yaml(text: str) -> Json:
    """The single YAML document in `text`, as plain dicts, lists and scalars.

    Built from libyaml's event stream (CSafeLoader's parser) rather than PyYAML's constructor:
    several times faster, and it can count what aliases expand to, refuse alias cycles and
    deep nesting while parsing, and keep mapping keys as strings. Dates stay strings.
    """
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        return _build(loader)
    except yaml.YAMLError as exc:
        raise ExtractError(f"the body is not valid YAML: {_one_line(str(exc))}") from None
    except ValueError as exc:  # a number too long to convert
        raise ExtractError(f"the YAML has a value that cannot be read: {exc}") from None
    finally:
        loader.dispose()


def _build(loader: Any) -> Json:
    # The hot loop of reading a YAML spec (one pass per event): event classes and helpers are
    # bound to locals, and scalars are resolved inline.
    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    constants, is_int, is_float = _YAML_CONSTANTS, _YAML_INT.match, _YAML_FLOAT.match
    # A frame: [container, pending key, has key, nodes at start, anchor, merge sources].
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Json, int]] = {}  # anchor -> (value, nodes it expands to)
    open_anchors: set[str] = set()
    nodes = alias_nodes = 0
    documents = 0
    root: Json = None
    get_event = loader.get_event
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            nodes += 1
            value = event.value
            # YAML 1.2 core schema: only true/false/null and numbers are typed; "yes", "on"
            # and dates stay strings, so re-quoting a value never changes its rendering.
            # libyaml gives plain scalars the style ''.
            if not event.style and event.implicit[0]:
                if value in constants:
                    value = constants[value]
                elif value[0] in "0123456789-+." and (is_int(value) or is_float(value)):
                    value = int(value) if is_int(value) else float(value)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
        elif kind is mapping_start or kind is sequence_start:
            if len(stack) >= MAX_DEPTH:
                raise ExtractError(f"the YAML is nested deeper than {MAX_DEPTH} levels")
            container: Json = {} if kind is mapping_start else []
            stack.append([container, None, False, nodes, event.anchor, None])
            nodes += 1
            if event.anchor:
                open_anchors.add(event.anchor)
            continue
        elif kind is mapping_end or kind is sequence_end:
            container, _, _, start, anchor, merges = stack.pop()
            if merges:
                for merged in merges:  # `<<: *base`: keys of the mapping itself win
                    for k, v in merged.items():
                        container.setdefault(k, v)
            value = container
            if anchor:
                open_anchors.discard(anchor)
                anchors[anchor] = (value, nodes - start)
        elif kind is alias_event:
            if event.anchor in open_anchors:
                raise ExtractError(
                    f"the YAML alias *{event.anchor} refers to a node that contains it (a cycle)"
                )
            if event.anchor not in anchors:
                raise ExtractError(f"the YAML alias *{event.anchor} has no anchor")
            value, size = anchors[event.anchor]
            nodes += size
            alias_nodes += size
            if alias_nodes > MAX_ALIAS_NODES:
                raise ExtractError(
                    f"the YAML aliases expand to over {MAX_ALIAS_NODES:,} nodes "
                    "(an alias bomb?); refusing to read it"
                )
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise ExtractError("the YAML holds more than one document")
            continue
        elif kind is ev.StreamEndEvent:
            return root
        else:
            continue
        if not stack:
            root = value
            continue
        frame = stack[-1]
        parent = frame[0]
        if type(parent) is list:
            parent.append(value)
        elif frame[2]:
            if frame[1] == "<<" and isinstance(value, (dict, list)):
                sources = value if isinstance(value, list) else [value]
                frame[5] = (frame[5] or []) + [s for s in sources if isinstance(s, dict)]
            else:
                parent[frame[1]] = value
            frame[2] = False
        else:
            if isinstance(value, (dict, list)):
                raise ExtractError("the YAML has a mapping key that is itself a list or mapping")
            frame[1] = value if type(value) is str else _key_text(value)
            frame[2] = True


def _key_text(value: Json) -> str:
    # Keys are text in JSON; `200:` and `"200":` must be the same response code.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _one_line(message: str) -> str:
    return " ".join(message.split())
