"""Feed parsers against feedparser, on every feed in ../shared/corpus (issue 15).

For each XML feed of the corpus, each parser's entries are reduced to what Radar reads from an
item (key = id else link, title, link, published to the second in UTC, text), through Radar's
own text functions so that only the parsers differ, and compared with feedparser's as Radar
calls it (bytes in a stream, the HTTP Content-Type, no sanitising). Also checked:

- recoveries: feeds a parser gets entries from (ill-formed and oddly encoded ones included);
- the feed title, a check of decoding (many encoding fixtures hold nothing else);
- bytes only: a body that is a URL or a local path, and DTDs and entities naming a local URL,
  must not make a parser connect anywhere or read a file;
- speed on the 50-item RSS of bench_extract.py.

A candidate is adoptable only if it gets entries from every feed feedparser does, matches it on
all of them, and never fetches. Parsers that are not installed are skipped: install them into a
scratch venv (never the project's) and pass its site-packages with `--site DIR`; they are
appended to the path, so the project's own packages win.

Run: `python tests/bench/bench_feed_parsers.py [--site DIR]`; report committed at
tests/bench/reports/feed_parsers.txt.
"""

from __future__ import annotations

import argparse
import importlib
import io
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from radar.extract.feeds import struct_time_utc
from radar.htmltext import html_to_text
from radar.text import clean_url, normalize_text

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
BENCH_RUNS = 40
FIELDS = ("key", "title", "link", "published", "text")
_HEADER = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


@dataclass(frozen=True)
class View:
    """What Radar reads from one feed: its title and, per entry, FIELDS."""

    title: str
    entries: tuple[tuple[object, ...], ...]


@dataclass
class Tally:
    """One parser's results over the corpus."""

    feeds: int = 0
    with_entries: int = 0
    same_as_feedparser: int = 0  # feeds whose items equal feedparser's (none = none)
    same_with_entries: int = 0  # of those, the ones where feedparser has entries
    missing_recoveries: list[str] = field(default_factory=list)  # feedparser had entries
    extra_recoveries: list[str] = field(default_factory=list)  # only this parser had
    differs: Counter[str] = field(default_factory=Counter)  # field -> feeds that differ
    title_differs: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


# --- Radar's reading of an entry, the same for every parser ----------------------------------


def _text(value: Any, kind: str = "") -> str:
    value = "" if value is None else str(value)
    if not value:
        return ""
    if kind in _HTML_TYPES or (not kind and "<" in value):
        return html_to_text(value)
    return normalize_text(value)


def _entry(
    key: Any, title: str, link: Any, published: datetime | None, text: str
) -> tuple[object, ...]:
    link = clean_url(str(link) if link else None, "https://example.com/feed")
    key = normalize_text(str(key or "")) or link
    when = published.astimezone(UTC).replace(microsecond=0) if published else None
    return (key, title, link, when, text)


