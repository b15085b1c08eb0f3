"""MDX changelogs (`<Update label=…>` components): small inline cases, then the recorded corpus."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar.errors import ExtractError
from radar.extract.mdx import MAX_DEPTH, extract_changelog_mdx
from radar.model import FetchResult, Item, Source, SourceKind
from radar.text import slugify
from tests.support.corpus import corpus_dir, versions

URL = "https://example.com/changelog"
FETCHED = datetime(2026, 9, 1, 12, tzinfo=UTC)


def run(mdx: str, fetched_at: datetime | None = FETCHED) -> list[Item]:
    source = Source(id="s", platform="p", kind=SourceKind.CHANGELOG_MDX, url=URL)
    return extract_changelog_mdx(source, FetchResult(URL, 200, mdx.encode(), fetched_at=fetched_at))


def day(item: Item) -> str | None:
    return item.published.date().isoformat() if item.published else None


# --- components and attributes --------------------------------------------------------------

# (case, MDX, expected [(key, title, date)])
CASES = [
    (
        "label-description",
        '<Update label="Aug 13, 2026" description="Ads API">\n  New endpoint.\n</Update>\n',
        [("2026-08-13", "Ads API", "2026-08-13")],
    ),
    (
        "rss-object-title",
        '<Update label="Aug 13, 2026" tags={["New", "API"]} '
        'rss={{ title: "Weekly {digest}", description: "x" }}>\n  ## Ads\n  Text.\n</Update>\n',
        [("2026-08-13", "Weekly {digest}", "2026-08-13")],
    ),
    (
        "multi-line-tag-and-indented-body",
        '<Update\n    label="December 4, 2025"\n    tags={["a"]}\n>\n    ## CUE Support\n\n'
        "    Define schemas in CUE.\n</Update>\n",
        [("2025-12-04", "CUE Support", "2025-12-04")],
    ),
    (
        "version-in-description",
        '<Update label="2025-07-05" description="v0.1.114">\n**New:** vLLM\n</Update>\n',
        [("v0-1-114", "v0.1.114", "2025-07-05")],
    ),
    (
        "product-and-version-in-description",
        '<Update label="2025-03-29" description="AI SDK v1.0.0">\nRerank.\n</Update>\n',
        [("ai-sdk-v1-0-0", "AI SDK v1.0.0", "2025-03-29")],
    ),
    (
        "version-as-first-heading",
        '<Update label="Feb 27, 2026">\n  ## v1.10.1a1\n\n  [Release](https://x.io)\n</Update>\n',
        [("v1-10-1a1", "v1.10.1a1", "2026-02-27")],
    ),
    (
        "feature-heading-with-version-is-not-a-release",
        '<Update label="February 25, 2026">\n  ## Config Editor v3.0\n  Faster.\n</Update>\n',
        [("2026-02-25", "Config Editor v3.0", "2026-02-25")],
    ),
    (
        "same-label-keyed-by-heading",
        '<Update label="December 4, 2025">\n    ## CUE Support\n    A.\n</Update>\n'
        '<Update label="December 4, 2025">\n    ## Workspace Invitations\n    B.\n</Update>\n',
        [
            ("2025-12-04-cue-support", "CUE Support", "2025-12-04"),
            ("2025-12-04-workspace-invitations", "Workspace Invitations", "2025-12-04"),
        ],
    ),
    (
        "identical-blocks-last-resort-order",
        '<Update label="Feb 27, 2026">\n## v1.0.1\nA\n</Update>\n'
        '<Update label="Feb 27, 2026">\n## v1.0.1\nB\n</Update>\n',
        [("v1-0-1", "v1.0.1", "2026-02-27"), ("v1-0-1-2", "v1.0.1", "2026-02-27")],
    ),
    (
        "tab-title-in-key",
        '<Tabs>\n<Tab title="Python">\n<Update label="2025-04-09" description="">\nA\n</Update>\n'
        '</Tab>\n<Tab title="Vercel AI SDK">\n<Update label="2025-04-09" description="">\nB\n'
        "</Update>\n</Tab>\n</Tabs>\n",
        [
            ("python/2025-04-09", "Python 2025-04-09", "2025-04-09"),
            ("vercel-ai-sdk/2025-04-09", "Vercel AI SDK 2025-04-09", "2025-04-09"),
        ],
    ),
    (
        "date-attribute",
        '<Release date="2026-01-15" title="Webhooks v2">\nNew payloads.\n</Release>\n',
        [("2026-01-15", "Webhooks v2", "2026-01-15")],
    ),
    (
        "dated-tabs-stay-context-of-updates",
        '<Tabs>\n<Tab title="January 2026">\n<Update label="Jan 5, 2026">\nA\n</Update>\n'
        '<Update label="Jan 9, 2026">\nB\n</Update>\n</Tab>\n</Tabs>\n',
        [
            ("january-2026/2026-01-05", "January 2026 Jan 5, 2026", "2026-01-05"),
            ("january-2026/2026-01-09", "January 2026 Jan 9, 2026", "2026-01-09"),
        ],
    ),
]


@pytest.mark.parametrize(("mdx", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_extract_mdx_entries(mdx: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(i.key, i.title, day(i)) for i in run(mdx)] == expected


def test_extract_mdx_url_points_at_the_label_anchor() -> None:
    (item,) = run('<Update label="Aug 13, 2026">\nA\n</Update>\n')
    assert item.url == f"{URL}#aug-13-2026"


# --- body text ------------------------------------------------------------------------------

PAGE = """---
title: "Product updates"
rss: true
---

