"""Changelogs without headings whose releases open with a bold version and a date line."""

from __future__ import annotations

from radar.extract.boldheads import markdown_bold
from tests.support.extracting import day, extracted

PAGE = """\
# Changelog
**v2.1.0 - 2.1.1** - 2024-03-02
- **Fix**: the exporter keeps tabs.

**v2.0.0** (2024-02-10)
- **Feature**: a new exporter.
- **Fix**: dark theme colours.

**1.9.3** - 2024-01-05
- **Fix**: crash on empty files.
"""


def test_bold_release_lines_are_an_entry_each() -> None:
    items = extracted(PAGE)
    assert [i.key for i in items] == ["2.1.0", "2.0.0", "1.9.3"]
    assert [day(i) for i in items] == ["2024-03-02", "2024-02-10", "2024-01-05"]
    assert items[1].title.startswith("v2.0.0")
    assert "a new exporter" in items[1].text and "crash" not in items[1].text


def test_bold_version_followed_by_words_is_no_release_line() -> None:
    assert markdown_bold("**v1.2.0** (2024-01-01)")
    assert not markdown_bold("**v1.2.0** - fixes the exporter")
    assert not markdown_bold("**v1.2.0** - 1.3.0")  # a range, no date


def test_bold_version_lines_without_dates_keep_one_entry() -> None:
    page = "# Notes\n\n**1.2.0** - fixes\n\n- a\n\n**1.1.0** - more fixes\n\n- b\n"
    assert [i.key for i in extracted(page)] == ["notes"]
