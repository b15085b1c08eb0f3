"""An entry's text keeps a line per block (heading, paragraph, list item), and nothing a reader
saw as unchanged becomes a change because of it (issue 11: structure over flattened text)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from radar.diff import diff_entries, entry_digest
from radar.extract import extract
from radar.extract.common import make_item
from radar.model import ChangeKind, FetchResult, Item, Snapshot, Source, SourceKind
from radar.text import normalize_lines, normalize_text

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SOURCE = Source(id="s", platform="x", kind=SourceKind.AUTO, url="https://example.com/CHANGELOG.md")


def _extracted(body: bytes, content_type: str, url: str = SOURCE.url) -> list[Item]:
    """The entries Radar reads from `body` at `url` (kind auto)."""
    source = Source(id="s", platform="x", kind=SourceKind.AUTO, url=url)
    return extract(source, FetchResult(url, 200, body, content_type))


CHANGELOG = b"""# Changelog

## 2.7.0 (2026-10-25)

### Breaking Changes

- Drop Python 3.10 support

### Features

- Add support for voice channel statuses:
  - `RESTClient.set_voice_channel_status`
- Add the missing `after` parameter
"""


def test_normalize_lines_keeps_one_line_per_block() -> None:
    raw = "  Bug  Fixes \n\n\t- Fix “a”  crash\n \n"
    assert normalize_lines(raw) == 'Bug Fixes\n- Fix "a" crash'
    assert normalize_lines("one line") == normalize_text("one line")


@given(st.text())
def test_normalize_lines_is_idempotent_and_normal_line_by_line(s: str) -> None:
    once = normalize_lines(s)
    assert normalize_lines(once) == once
    assert all(line and normalize_text(line) == line for line in once.split("\n") if once)
    assert normalize_text(once) == normalize_text(s)  # the same words, read as one line


def test_markdown_release_text_keeps_its_sections_and_items_apart() -> None:
    [release] = _extracted(CHANGELOG, "text/markdown")
    assert release.text.split("\n") == [
        "Breaking Changes",
        "Drop Python 3.10 support",
        "Features",
        "Add support for voice channel statuses:",
        "RESTClient.set_voice_channel_status",  # a nested item: a line of its own
        "Add the missing after parameter",
    ]


def test_make_item_keeps_line_breaks_and_normalises_each_line() -> None:
    item = make_item("k", "T", "Features\n  Add   x \n\nFix y")
    assert item.text == "Features\nAdd x\nFix y"


def test_a_snapshot_stored_with_flattened_text_sees_no_change() -> None:
    """Entries stored before line breaks were kept have the same digest as today's text: an
    upgrade rewrites the snapshot once and reports nothing."""
    lined = Item(key="2.7.0", title="2.7.0", text="Features\nAdd x", url=None, published=None)
    flat = Item(key="2.7.0", title="2.7.0", text="Features Add x", url=None, published=None)
    assert entry_digest(lined.title, lined.text) == entry_digest(flat.title, flat.text)
    first = diff_entries(SOURCE, None, [flat], NOW, announce_since=NOW - timedelta(days=7))
    stored = Snapshot(source_id="s", version=1, entries=first.entries, content_hash="h0")
    second = diff_entries(SOURCE, stored, [lined], NOW, announce_since=NOW - timedelta(days=7))
    assert not second.changes
    assert second.entries["2.7.0"].text == "Features\nAdd x"
    assert first.changes[0].kind is ChangeKind.BASELINE


PLAIN_TEXT = b"""version 2021.12.17

