"""The migrations are the schema: one head, and the models never drift from them."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from services import migrate
from services.db import Base
from services.models import __all__ as _models  # noqa: F401


def test_there_is_exactly_one_migration_head():
    assert len(migrate.heads()) == 1


def test_revision_files_are_numbered_and_chained():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(script.walk_revisions())
    for rev in revisions:
        assert rev.revision.isdigit() and len(rev.revision) == 4, rev.revision
        assert rev.path.split("/")[-1].startswith(rev.revision + "_")


def test_database_is_migrated_to_head(engine):
    assert set(migrate.current(engine)) == set(migrate.heads())


def test_models_and_migrations_do_not_drift(engine):
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_migrations_downgrade_to_base_and_upgrade_again(tmp_path):
    from services.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) == ()
    migrate.upgrade(engine)
    assert set(migrate.current(engine)) == set(migrate.heads())
    engine.dispose()
