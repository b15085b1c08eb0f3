"""Plain checks of one configuration value, shared by the settings and the catalog.

Their messages keep the wording Radar's users have seen ("Input should be ..."); the caller
adds which setting or field the value was for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def text(value: Any) -> str:
    """`value` when it is a string."""
    if not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    return value


def flag(value: Any) -> bool:
    """A boolean, or a word for one ("yes", "off", "1", ...)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("Input should be a valid boolean (true/false, yes/no, on/off, 1/0)")


def listed(allowed: Iterable[str]) -> str:
    """ "'a', 'b' or 'c'": the allowed values, for "Input should be ..."."""
    names = [repr(a) for a in allowed]
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