def _iso(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- adapters: bytes (+ Content-Type) -> View ------------------------------------------------


def _feedparser(body: bytes, content_type: str) -> View:
    import feedparser

    # As radar.extract.feeds calls it: a stream, so the body is never taken for a path.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = []
    for e in parsed.entries:
        contents = [_text(c.get("value"), c.get("type", "")) for c in e.get("content") or []]
        summary = e.get("summary_detail") or {}
        text = max(contents, key=len, default="") or _text(
            e.get("summary"), summary.get("type") or ""
        )
        published = dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")
        title = _text(e.get("title"), (e.get("title_detail") or {}).get("type", ""))
        entries.append(_entry(e.get("id"), title, e.get("link"), struct_time_utc(published), text))
    return View(_text(parsed.feed.get("title")), tuple(entries))


def _feedparser_given_bytes(body: bytes, content_type: str) -> View:
    """feedparser handed the bytes themselves, as Radar did before issue 15 (probe only)."""
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    titles = tuple((str(e.get("title", "")),) for e in parsed.entries)
    return View(_text(parsed.feed.get("title")), titles)


def _feedparser_rs(body: bytes, content_type: str) -> View:
    import feedparser_rs

    parsed = feedparser_rs.parse(body, sanitize_html=False, resolve_relative_uris=False)
    entries = []
    for e in parsed.entries:
        contents = [_text(c.value, getattr(c, "type", "") or "") for c in e.content or []]
        detail = e.summary_detail
        kind = getattr(detail, "type", "") or "" if detail is not None else ""
        text = max(contents, key=len, default="") or _text(e.summary, kind)
        published = e.published_parsed or e.updated_parsed
        title_kind = getattr(e.title_detail, "type", "") if e.title_detail is not None else ""
        title = _text(e.title, title_kind or "")
        entries.append(_entry(e.id, title, e.link, struct_time_utc(published), text))
    return View(_text(parsed.feed.get("title")), tuple(entries))


def _fastfeedparser(body: bytes, content_type: str) -> View:
    import fastfeedparser

    parsed = fastfeedparser.parse(body)  # bytes: never fetched (only str URLs are)
    entries = []
    for e in parsed.entries:
        contents = [_text(c.get("value"), c.get("type", "")) for c in e.get("content") or []]
        text = max(contents, key=len, default="") or _text(e.get("description"))
        published = _iso(e.get("published") or e.get("updated"))
        entries.append(_entry(e.get("id"), _text(e.get("title")), e.get("link"), published, text))
    return View(_text(parsed.feed.get("title")), tuple(entries))


def _atoma(body: bytes, content_type: str) -> View:
    import atoma

    try:
        rss = atoma.parse_rss_bytes(body)
    except atoma.FeedParseError:
        atom = atoma.parse_atom_bytes(body)
        entries = []
        for e in atom.entries:
            link = next((x.href for x in e.links if x.rel in (None, "alternate")), None)
            content = e.content or e.summary
            text = _text(content.value, _kind(content.text_type)) if content else ""
            title = _text(e.title.value, _kind(e.title.text_type)) if e.title else ""
            entries.append(_entry(e.id_, title, link, _iso(e.published or e.updated), text))
        title = _text(atom.title.value) if atom.title else ""
        return View(title, tuple(entries))
    entries = []
    for i in rss.items:
        text = _text(i.content_encoded or i.description)
        key = i.guid.value if getattr(i.guid, "value", None) else i.guid
        entries.append(_entry(key, _text(i.title), i.link, _iso(i.pub_date), text))
    return View(_text(rss.title), tuple(entries))


def _kind(text_type: Any) -> str:
    return str(getattr(text_type, "value", text_type) or "")  # atoma's AtomTextType.html


# name -> (distribution, module, adapter)
PARSERS: dict[str, tuple[str, str, Callable[[bytes, str], View]]] = {
    "feedparser": ("feedparser", "feedparser", _feedparser),
    "fastfeedparser": ("fastfeedparser", "fastfeedparser", _fastfeedparser),
    "feedparser-rs": ("feedparser-rs", "feedparser_rs", _feedparser_rs),
    "atoma": ("atoma", "atoma", _atoma),
}


# --- the corpus --------------------------------------------------------------------------------


def _feeds() -> list[tuple[str, bytes, str]]:
    """(name, body, Content-Type) of every XML feed in the corpus."""
    out = []
    for path in sorted(CORPUS.glob("*/*.xml")):
        body = path.read_bytes()
        header = _HEADER.search(body[:1024])  # feedparser's fixtures name their HTTP header
        content_type = header.group(1).decode("latin-1").strip() if header else "application/xml"
        out.append((f"{path.parent.name}/{path.name}", body, content_type))
    return out


def _read(adapter: Callable[[bytes, str], View], body: bytes, content_type: str) -> View | str:
    try:
        return adapter(body, content_type)
    except Exception as exc:  # a parser's own error types: recorded, not raised
        return f"{type(exc).__name__}"


def _compare(feeds: list[tuple[str, bytes, str]], names: list[str]) -> dict[str, Tally]:
    reference = {name: _read(_feedparser, body, ct) for name, body, ct in feeds}
    tallies: dict[str, Tally] = {}
    for parser in names:
        tally = tallies[parser] = Tally()
        adapter = PARSERS[parser][2]
        for name, body, content_type in feeds:
            tally.feeds += 1
            view = _read(adapter, body, content_type)
            ref = reference[name]
            ref_entries = ref.entries if isinstance(ref, View) else ()
            if isinstance(view, str):
                tally.errors[view] += 1
                if ref_entries:
                    tally.missing_recoveries.append(name)
                continue
            if view.entries:
                tally.with_entries += 1
            if ref_entries and not view.entries:
                tally.missing_recoveries.append(name)
            elif view.entries and not ref_entries:
                tally.extra_recoveries.append(name)
            if isinstance(ref, View) and view.title != ref.title:
                tally.title_differs += 1
            if isinstance(ref, View) and view.entries == ref.entries:
                tally.same_as_feedparser += 1
                tally.same_with_entries += bool(ref_entries)
                continue
            _count_differences(tally, name, view, ref_entries)
    return tallies


def _count_differences(
    tally: Tally, name: str, view: View, ref_entries: tuple[tuple[object, ...], ...]
) -> None:
    if len(view.entries) != len(ref_entries):
        tally.differs["entry count"] += 1
        tally.examples.append(f"{name}: {len(view.entries)} entries, not {len(ref_entries)}")
        return
    seen = set()
    for mine, ref in zip(view.entries, ref_entries, strict=True):
        for label, a, b in zip(FIELDS, mine, ref, strict=True):
            if a != b and label not in seen:
                seen.add(label)
                tally.differs[label] += 1
                tally.examples.append(f"{name}: {label} {str(a)[:60]!r} != {str(b)[:60]!r}")


# --- bytes only --------------------------------------------------------------------------------


def _fetch_probe(adapter: Callable[[bytes, str], View]) -> str:
    """Whether bodies naming a local URL or file make the parser connect or read the file."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    url = f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml"
    connections: list[bytes] = []

    def accept() -> None:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append(conn.recv(64))
            conn.close()

    stop = threading.Event()
    thread = threading.Thread(target=accept)
    thread.start()
    secret = "LOCAL-FILE-READ"
    with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as tmp:
        tmp.write(
            b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>'
            + secret.encode()
            + b"</title><guid>x</guid></item></channel></rss>"
        )
    bodies = [
        url.encode(),
        tmp.name.encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{url}"><rss version="2.0"><channel>'
        "<item><title>t</title><guid>g</guid></item></channel></rss>".encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "{url}">]><rss version="2.0">'
        "<channel><item><title>t&e;</title><guid>g</guid></item></channel></rss>".encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "file://{tmp.name}">]>'
        '<rss version="2.0"><channel><item><title>t&e;</title><guid>g</guid></item>'
        "</channel></rss>".encode(),
    ]
    read_file = False
    for body in bodies:
        view = _read(adapter, body, "application/xml")
        read_file = read_file or (isinstance(view, View) and secret in repr(view))
    stop.set()
    thread.join()
    server.close()
    Path(tmp.name).unlink()
    if connections or read_file:
        return f"NOT bytes only ({len(connections)} connections, local file read: {read_file})"
    return "bytes only (no connection, no file read)"


def _rss50() -> bytes:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_extract import _rss

    return _rss(50)


def _speed(adapter: Callable[[bytes, str], View], module: str) -> float:
    """Median ms of the bare parse (no Radar reading) of the 50-item RSS."""
    body = _rss50()
    parse: Callable[[], object]
    if module == "feedparser":
        import feedparser

        def parse() -> object:
            return feedparser.parse(
                io.BytesIO(body),
                response_headers={"content-type": "application/rss+xml"},
                sanitize_html=False,
                resolve_relative_uris=False,
            )
    elif module == "feedparser_rs":
        import feedparser_rs

        def parse() -> object:
            return feedparser_rs.parse(body, sanitize_html=False, resolve_relative_uris=False)
    elif module == "atoma":
        import atoma

        def parse() -> object:
            return atoma.parse_rss_bytes(body)
    else:
        mod = importlib.import_module(module)

        def parse() -> object:
            return mod.parse(body)

    parse()
    samples = []
    for _ in range(BENCH_RUNS):
        start = time.thread_time()
        parse()
        samples.append((time.thread_time() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--site", action="append", default=[], help="extra site-packages")
    for site in args.parse_args().site:
        sys.path.append(site)
    available, skipped = [], []
    for name, (_dist, module, _) in PARSERS.items():
        try:
            importlib.import_module(module)
            available.append(name)
        except ImportError:
            skipped.append(name)
    feeds = _feeds()
    tallies = _compare(feeds, available)
    ref = tallies["feedparser"]
    out = [
        f"feed parsers vs feedparser on {len(feeds)} XML feeds of ../shared/corpus "
        f"(python {sys.version.split()[0]})",
        f"feedparser gets entries from {ref.with_entries} of them",
        "",
    ]
    verdicts = []
    for name in available:
        dist, module, adapter = PARSERS[name]
        tally = tallies[name]
        probe = _fetch_probe(adapter)
        speed = _speed(adapter, module)
        out.append(f"{name} {metadata.version(dist)}: 50-item RSS parse {speed:.2f} ms; {probe}")
        if name == "feedparser":
            raw = _fetch_probe(_feedparser_given_bytes)
            out.append(f"    given the bytes themselves rather than a stream: {raw}")
        if name != "feedparser":
            differs = ", ".join(f"{k} {v}" for k, v in sorted(tally.differs.items())) or "none"
            out += [
                f"    feeds with entries {tally.with_entries}; same items as feedparser on "
                f"{tally.same_with_entries} of feedparser's {ref.with_entries} "
                f"({tally.same_as_feedparser} of all {tally.feeds})",
                f"    feedparser's recoveries missed {len(tally.missing_recoveries)}; "
                f"entries where feedparser had none {len(tally.extra_recoveries)}",
                f"    feeds differing by field: {differs}; feed title differs on "
                f"{tally.title_differs}",
                "    errors: "
                + (", ".join(f"{k} {v}" for k, v in tally.errors.most_common()) or "none"),
            ]
            # A few of each: the ill-formed fixtures, then real feeds.
            odd = [e for e in tally.examples if e.startswith("feedparser_illformed")]
            real = [e for e in tally.examples if not e.startswith("feedparser_illformed")]
            out += [f"    e.g. {example}" for example in odd[:2] + real[:3]]
            adoptable = (
                not tally.missing_recoveries
                and tally.same_as_feedparser == tally.feeds
                and probe.startswith("bytes only")
            )
            verdicts.append(f"{name}: {'adoptable' if adoptable else 'not adoptable'}")
        out.append("")
    if skipped:
        out.append("not installed, skipped: " + ", ".join(skipped))
    keep = not any(v.endswith(": adoptable") for v in verdicts)
    out.append("verdict: " + ("; ".join(verdicts) or "no candidate installed"))
    out.append("Radar keeps feedparser" if keep else "a candidate matches feedparser everywhere")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
