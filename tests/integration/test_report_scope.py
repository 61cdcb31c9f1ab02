"""The staff report list selects exactly the reports ``can`` lets each actor read."""

from __future__ import annotations

import pytest

from services.actors import Actor
from services.errors import PermissionDenied
from services.models.accounts import Role
from services.queries.reports import (
    ReportFilter,
    get_own_report,
    list_own_reports,
    list_reports,
    staff_can_read,
)
from tests.factories import make_area_tree, make_department, make_resident, make_user
from tests.report_read_factories import make_report


@pytest.fixture
def world(session):
    tree = make_area_tree(session)
    dept = make_department(session, "CG01", area=tree["street"])
    other_dept = make_department(session, "CG02")
    resident = make_resident(session)
    worker = make_user(session, role={Role.GRID_WORKER, Role.RESIDENT}, area=tree["grid2"])
    reports = [
        make_report(session, reporter=resident, grid=tree[place], department=d)
        for place in ("grid", "grid2", "street", "other_street", "district", "city")
        for d in (None, dept, other_dept)
    ]
    reports += [
        make_report(session, reporter=resident, grid=None),
        make_report(session, reporter=resident, grid=None, department=dept),
        # a report by the grid worker, outside their own grid
        make_report(session, reporter=worker, grid=tree["other_street"]),
    ]
    users = {
        "platform_admin": make_user(session, role=Role.ADMIN),
        "city_dispatcher": make_user(session, role=Role.DISPATCHER, area=tree["city"]),
        "district_admin": make_user(session, role=Role.ADMIN, area=tree["district"]),
        "street_worker": make_user(session, role=Role.GRID_WORKER, area=tree["street"]),
        "other_officer": make_user(
            session, role=Role.EMERGENCY_OFFICER, area=tree["other_district"]
        ),
        "handler": make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept),
        "dept_admin": make_user(session, role=Role.ADMIN, department=dept),
        "worker_and_resident": worker,
        "unbound_worker": make_user(session, role=Role.GRID_WORKER),
    }
    return reports, users, resident


@pytest.mark.parametrize(
    "who",
    [
        "platform_admin",
        "city_dispatcher",
        "district_admin",
        "street_worker",
        "other_officer",
        "handler",
        "dept_admin",
        "worker_and_resident",
        "unbound_worker",
    ],
)
def test_list_shows_exactly_what_can_allows(session, world, who):
    reports, users, _ = world
    actor = Actor.for_user(users[who])
    page = list_reports(session, actor, ReportFilter(), page=1, page_size=100)
    expected = {r.id for r in reports if staff_can_read(actor, r)}
    assert {r.id for r in page.items} == expected
    assert page.total == len(expected)


def test_staff_who_also_report_do_not_read_their_own_reports_outside_their_scope(session, world):
    reports, users, _ = world
    actor = Actor.for_user(users["worker_and_resident"])
    own = reports[-1]
    assert not staff_can_read(actor, own)
    # ... but they find it among their own reports
    assert [r.id for r in list_own_reports(session, actor).items] == [own.id]
    assert get_own_report(session, actor, own.id) is own


def test_a_resident_is_refused_the_staff_list(session, world):
    _, _, resident = world
    with pytest.raises(PermissionDenied):
        list_reports(session, Actor.for_user(resident), ReportFilter())


def test_an_anonymous_actor_has_no_reports_of_its_own(session, world):
    with pytest.raises(PermissionDenied):
        list_own_reports(session, Actor.anonymous())
