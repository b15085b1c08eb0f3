"""Rendered HTML that hides a release heading's date (issue 11, entries on unseen changelogs): a
permalink glyph link inside the heading (Sphinx's "¶" `headerlink`, MkDocs' `toc.permalink`),
and a notice box set between the heading and the paragraph that dates it. The pages are written
out here by hand in each convention; the near misses keep their text."""

from __future__ import annotations

from tests.support.extracting import day, extracted


def _read(html: str) -> list[tuple[str, str, str | None]]:
    return [(i.key, i.title, day(i)) for i in extracted(html, "text/html")]


_SPHINX = """<html><body><div role="main"><div class="section" id="changes"><h1>Changes<a
class="headerlink" href="#changes" title="Permalink to this headline">¶</a></h1>
<div class="section" id="v2-1-0"><h2>2.1.0 (2019-03-04)<a class="headerlink" href="#v2-1-0"
title="Permalink to this headline">¶</a></h2><ul><li>Add a retry option.</li></ul></div>
<div class="section" id="v2-0-1"><h2>2.0.1 (2019-01-20)<a class="headerlink" href="#v2-0-1"
title="Permalink to this headline">¶</a></h2><ul><li>Fix the timeout.</li></ul></div>
</div></div></body></html>"""


def test_extract_sphinx_headerlink_leaves_the_heading_date() -> None:
    read = _read(_SPHINX)
    assert [(k, d) for k, _, d in read] == [("2.1.0", "2019-03-04"), ("2.0.1", "2019-01-20")]
    assert not any("¶" in t for _, t, _ in read)


def test_extract_permalink_glyphs_other_generators_use() -> None:
    html = "<html><body><main>{}</main></body></html>".format(
        "".join(
            f'<h2 id="v{n}">1.{n}.0 - 2020-0{n}-01<a href="#v{n}">{glyph}</a></h2><p>Fix {n}.</p>'
            for n, glyph in ((4, "§"), (3, "#"), (2, " 🔗 "), (1, "<span>¶</span>"))
        )
    )
    assert [d for _, _, d in _read(html)] == [
        "2020-04-01",
        "2020-03-01",
        "2020-02-01",
        "2020-01-01",
    ]


def test_extract_heading_link_with_words_or_elsewhere_is_kept() -> None:
    # A link whose text is words, or a "¶" pointing off the page, is part of the heading.
    html = (
        "<html><body><main>"
        '<h2>1.2.0 <a href="#notes">notes</a></h2><p>First.</p>'
        '<h2>1.1.0 <a href="https://example.org/x">¶</a></h2><p>Second.</p>'
        "</main></body></html>"
    )
    titles = [t for _, t, _ in _read(html)]
    assert titles[0].startswith("1.2.0 notes")
    assert titles[1].startswith("1.1.0 ¶")


_NOTICE = """<html><body><h1>Player releases</h1><article>
<h2>Player 7 - 7.2.0</h2><p>4 Mar 2021</p><ul><li>Faster seek.</li></ul>
<h2>Player 6 - 6.9.1</h2>
<aside class="note"><p>Player 6 is no longer supported.</p></aside>
<p>12 Jan 2019</p><ul><li>Fix captions.</li></ul>
<h2>Player 6 - 6.9.0</h2>
<div class="admonition warning"><p>Upgrade soon.</p></div>
<p>3 Dec 2018</p><ul><li>Add chapters.</li></ul>
</article></body></html>"""


def test_extract_notice_between_heading_and_date_keeps_the_date() -> None:
    read = _read(_NOTICE)
    assert [(k, d) for k, _, d in read] == [
        ("7.2.0", "2021-03-04"),
        ("6.9.1", "2019-01-12"),
        ("6.9.0", "2018-12-03"),
    ]
    assert "no longer supported" in extracted(_NOTICE, "text/html")[1].text


def test_extract_notice_before_a_paragraph_that_is_no_date_stays() -> None:
    html = """<html><body><article>
<h2>Player 7 - 7.2.0</h2><p>4 Mar 2021</p><ul><li>Faster seek.</li></ul>
<h2>Player 6 - 6.9.1</h2>
<aside class="note"><p>Player 6 is no longer supported.</p></aside>
<p>Released on the 12th, see 2019-01-12 notes.</p><ul><li>Fix captions.</li></ul>
</article></body></html>"""
    read = _read(html)
    assert [d for _, _, d in read] == ["2021-03-04", None]
