"""`onegrid intake …`: sources made, listed and re-keyed from the command line."""

from __future__ import annotations

from sqlalchemy import select

from services.intake_sources import authenticate_source
from services.models.workflow import IntakeSource
from tests.intake_factories import key_secret


def test_create_list_and_rotate_a_source(app, container, session, tree):
    runner = app.test_cli_runner()
    area = tree["district"].code
    created = runner.invoke(
        args=["intake", "create-source", "--name", "hotline", "--source", "hotline", "--area", area]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    source = authenticate_source(session, api_key=key, key_secret=key_secret(container))
    assert source.name == "hotline"
    listed = runner.invoke(args=["intake", "list-sources"])
    assert "hotline" in listed.output and source.key_prefix in listed.output
    assert key not in listed.output and "1 source(s)" in listed.output
    rotated = runner.invoke(args=["intake", "rotate-key", "hotline"])
    assert rotated.exit_code == 0, rotated.output
    new = rotated.output.strip().splitlines()[-1]
    assert new != key
    session.expire_all()  # the command changed the row in its own session
    assert (
        authenticate_source(session, api_key=new, key_secret=key_secret(container)).id == source.id
    )


def test_bad_arguments_are_refused_with_a_message(app, container, session, tree):
    runner = app.test_cli_runner()
    unknown_area = runner.invoke(
        args=["intake", "create-source", "--name", "x-1", "--source", "hotline", "--area", "999999"]
    )
    assert unknown_area.exit_code != 0 and "area" in unknown_area.output.lower()
    missing = runner.invoke(args=["intake", "rotate-key", "nope"])
    assert missing.exit_code != 0 and "not found" in missing.output
    assert session.scalars(select(IntakeSource)).all() == []
