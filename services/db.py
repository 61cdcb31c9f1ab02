"""Declarative base, engine and session factory shared by every model and use case."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    DateTime,
    Engine,
    MetaData,
    TypeDecorator,
    Uuid,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC value")
        value = value.astimezone(dt.UTC)
        # SQLite has no time zone type: keep the UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime, uuid.UUID: Uuid}  # noqa: RUF012


class UUIDPk:
    """Mixin: a UUID primary key generated in Python, so ids are known before flush."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Build an engine; SQLite gets the settings that make it a safe embedded database."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions start: savepoints then work,
        # and BEGIN IMMEDIATE below takes the write lock up front so concurrent writers wait
        # (busy timeout) instead of failing halfway through a use case.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Read-only sessions (see make_session_factory) begin DEFERRED: in WAL mode they neither
        # wait for writers nor make writers wait.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # Straight to the driver: this runs for every request, and the full statement
        # machinery around a fixed BEGIN costs more than the BEGIN itself.
        conn.connection.dbapi_connection.execute(f"BEGIN {mode}")


def make_session_factory(bind, *, readonly: bool = False) -> sessionmaker:
    """Sessions that keep loaded values after commit, so a use case can return what it changed.

    ``readonly`` sessions are for requests that only read (GET): on SQLite they do not take the
    write lock, so readers in several processes run side by side.
    """
    if readonly and isinstance(bind, Engine):
        bind = bind.execution_options(sqlite_begin="DEFERRED")
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


def lock_key(session, key: str) -> None:
    """Serialise transactions that decide on the same key (e.g. one phone number).

    PostgreSQL: a transaction-scoped advisory lock. SQLite: every write transaction already starts
    with BEGIN IMMEDIATE, so transactions are serial and nothing more is needed.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})
