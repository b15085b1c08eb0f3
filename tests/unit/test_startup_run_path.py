"""`radar run` start-up (issue 15): what a run over changelogs where nothing changed does not
import or build. Imports are checked in a fresh interpreter, so other tests' imports do not
hide them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from radar.catalog.loader import parse_catalog
from radar.cli import run as run_cli
from radar.model import Change, ChangeKind
from radar.settings import load_settings
from radar.store.trend_sqlite import SqliteTrendStore
from radar.trends.model import Mention, TermCount
from radar.wiring import build_classifier, classifier_on_first_use
from tests.support.imports import fresh_modules

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
CHANGELOGS = "sources: [{id: a, platform: p, url: 'https://e.com'}]"


def test_run_path_imports_no_pydantic_trends_or_classifier() -> None:
    loaded = fresh_modules(
        "import radar.cli.run, radar.settings, radar.catalog.loader, radar.wiring\n"
        "radar.settings.load_settings(); radar.catalog.loader.load_catalog()\n"
        "radar.wiring.classifier_on_first_use(radar.settings.load_settings())"
    )
    assert "radar.cli.run" in loaded
    unwanted = {
        "pydantic",
        "pydantic_settings",
        "radar.trends.usecases",
        "radar.classify.classifier",
    }
    assert not unwanted & loaded


def _change() -> Change:
    return Change(
        id="c1",
        source_id="a",
        platform="instagram",
        kind=ChangeKind.ADDED,
        entry_key="k",
        title="Deprecation: the v1 endpoint will be removed on 15 January 2027",
        text="The v1 endpoint is deprecated and will be removed on 15 January 2027.",
        url=None,
        published=None,
        detected_at=NOW,
    )


def test_classifier_on_first_use_classifies_as_the_built_classifier() -> None:
    settings = load_settings(catalog=None)
    lazy = classifier_on_first_use(settings)
    assert lazy._built is None  # type: ignore[attr-defined]  # nothing classified yet
    expected = build_classifier(settings).classify(_change(), ("new-feature",))
    assert lazy.classify(_change(), ("new-feature",)) == expected
    assert lazy._built is not None  # type: ignore[attr-defined]


def test_run_without_trend_sources_or_counts_skips_trend_detection(tmp_path: Path) -> None:
    loaded = fresh_modules(
        "from datetime import UTC, datetime\n"
        "from radar.catalog.loader import parse_catalog\n"
        "from radar.cli.run import _detect_trends\n"
        "from radar.settings import load_settings\n"
        "from radar.store.trend_sqlite import SqliteTrendStore\n"
        f"store = SqliteTrendStore({str(tmp_path / 'db.sqlite3')!r})\n"
        f"catalog = parse_catalog({CHANGELOGS!r}, 'my.yaml')\n"
        "now = datetime(2026, 11, 20, 9, tzinfo=UTC)\n"
        "assert _detect_trends(load_settings(), store, now, catalog) == []"
    )
    assert "radar.trends.usecases" not in loaded


def test_run_detects_trends_from_counts_of_an_earlier_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.trends import usecases

    store = SqliteTrendStore(tmp_path / "db.sqlite3")
    store.add_counts(
        "old-feed",
        date(2026, 11, 20),
        [TermCount("bluesky", NOW.date(), "old-feed", (Mention("item-1"),))],
    )
    asked: list[datetime] = []
    monkeypatch.setattr(
        usecases, "detect_trends", lambda _s, now, *_a, **_k: asked.append(now) or []
    )
    catalog = parse_catalog(CHANGELOGS, "my.yaml")
    assert run_cli._detect_trends(load_settings(), store, NOW, catalog) == []
    assert asked == [NOW]


def test_report_line_on_a_pipe_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    # Rich markup in scraped or error text is printed as it is, not interpreted.
    run_cli._say("note: a: heading [bold]x[/bold]", "[dim]styled[/]")
    assert capsys.readouterr().out == "note: a: heading [bold]x[/bold]\n"


def test_run_start_up_imports_no_rules_resources_or_data_dir_lookup(tmp_path: Path) -> None:
    # A run over the user's own catalog file, with the database and outbox named: the
    # classification rules, importlib.resources and platformdirs wait until something needs them.
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(CHANGELOGS)
    loaded = fresh_modules(
        "import os\n"
        f"os.environ.update(RADAR_DB_PATH={str(tmp_path / 'db')!r}, "
        f"RADAR_OUTBOX_DIR={str(tmp_path / 'outbox')!r}, RADAR_CATALOG={str(catalog)!r})\n"
        "import radar.cli.run, radar.settings, radar.catalog.loader\n"
        "settings = radar.settings.load_settings()\n"
        "assert radar.catalog.loader.load_catalog(settings.catalog)[0].id == 'a'"
    )
    assert "radar.cli.run" in loaded
    assert not {"radar.classify.rules", "importlib.resources", "platformdirs"} & loaded


def test_default_places_and_built_in_catalog_still_load() -> None:
    loaded = fresh_modules(
        "import radar.settings, radar.catalog.loader\n"
        "settings = radar.settings.load_settings()\n"
        "assert settings.db_path.name == 'radar.sqlite3'\n"
        "assert radar.catalog.loader.load_catalog()\n"
        "assert radar.catalog.loader.load_rules().category_ids"
    )
    assert {"platformdirs", "importlib.resources", "radar.classify.rules"} <= loaded
