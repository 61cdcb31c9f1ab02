"""On SQLite, requests that only read do not take the write lock; requests that write take it
up front, so concurrent writers queue instead of failing halfway."""

from dataclasses import replace

import pytest
from sqlalchemy import event

from api.app import create_app
from services import migrate


@pytest.fixture
def sqlite_app(test_config, tmp_path):
    app = create_app(
        replace(
            test_config, database_url=f"sqlite:///{tmp_path / 'tx.db'}", instance_path=str(tmp_path)
        )
    )
    migrate.upgrade(app.extensions["onegrid"].engine)
    return app


def _begins(app, request):
    """The BEGIN statements SQLite itself saw while serving ``request``."""
    statements: list[str] = []
    engine = app.extensions["onegrid"].engine
    engine.dispose()  # new connections from here on, each traced by the driver

    def trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", trace)
    try:
        request(app.test_client())
    finally:
        event.remove(engine, "connect", trace)
        engine.dispose()
    return [s for s in statements if s.startswith("BEGIN")]


def test_a_get_request_begins_a_deferred_transaction(sqlite_app):
    begins = _begins(sqlite_app, lambda c: c.get("/readyz"))
    assert begins == ["BEGIN DEFERRED"]


def test_a_post_request_takes_the_write_lock_up_front(sqlite_app):
    begins = _begins(
        sqlite_app, lambda c: c.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    )
    assert begins == ["BEGIN IMMEDIATE"]
