"""The MDX scanner's search for the next construct (issue 15): line constructs (fences, ES
module lines) found apart from inline ones (code spans, comments, tags, braces, escapes), then
the leftmost taken, a line construct on a tie. The tree must be the one that the single
alternation of all constructs (line ones first) gave, at a tenth of the search time."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.extract.mdx import tags
from radar.extract.mdx.tags import Node, Scanner
from tests.support.corpus import CORPUS

# The scanner's pattern before the split: one alternation, tried at every position.
_ONE_ALTERNATION = re.compile(
    r"(?P<fence>^[ \t]*(?:`{3,}|~{3,}))"
    r"|(?P<esm>^(?:import|export)(?=[ \t{*]))"
    r"|(?P<tick>`+)"
    r"|(?P<comment><!--)"
    r"|(?P<tag></?[A-Za-z]|</?>)"
    r"|(?P<brace>\{)"
    r"|(?P<esc>\\[\\`{}<>])",
    re.M,
)


class _ReferenceScanner(Scanner):
    def _next_special(self, pos: int) -> re.Match[str] | None:
        return _ONE_ALTERNATION.search(self.text, pos)


def _tree(node: Node | str) -> object:
    if isinstance(node, str):
        return node
    attrs = tuple(sorted((k, repr(v)) for k, v in node.attrs.items()))
    return (node.name, attrs, node.block, tuple(_tree(c) for c in node.children))


def _both(text: str) -> tuple[object, object]:
    return _tree(Scanner(text).run()), _tree(_ReferenceScanner(text).run())


PIECES = (
    *("```", "```js", "~~~", "  ```", "`", "``", "`x`", "import x from 'y'", "export const a = 1"),
    *('<Update label="Aug 1, 2026">', "</Update>", "<br/>", "<>", "</>", "<!-- c -->", "<!--"),
    *("{x}", "{", "}", "\\{", "\\<", "\\`", "a < b", "<3", "text", "### Title", "- item"),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text("`~<>{}\\/!-ie \n\t\"'aA=", max_size=8)))
def test_extract_mdx_scan_finds_what_one_alternation_finds(pieces: list[str]) -> None:
    text = "".join(p + ("\n" if i % 3 else " ") for i, p in enumerate(pieces))
    new, reference = _both(text)
    assert new == reference


def test_extract_mdx_scan_fence_at_line_start_wins_over_its_backticks() -> None:
    text = '```\n<Update label="Aug 1, 2026">\n```\n`<Tag>` after\n<Update label="x">a</Update>\n'
    new, reference = _both(text)
    assert new == reference
    root = Scanner(text).run()
    assert [c.name for c in root.children if isinstance(c, Node)] == ["Update"]


@pytest.mark.corpus
def test_extract_mdx_scan_reads_corpus_pages_as_before() -> None:
    pages = sorted(CORPUS.glob("*_mdx/*.mdx"))
    if not pages:
        pytest.skip(f"no MDX pages in {CORPUS}")
    for page in pages:
        text = page.read_text("utf-8", errors="replace")
        new, reference = _both(text)
        assert new == reference, page.name


def test_extract_mdx_scan_looks_up_line_constructs_once_per_line_construct(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The next fence or ES line is kept until the scan passes it, not searched per construct.
    calls = 0
    real = tags._LINE_SPECIAL

    class Counting:
        def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
            nonlocal calls
            calls += 1
            return real.search(text, pos)

    monkeypatch.setattr(tags, "_LINE_SPECIAL", Counting())
    Scanner("```\ncode\n```\n" + "<A>{x}`y`</A>\n" * 500).run()
    assert calls <= 3