Core
* [postprocessor/ffmpeg] Show ffmpeg output on error (#22680)

Extractors
- [liveleak] Remove extractor (#17625)
+ [egghead] Add support for app.egghead.io (#28404)


version 2021.06.06

Extractors
* [facebook] Improve login required detection
"""


def test_a_plain_text_changelog_splits_at_its_release_lines() -> None:
    """A ChangeLog or NEWS file has no Markdown headings: its releases are lines that open
    with a version (youtube-dl's ChangeLog read as no entries before)."""
    items = _extracted(PLAIN_TEXT, "text/plain", "https://example.com/ChangeLog")
    assert [item.key for item in items] == ["2021.12.17", "2021.06.06"]
    assert items[0].text.split("\n")[:2] == [
        "Core",
        "[postprocessor/ffmpeg] Show ffmpeg output on error (#22680)",
    ]


BULLETED_RELEASES = b"""* 4.1.1:
- Fix for types.py to include classes of dependent modules

* 4.1.0:
- Performance improvements
- Bumped Python version to 3.7+

* 4.0.0:
- Removing support for Python 2

Supported runtimes:

* 3.7
* 3.8
"""


def test_release_lines_written_as_list_items_split_the_changelog() -> None:
    """google-ads-python's ChangeLog writes each release line as a bullet ("* 4.1.1:") over a
    list of its changes: no entries before. A run of such bullets is a list of versions."""
    items = _extracted(BULLETED_RELEASES, "text/plain", "https://example.com/ChangeLog")
    assert [item.key for item in items] == ["4.1.1", "4.1.0", "4.0.0"]
    assert items[0].title == "4.1.1: Fix for types.py to include classes of dependent modules"
    assert items[1].text == "Performance improvements\nBumped Python version to 3.7+"
    assert "3.7" in items[2].text and "3.8" in items[2].text  # versions listed, not releases


def test_an_html_list_item_keeps_a_line_per_nested_item() -> None:
    page = b"""<html><body><h2>0.11.1</h2><ul>
<li>Public API changes:<ul><li>Added <code>createModInboxConversation()</code></li>
<li>Deprecated <code>modMail.createConversation()</code></li></ul></li>
<li>Playtest now defaults to <b>--connect</b></li></ul></body></html>"""
    [release] = _extracted(page, "text/html", "https://example.com/log")
    assert release.text.split("\n") == [
        "Public API changes:",
        "Added createModInboxConversation()",
        "Deprecated modMail.createConversation()",
        "Playtest now defaults to --connect",
    ]


TAGGED = b"""# Changelog

### September 23, 2024

`X API v2`

Today, we added the DM blocking and DM unblocking endpoints to the X API v2.

### September 21, 2023

### Replay API

Today, we are deprecating the Replay API endpoint.

### August 1, 2023

- Removed the Historical PowerTrack endpoint.
"""


def test_a_dated_entry_under_a_label_is_titled_by_the_label_and_what_follows() -> None:
    """X's changelog opens each entry with its product tag: 30 entries shared 4 titles."""
    items = _extracted(TAGGED, "text/markdown", "https://x.example/changelog")
    assert [item.title for item in items] == [
        "X API v2: Today, we added the DM blocking and DM unblocking endpoints to the X API v2.",
        "Replay API",  # a sub-heading is a title as it stands
        "Removed the Historical PowerTrack endpoint.",  # and so is a list item
    ]


REVISIONS = b"""# Revision history

### May 14, 2024

**Note:** This is a deprecation announcement.

This update contains the following changes:

The API no longer supports inserting channel discussions.

### March 12, 2024

This update contains the following changes:

### March 1, 2024

Note: the quota calculator now counts search calls at 100 units, as documented since 2020.

### February 2, 2024

Changes to note:

- The `forHandle` parameter is new.
"""


def test_a_dated_entry_is_titled_by_what_its_lead_in_leads_to() -> None:
    """A revision history opens entries with a side note or a lead-in sentence: the title is
    what they lead to; a lead-in that is all there is and a long note stay, and a list's
    introduction is kept with the list's first item."""
    items = _extracted(REVISIONS, "text/markdown", "https://dev.example/revision_history")
    assert [item.title for item in items] == [
        "The API no longer supports inserting channel discussions.",
        "This update contains the following changes:",  # nothing follows it
        "Note: the quota calculator now counts search calls at 100 units, as documented since "
        "2020.",
        "Changes to note: The forHandle parameter is new.",  # a list's introduction stays
    ]
    assert items[0].text.startswith("Note: This is a deprecation announcement.")  # text kept


def test_a_title_grown_from_its_own_text_is_no_news() -> None:
    """A snapshot stored when the entry was titled by its label alone: the new title's words
    are the entry's own, so the upgrade records a cosmetic edit and announces nothing."""
    text = "X API v2\nToday, we added the DM blocking endpoints to the X API v2."
    when = datetime(2024, 9, 23, tzinfo=UTC)
    old = Item(key="2024-09-23", title="X API v2", text=text, url=None, published=when)
    new = Item(
        key="2024-09-23",
        title="X API v2: Today, we added the DM blocking endpoints to the X API v2.",
        text=text,
        url=None,
        published=when,
    )
    first = diff_entries(SOURCE, None, [old], NOW, announce_since=NOW - timedelta(days=7))
    stored = Snapshot(source_id="s", version=1, entries=first.entries, content_hash="h0")
    second = diff_entries(SOURCE, stored, [new], NOW, announce_since=NOW - timedelta(days=7))
    assert [c.kind for c in second.changes] == [ChangeKind.COSMETIC]
