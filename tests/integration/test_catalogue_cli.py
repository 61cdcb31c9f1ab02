"""`onegrid catalogue load-standard` gives a fresh installation the catalogue, once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from api.app import create_app
from services.models.catalogue import Category
from services.seed_catalogue import MAJORS, MINORS


@pytest.fixture
def fresh_app(test_config, tmp_path):
    return create_app(
        replace(
            test_config,
            database_url=f"sqlite:///{tmp_path / 'catalogue.db'}",
            instance_path=str(tmp_path),
        )
    )


def test_load_standard_creates_the_catalogue_once(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    total = len(MAJORS) + len(MINORS)
    first = runner.invoke(args=["catalogue", "load-standard"])
    assert first.exit_code == 0, first.output
    assert f"catalogue: {total} created, 0 already present (fallback category 5699)" in first.output
    second = runner.invoke(args=["catalogue", "load-standard"])
    assert f"catalogue: 0 created, {total} already present" in second.output
    with fresh_app.extensions["onegrid"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Category)) == total
        fallback = session.scalar(select(Category).where(Category.code == "5699"))
        # No departments exist on a fresh installation: routing is left to the administrators.
        assert fallback.default_department_id is None
