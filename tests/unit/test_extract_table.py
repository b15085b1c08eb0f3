"""radar.extract.table: CSV trend tables (Twitter trends exports) -> items."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.errors import ExtractError
from radar.extract import EXTRACTORS, extract
from radar.extract.table import extract_table
from radar.model import FetchResult, Source, SourceKind, SourceRole

FIXTURE = Path(__file__).parents[1] / "fixtures" / "trends" / "twitter-trends.csv"
TWITTER = {"group": "location", "weight": "tweet_volume"}


def source(**selectors: str) -> Source:
    return Source(
        "tw", "trends", SourceKind.CSV, "https://example.com/t.csv",
        role=SourceRole.TREND, selectors=selectors,
    )  # fmt: skip


def result(body: bytes) -> FetchResult:
    return FetchResult("https://example.com/t.csv", 200, body, "text/csv")


def test_table_is_registered_for_csv_sources() -> None:
    assert EXTRACTORS[SourceKind.CSV] is extract_table
    assert extract(source(), result(FIXTURE.read_bytes()))


def test_table_one_item_per_titled_row_keyed_by_group() -> None:
    items = extract_table(source(**TWITTER), result(FIXTURE.read_bytes()))
    assert [i.key for i in items] == [
        "Worldwide|Bluesky, Threads and X",
        "India|#Fixture2026",
        "Mumbai|Spill",
        "India|Spill",
        "India|Happy Sunday",  # no weight: last
    ]


def test_table_reads_url_and_published() -> None:
    (first, *_) = extract_table(source(**TWITTER), result(FIXTURE.read_bytes()))
    assert first.url == "http://twitter.com/search?q=Bluesky"
    assert first.published == datetime(2026, 3, 1, 0, 52, 56, tzinfo=UTC)


def test_table_min_weight_drops_light_and_unweighted_rows() -> None:
    items = extract_table(source(**TWITTER, min_weight="20000"), result(FIXTURE.read_bytes()))
    assert [i.title for i in items] == ["Bluesky, Threads and X", "#Fixture2026"]


def test_table_without_group_keeps_document_order_and_dedups_keys() -> None:
    items = extract_table(source(), result(FIXTURE.read_bytes()))
    keys = [i.key for i in items][:4]
    # The repeated term is told apart by content; identical rows fall back to a suffix.
    assert keys[0] == "#Fixture2026" and keys[2] == "Happy Sunday"
    assert keys[1].startswith("Spill~") and keys[3] == f"{keys[1]}-2"


def test_table_semicolon_delimiter_and_named_title() -> None:
    body = b"rank;app;store\n1;Lemon8;ios\n2;CapCut;ios\n"
    items = extract_table(source(title="app", delimiter=";"), result(body))
    assert [i.title for i in items] == ["Lemon8", "CapCut"]


def test_table_without_title_column_is_an_error() -> None:
    with pytest.raises(ExtractError, match="no title column"):
        extract_table(source(), result(b"a,b\n1,2\n"))


def test_table_selector_naming_missing_column_is_an_error() -> None:
    with pytest.raises(ExtractError, match="'region'"):
        extract_table(source(group="region"), result(FIXTURE.read_bytes()))


def test_table_with_no_titled_row_is_an_error_not_empty() -> None:
    with pytest.raises(ExtractError, match="no entries"):
        extract_table(source(), result(b"name,url\n,http://x\n"))
