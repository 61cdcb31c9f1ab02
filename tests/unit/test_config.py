"""Configuration comes from the environment (and .env), and refuses unsafe production settings."""

import pytest

from api.config import DEV_SECRET_KEY, Config, ConfigError, Env


def test_defaults_are_development_with_embedded_sqlite():
    config = Config.from_env({})
    assert config.env is Env.DEVELOPMENT
    assert config.database_url is None
    assert config.max_failed_logins == 5


def test_variables_are_parsed_by_type():
    config = Config.from_env(
        {
            "ONEGRID_ENV": "production",
            "ONEGRID_SECRET_KEY": "s" * 40,
            "ONEGRID_LOCKOUT_MINUTES": "30",
            "ONEGRID_RATELIMIT_ENABLED": "false",
            "ONEGRID_DATABASE_URL": "postgresql+psycopg://db/onegrid",
        }
    )
    assert config.is_production
    assert config.lockout_minutes == 30
    assert config.ratelimit_enabled is False
    assert config.database_url == "postgresql+psycopg://db/onegrid"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ONEGRID_LOCKOUT_MINUTES", "soon"),
        ("ONEGRID_RATELIMIT_ENABLED", "maybe"),
        ("ONEGRID_ENV", "staging"),
    ],
)
def test_unusable_values_name_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value})


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, "short-secret"])
def test_production_refuses_default_or_short_secret(secret):
    config = Config.from_env({"ONEGRID_ENV": "production", "ONEGRID_SECRET_KEY": secret})
    with pytest.raises(ConfigError, match="ONEGRID_SECRET_KEY"):
        config.validate()


def test_production_accepts_a_long_random_secret():
    config = Config.from_env({"ONEGRID_ENV": "production", "ONEGRID_SECRET_KEY": "k" * 48})
    assert config.validate() is config


def test_unknown_sms_provider_is_refused():
    with pytest.raises(ConfigError, match="ONEGRID_SMS_PROVIDER"):
        Config.from_env({"ONEGRID_SMS_PROVIDER": "carrier-pigeon"}).validate()


def test_dotenv_file_in_working_directory_is_honoured(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("ONEGRID_LOCKOUT_MINUTES=42\nONEGRID_LOG_LEVEL=DEBUG\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ONEGRID_LOCKOUT_MINUTES", raising=False)
    monkeypatch.delenv("ONEGRID_LOG_LEVEL", raising=False)
    try:
        config = Config.from_env()
        assert config.lockout_minutes == 42
        assert config.log_level == "DEBUG"
    finally:
        monkeypatch.delenv("ONEGRID_LOCKOUT_MINUTES", raising=False)
        monkeypatch.delenv("ONEGRID_LOG_LEVEL", raising=False)


def test_real_environment_wins_over_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("ONEGRID_LOCKOUT_MINUTES=42\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ONEGRID_LOCKOUT_MINUTES", "7")
    assert Config.from_env().lockout_minutes == 7
