"""A fetched body -> a parsed document, with every failure turned into `ExtractError`.

`_parse` reads JSON, or YAML where the caller allows it (an OpenAPI document may be either;
a JSON spec must be JSON). `_guarded` runs a step of an extractor and reports any library
error, deep recursion or memory exhaustion as `ExtractError`: a malformed spec must fail its
source's run with a message, never crash the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from radar.errors import ExtractError
from radar.extract.apispec.limits import Json
from radar.extract.apispec.yaml_loader import load_yaml

_T = TypeVar("_T")


def _guarded(work: Callable[[], _T], what: str) -> _T:
    """`work()`, with any failure as ExtractError: a malformed spec must fail the source's run
    with a message, never crash it with a library error."""
    try:
        return work()
    except ExtractError:
        raise
    except RecursionError:
        raise ExtractError(f"{what} is nested too deeply to read") from None
    except MemoryError:
        raise ExtractError(f"{what} is too large to read") from None
    except Exception as exc:
        raise ExtractError(f"{what} could not be read ({type(exc).__name__}: {exc})") from exc


def _parse(text: str, *, allow_yaml: bool) -> Json:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except RecursionError:
            raise ExtractError("the JSON is nested too deeply to read") from None
        except ValueError as exc:
            if not allow_yaml:
                raise ExtractError(f"the body is not valid JSON: {exc}") from None
            json_error = exc
        else:
            return data  # depth is bounded where it matters: in the renderer
        try:
            return load_yaml(text)
        except ExtractError:
            raise ExtractError(f"the body is not valid JSON: {json_error}") from None
    if not allow_yaml:
        raise ExtractError("the body is not JSON (it does not start with '{' or '[')")
    return load_yaml(text)
