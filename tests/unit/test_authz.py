"""services.authz.can: every role against every action, for objects placed around the actor."""

from __future__ import annotations

import uuid

import pytest

from services.actors import Actor
from services.authz import GRANTS, Action, Target, can, require, require_some
from services.errors import PermissionDenied
from services.models.accounts import Role, User

CITY = "/321300/"
DISTRICT = "/321300/321302/"
STREET = "/321300/321302/321302001/"
GRID = "/321300/321302/321302001/321302001001/321302001001001/"
SIBLING = "/321300/321311/"
SIBLING_STREET = "/321300/321311/321311001/"
# Shares the district's characters but not its subtree: the trailing slash must matter.
LOOKALIKE = "/321300/3213021/"

DEPARTMENT = uuid.uuid4()
OTHER_DEPARTMENT = uuid.uuid4()
# The acting user (every actor below is this user) and somebody else, for OWN grants.
ME = uuid.uuid4()
SOMEONE_ELSE = uuid.uuid4()

# Where objects sit relative to an actor bound to DISTRICT.
TARGETS: dict[str, Target] = {
    "own_area": Target(area_path=DISTRICT),
    "own_subtree": Target(area_path=STREET),
    "own_grid": Target(area_path=GRID),
    "sibling": Target(area_path=SIBLING),
    "sibling_subtree": Target(area_path=SIBLING_STREET),
    "parent": Target(area_path=CITY),
    "lookalike": Target(area_path=LOOKALIKE),
    "unscoped": Target(area_path=None),
    "own_department": Target(area_path=None, department_id=DEPARTMENT),
    "other_department": Target(area_path=None, department_id=OTHER_DEPARTMENT),
    # Objects the actor owns (their own reports) inside and outside the district, and somebody
    # else's object in the district: ownership is not an area and an area is not ownership.
    "mine": Target(area_path=None, owner_id=ME),
    "mine_in_sibling": Target(area_path=SIBLING, owner_id=ME),
    "theirs_in_district": Target(area_path=STREET, owner_id=SOMEONE_ELSE),
}
EVERYWHERE = frozenset(TARGETS)
NOWHERE: frozenset[str] = frozenset()
IN_DISTRICT = frozenset({"own_area", "own_subtree", "own_grid", "theirs_in_district"})
MINE = frozenset({"mine", "mine_in_sibling"})

ALL_ACTIONS = frozenset(Action)
STAFF = frozenset(Role) - {Role.RESIDENT}
# Every staff member reads the department directory, wherever they are bound.
DIRECTORY = {Action.DEPARTMENT_READ: EVERYWHERE}
# Anyone signed in may report, wherever the problem is.
REPORTING = {Action.REPORT_CREATE: EVERYWHERE}
# A resident reads their own reports, wherever they are, and nobody else's.
OWN_REPORTS = {Action.REPORT_READ: MINE}
# Area staff read the reports of their subtree and their original photos.
AREA_REPORTS = {Action.REPORT_READ: IN_DISTRICT, Action.MEDIA_READ_ORIGINAL: IN_DISTRICT}
# The closed loop: only the reporter reopens, wherever the case lies; admins triage (as
# dispatchers do) but neither dispose, verify on site nor reopen.
REOPEN_MINE = {Action.CASE_REOPEN: MINE}
NOT_FOR_ADMINS = (Action.CASE_DISPOSE, Action.CASE_VERIFY, Action.CASE_REOPEN)

# role -> action -> target placements allowed, for an actor bound to DISTRICT.
DISTRICT_EXPECTED: dict[Role, dict[Action, frozenset[str]]] = {
    Role.RESIDENT: {
        **dict.fromkeys(Action, NOWHERE),
        **REPORTING,
        **OWN_REPORTS,
        **REOPEN_MINE,
    },
    # Grid workers verify in their subtree (on duty in the case's grid: services/workflow).
    Role.GRID_WORKER: {
        **dict.fromkeys(Action, NOWHERE),
        **DIRECTORY,
        **REPORTING,
        **AREA_REPORTS,
        Action.ASSIGNMENT_READ: IN_DISTRICT,
        Action.CASE_VERIFY: IN_DISTRICT,
    },
    # Dispatchers see who reported (not for anonymous reports: admins only).
    Role.DISPATCHER: {
        **dict.fromkeys(Action, NOWHERE),
        **DIRECTORY,
        **REPORTING,
        **AREA_REPORTS,
        Action.ASSIGNMENT_READ: IN_DISTRICT,
        Action.ASSIGNMENT_MANAGE: IN_DISTRICT,
        Action.REPORT_READ_REPORTER: IN_DISTRICT,
        Action.CASE_TRIAGE: IN_DISTRICT,
        Action.STATS_READ: IN_DISTRICT,
    },
    # A handler bound to an area but to no department reads no reports: theirs are by department.
    Role.DEPARTMENT_HANDLER: {**dict.fromkeys(Action, NOWHERE), **DIRECTORY, **REPORTING},
    Role.EMERGENCY_OFFICER: {
        **dict.fromkeys(Action, NOWHERE),
        **DIRECTORY,
        **REPORTING,
        **AREA_REPORTS,
        Action.ASSIGNMENT_READ: IN_DISTRICT,
        Action.STATS_READ: IN_DISTRICT,
    },
    Role.ADMIN: {
        **dict.fromkeys(Action, IN_DISTRICT),
        **DIRECTORY,
        **REPORTING,
        **dict.fromkeys(NOT_FOR_ADMINS, NOWHERE),
    },
}

