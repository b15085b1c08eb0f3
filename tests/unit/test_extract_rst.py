"""reStructuredText changelogs: one inline sample per convention, and a replay of the RST corpus."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from radar.errors import ExtractError
from radar.extract.rst import extract_changelog_rst, looks_like_rst, rst_blocks
from radar.model import FetchResult, Item, Source, SourceKind
from tests.support.corpus import corpus_dir, versions

URL = "https://example.com/docs/whats_new.html"
SOURCE = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_RST, url=URL)
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def run(text: str | bytes, fetched_at: datetime | None = FETCHED) -> list[Item]:
    body = text.encode() if isinstance(text, str) else text
    return extract_changelog_rst(SOURCE, FetchResult(URL, 200, body, fetched_at=fetched_at))


def by_key(text: str, fetched_at: datetime | None = FETCHED) -> dict[str, Item]:
    return {item.key: item for item in run(text, fetched_at)}


def day(item: Item) -> date | None:
    return item.published.date() if item.published else None


# --- titles and blocks ----------------------------------------------------------------------


def test_rst_blocks_levels_follow_first_appearance_of_each_adornment() -> None:
    text = "Notes\n~~~~~\n\n1.0\n===\n\nFixes\n-----\n\nx\n\n0.9\n===\n\ny\n"
    levels = [(b.text, b.level) for b in rst_blocks(text) if b.level]
    assert levels == [("Notes", 1), ("1.0", 2), ("Fixes", 3), ("0.9", 2)]


def test_rst_blocks_overline_and_underline_is_its_own_style() -> None:
    text = "=========\nChangelog\n=========\n\nVersion 2\n=========\nx\n"
    levels = [(b.text, b.level) for b in rst_blocks(text) if b.level]
    assert levels == [("Changelog", 1), ("Version 2", 2)]


def test_rst_blocks_short_underline_is_text_not_a_title() -> None:
    blocks = rst_blocks("A long line of text\n--\n")
    assert not any(b.level for b in blocks)


def test_rst_blocks_label_before_title_is_its_anchor() -> None:
    blocks = rst_blocks(".. _vp1p3p0:\n\nv1.3.0\n------\n\nx\n")
    assert [(b.text, b.anchor) for b in blocks if b.level] == [("v1.3.0", "vp1p3p0")]


def test_rst_blocks_top_level_bullets_are_items_with_their_nested_text() -> None:
    text = "1.0\n===\n\n- First\n    - nested detail\n\n- Second\n  continued\n"
    items = [b.text for b in rst_blocks(text) if b.item]
    # A nested item is a line of its own; a paragraph's wrapped lines are one line.
    assert items == ["First\nnested detail", "Second continued"]


# --- text a reader sees ---------------------------------------------------------------------


def entry_text(body: str) -> str:
    return run("v1.0\n----\n\n" + body)[0].text


def test_text_roles_show_their_displayed_text() -> None:
    text = entry_text(
        "- Use :class:`~discord.Client`, :meth:`foo <bar>`, :attr:`Guild.name`, "
        ":meth:`Guild.fetch` and :py:func:`~a.b.run` (:issue:`123`)\n"
    )
    assert text == "Use Client, foo, Guild.name, Guild.fetch() and run() (123)"


def test_text_inline_markup_and_link_targets_removed() -> None:
    text = entry_text(
        "**Bold** and *em* with ``code`` and `a link <https://x.test>`_ and `#1853`_, "
        "name_ and a \\*literal star\\*.\n\n.. _`#1853`: https://x.test/1853\n"
    )
    assert text == "Bold and em with code and a link and #1853, name and a *literal star*."


def test_text_literal_content_is_not_read_as_markup() -> None:
    assert entry_text("Call ``f(*args, **kw)`` now.\n") == "Call f(*args, **kw) now."


def test_text_directive_options_and_comments_dropped_admonition_kept() -> None:
    text = entry_text(
        "Intro.\n\n"
        ".. note::\n   :class: custom-css\n\n   Keep this note.\n\n"
        ".. This is a comment\n   spanning two lines.\n\n"
        ".. toctree::\n   :maxdepth: 2\n\n   hidden/page\n\n"
        ".. code-block:: python\n   :linenos:\n\n   x = *y*\n\n"
        ".. versionadded:: 1.0\n   Added *fast* mode.\n"
    )
    assert text == "Intro.\nKeep this note.\nx = *y*\n1.0 Added fast mode."


def test_text_substitutions_replaced_by_their_text() -> None:
    text = entry_text(
        "- |ext| New :func:`check`.\n\n.. |ext| replace:: [:ref:`ext.commands <cmds>`]\n"
    )
    assert text == "[ext.commands] New check()."


def test_text_literal_block_after_double_colon_kept_verbatim() -> None:
    text = entry_text("Example::\n\n    a = `b`\n\nDone.\n")
    assert text == "Example:\na = 'b'\nDone."  # normalize_text turns backticks into quotes


# --- entries and keys -----------------------------------------------------------------------

DISCORD_STYLE = """\
.. currentmodule:: discord

