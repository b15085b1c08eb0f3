"""Settings read from the environment without pydantic (issue 15): the same names, defaults,
bounds and one-line errors naming the variable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from radar.errors import ConfigError
from radar.settings import Secret, load_settings, setting_names


def test_settings_read_from_the_environment_whatever_the_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RADAR_WORKERS", "3")
    monkeypatch.setenv("radar_allow_private", "yes")
    monkeypatch.setenv("RADAR_CONNECT_TIMEOUT", " 2.5 ")
    monkeypatch.setenv("RADAR_DB_PATH", "/tmp/x.sqlite3")
    settings = load_settings()
    assert (settings.workers, settings.allow_private) == (3, True)
    assert settings.connect_timeout == 2.5
    assert settings.db_path == Path("/tmp/x.sqlite3")


def test_settings_override_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_WORKERS", "3")
    assert load_settings(workers=5).workers == 5
    assert load_settings(workers=None).workers == 3  # None: not given


def test_settings_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_WORKERS", raising=False)
    monkeypatch.delenv("RADAR_RESPECT_ROBOTS", raising=False)
    settings = load_settings()
    assert (settings.workers, settings.respect_robots, settings.store) == (16, True, "sqlite")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RADAR_WORKERS", "0", "Input should be greater than or equal to 1 (got '0')"),
        ("RADAR_WORKERS", "many", "unable to parse string as an integer (got 'many')"),
        ("RADAR_READ_TIMEOUT", "0", "Input should be greater than 0"),
        ("RADAR_READ_TIMEOUT", "301", "Input should be less than or equal to 300"),
        ("RADAR_RESPECT_ROBOTS", "perhaps", "Input should be a valid boolean"),
        ("RADAR_STORE", "postgres", "Input should be 'sqlite' or 'dynamodb'"),
        ("RADAR_MAIL_BACKEND", "pigeon", "Input should be 'outbox', 'smtp' or 'ses'"),
    ],
)
def test_settings_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(f"setting {name} is invalid: ")
    assert message in str(info.value)


def test_settings_first_bad_field_is_the_one_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # In the order of the fields (as the docs list them), not of the environment.
    monkeypatch.setenv("RADAR_WORKERS", "0")
    monkeypatch.setenv("RADAR_CONNECT_TIMEOUT", "-1")
    with pytest.raises(ConfigError, match="RADAR_CONNECT_TIMEOUT"):
        load_settings()


def test_settings_secret_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_SECRET_KEY", "s3cr3t-value")
    settings = load_settings()
    assert settings.secret_key == Secret("s3cr3t-value")
    assert settings.secret_key.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t" not in repr(settings)
    assert "s3cr3t" not in str(settings.secret_key)


def test_settings_empty_catalog_variable_means_the_built_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RADAR_CATALOG", "")
    assert load_settings().catalog is None


def test_settings_unknown_override_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="no setting named wokers"):
        load_settings(wokers=3)


def test_settings_unknown_radar_variable_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_NOT_A_SETTING", "x")
    assert "RADAR_NOT_A_SETTING" not in setting_names()
    load_settings()


def test_settings_are_frozen_and_replace_makes_a_copy() -> None:
    settings = load_settings(base_url="https://radar.example.com/")
    assert settings.base_url == "https://radar.example.com"
    with pytest.raises(AttributeError):
        settings.workers = 2  # type: ignore[misc]
    assert replace(settings, workers=2).workers == 2
    assert hash(settings) == hash(load_settings(base_url="https://radar.example.com"))
