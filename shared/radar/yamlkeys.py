"""YAML loaders that refuse a key written twice in one mapping.

PyYAML keeps the last of two equal keys, so a repeated key in a catalog (a rule's `2:` weights
written twice, a source's `url:` twice) would drop the first value without a word. A user's
YAML is read with these loaders; the packaged files are checked once by a unit test.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_MERGE = "tag:yaml.org,2002:merge"


def with_unique_keys(base: type[Any]) -> type[Any]:
    """A subclass of the loader `base` whose mappings may not repeat a key ("<<" merges may
    override: that is what they are for)."""

    class UniqueKeyLoader(base):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: set[Any] = set()
                for key_node, _value in node.value:
                    if key_node.tag == _MERGE:
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        repeated = key in seen
                    except TypeError:  # an unhashable key: the base loader says so
                        continue
                    if repeated:
                        raise ConstructorError(
                            "while reading a mapping",
                            node.start_mark,
                            f"found the key {key!r} twice",
                            key_node.start_mark,
                        )
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    UniqueKeyLoader.__name__ = f"UniqueKey{base.__name__}"
    return UniqueKeyLoader