# Staff bound to no area and no department.
UNBOUND_EXPECTED: dict[Role, dict[Action, frozenset[str]]] = {
    **{r: {**dict.fromkeys(Action, NOWHERE), **DIRECTORY, **REPORTING} for r in STAFF},
    Role.RESIDENT: {**dict.fromkeys(Action, NOWHERE), **REPORTING, **OWN_REPORTS, **REOPEN_MINE},
    Role.ADMIN: {**dict.fromkeys(Action, EVERYWHERE), **dict.fromkeys(NOT_FOR_ADMINS, NOWHERE)},
}

# Staff bound to a department and no area: a department is not an area subtree.
DEPARTMENT_EXPECTED: dict[Role, dict[Action, frozenset[str]]] = {
    **{r: {**dict.fromkeys(Action, NOWHERE), **DIRECTORY, **REPORTING} for r in STAFF},
    Role.RESIDENT: {**dict.fromkeys(Action, NOWHERE), **REPORTING, **OWN_REPORTS, **REOPEN_MINE},
    # A handler reads the reports dispatched to their department, originals included, and
    # never who reported them.
    Role.DEPARTMENT_HANDLER: {
        **dict.fromkeys(Action, NOWHERE),
        **DIRECTORY,
        **REPORTING,
        Action.REPORT_READ: frozenset({"own_department"}),
        Action.MEDIA_READ_ORIGINAL: frozenset({"own_department"}),
        Action.CASE_DISPOSE: frozenset({"own_department"}),
        Action.STATS_READ: frozenset({"own_department"}),
    },
}


def _actor(role: Role | set[Role], *, area_path=None, department_id=None) -> Actor:
    roles = frozenset({role} if isinstance(role, Role) else role)
    return Actor(
        user_id=ME,
        label="x",
        roles=roles,
        area_path=area_path,
        department_id=department_id,
    )


def _matrix(expected: dict[Role, dict[Action, frozenset[str]]]):
    return [
        pytest.param(
            role, action, place, place in expected[role][action], id=f"{role}-{action}-{place}"
        )
        for role in Role
        for action in Action
        for place in TARGETS
    ]


def test_every_action_has_grants_and_the_tables_cover_every_role():
    assert set(GRANTS) == ALL_ACTIONS
    for table in (DISTRICT_EXPECTED, UNBOUND_EXPECTED, DEPARTMENT_EXPECTED):
        assert set(table) == set(Role)
        assert all(set(per_role) == ALL_ACTIONS for per_role in table.values())


@pytest.mark.parametrize(("role", "action", "place", "allowed"), _matrix(DISTRICT_EXPECTED))
def test_district_bound_actor_matrix(role, action, place, allowed):
    actor = _actor(role, area_path=DISTRICT)
    assert can(actor, action, TARGETS[place]) is allowed


@pytest.mark.parametrize(("role", "action", "place", "allowed"), _matrix(UNBOUND_EXPECTED))
def test_unbound_actor_matrix(role, action, place, allowed):
    actor = _actor(role)
    assert can(actor, action, TARGETS[place]) is allowed


@pytest.mark.parametrize(("role", "action", "place", "allowed"), _matrix(DEPARTMENT_EXPECTED))
def test_department_bound_actor_matrix(role, action, place, allowed):
    actor = _actor(role, department_id=DEPARTMENT)
    assert can(actor, action, TARGETS[place]) is allowed


def test_department_bound_admin_is_not_platform_wide():
    admin = _actor(Role.ADMIN, department_id=DEPARTMENT)
    assert not admin.is_platform_wide
    assert not can(admin, Action.USER_MANAGE, Target(area_path=None))


def test_admin_bound_to_area_and_department_is_scoped_by_the_area():
    admin = _actor(Role.ADMIN, area_path=DISTRICT, department_id=DEPARTMENT)
    assert can(admin, Action.USER_MANAGE, Target(area_path=STREET))
    assert not can(admin, Action.USER_MANAGE, Target(area_path=SIBLING))
    assert not can(admin, Action.USER_MANAGE, Target(area_path=None, department_id=DEPARTMENT))


