"""Changelog pages in MDX (Markdown with JSX components: Mintlify, Docusaurus, Nextra, Fern).

The page is scanned once into a tree of components and text. Entries are the components that
carry a date-like attribute (`<Update label="Aug 13, 2026" description="v1.2.0">…</Update>`);
when several component names carry dates, the most frequent one is the entry type, so a dated
`<Tab>` around dated `<Update>`s stays context. A page with no dated components is read as
plain Markdown (JSX and ES module lines removed, component bodies dedented) and split by
`blocks.split_entries`.

- Identity (the key): the titles of enclosing components (`<Tab title="Python">`), then the
  release version when the description, label or first heading holds one, else the label's
  date. Blocks that share that key are told apart by their first heading (two releases on one
  day); only true duplicates (same label, same heading) fall back to -2 in document order. The
  heading is not always part of the key: weekly entries rewrite their first heading in edits.
- Date: the label's, with the end of a range ("Oct 27 - Nov 3"); a label without a year takes
  the latest year that is not after `fetched_at` (or, without `fetched_at`, the year its dated
  neighbours imply). A date is never later than `fetched_at`.
- Entry bodies are read line by line (`body`), not with markdown-it.

The parts: `tags` scans the page into a tree of components, `body` reads an entry's Markdown
into text, `dates` reads label dates, `versions` finds release versions and slugs key parts;
this module picks the entries and assembles their items and keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from radar.extract.blocks import split_entries
from radar.extract.common import anchor_url, decode_body, make_item, require_items
from radar.extract.markdown import FRONT_MATTER, markdown_blocks
from radar.extract.mdx.body import read_markdown, segments
from radar.extract.mdx.dates import (
    LabelDate,
    label_date,
    latest_date,
    published_date,
    resolve_dates,
)
from radar.extract.mdx.tags import MAX_DEPTH, Node, Scanner
from radar.extract.mdx.versions import named_version, slug, version_slug
from radar.model import FetchResult, Item, Source

__all__ = ["MAX_DEPTH", "extract_changelog_mdx"]

# Attributes that name an enclosing component (`<Tab title>`, `<TabItem label>`), in order.
_CONTEXT_ATTRS = ("title", "label", "value")
# Attributes checked first for an entry's date; any other string attribute may hold it too.
_DATE_ATTRS = ("date", "label")
_VERSION_ATTRS = ("version", "description", "label", "title")


def extract_changelog_mdx(source: Source, result: FetchResult) -> list[Item]:
    """Entries of an MDX changelog (dated components) or of any MDX page (Markdown sections)."""
    text = FRONT_MATTER.sub("", decode_body(result), count=1)
    root = Scanner(text).run()
    entries = _entry_nodes(root)
    if entries:
        return require_items(
            _items(entries, source.url, result.fetched_at), "the dated components are empty"
        )
    parts: list[str] = []
    segments(root, parts, dedent=True)
    items = split_entries(markdown_blocks("\n\n".join(parts)), source.url)
    return require_items(
        items, "the MDX has no dated components and no headings with text under them"
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    node: Node
    context: tuple[str, ...]  # titles of the enclosing components, outermost first
    dated: tuple[str, LabelDate] | None  # the attribute value holding the date, and the date


def _entry_nodes(root: Node) -> list[_Entry]:
    """The entry components in document order (see the module docstring for the choice)."""
    dated: dict[str, int] = {}
    versioned: dict[str, int] = {}
    # Each component's date, read once here and kept for the entries (by identity: nodes
    # are not hashable).
    dates: dict[int, tuple[str, LabelDate] | None] = {}
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, Node):
                found_date = dates[id(child)] = _date_attr(child)
                if found_date is not None:
                    dated[child.name] = dated.get(child.name, 0) + 1
                elif any(version_slug(child.text_attr(a), False) for a in _VERSION_ATTRS):
                    versioned[child.name] = versioned.get(child.name, 0) + 1
                stack.append(child)
    counts = dated or {name: n for name, n in versioned.items() if n > 1}
    if not counts:
        return []
    name = max(counts, key=lambda n: counts[n])
    found: list[_Entry] = []
    # Pre-order walk: children pushed in reverse so they come off the stack in document order.
    walk: list[tuple[Node, tuple[str, ...]]] = [
        (c, ()) for c in reversed(root.children) if isinstance(c, Node)
    ]
    while walk:
        node, context = walk.pop()
        if node.name == name:
            found.append(_Entry(node, context, dates[id(node)]))
            continue
        title = next(filter(None, (node.text_attr(a) for a in _CONTEXT_ATTRS)), "")
        inner = (*context, title) if title else context
        walk.extend((c, inner) for c in reversed(node.children) if isinstance(c, Node))
    return found


def _date_attr(node: Node) -> tuple[str, LabelDate] | None:
    names = [*_DATE_ATTRS, *(a for a in node.attrs if a not in _DATE_ATTRS)]
    for attr in names:
        value = node.text_attr(attr)
        if value:
            found = label_date(value)
            if found is not None:
                return value, found
    return None


def _items(entries: list[_Entry], page_url: str, fetched_at: datetime | None) -> list[Item]:
    dates = [e.dated for e in entries]
    resolved = resolve_dates([d[1] if d else None for d in dates], fetched_at)
    drafts: list[tuple[str, str, Item]] = []
    # Entries of one tab share their context: its slugs are worked out once.
    context_slugs: dict[tuple[str, ...], list[str]] = {}
    latest = latest_date(fetched_at)
    for entry, dated, day in zip(entries, dates, resolved, strict=True):
        node = entry.node
        parts: list[str] = []
        segments(node, parts, dedent=False)
        body = read_markdown("\n\n".join(parts))
        heading = body.heading
        # The attributes as text, each read once; the version is looked for in them in
        # _VERSION_ATTRS' order.
        version_attr, description_attr, label_attr, title_attr = map(
            node.text_attr, ("version", "description", "label", "title")
        )
        label = label_attr or (dated[0] if dated else "")
        description = description_attr or ""
        version = (
            version_slug(version_attr, False)
            or version_slug(description_attr, False)
            or version_slug(label_attr, False)
            or version_slug(title_attr, False)
            or version_slug(heading, True)
        )
        context = context_slugs.get(entry.context)
        if context is None:
            context = context_slugs[entry.context] = [slug(c) for c in entry.context]
        if version:
            ident = version
        elif dated:
            ident = dated[1].key()
        else:
            ident = slug(label or heading or description or node.name)
        key = "/".join([*context, ident or "entry"])
        rss = node.attrs.get("rss")
        title = (
            (rss.get("title", "") if isinstance(rss, dict) else "")
            or heading
            or description
            or title_attr
            or label
            or node.name
        )
        shown = named_version(description or heading) if version else None
        if shown and shown.number not in title:
            title = f"{shown.written} {title}"  # "v0.121.0 Release Highlights"
        if entry.context and not title.startswith(entry.context[-1]):
            title = f"{' '.join(entry.context)} {title}"
        text = f"{description} {body.text}" if description else body.text
        if not text.strip():
            continue  # an empty block (a placeholder) is not an entry
        url = anchor_url(page_url, slug(label))
        published = published_date(day, fetched_at, latest)
        item = make_item(key, title, text, url, published, url_is_clean=True)
        drafts.append((key, slug(heading), item))
    return _number_repeats(_by_content(drafts))


def _by_content(drafts: list[tuple[str, str, Item]]) -> list[Item]:
    """Items whose keys repeat get their first heading added when that tells them apart."""
    seen: dict[str, int] = {}
    for key, _, _ in drafts:
        seen[key] = seen.get(key, 0) + 1
    out: list[Item] = []
    for key, heading, item in drafts:
        if seen[key] > 1 and heading and not key.endswith(heading):
            item = Item(f"{key}-{heading}", item.title, item.text, item.url, item.published)
        out.append(item)
    return out


def _number_repeats(items: list[Item]) -> list[Item]:
    """Keys still repeated get -2, -3 in document order: the last resort.

    Not `common.unique_keys`, which adds a hash of the text: an edit to either of two blocks
    committed twice (same label, same heading) would then read as a removal and an addition.
    """
    seen: dict[str, int] = {}
    taken = {item.key for item in items}
    out: list[Item] = []
    for item in items:
        n = seen.get(item.key, 0) + 1
        seen[item.key] = n
        if n > 1:
            key = f"{item.key}-{n}"
            while key in taken:
                n += 1
                key = f"{item.key}-{n}"
            taken.add(key)
            item = Item(key, item.title, item.text, item.url, item.published)
        out.append(item)
    return out