.. _whats_new:

Changelog
=========

Intro text that is not an entry.

.. _vp1p3p0:

v1.3.0
------

New Features
~~~~~~~~~~~~

- Add :meth:`Guild.fetch_members`.

.. _vp1p2p5:

v1.2.5
------

Bug Fixes
~~~~~~~~~

- Fix a crash.
"""


def test_entries_are_version_sections_keyed_by_version() -> None:
    items = run(DISCORD_STYLE)
    assert [(i.key, i.title, i.published) for i in items] == [
        # A bare version is titled by its first change, as in Markdown.
        ("1.3.0", "v1.3.0: Add Guild.fetch_members().", None),
        ("1.2.5", "v1.2.5: Fix a crash.", None),
    ]
    assert items[0].text == "New Features\nAdd Guild.fetch_members()."  # a line per block
    assert items[0].url == URL + "#vp1p3p0"


def test_keys_do_not_depend_on_position() -> None:
    newer = DISCORD_STYLE.replace(".. _vp1p3p0:", "v1.4.0\n------\n\n- Newest.\n\n.. _vp1p3p0:", 1)
    assert [i.key for i in run(newer)] == ["1.4.0", "1.3.0", "1.2.5"]


def test_key_from_labelled_version_title() -> None:
    items = run("Version 12.4.2\n==============\n\n- Fix.\n\nRelease 5\n=========\n\n- Old.\n")
    assert [i.key for i in items] == ["12.4.2", "5"]


def test_key_from_date_title_when_no_version() -> None:
    items = run("2020-03-30\n----------\n\n- A.\n\n2020-03-01\n----------\n\n- B.\n")
    assert [(i.key, day(i)) for i in items] == [
        ("2020-03-30", date(2020, 3, 30)),
        ("2020-03-01", date(2020, 3, 1)),
    ]


def test_key_from_slug_without_version_or_date() -> None:
    items = run(
        "Guide\n=====\n\nFirst steps\n-----------\n\nx\n\nAdvanced use\n------------\n\ny\n"
    )
    assert [i.key for i in items] == ["first-steps", "advanced-use"]


def test_sections_without_text_are_skipped() -> None:
    items = run("Unreleased\n----------\n\n1.0.0\n-----\n\n- Done.\n")
    assert [i.key for i in items] == ["1.0.0"]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "section",
    [
        "1.2.0 (2020-03-30)\n------------------\n\n- x\n",
        "1.2.0\n-----\n*Released 2020-03-30*\n\n- x\n",
        "1.2.0\n-----\n\nReleased: March 30, 2020\n\n- x\n",
        "1.2.0\n-----\n\n:Date: 2020-03-30\n\n- x\n",
    ],
)
def test_date_from_title_or_date_line_under_it(section: str) -> None:
    (item,) = run(section)
    assert (item.key, day(item)) == ("1.2.0", date(2020, 3, 30))
    assert "2020" not in item.text and "March" not in item.text


def test_date_after_the_fetch_is_dropped() -> None:
    (item,) = run("2.0\n---\n*Released 2026-02-01*\n\n- x\n", fetched_at=FETCHED)
    assert (item.key, item.published) == ("2.0", None)


def test_placeholder_date_filled_later_keeps_the_key() -> None:
    before = run("Version 12.3.0\n==============\n*Released TBD*\n\n- x\n")
    after = run("Version 12.3.0\n==============\n*Released 2020-01-11*\n\n- x\n")
    assert [(i.key, day(i)) for i in before] == [("12.3.0", None)]
    assert [(i.key, day(i)) for i in after] == [("12.3.0", date(2020, 1, 11))]


PSEUDO = """\
Version 7.0
===========
*Released 2017-07-25*

- Big release.

Pre-version 7.0
===============

**2017-06-18**

*Released 6.1.0*

- Finer filters

**2017-05-29**

*Released 6.0.3*

