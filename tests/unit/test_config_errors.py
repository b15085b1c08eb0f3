"""Bad configuration (issue 13, item 11): one clear line and exit code 2, never a traceback.

The command-line cases run `radar.cli.main`, the console script itself, so what is checked is
what a user sees: the exit code and standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from radar.catalog.loader import parse_catalog, parse_rules_section
from radar.classify import load_default_rules, merge_rules
from radar.classify.linear import nonlinear
from radar.cli import main
from radar.errors import CatalogError, ConfigError
from radar.settings import load_settings

SOURCE = "sources:\n  - {id: x, platform: p, url: 'https://example.com/changelog'}\n"


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "radar.sqlite3"))
    monkeypatch.setenv("RADAR_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("RADAR_SECRET_KEY", "config-test-secret-long-enough")
    for name in ("RADAR_STORE", "RADAR_MAIL_BACKEND", "RADAR_BASE_URL", "RADAR_CATALOG"):
        monkeypatch.delenv(name, raising=False)


def radar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    """Run the `radar` console script; its exit code and standard error."""
    monkeypatch.setattr(sys, "argv", ["radar", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def assert_one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err


def assert_usage_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    (line,) = [ln for ln in err.splitlines() if ln.startswith("Error:")]
    for word in words:
        assert word in line


# --- the catalog ----------------------------------------------------------------------------


def test_catalog_huge_interval_is_a_catalog_error() -> None:
    text = SOURCE.replace("}", ", interval: 1000000000d}")  # was OverflowError from timedelta
    with pytest.raises(CatalogError, match=r"my.yaml: source 'x': field 'interval': .*at most"):
        parse_catalog(text, "my.yaml")


def test_catalog_interval_over_a_year_is_refused() -> None:
    with pytest.raises(CatalogError, match="at most 365d"):
        parse_catalog(SOURCE.replace("}", ", interval: 366d}"), "my.yaml")


def test_catalog_nested_5000_deep_is_a_catalog_error() -> None:
    text = "sources:\n  - " + "[" * 5000 + "]" * 5000  # was RecursionError in PyYAML
    with pytest.raises(CatalogError, match=r"my\.yaml: nested deeper than"):
        parse_catalog(text, "my.yaml")


def test_catalog_nested_mappings_5000_deep_is_one_line_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(SOURCE + "rules: " + "{a: " * 5000 + "1" + "}" * 5000, "utf-8")
    code, err = radar(monkeypatch, capsys, "--catalog", str(path), "sources")
    assert_one_line_error(code, err, "deep.yaml", "nested deeper")


def test_catalog_yaml_syntax_error_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("sources: [\n  {id: a, platform: x\n", "utf-8")
    code, err = radar(monkeypatch, capsys, "--catalog", str(path), "sources")
    assert_one_line_error(code, err, "broken.yaml: not valid YAML")


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        ("  categoreis: {}\n", "categoreis"),
        ("  categories:\n    policy:\n      weight: {9: ['x']}\n", "weight"),
        ("  severity:\n    action_weight: {5: ['x']}\n", "action_weight"),
        ("  deadlines:\n    cue: ['x']\n", "cue"),
        ("  minor_edit:\n    max_words: 3\n", "max_words"),
    ],
)
def test_catalog_unknown_key_under_rules_is_refused(rules: str, key: str) -> None:
    with pytest.raises(CatalogError, match=rf"^my.yaml: rules: .*unknown key '{key}'"):
        parse_rules_section(SOURCE + "rules:\n" + rules, "my.yaml")


def test_builtin_rules_have_no_unknown_keys() -> None:
    assert load_default_rules().category_ids  # parse_rules checks every key it is given


# --- linear-time patterns -------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "(a|aa)*c",  # the case: ~2^(n/2) steps on "aaa...a"
        "(?:a|aa)+c",
        "(aa?)*c",  # the same language, written with an optional instead of `|`
        "(?:x|\\w)*y",
        "(?:ab|Ac)+",  # distinct letters, but the match ignores case
        "((a|aa))*",
        "(?:a|aa){2,}",
        "(?:a|)*",
    ],
)
def test_rules_pattern_with_overlapping_repeated_alternatives_is_refused(pattern: str) -> None:
    assert nonlinear(pattern)
    extra = {"categories": {"policy": {"weights": {3: [pattern]}}}}
    with pytest.raises(ConfigError, match="exponential"):
        merge_rules(load_default_rules(), extra)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:ab|cd)*e",
        "(?:\\.|-)+",
        "(?:s|ting)?\\b",
        "(?:a|aa)?c",
        "(?:a|aa){1}",
        "[(|)]+x",
        "colou?r",
        "foo(?:bar)*",
    ],
)
def test_rules_linear_patterns_are_accepted(pattern: str) -> None:
    assert nonlinear(pattern) == ""


def test_catalog_exponential_pattern_names_the_file() -> None:
    text = SOURCE + "rules:\n  categories:\n    policy:\n      weights:\n        9: ['(a|aa)*c']\n"
    with pytest.raises(CatalogError, match=r"^my.yaml: rules: .*'\(a\|aa\)\*c'"):
        parse_rules_section(text, "my.yaml")


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize("agent", ["Radar\r\nX-Evil: 1", "Radar\nbot", "Radar\tbot", "Radär"])
def test_settings_user_agent_that_is_not_one_ascii_line_is_refused(agent: str) -> None:
    with pytest.raises(ConfigError, match="RADAR_USER_AGENT"):
        load_settings(user_agent=agent)


def test_settings_sender_with_a_line_break_is_refused() -> None:
    with pytest.raises(ConfigError, match="RADAR_SENDER"):
        load_settings(sender="Radar <radar@example.com>\r\nBcc: x@example.com")


def test_cli_user_agent_with_crlf_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RADAR_USER_AGENT", "Radar\r\nX-Evil: 1")
    code, err = radar(monkeypatch, capsys, "sources")
    assert_one_line_error(code, err, "RADAR_USER_AGENT")


def test_cli_javascript_base_url_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RADAR_BASE_URL", "javascript:alert(1)//")
    code, err = radar(monkeypatch, capsys, "sources")
    assert_one_line_error(code, err, "RADAR_BASE_URL", "http")


@pytest.fixture
def no_aws_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # No profile file either: the region must come from nowhere.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.mark.usefixtures("no_aws_region")
@pytest.mark.parametrize(("name", "value"), [("store", "dynamodb"), ("mail_backend", "ses")])
def test_settings_aws_adapter_without_a_region_is_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=rf"RADAR_{name.upper()}={value} needs an AWS region"):
        load_settings(**{name: value})


@pytest.mark.usefixtures("no_aws_region")
def test_settings_aws_region_from_the_profile_file_is_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = eu-west-1\n", "utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert load_settings(store="dynamodb").store == "dynamodb"


@pytest.mark.usefixtures("no_aws_region")
def test_cli_dynamodb_without_a_region_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RADAR_STORE", "dynamodb")  # was botocore's NoRegionError traceback
    code, err = radar(monkeypatch, capsys, "changes", "--since", "2026-01-01")
    assert_one_line_error(code, err, "RADAR_STORE=dynamodb", "AWS_DEFAULT_REGION")


# --- the database and output files ----------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_cli_db_path_under_proc_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RADAR_DB_PATH", "/proc/radar-test/radar.sqlite3")  # was FileNotFoundError
    code, err = radar(monkeypatch, capsys, "changes", "--since", "2026-01-01")
    assert_one_line_error(code, err, "/proc/radar-test/radar.sqlite3", "cannot")


def test_cli_db_path_inside_a_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain-file").write_text("x", "utf-8")
    monkeypatch.setenv("RADAR_DB_PATH", str(tmp_path / "plain-file" / "sub" / "radar.sqlite3"))
    code, err = radar(monkeypatch, capsys, "trends")
    assert_one_line_error(code, err, "cannot create its folder")


def test_cli_pull_to_an_unwritable_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "pack.md"  # was FileNotFoundError from write_text
    code, err = radar(monkeypatch, capsys, "pull", "--since", "2026-01-01", "-o", str(target))
    assert_usage_error(code, err, "-o/--output", "cannot write", "pack.md")
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["subscribe", "a@example.com", "--tz", "America"], ["--tz", "unknown time zone"]),
        (["subscribe", "a@example.com", "--at", "0001-01-01"], ["--at", "out of range"]),
        (["pull", "--since", "2026-01-01", "--until", "9999-12-31"], ["out of range"]),
        (["pull", "--since", "9999-12-31"], ["out of range"]),
    ],
)
def test_cli_bad_zone_or_day_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: list[str],
) -> None:
    code, err = radar(monkeypatch, capsys, *args)
    assert_usage_error(code, err, *words)
