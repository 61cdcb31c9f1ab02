"""Alembic environment: runs against the engine handed over by services.migrate."""

from alembic import context

from services.db import Base, UTCDateTime
from services.models import __all__ as _models  # noqa: F401  (fills Base.metadata)

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy ones, so old revisions never import our code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; give services.migrate an engine")
run_migrations_online()
