"""Fixtures of the disposal, extension and self-resolution tests: the report world with the
people who act on a case, signed in, and the case events the app emits.

Load with ``pytest_plugins = ("tests.case_disposal_fixtures",)`` in a test module.
"""

from __future__ import annotations

import pytest

from services import case_events
from services.models.accounts import Role
from services.models.areas import GridAssignment, GridDuty
from tests.factories import (
    login,
    login_resident,
    make_area,
    make_department,
    make_resident,
    make_user,
)
from tests.report_factories import make_report_world


def put_on_duty(session, worker, grid) -> GridAssignment:
    duty = GridAssignment(user_id=worker.id, area_id=grid.id, duty=GridDuty.FULL_TIME)
    session.add(duty)
    session.flush()
    return duty


@pytest.fixture
def cw(session, client, sms):
    """The world, its people and their Authorization headers (``h``)."""
    world = make_report_world(session)
    department = world["department"]
    people = {
        "dispatcher": make_user(session, role=Role.DISPATCHER, area=world["district"]),
        "handler": make_user(session, role=Role.DEPARTMENT_HANDLER, department=department),
        "other_handler": make_user(
            session, role=Role.DEPARTMENT_HANDLER, department=make_department(session)
        ),
        "worker": make_user(session, role=Role.GRID_WORKER, area=world["street"]),
        "idle_worker": make_user(session, role=Role.GRID_WORKER, area=world["street"]),
        "far_worker": make_user(
            session,
            role=Role.GRID_WORKER,
            area=make_area(session, "321311", parent=world["city"]),
        ),
        "resident": make_resident(session),
        "other_resident": make_resident(session),
    }
    put_on_duty(session, people["worker"], world["grid1"])
    put_on_duty(session, people["idle_worker"], world["grid2"])
    session.commit()
    headers = {
        name: login_resident(client, sms, user.phone)
        if Role.RESIDENT in user.roles
        else login(client, user)
        for name, user in people.items()
    }
    return {**world, **people, "h": headers}


@pytest.fixture
def events(session_factory):
    """The case events every session of this test emits (the app's request sessions too)."""
    shared: list = []
    session_factory.configure(info={case_events._KEY: shared})
    return shared
