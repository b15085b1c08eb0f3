"""The Markdown inline rules on hostile lines: linear time, the same text as before."""

from __future__ import annotations

import time

import pytest

from radar.extract.markdown import _inline_text

# Each took seconds (16 KB of "`": 44 s) when a failed try rescanned the rest of the line.
HOSTILE = {
    "brackets": "[" * 16_384,
    "bracket-words": "[a" * 8_192,
    "images": "![" * 8_192,
    "open-images": "![a](" * 3_000,
    "backticks": "`" * 16_384,
    "strong-never-closed": "**a " * 4_000,
    "underscores-never-closed": "__a " * 4_000,
}


@pytest.mark.parametrize("line", list(HOSTILE.values()), ids=list(HOSTILE))
def test_extract_markdown_inline_hostile_line_is_fast(line: str) -> None:
    start = time.perf_counter()
    _inline_text(line)
    assert time.perf_counter() - start < 1.0  # about 3 ms now; generous for a busy machine


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("See [the docs](https://x.y/a_(b)) now", "See the docs now"),
        ("![logo](a.png) and [ref][1]", "logo and ref"),
        ("**bold** and *em* and _u_ and __s__ ~~x~~", "bold and em and u and s x"),
        ("`code` and ``a ` b``", "code and a ' b"),
        ("**a **b and [x", "**a **b and [x"),
        ("snake_case_name", "snake_case_name"),
    ],
)
def test_extract_markdown_inline_keeps_what_it_extracts(raw: str, text: str) -> None:
    assert _inline_text(raw) == text
