"""Changelog pages (Markdown and HTML): data-driven cases over tests/fixtures/extract/."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.extract import extract
from radar.model import FetchResult, Item, Source, SourceKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
URL = "https://example.com/changelog"
MD = SourceKind.CHANGELOG_MARKDOWN
HTML = SourceKind.CHANGELOG_HTML


def run(
    name: str | None, kind: SourceKind, selectors: Mapping[str, str] | None = None, body: str = ""
) -> list[Item]:
    source = Source(id="s", platform="p", kind=kind, url=URL, selectors=dict(selectors or {}))
    data = (FIXTURES / name).read_bytes() if name else body.encode()
    return extract(source, FetchResult(URL, 200, data, None))


CASES = [
    (
        "dated-headings.md",
        MD,
        {},
        [
            "2026-11-12",
            "2026-11-12-new-reels-api",
            "2026-11-12-deprecating-v1-insights",
            "2026-11-05-added-the-share-count-field-to-posts",
            "2026-11-05-fixed-pagination-of-comments",
            "2026-11-01",
        ],
    ),
    (
        "titled-dated.md",
        MD,
        {},
        ["2024-08-13-voice-encryption-modes", "2024-08-12-get-guild-role-endpoint"],
    ),
    ("versions.md", MD, {}, ["unreleased", "25.0.3", "25.0.2"]),
    ("docs-anchors.md", MD, {}, ["create", "card", "get"]),
    ("dated.html", HTML, {}, ["2026-03-01", "2026-02-05", "older"]),
    (
        "table.html",
        HTML,
        {"row": "table tr"},
        [
            "2026-02-05-added-the-get-clips-filter",
            "2026-01-20-deprecated-the-get-users-follows-endpoint",
        ],
    ),
    (
        "entries.html",
        HTML,
        {"entry": "div.post", "title": ".t", "date": ".d", "content": ".c"},
        ["2026-03-10-new-reels-tools", "2026-03-02-ads-policy-update"],
    ),
]


@pytest.mark.parametrize(("name", "kind", "selectors", "keys"), CASES, ids=[c[0] for c in CASES])
def test_extract_changelog_splits_fixture_into_keyed_entries(
    name: str, kind: SourceKind, selectors: dict[str, str], keys: list[str]
) -> None:
    assert [i.key for i in run(name, kind, selectors)] == keys


def test_extract_changelog_titled_entry_is_dated_by_the_heading_under_it() -> None:
    first = run("titled-dated.md", MD)[0]
    assert first.title == "Voice Encryption Modes"
    assert first.published == datetime(2024, 8, 13, tzinfo=UTC)
    assert first.url == URL + "#voice-encryption-modes"
    # The "> danger" callout label is not text a reader needs.
    assert "danger" not in first.text


def test_extract_changelog_markdown_text_is_plain() -> None:
    last = run("dated-headings.md", MD)[-1]
    assert last.text == "A single entry for this date, with a link and bold text."


def test_extract_changelog_version_headings_have_no_date_and_keep_emptied_sections() -> None:
    unreleased, latest, _ = run("versions.md", MD)
    assert all(i.published is None for i in (unreleased, latest))
    # Still an entry (empty), so cutting a release never reads as "Unreleased was removed".
    assert (unreleased.title, unreleased.text) == ("Unreleased", "")
    assert latest.title == "v25.0.3: Add partner_client_id field to AttributionData"


@pytest.mark.parametrize(
    ("markdown", "keys"),
    [
        # release-please: a patch release one level down, beside "### Bug Fixes"
        (
            "# Changelog\n## [6.0.0](https://x/compare) (2022-05-10)\n### Bug Fixes\n* a\n"
            "### [5.0.5](https://x/compare) (2021-09-03)\n### Bug Fixes\n* b\n",
            ["6.0.0", "5.0.5"],
        ),
        # a version in the middle of a heading ("Product 0.11.4: title"); a sub-heading that
        # only mentions a version stays part of its release
        (
            "## Devvit 0.11.4: Payments\ntext\n### Upgrade to React 18.2\nmore\n"
            "## Devvit 0.11.3: Web views\ntext\n",
            ["0.11.4", "0.11.3"],
        ),
    ],
)
def test_extract_changelog_version_headings_at_any_level_are_entries(
    markdown: str, keys: list[str]
) -> None:
    source = Source(id="s", platform="p", kind=MD, url="https://example.com/c")
    items = extract(source, FetchResult(source.url, 200, markdown.encode(), "text/markdown"))
    assert [i.key for i in items] == keys


def test_extract_changelog_release_date_line_dates_its_version() -> None:
    markdown = (
        b"## Devvit 0.11.4: Payments\n**Release Date: Dec 9, 2024**\n\nText.\n"
        b"## Devvit 0.11.3: X\nY\n"
    )
    source = Source(id="s", platform="p", kind=MD, url="https://example.com/c")
    first, second = extract(source, FetchResult(source.url, 200, markdown, "text/markdown"))
    assert first.published is not None and first.published.date().isoformat() == "2024-12-09"
    assert first.text == "Text."
    assert second.published is None


def test_extract_changelog_docs_page_uses_anchors_and_readable_shortcodes() -> None:
    create, card, _ = run("docs-anchors.md", MD)
    assert "Required. String." in create.text or "(required) String." in create.text
    assert "{{" not in create.text
    assert "TableOfContents" not in create.text  # <style> dropped
    assert card.title == "Fetch preview card (removed)"


def test_extract_changelog_html_drops_chrome_and_javascript_links() -> None:
    items = run("dated.html", HTML)
    text = " ".join(i.title + " " + i.text for i in items)
    assert "Site header" not in text
    assert "Copyright" not in text
    assert "tracking" not in text
    assert all(i.url is None or i.url.startswith("https://") for i in items)


def test_extract_changelog_html_reads_non_breaking_hyphen_dates() -> None:
    items = run("dated.html", HTML)
    assert items[1].published == datetime(2026, 2, 5, tzinfo=UTC)


def test_extract_changelog_rows_link_to_their_own_anchor() -> None:
    first = run("table.html", HTML, {"row": "table tr"})[0]
    assert first.url == "https://example.com/docs/api/reference#get-clips"


def test_extract_changelog_entry_selector_reads_time_datetime() -> None:
    second = run("entries.html", HTML, {"entry": "div.post", "title": ".t", "content": ".c"})[1]
    assert second.published == datetime(2026, 3, 2, 15, tzinfo=UTC)


# --- identity across edits ------------------------------------------------------------------

PAGE = """# Changelog