import { Framed } from '/snippets/framed.jsx'
export const meta = { secret: "EXPORTED" }

{/* SECRET COMMENT */}

<Update label="August 14, 2026" description="Ads">
    ## Multiple Config Instances

    A schema can now write **several files**, see [the docs](/cfg/schemas).
    New <Badge color="green">Badge</Badge> component.

    <Framed
        image="https://assets.example.com/instance-slots.png"
        borderWidth="24px"
    />

    <img
        src={"https://assets.example.com/cue.png"}
        style={{
            display: "flex",
        }}
    />

    <Dropdown title="Improvements">
        <DropdownItem>
            **Draft mode shows diffs:** while you edit.
        </DropdownItem>
    </Dropdown>

    ```python
    x = {"a": 1}  # <Update label="Jan 1, 2020"> in code
    ```

    Use `{braces}` and `<Tag>` in code spans.{/* hidden */}
</Update>
"""


def test_extract_mdx_body_is_plain_text() -> None:
    (item,) = run(PAGE)
    assert item.title == "Multiple Config Instances"
    assert item.text.startswith("Ads Multiple Config Instances A schema can now write several")
    assert "see the docs." in item.text
    assert "New Badge component." in item.text
    assert "Improvements Draft mode shows diffs: while you edit." in item.text
    assert 'x = {"a": 1}' in item.text  # code stays, fences go
    assert "Use {braces} and" in item.text  # a `<Tag>` in a code span is not a component
    assert item.text.endswith("in code spans.")


@pytest.mark.parametrize(
    "absent",
    ["##", "**", "](", "https://", "/cfg", "Framed", "borderWidth", "display", "```", "hidden"],
)
def test_extract_mdx_body_drops_markup_and_assets(absent: str) -> None:
    (item,) = run(PAGE)
    assert absent not in item.text


@pytest.mark.parametrize("absent", ["EXPORTED", "SECRET", "import", "Product updates"])
def test_extract_mdx_ignores_front_matter_esm_and_comments(absent: str) -> None:
    (item,) = run(PAGE)
    assert absent not in item.text + item.title


def test_extract_mdx_component_inside_a_code_fence_is_not_an_entry() -> None:
    items = run(PAGE)
    assert [i.key for i in items] == ["2026-08-14"]


def test_extract_mdx_heading_edit_keeps_the_key() -> None:
    before = run('<Update label="October 3">\n  ## GitLab integration\n  A\n</Update>\n')
    after = run('<Update label="October 3">\n  ## Web editor\n  A\n</Update>\n')
    assert [i.key for i in before] == [i.key for i in after] == ["10-03"]


# --- dates ----------------------------------------------------------------------------------

# (label, fetched_at, expected date)
DATES = [
    ("November 15", datetime(2025, 11, 17, tzinfo=UTC), "2025-11-15"),
    ("November 15", datetime(2026, 3, 1, tzinfo=UTC), "2025-11-15"),  # latest year not after
    ("15 November", datetime(2026, 3, 1, tzinfo=UTC), "2025-11-15"),
    ("August 24 - August 30", datetime(2025, 9, 4, tzinfo=UTC), "2025-08-30"),
    ("Oct 27 - Nov 3", datetime(2025, 11, 10, tzinfo=UTC), "2025-11-03"),
    ("Dec 28 - Jan 3", datetime(2026, 1, 10, tzinfo=UTC), "2026-01-03"),
    ("Oct 27-31, 2025", FETCHED, "2025-10-31"),
    ("Dec 29, 2025 - Jan 4, 2026", FETCHED, "2026-01-04"),
    ("July 2025", FETCHED, "2025-07-01"),
    ("2024-03-17", FETCHED, "2024-03-17"),
    ("Mar 04, 2026", FETCHED, "2026-03-04"),
    ("Wednesday, March 4, 2026", FETCHED, "2026-03-04"),
    ("February 29", datetime(2026, 3, 1, tzinfo=UTC), "2024-02-29"),
]


@pytest.mark.parametrize(("label", "fetched_at", "expected"), DATES)
def test_extract_mdx_label_dates(label: str, fetched_at: datetime, expected: str) -> None:
    (item,) = run(f'<Update label="{label}">\nA\n</Update>\n', fetched_at)
    assert day(item) == expected


def test_extract_mdx_label_without_date_has_no_date() -> None:
    mdx = (
        '<Update label="Unreleased">\n## Next\nA\n</Update>\n'
        '<Update label="Mar 4, 2026">\nB\n</Update>\n'
    )
    items = run(mdx)
    assert [(i.key, day(i)) for i in items] == [("unreleased", None), ("2026-03-04", "2026-03-04")]


def test_extract_mdx_year_from_neighbours_without_fetch_time() -> None:
    mdx = "".join(
        f'<Update label="{label}">\n{label}\n</Update>\n'
        for label in ("January 9", "Dec 28, 2025", "December 20", "November 2")
    )
    dates = [day(i) for i in run(mdx, fetched_at=None)]
    assert dates == ["2026-01-09", "2025-12-28", "2025-12-20", "2025-11-02"]


def test_extract_mdx_year_from_neighbour_below_when_first() -> None:
    mdx = '<Update label="March 3">\nA\n</Update>\n<Update label="Feb 1, 2026">\nB\n</Update>\n'
    assert [day(i) for i in run(mdx, fetched_at=None)] == ["2026-03-03", "2026-02-01"]


def test_extract_mdx_date_a_day_ahead_keeps_its_date() -> None:
    # The page's time zone is ahead of UTC; pulling the date back to the fetch would make the
    # next fetch (after midnight UTC) read the true date and report a false edit.
    fetched = datetime(2026, 8, 13, 22, 58, tzinfo=UTC)
    (item,) = run('<Update label="August 14, 2026">\nA\n</Update>\n', fetched)
    assert item.published == datetime(2026, 8, 14, tzinfo=UTC)


def test_extract_mdx_far_future_date_is_dropped() -> None:
    (item,) = run('<Update label="August 14, 2062">\nA\n</Update>\n')
    assert item.published is None


@given(st.dates(min_value=datetime(2001, 1, 1).date(), max_value=datetime(2099, 1, 1).date()))
@settings(max_examples=50, deadline=None)
def test_extract_mdx_date_never_after_fetch(label_day: object) -> None:
    label = f"{label_day:%B} {label_day.day}"  # type: ignore[attr-defined]
    for item in run(f'<Update label="{label}">\nA\n</Update>\n'):
        assert item.published is None or item.published <= FETCHED


# --- pages without dated components ---------------------------------------------------------

DOCS = """---
title: Webhooks
---
import { Tabs } from "x"

