"""Alembic, driven from code: upgrade, current revision, head, and the drift check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(bind: Engine | Connection) -> tuple[str, ...]:
    if isinstance(bind, Connection):
        return tuple(MigrationContext.configure(bind).get_current_heads())
    with bind.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


def is_at_head(engine: Engine) -> bool:
    return set(current(engine)) == set(heads())
