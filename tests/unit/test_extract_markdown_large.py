"""Large Markdown pages read section by section (issue 13, item 8): the same blocks as one parse.

`markdown_blocks(text, presplit=True)` cuts the page at its top-level `#` headings, builds plain
sections itself and hands the rest to markdown-it piece by piece. These tests hold it to the
one-piece parse (`presplit=False`) on generated pages full of the constructs that could make a
cut wrong, and on the real pages of the corpus. Timings are in tests/bench/bench_markdown_large.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.extract import markdown
from radar.extract.markdown import PRESPLIT_CHARS, markdown_blocks
from tests.support.corpus import CORPUS

# Lines that open, continue or close every kind of block, and lines that only look like they do.
LINES = [
    *("", " ", "   ", "\t"),
    *("# Title", "## 2024-05-01", "### [1.2.3] - 2024-05-01", "## C#", "## Title ##", "##\tTab"),
    *("#", "## ", "####### seven", " ## indented", "#hashtag", "# comment in code", "## a  #"),
    *("Plain text", "  two spaces", "   three", "    four spaces", "\tTab start", "Fixed 5."),
    *("Text **bold** [link](u)", "text  ", "end\\", "ünïcode", "\u00a0nbsp", "\u2003em", "_u_"),
    *("1. ordered", "2) ordered", "10. ten", "1.5 version", "2024-05-01", "&amp; entity"),
    *("- bullet", "* star", "+ plus", "-  two", "- 1. nested", "- # heading", "-", "- ", "-x"),
    *("  - nested", "  continued", "* * *", "---", "===", "___", "- - -"),
    *("```", "```python", "~~~", "````", "  ```", "    ```", "``` x", "> ```", "```  "),
    *("<div>", "</div>", "<!-- c", "-->", "<pre>", "</pre>", "<script>", "</script>", "<x-y>"),
    *("> quote", ">", "> - item", "a | b", "--|--", "| x | y |", "|---|---|", ":-:|"),
    *("[ref]: https://x.y", "[ref]:", '"title"', "Setext", "{{<required>}}", "<https://a.b>"),
]

page_lines = st.lists(
    st.one_of(
        st.sampled_from(LINES),
        st.sampled_from(LINES).map(lambda line: "# " + line),  # a cut before anything
        st.text(alphabet="#-*+>`~<!|[] \tab1.\u00a0", max_size=12),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=page_lines, crlf=st.booleans())
def test_markdown_presplit_gives_the_blocks_of_one_parse(lines: list[str], crlf: bool) -> None:
    text = ("\r\n" if crlf else "\n").join(lines)
    assert markdown_blocks(text, presplit=True) == markdown_blocks(text, presplit=False)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="#-*+>`~<!|[]\n \t\rab1.()_\\:=", max_size=400))
def test_markdown_presplit_any_text_gives_the_blocks_of_one_parse(text: str) -> None:
    assert markdown_blocks(text, presplit=True) == markdown_blocks(text, presplit=False)


def _corpus_pages() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {CORPUS}"))]
    paths = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".mdx") and p.is_file())
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in paths]


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_pages())
def test_markdown_presplit_reads_real_pages_the_same(path: Any) -> None:
    text = path.read_text("utf-8", errors="replace")
    assert markdown_blocks(text, presplit=True) == markdown_blocks(text, presplit=False)


class _CountingParser:
    """markdown-it, counting the characters it is given."""

    def __init__(self) -> None:
        self.real = markdown._parser()
        self.chars = 0
        self.calls = 0

    def parse(self, text: str) -> Any:
        self.chars += len(text)
        self.calls += 1
        return self.real.parse(text)


@pytest.fixture
def parser(monkeypatch: pytest.MonkeyPatch) -> _CountingParser:
    counting = _CountingParser()
    monkeypatch.setattr(markdown, "_parser", lambda: counting)
    return counting


def _dated_page(sections: int) -> str:
    return "# Changelog\n\n" + "".join(
        f"## 2024-05-{i % 28 + 1:02d} Release {i}\n\nFixed {i} in the api.\n\n"
        "- Added x\n- Removed y\n\n"
        for i in range(sections)
    )


def test_markdown_large_page_of_plain_sections_needs_no_parser(parser: _CountingParser) -> None:
    text = _dated_page(5_000)  # took markdown-it ~35 us a line: seconds for 50,000 headings
    assert len(text) >= PRESPLIT_CHARS
    blocks = markdown_blocks(text)
    assert parser.chars == 0
    assert sum(1 for b in blocks if b.level == 2) == 5_000
    assert sum(1 for b in blocks if b.item) == 10_000


def test_markdown_large_page_parses_only_its_sections_with_markup(parser: _CountingParser) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    text = _dated_page(3_000) + "## With a table\n\n" + table + _dated_page(2_000)
    blocks = markdown_blocks(text)
    assert parser.chars == len("## With a table\n\n" + table)
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_large_page_with_an_unclosed_fence_is_not_parsed_once_per_heading(
    parser: _CountingParser,
) -> None:
    # Every "# comment" line in the fence is a cut; each piece ends inside the fence. Growing
    # the piece one section at a time would parse the page thousands of times.
    text = "## Install\n\n```sh\n" + "# comment\nrun x\n" * 20_000
    blocks = markdown_blocks(text)
    assert parser.chars <= 3 * len(text)
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_large_page_with_closed_fences_of_comments_keeps_its_code(
    parser: _CountingParser,
) -> None:
    fence = "```python\n# a comment, not a heading\nprint(1)\n```\n\n"
    text = "".join(f"## 2024-05-01 Release {i}\n\n{fence}" for i in range(3_000))
    blocks = markdown_blocks(text)
    assert blocks == markdown_blocks(text, presplit=False)
    assert not any(b.text.startswith("a comment") for b in blocks if b.level)
    assert parser.chars <= 2 * len(text)


def test_markdown_small_page_is_read_in_one_piece(parser: _CountingParser) -> None:
    text = _dated_page(10)
    markdown_blocks(text)
    assert parser.chars == len(text)


def test_markdown_mid_size_page_of_plain_sections_needs_no_parser(parser: _CountingParser) -> None:
    # A 100 KB changelog cost markdown-it's whole parse (issue 15); its plain sections do not.
    text = _dated_page(300)
    assert markdown.PRESPLIT_CHARS <= len(text) < 256 * 1024
    blocks = markdown_blocks(text)
    assert parser.chars == 0
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_sections_with_markup_in_a_row_are_one_parse(parser: _CountingParser) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    tables = "".join(f"## Table {i}\n\n{table}" for i in range(3))
    text = _dated_page(200) + tables + _dated_page(200)
    blocks = markdown_blocks(text)
    assert (parser.calls, parser.chars) == (1, len(tables))
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_short_plain_section_between_fences_is_not_parsed(
    parser: _CountingParser,
) -> None:
    # Parsing short plain stretches with their neighbours made a page of fences every few
    # sections (bench_markdown_large's `code` page) one whole-page parse: 4.7x slower.
    fence = "## Install\n\n```sh\npip install x\n```\n\n"
    text = (fence + "## 2024-05-01\n\n- Fixed it\n\n") * 400
    blocks = markdown_blocks(text)
    assert parser.chars == len(fence) * 400
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_mid_size_page_of_mostly_markup_is_one_parse(parser: _CountingParser) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    text = ("## Table\n\n" + table * 20 + "## 2024-05-01\n\nFixed it.\n\n") * 60
    assert markdown.PRESPLIT_CHARS <= len(text) < markdown.LARGE_CHARS
    blocks = markdown_blocks(text)
    assert (parser.calls, parser.chars) == (1, len(text))
    assert blocks == markdown_blocks(text, presplit=False)


def test_markdown_bullets_opening_with_a_link_or_code_need_no_parser(
    parser: _CountingParser,
) -> None:
    section = "## 2024-05-01\n\n- [Docs](https://x.y) updated\n- `api` fixed\n\n[Blog](u) post\n\n"
    text = section * 200
    blocks = markdown_blocks(text)
    assert parser.chars == 0
    assert blocks == markdown_blocks(text, presplit=False)


@pytest.mark.parametrize(
    "reference",
    ["[ref]: https://x.y", "[ref\nlabel]: https://x.y", "- [ref]: https://x.y"],
    ids=["one line", "two lines", "in a bullet"],
)
def test_markdown_link_reference_definition_is_read_by_the_parser(reference: str) -> None:
    # A definition gives no text; read as a plain paragraph it would.
    text = f"## 2024-05-01\n\nFixed it.\n\n{reference}\n"
    assert markdown_blocks(text, presplit=True) == markdown_blocks(text, presplit=False)
    assert not any("https" in b.text for b in markdown_blocks(text, presplit=True))