- Faulty PyPI release
"""


def test_emphasised_date_and_released_version_lines_start_entries() -> None:
    items = run(PSEUDO)
    assert [(i.key, i.title, day(i), i.text) for i in items] == [
        ("7.0", "Version 7.0: Big release.", date(2017, 7, 25), "Big release."),
        ("6.1.0", "Released 6.1.0", date(2017, 6, 18), "Finer filters"),
        ("6.0.3", "Released 6.0.3", date(2017, 5, 29), "Faulty PyPI release"),
    ]


def test_bold_paragraph_that_is_not_a_date_does_not_split() -> None:
    text = "2.0\n---\n\n**New features:**\n\n- a\n\n**Bug fixes:**\n\n- b\n"
    assert [i.key for i in run(text)] == ["2.0"]


# --- errors and robustness ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"just a paragraph\nof text\n", "no section titles"),
        (b"Title\n=====\n", "no entries found"),
        (b"\x00\x01\x02" * 1000, "binary"),
        (b"   \n", "empty"),
    ],
)
def test_unusable_bodies_raise_extract_error(body: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        run(body)


@pytest.mark.parametrize(
    "filler",
    ["**a ", "*a *", "``a``b", ":a:`", "|a ", "a_b_", "\\", "`", ".. ", "\t- ", "=\n"],
)
def test_hostile_markup_reads_or_raises_extract_error(filler: str) -> None:
    text = "1.0\n===\n\n" + filler * 50_000
    try:
        items = run(text)
    except ExtractError:
        return
    assert items and all(i.key for i in items)


def test_deeply_nested_directives_do_not_recurse() -> None:
    nested = "".join(" " * (3 * i) + ".. note::\n\n" for i in range(2000))
    (item,) = run("1.0\n===\n\n" + nested + " " * 6000 + "deep text\n")
    assert item.text == "deep text"


# --- sniffing -------------------------------------------------------------------------------


def test_looks_like_rst_on_rst_markdown_and_html() -> None:
    assert looks_like_rst(DISCORD_STYLE)
    assert looks_like_rst(PSEUDO.replace("=", "~"))
    assert not looks_like_rst("# Changelog\n\n## 1.0\n\n- [x](https://a.test)\n")
    assert not looks_like_rst("<!doctype html><h1>Changelog</h1>")


def test_looks_like_rst_false_on_markdown_setext_headings() -> None:
    markdown = "Changelog\n=========\n\n1.0\n---\n- [PR #5](https://x.test/5): fix `a`\n"
    assert not looks_like_rst(markdown * 3)


# --- corpus replay --------------------------------------------------------------------------

MIN_FOUND = 0.98


@pytest.mark.parametrize("folder", ["discordpy_whats_new_rst", "ptb_changes_rst"])
def test_corpus_entries_found_and_dated(folder: str) -> None:
    truth = json.loads((corpus_dir(folder) / "truth.json").read_text("utf-8"))
    by_file = {v["file"]: v for v in truth["versions"]}
    for version in versions(folder):
        expected = by_file[version.path.name]
        items = {i.key: i for i in run(version.path.read_bytes(), fetched_at=version.date)}
        found = 0
        for entry in expected["entries"]:
            item = items.get(entry["key"].lower().removeprefix("v"))
            if item is None:
                continue
            found += 1
            want = entry["date"]
            if want and date.fromisoformat(want) > version.date.date() + timedelta(days=1):
                want = None  # a release date written days before the release is not kept
            got = day(item)
            assert (got.isoformat() if got else None) == want, (version.path.name, entry["key"])
        assert found >= MIN_FOUND * expected["n_entries"], (version.path.name, found)


def test_a_dated_release_title_is_its_version_and_first_change() -> None:
    # towncrier's "1.3.3 (2023-09-07)": the date is the entry's, the title its first change.
    page = (
        "1.3.3 (2023-09-07)\n------------------\n\nBugfixes:\n\n- Revert changed logging\n\n"
        "1.3.2 (2023-09-01)\n------------------\n\n- Enable sourcemaps\n"
    )
    assert [(i.key, i.title, day(i)) for i in run(page)] == [
        ("1.3.3", "1.3.3: Revert changed logging", date(2023, 9, 7)),
        ("1.3.2", "1.3.2: Enable sourcemaps", date(2023, 9, 1)),
    ]


def test_a_release_kind_before_released_on_is_its_date_line() -> None:
    # botogram's "*Bugfix release, released on March 31th, 2016*" under each release title.
    page = (
        "botogram 0.2.1\n==============\n\n*Bugfix release, released on March 31th, 2016*\n\n"
        "* Fix a crash\n\n"
        "botogram 0.2\n============\n\n*Alpha release, released on March 27th, 2016*\n\n"
        "* First\n"
    )
    assert [(i.key, i.title, day(i)) for i in run(page)] == [
        ("0.2.1", "botogram 0.2.1: Fix a crash", date(2016, 3, 31)),
        ("0.2", "botogram 0.2: First", date(2016, 3, 27)),
    ]
