"""Sign-in rate limits can live in Redis, so several server processes share one budget."""

import socket
from dataclasses import replace

import pytest

from api.app import create_app

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def _login_statuses(apps, body):
    return [app.test_client().post("/api/v1/auth/login", json=body).status_code for app in apps]


def test_in_memory_budgets_are_per_process(test_config):
    config = replace(test_config, login_rate_limit="2 per minute")
    first, second = create_app(config), create_app(config)
    # An empty body fails validation after the limiter counted it, without touching the database.
    assert _login_statuses([first, first, first, second], {}) == [422, 422, 429, 422]


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_processes_share_the_login_budget_through_redis(test_config):
    config = replace(
        test_config,
        ratelimit_storage_uri="redis://127.0.0.1:6379/15",
        login_rate_limit="2 per minute",
    )
    first, second = create_app(config), create_app(config)
    limiter = first.extensions["onegrid"].limiter
    limiter.reset()
    try:
        assert _login_statuses([first, second, first], {}) == [422, 422, 429]
        assert _login_statuses([second], {}) == [429]
    finally:
        limiter.reset()
