"""Every extractor on hostile bytes (issue 13): any body, any declared charset, gives items or a
typed error (radar.errors), in bounded time; never another exception.

Examples per extractor: RADAR_FUZZ_EXAMPLES (40 in CI); README "Test it" says how to run
100,000. The inputs are mutated seeds of every format, random bytes, and the charsets and
fragments that crashed extractors before.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.errors import RadarError
from radar.extract import EXTRACTORS, extract
from radar.extract.sniff import sniff_kind
from radar.model import FetchResult, Item, Source, SourceKind
from tests.fuzz.strategies import DEADLINE_MS, EXAMPLES, content_types, mutated, seeds

FETCHED = datetime(2026, 11, 20, 12, tzinfo=UTC)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(milliseconds=DEADLINE_MS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)


def _result(body: bytes, content_type: str | None) -> FetchResult:
    return FetchResult(
        "https://example.com/changelog", 200, body, content_type=content_type, fetched_at=FETCHED
    )


KINDS = sorted(EXTRACTORS, key=lambda k: k.value)
SEEDS = {kind: seeds(kind) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS, ids=str)
@FUZZ
@given(data=st.data())
def test_fuzz_extractor_gives_items_or_a_typed_error(kind: SourceKind, data: st.DataObject) -> None:
    body = data.draw(mutated(SEEDS[kind]), label="body")
    content_type = data.draw(content_types(), label="content_type")
    source = Source(id="fuzz", platform="p", kind=kind, url="https://example.com/changelog")
    try:
        items = extract(source, _result(body, content_type))
    except RadarError:
        return  # a typed error: the source is reported failed with its reason
    assert items, "an extractor returned no items instead of an error"
    assert all(isinstance(item, Item) for item in items)
    for item in items:
        assert item.key and len(item.key.encode()) <= 1024  # a DynamoDB sort key's limit
        assert item.published is None or item.published <= FETCHED + timedelta(days=1)
        assert item.url is None or item.url.startswith(("http://", "https://"))


@FUZZ
@given(body=mutated(seeds(SourceKind.AUTO)), content_type=content_types())
def test_fuzz_sniff_names_a_kind_that_has_an_extractor(
    body: bytes, content_type: str | None
) -> None:
    try:
        kind = sniff_kind(_result(body, content_type))
    except RadarError:
        return
    assert kind in EXTRACTORS and kind is not SourceKind.AUTO


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=timedelta(milliseconds=DEADLINE_MS))
@given(body=st.binary(max_size=512), charset=st.text(max_size=40))
def test_fuzz_any_declared_charset_in_the_body_is_a_typed_error_or_items(
    body: bytes, charset: str
) -> None:
    encoded = charset.encode("utf-8", "surrogatepass")
    for prefix in (
        b'<?xml version="1.0" encoding="' + encoded + b'"?><rss><channel><item>',
        b'<html><head><meta charset="' + encoded + b'"></head><body><h2>2024-05-01</h2><p>',
    ):
        source = Source(id="fuzz", platform="p", kind=SourceKind.AUTO, url="https://e.com/x")
        with contextlib.suppress(RadarError):
            extract(source, _result(prefix + body, None))