<Note>
    Webhooks are signed.
</Note>

## Create a webhook

<Tabs>
  <Tab title="cURL">
    Send a `POST` to `/webhooks`.

    ```bash
    curl -X POST /webhooks
    ```
  </Tab>
</Tabs>

## Delete a webhook

    Send a `DELETE`.
"""


def test_extract_mdx_docs_page_falls_back_to_markdown_sections() -> None:
    items = run(DOCS)
    assert [i.key for i in items] == ["create-a-webhook", "delete-a-webhook"]
    assert items[0].text.startswith("cURL\nSend a POST to /webhooks.")


def test_extract_mdx_fallback_dedents_component_bodies() -> None:
    mdx = "<Accordion title='FAQ'>\n    ## Limits\n\n    100 per minute.\n</Accordion>\n"
    (item,) = run(mdx)
    assert (item.key, item.title, item.text) == ("limits", "Limits", "100 per minute.")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n",
        "<Update label='Aug 1, 2026'></Update>",
        "import x from 'y'\n",
        "{/* only a comment */}",
        "<Tabs>" * (MAX_DEPTH + 5),
    ],
    ids=["empty", "blank", "empty-update", "only-esm", "only-comment", "too-deep"],
)
def test_extract_mdx_refuses_pages_without_entries(body: str) -> None:
    with pytest.raises(ExtractError):
        run(body)


HOSTILE = [
    "{" * 100_000,
    "`" * 50_000 + "a" + "``" * 25_000,
    "<a b='" * 30_000,
    "<Update label={" * 20_000,
    "*a " * 60_000,
    "<!--" * 40_000,
    "```\n" * 1 + "<Update label='Aug 1, 2026'>\n" * 20_000,
    "<A>\n" * 60 + "</A>" * 60_000,
]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_extract_mdx_hostile_input_ends_in_items_or_extract_error(body: str) -> None:
    try:
        items = run(body + "\n## Title\ntext\n")
    except ExtractError:
        return
    assert items


@given(st.text(alphabet="<>{}/`\"'=\n #-*[]()abUpdate:label0123456789 ", max_size=400))
@settings(max_examples=300, deadline=None)
def test_extract_mdx_never_raises_anything_but_extract_error(body: str) -> None:
    with contextlib.suppress(ExtractError):
        run(body)


# --- corpus ---------------------------------------------------------------------------------

CORPUS_CASES = [
    "mintlify_changelog_mdx",
    "crewai_changelog_mdx",
    "mem0_changelog_mdx",
    "miru_product_changelog_mdx",
]


@pytest.mark.parametrize("case", CORPUS_CASES)
def test_extract_mdx_corpus_finds_truth_entries_with_their_dates(case: str) -> None:
    truth = json.loads((corpus_dir(case) / "truth.json").read_text("utf-8"))
    by_file = {v["file"]: v for v in truth["versions"]}
    for version in versions(case):
        expected = by_file[version.path.name]
        items = run(version.path.read_text("utf-8"), version.date)
        assert len({i.key for i in items}) == len(items)
        found = _found(expected["entries"], items, version.date)
        assert found >= 0.98 * expected["n_entries"], (version.path.name, found)


def _found(entries: list[dict[str, str]], items: list[Item], fetched: datetime) -> int:
    """Truth entries that have their own item: same date, same title (else the title within).

    Truth entries that share a date and a title (a block committed twice) need as many items.
    """
    groups: dict[tuple[str, str], int] = {}
    for entry in entries:
        groups[(entry["date"], slugify(entry["title"]))] = (
            groups.get((entry["date"], slugify(entry["title"])), 0) + 1
        )
    found = 0
    for (when, title), count in groups.items():
        dated = [i for i in items if _same_date(i, when, fetched)]
        matching = [i for i in dated if slugify(i.title) == title] or [
            i for i in dated if title in slugify(i.title)
        ]
        found += count if len(matching) == count else 0
    return found


def _same_date(item: Item, when: str, fetched: datetime) -> bool:
    got = day(item)
    if got is None or when is None:
        return got == when
    if got == when or (len(when) == 7 and got.startswith(when)):
        return True
    # A label a day ahead of the fetch is clamped to the fetch time.
    return item.published == fetched and when <= (fetched + timedelta(days=1)).date().isoformat()
