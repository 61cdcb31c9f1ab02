"""Shared fixtures: the schema is built once by the migrations; each test runs in a transaction
that is rolled back.

Set ONEGRID_TEST_DATABASE_URL (postgresql+psycopg://…) to run the same suite on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.config import Config
from services import migrate
from services.db import make_engine
from tests.factories import FAST_HASHER, make_area_tree


@pytest.fixture(scope="session")
def test_config(tmp_path_factory) -> Config:
    instance = tmp_path_factory.mktemp("instance")
    config = Config.for_tests(instance_path=str(instance))
    if config.database_url is None:
        config = replace(config, database_url=f"sqlite:///{instance / 'test.db'}")
    return config


@pytest.fixture(scope="session")
def engine(test_config) -> Iterator[Engine]:
    engine = make_engine(test_config.database_url)
    if engine.dialect.name == "postgresql":
        # The test database is ours alone: start from nothing so the migrations build everything.
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(test_config, engine):
    return create_app(test_config)


@pytest.fixture
def connection(engine):
    """One connection and one outer transaction per test, rolled back at the end."""
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection) -> sessionmaker:
    # Code under test may commit: its commits release savepoints inside our outer transaction.
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture
def container(app, session_factory):
    """The app's container bound to this test's transaction, with fakes reset."""
    c = app.extensions["onegrid"]
    original = c.session_factory, c.read_session_factory
    c.session_factory = c.read_session_factory = session_factory
    c.sms.clear()
    c.limiter.reset()
    # Each test's rolled-back transaction may reuse the previous test's area version number.
    c.locator.clear()
    yield c
    c.session_factory, c.read_session_factory = original


@pytest.fixture
def client(app, container):
    return app.test_client()


@pytest.fixture
def sms(container):
    return container.sms


@pytest.fixture
def tree(session):
    """The standard area tree of tests/factories.py: city, two districts, streets, grids."""
    return make_area_tree(session)


@pytest.fixture
def hasher():
    return FAST_HASHER


@pytest.fixture
def dialect(engine) -> str:
    return engine.dialect.name
