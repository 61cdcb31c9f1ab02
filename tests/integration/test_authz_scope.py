"""services.authz.scope_clause selects exactly the rows that services.authz.can allows."""

from __future__ import annotations

import pytest

from services import audit
from services.actors import Actor
from services.authz import Action, Target, can
from services.errors import PermissionDenied
from services.models.accounts import Role
from services.queries.audit import AuditFilter, list_audit
from services.queries.users import UserFilter, list_users, user_target
from tests.factories import make_area_tree, make_department, make_user


@pytest.fixture
def world(session):
    """Users spread over the tree, including department-only and unbound ones."""
    tree = make_area_tree(session)
    dept_in_district = make_department(session, "CG01", area=tree["street"])
    dept_elsewhere = make_department(session, "CG02", area=tree["other_district"])
    dept_nowhere = make_department(session, "CG03")
    users = {
        "platform_admin": make_user(session, role=Role.ADMIN),
        "city_admin": make_user(session, role=Role.ADMIN, area=tree["city"]),
        "district_admin": make_user(session, role=Role.ADMIN, area=tree["district"]),
        "street_admin": make_user(session, role=Role.ADMIN, area=tree["street"]),
        "other_admin": make_user(session, role=Role.ADMIN, area=tree["other_district"]),
        "dept_admin": make_user(session, role=Role.ADMIN, department=dept_in_district),
        "grid_worker": make_user(session, role=Role.GRID_WORKER, area=tree["grid"]),
        "grid2_worker": make_user(session, role=Role.GRID_WORKER, area=tree["grid2"]),
        "other_dispatcher": make_user(session, role=Role.DISPATCHER, area=tree["other_street"]),
        "handler_in": make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept_in_district),
        "handler_out": make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept_elsewhere),
        "handler_nowhere": make_user(
            session, role=Role.DEPARTMENT_HANDLER, department=dept_nowhere
        ),
        "resident": make_user(session, role=Role.RESIDENT, phone="+8613900000001"),
    }
    return tree, users


def _actor(user) -> Actor:
    return Actor.for_user(user)


def _listed(session, actor: Actor, **filters) -> set:
    page = list_users(session, actor, UserFilter(**filters), page=1, page_size=100)
    return {u.id for u in page.items}


ADMINS = ["platform_admin", "city_admin", "district_admin", "street_admin", "other_admin"]


@pytest.mark.parametrize("admin", [*ADMINS, "dept_admin"])
def test_user_list_shows_exactly_the_users_can_allows(session, world, admin):
    _, users = world
    actor = _actor(users[admin])
    allowed = {u.id for u in users.values() if can(actor, Action.USER_READ, user_target(u))}
    assert _listed(session, actor) == allowed


def test_district_admin_list_is_the_district_subtree(session, world):
    _, users = world
    listed = _listed(session, _actor(users["district_admin"]))
    expected = {"district_admin", "street_admin", "grid_worker", "grid2_worker", "handler_in"}
    expected.add("dept_admin")  # their department's jurisdiction lies in the district
    assert listed == {users[name].id for name in expected}


def test_platform_admin_sees_every_user_including_residents_and_unbound_handlers(session, world):
    _, users = world
    assert _listed(session, _actor(users["platform_admin"])) == {u.id for u in users.values()}


def test_department_bound_admin_lists_nobody(session, world):
    _, users = world
    assert _listed(session, _actor(users["dept_admin"])) == set()


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.GRID_WORKER, Role.RESIDENT])
def test_non_admins_cannot_list_users(session, world, role):
    tree, _ = world
    if role is Role.RESIDENT:
        user = make_user(session, role=role, phone="+8613900000002")
    else:
        user = make_user(session, role=role, area=tree["district"])
    with pytest.raises(PermissionDenied):
        list_users(session, _actor(user), UserFilter())


def test_disabled_admin_lists_nothing_because_they_have_no_roles(session, world):
    _, users = world
    admin = users["platform_admin"]
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        list_users(session, _actor(admin), UserFilter())


def test_scope_and_area_filter_combine_rather_than_widen(session, world):
    tree, users = world
    actor = _actor(users["street_admin"])
    # Filtering on the whole city must not reveal what lies outside the street.
    listed = _listed(session, actor, area_code=tree["city"].code)
    assert listed == {users[n].id for n in ("street_admin", "grid_worker", "grid2_worker")}


AUDIT_PATHS = {
    "city": "/321300/",
    "district": "/321300/321302/",
    "street": "/321300/321302/321302001/",
    "grid": "/321300/321302/321302001/321302001001/321302001001001/",
    "sibling": "/321300/321311/",
    "lookalike": "/321300/3213021/",
    "none": None,
}


@pytest.mark.parametrize("admin", [*ADMINS, "dept_admin"])
def test_audit_list_shows_exactly_the_entries_can_allows(session, world, admin):
    _, users = world
    system = Actor.system()
    entries = {
        name: audit.record(session, system, "test.scope", object_type="thing", area_path=path)
        for name, path in AUDIT_PATHS.items()
    }
    session.flush()
    actor = _actor(users[admin])
    allowed = {
        e.id
        for e in entries.values()
        if can(actor, Action.AUDIT_READ, Target(area_path=e.area_path))
    }
    page = list_audit(session, actor, AuditFilter(action="test.scope"), page=1, page_size=100)
    assert {e.id for e in page.items} == allowed


def test_district_admin_audit_excludes_parent_sibling_lookalike_and_unplaced(session, world):
    _, users = world
    system = Actor.system()
    for path in AUDIT_PATHS.values():
        audit.record(session, system, "test.scope", object_type="thing", area_path=path)
    session.flush()
    actor = _actor(users["district_admin"])
    page = list_audit(session, actor, AuditFilter(action="test.scope"), page=1, page_size=100)
    assert sorted(e.area_path for e in page.items) == sorted(
        [AUDIT_PATHS["district"], AUDIT_PATHS["street"], AUDIT_PATHS["grid"]]
    )
