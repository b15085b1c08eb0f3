"""radar.render.worddiff: diffs marked for readers, never as raw markup."""

from __future__ import annotations

from radar.render.worddiff import Part, has_visible_change, segments, to_html, to_text

DIFF = "We are {+officially+} deprecating [-some-] {+all+} old gateway versions."


def test_segments_read_back_the_diff() -> None:
    assert [(s.part, s.text.strip()) for s in segments(DIFF)] == [
        (Part.SAME, "We are"),
        (Part.INSERTED, "officially"),
        (Part.SAME, "deprecating"),
        (Part.DELETED, "some"),
        (Part.INSERTED, "all"),
        (Part.SAME, "old gateway versions."),
    ]


def test_segments_tolerate_a_diff_cut_inside_a_marker() -> None:
    assert [s.part for s in segments("kept [-old words that were cut")] == [Part.SAME, Part.DELETED]


def test_html_marks_insertions_and_deletions_with_text_for_screen_readers() -> None:
    html = str(to_html(DIFF, 400, "removed", "added"))
    assert '<ins><span class="sr">added: </span>officially</ins>' in html
    assert '<del><span class="sr">removed: </span>some</del>' in html
    assert "{+" not in html and "[-" not in html


def test_html_escapes_the_entry_text() -> None:
    html = str(to_html("{+<script>alert(1)</script>+}", 400, "removed", "added"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_text_is_readable_without_markup() -> None:
    assert to_text(DIFF, 400, "removed", "added") == (
        "We are [added: officially] deprecating [removed: some] [added: all] old gateway versions."
    )


def test_cut_at_a_word_with_an_ellipsis() -> None:
    text = to_text("{+" + "word " * 50 + "+}", 23, "removed", "added")
    assert text == "[added: word word word word…]"


def test_whitespace_only_changes_are_not_visible() -> None:
    assert not has_visible_change("a [- -] {+  +} b")
    assert has_visible_change(DIFF)
