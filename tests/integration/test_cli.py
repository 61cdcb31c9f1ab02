"""The onegrid command: migrations, demo seed, user administration."""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from api.app import create_app
from api.config import Env
from services import migrate
from services.seed import ACCOUNTS
from services.seed_city import DISTRICTS


@pytest.fixture
def fresh_app(test_config, tmp_path):
    """An app on its own empty SQLite file, so migration commands run for real."""
    return create_app(
        replace(
            test_config,
            database_url=f"sqlite:///{tmp_path / 'cli.db'}",
            instance_path=str(tmp_path),
        )
    )


@pytest.fixture
def cli(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return runner


def test_db_current_fails_before_upgrade_and_passes_after(fresh_app):
    runner = fresh_app.test_cli_runner()
    before = runner.invoke(args=["db", "current"])
    assert before.exit_code != 0
    assert "not at head" in before.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    after = runner.invoke(args=["db", "current"])
    assert after.exit_code == 0
    head = ", ".join(migrate.heads())
    assert f"current: {head}" in after.output


def test_seed_demo_prints_accounts_and_is_idempotent(cli):
    first = cli.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    for username, *_ in ACCOUNTS:
        assert username in first.output
    assert first.output.count("created") == len(ACCOUNTS)
    second = cli.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert second.output.count("exists") == len(ACCOUNTS)
    listing = cli.invoke(args=["users", "list"])
    workers = len(DISTRICTS) * 3 * 3  # one per community
    assert f"{len(ACCOUNTS) + workers} user(s)" in listing.output
    assert f"{workers} community grid workers" in first.output


def test_seeded_accounts_can_sign_in(cli, fresh_app):
    cli.invoke(args=["seed-demo"])
    client = fresh_app.test_client()
    response = client.post(
        "/api/v1/auth/login", json={"username": "district_admin", "password": "Onegrid-demo-2026"}
    )
    assert response.status_code == 200
    me = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {response.json['access_token']}"}
    )
    assert me.json["area"]["code"] == "321302"


def test_seed_demo_is_refused_in_production(fresh_app):
    container = fresh_app.extensions["onegrid"]
    original = container.config
    container.config = replace(original, env=Env.PRODUCTION)
    try:
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        container.config = original
    assert result.exit_code != 0
    assert "production" in result.output


def test_users_create_and_list_mask_phone_numbers(cli):
    cli.invoke(args=["seed-demo"])
    result = cli.invoke(
        args=[
            "users",
            "create",
            "--username",
            "wang.wei",
            "--password",
            "Secret-pass-1",
            "--role",
            "grid_worker",
            "--area",
            "321302001001001",
            "--phone",
            "13812345678",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created wang.wei (grid_worker)" in result.output
    listing = cli.invoke(args=["users", "list", "--role", "grid_worker"])
    assert "wang.wei" in listing.output
    assert "138****5678" in listing.output
    assert "13812345678" not in listing.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "dispatcher", "--area", "999999"], "Unknown area code"),
        (["--role", "department_handler"], "department"),
        (["--role", "dispatcher"], "area or a department"),
        (["--role", "wizard"], "Invalid value"),
    ],
)
def test_users_create_refuses_bad_input_with_a_clear_message(cli, extra, message):
    cli.invoke(args=["seed-demo"])
    result = cli.invoke(
        args=["users", "create", "--username", "bad.user", "--password", "Secret-pass-1", *extra]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert "bad.user" not in cli.invoke(args=["users", "list"]).output


def test_weak_password_is_refused(cli):
    result = cli.invoke(
        args=["users", "create", "--username", "weak", "--password", "short", "--role", "admin"]
    )
    assert result.exit_code != 0
    assert "at least 8" in result.output


def test_console_script_is_installed_and_lists_commands():
    onegrid = Path(sys.executable).parent / "onegrid"
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(onegrid), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    for command in ("db", "seed-demo", "users", "run", "routes"):
        assert command in result.stdout
