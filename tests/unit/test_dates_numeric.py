"""Numeric dates in headings ("## 15/01/2025", Kick's developer changelog): which number is
the day, the page's own dates tell; a page that does not tell gets no dates, not guessed ones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from radar.dates import numeric_dates
from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # a first number above 12 says day first, for the whole page
        (
            ["15/01/2025", "03/12/2025"],
            {"15/01/2025": date(2025, 1, 15), "03/12/2025": date(2025, 12, 3)},
        ),
        # a second number above 12 says month first
        (
            ["01/15/2025", "03/12/2025"],
            {"01/15/2025": date(2025, 1, 15), "03/12/2025": date(2025, 3, 12)},
        ),
        # dots are day first
        (["03.12.2025"], {"03.12.2025": date(2025, 12, 3)}),
        # nothing on the page tells: no dates; both orders shown: no dates
        (["03/12/2025", "04/11/2025"], {}),
        (["15/01/2025", "01/15/2025"], {}),
        # no such day, no such year, not a date at all
        (["31/02/2025", "15/01/2025"], {"15/01/2025": date(2025, 1, 15)}),
        (["Version 1.2", "2025-01-15"], {}),
    ],
)
def test_numeric_dates(texts: list[str], expected: dict[str, date]) -> None:
    assert numeric_dates(texts) == expected


KICK = b"""# Changelog

## 19/12/2025

* Disabling webhooks for your app will now unsubscribe it from all webhook events.
* The livestreams endpoint now also returns the broadcaster's profile picture.

## 03/12/2025

* Added Channel Rewards APIs
"""


def test_a_changelog_dated_day_first_is_dated() -> None:
    url = "https://example.com/kick/changelog.md"
    source = Source(id="kick", platform="kick", kind=SourceKind.AUTO, url=url)
    items = extract(source, FetchResult(url, 200, KICK, "text/markdown"))
    assert {item.published for item in items} == {
        datetime(2025, 12, 19, tzinfo=UTC),
        datetime(2025, 12, 3, tzinfo=UTC),
    }
    # Dated, a section's bullets are its entries, as on any dated changelog.
    assert len(items) == 3
    assert items[-1].title == "Added Channel Rewards APIs"