## 2026-11-12

### New reels API

Upload reels through the API.

### Deprecating v1 insights

The v1 insights endpoint will be removed soon.

## 2026-11-05

Fixed pagination of comments.
"""


def _by_key(body: str) -> dict[str, Item]:
    return {i.key: i for i in run(None, MD, body=body)}


def test_extract_changelog_typo_fix_changes_text_not_key() -> None:
    before = _by_key(PAGE)
    after = _by_key(PAGE.replace("through the API", "thruogh the API"))
    assert before.keys() == after.keys()
    key = "2026-11-12-new-reels-api"
    assert before[key].text != after[key].text


def test_extract_changelog_reordering_keeps_keys() -> None:
    head, first, second = PAGE.split("## 2026")
    reordered = head + "## 2026" + second.rstrip("\n") + "\n\n## 2026" + first
    assert _by_key(reordered) == _by_key(PAGE)


def test_extract_changelog_new_entry_leaves_other_keys_alone() -> None:
    before = _by_key(PAGE)
    after = _by_key(PAGE.replace("# Changelog\n", "# Changelog\n\n## 2026-11-20\n\nBrand new.\n"))
    assert set(after) - set(before) == {"2026-11-20"}
    assert all(after[k] == before[k] for k in before)


def test_extract_changelog_whitespace_and_typography_do_not_change_items() -> None:
    noisy = PAGE.replace("Upload reels", "Upload   reels").replace(
        "removed soon.", "removed soon.  "
    )
    assert _by_key(noisy) == _by_key(PAGE)


def _scope_rows(n: int) -> str:
    return "".join(
        f"<tr><td><code>scope:{i}</code></td><td>Read thing {i}.<br>API: Get Thing</td></tr>"
        for i in range(n)
    )


def test_extract_changelog_html_reference_table_rows_are_entries() -> None:
    html = (
        "<html><body><main><h2>Scopes</h2><p>Intro.</p><table><tr><th>Scope</th><th>Access</th>"
        f"</tr>{_scope_rows(10)}</table></main></body></html>"
    )
    source = Source(id="s", platform="p", kind=HTML, url="https://example.com/scopes")
    items = extract(source, FetchResult(source.url, 200, html.encode(), "text/html"))
    assert [i.key for i in items][:2] == ["scope:0", "scope:1"]
    assert items[0].text == "Read thing 0. API: Get Thing"


def test_extract_changelog_html_small_tables_inside_entries_stay_prose() -> None:
    entries = "".join(
        f"<h2>2026-0{m}-01</h2><p>Release {m}.</p><table>{_scope_rows(3)}</table>"
        for m in range(1, 5)
    )
    source = Source(id="s", platform="p", kind=HTML, url="https://example.com/changes")
    body = f"<html><body>{entries}</body></html>".encode()
    items = extract(source, FetchResult(source.url, 200, body, "text/html"))
    assert [i.key for i in items] == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("[2.6.0] - 2024-07-09", "2.6.0"),  # Keep a Changelog
        ("[1.0.0] – 2017-06-20", "1.0.0"),
        ("1.2.0 - 2024-05-01", "1.2.0"),
        ("v3 (2024-05-01)", "v3"),
        ("Fix (foo) - 2024-01-01", "Fix (foo)"),
        ("[2024-05-01] Title", "Title"),
    ],
)
def test_dated_heading_title_keeps_no_stray_bracket(heading: str, title: str) -> None:
    body = f"# Changelog\n\n## {heading}\n\n- Added a thing.\n\n"
    body += "## [0.1.0] - 2020-01-01\n\n- First.\n"
    items = run(None, MD, body=body)
    # A dated release of one item is titled "<release>: <item>".
    assert items[0].title.split(": ")[0] == title
    assert items[1].title.split(": ")[0] == "0.1.0"
