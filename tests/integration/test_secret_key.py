"""The signing key read from Secrets Manager (moto) at cold start, never from the environment."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from radar.errors import ConfigError
from radar.settings import load_settings
from radar.wiring import with_secrets


@pytest.fixture
def secrets(aws_credentials: None) -> Any:
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


def test_secret_key_is_read_from_its_arn(secrets: Any) -> None:
    arn = secrets.create_secret(Name="radar-key", SecretString="k" * 40)["ARN"]
    settings = with_secrets(load_settings(secret_key_arn=arn), client=secrets)
    assert settings.secret_key is not None
    assert settings.secret_key.get_secret_value() == "k" * 40


def test_secret_key_set_directly_wins_and_reads_nothing(secrets: Any) -> None:
    settings = load_settings(secret_key="direct-" * 6, secret_key_arn="arn:nowhere")
    assert with_secrets(settings, client=secrets) is settings


def test_secret_key_unreadable_arn_is_a_clear_config_error(secrets: Any) -> None:
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf"
    with pytest.raises(ConfigError, match="RADAR_SECRET_KEY_ARN"):
        with_secrets(load_settings(secret_key_arn=missing), client=secrets)


def test_admin_key_is_read_from_its_arn(secrets: Any) -> None:
    arn = secrets.create_secret(Name="radar-admin", SecretString="a" * 40)["ARN"]
    settings = with_secrets(load_settings(admin_api_key_arn=arn), client=secrets)
    assert settings.admin_api_key is not None
    assert settings.admin_api_key.get_secret_value() == "a" * 40
    assert settings.secret_key is None