def test_street_admin_does_not_reach_up_to_the_district():
    admin = _actor(Role.ADMIN, area_path=STREET)
    assert can(admin, Action.USER_READ, Target(area_path=GRID))
    assert not can(admin, Action.USER_READ, Target(area_path=DISTRICT))


def test_extra_staff_roles_neither_add_nor_remove_admin_rights():
    actor = _actor({Role.ADMIN, Role.DISPATCHER}, area_path=DISTRICT)
    assert can(actor, Action.USER_MANAGE, Target(area_path=STREET))
    assert not can(actor, Action.USER_MANAGE, Target(area_path=SIBLING))


def test_unbound_resident_is_not_platform_wide_and_only_reports_and_reads_their_own():
    resident = _actor(Role.RESIDENT)
    assert not resident.is_platform_wide
    for action in Action:
        for place, target in TARGETS.items():
            allowed = action is Action.REPORT_CREATE or (
                action in (Action.REPORT_READ, Action.CASE_REOPEN) and place in MINE
            )
            assert can(resident, action, target) is allowed, (action, place)


def test_anonymous_actor_gets_nothing():
    anonymous = Actor.anonymous(request_id="r", ip="127.0.0.1")
    assert not anonymous.is_platform_wide
    for action in Action:
        assert not can(anonymous, action)
        for target in TARGETS.values():
            assert not can(anonymous, action, target)


# Acting as a department or as the reporter needs a department or an own case, which the
# platform itself has not: it neither disposes of nor reopens cases.
PERSONAL = (Action.CASE_DISPOSE, Action.CASE_REOPEN)


def test_system_actor_may_do_everything_but_act_as_a_department_or_a_reporter():
    system = Actor.system()
    for action in Action:
        for target in TARGETS.values():
            assert can(system, action, target) is (action not in PERSONAL), action


@pytest.mark.parametrize(
    ("role", "action"),
    [
        (Role.DISPATCHER, Action.CASE_DISPOSE),
        (Role.DEPARTMENT_HANDLER, Action.CASE_TRIAGE),
        (Role.GRID_WORKER, Action.CASE_TRIAGE),
        (Role.DISPATCHER, Action.CASE_VERIFY),
        (Role.ADMIN, Action.CASE_REOPEN),
    ],
)
def test_case_grants_do_not_leak_between_roles(role, action):
    actor = _actor(role, area_path=DISTRICT, department_id=DEPARTMENT)
    for target in (
        *TARGETS.values(),
        Target(area_path=GRID, department_id=DEPARTMENT, owner_id=ME),
    ):
        assert not can(actor, action, target)


def test_a_handler_disposes_only_of_their_own_departments_cases_wherever_they_lie():
    handler = _actor(Role.DEPARTMENT_HANDLER, department_id=DEPARTMENT)
    assert can(handler, Action.CASE_DISPOSE, Target(area_path=SIBLING, department_id=DEPARTMENT))
    assert not can(handler, Action.CASE_DISPOSE, Target(area_path=None, department_id=None))
    assert not can(
        handler, Action.CASE_DISPOSE, Target(area_path=GRID, department_id=OTHER_DEPARTMENT)
    )


def test_no_target_means_an_object_outside_every_area():
    assert can(_actor(Role.ADMIN), Action.USER_READ)
    assert not can(_actor(Role.ADMIN, area_path=DISTRICT), Action.USER_READ)


def test_disabled_user_acts_with_no_roles():
    user = User(id=uuid.uuid4(), username="gone", is_active=False)
    user.set_roles({Role.ADMIN})
    actor = Actor.for_user(user)
    assert actor.roles == frozenset()
    assert not actor.is_platform_wide
    assert not can(actor, Action.USER_READ, Target(area_path=None))


def test_active_unbound_admin_user_becomes_a_platform_wide_actor():
    user = User(id=uuid.uuid4(), username="root", is_active=True)
    user.set_roles({Role.ADMIN})
    actor = Actor.for_user(user, request_id="abc", ip="10.0.0.1")
    assert actor.is_platform_wide
    assert (actor.user_id, actor.label, actor.request_id, actor.ip) == (
        user.id,
        "root",
        "abc",
        "10.0.0.1",
    )


def test_require_raises_permission_denied_outside_scope_and_passes_inside():
    admin = _actor(Role.ADMIN, area_path=DISTRICT)
    require(admin, Action.USER_MANAGE, Target(area_path=STREET))
    with pytest.raises(PermissionDenied):
        require(admin, Action.USER_MANAGE, Target(area_path=SIBLING))


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_require_some_refuses_roles_without_any_grant(role):
    with pytest.raises(PermissionDenied):
        require_some(_actor(role, area_path=DISTRICT), Action.USER_READ)


def test_require_some_admits_an_area_admin_even_before_rows_are_scoped():
    require_some(_actor(Role.ADMIN, area_path=DISTRICT), Action.AUDIT_READ)
    require_some(_actor(Role.ADMIN, department_id=DEPARTMENT), Action.AUDIT_READ)
