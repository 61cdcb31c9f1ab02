"""/api/v1/users: administrators manage accounts, each within their own area."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role, User
from services.models.audit import AuditEntry
from tests.factories import (
    PASSWORD,
    login,
    login_resident,
    make_department,
    make_resident,
    make_user,
)

URL = "/api/v1/users"
NEW_PASSWORD = "Str0ng-enough-pw"


@pytest.fixture
def root(session, client, tree):
    """A platform administrator (no area, no department) and their auth headers."""
    user = make_user(session, role=Role.ADMIN, username="root-admin")
    return user, login(client, user)


@pytest.fixture
def district(session, client, tree):
    user = make_user(session, role=Role.ADMIN, area=tree["district"], username="district-admin")
    return user, login(client, user)


def _body(**overrides):
    body = {"username": "new.user", "password": NEW_PASSWORD, "roles": ["dispatcher"]}
    body.update({"area_code": "321302001"} | overrides)
    return {k: v for k, v in body.items() if v is not ...}


def _count(session, model=User) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _field_errors(response, location="json"):
    assert response.status_code == 422, response.json
    return response.json["errors"][location]


def test_platform_admin_creates_staff_user_without_leaking_the_password(client, session, root):
    admin, headers = root
    response = client.post(
        URL,
        json=_body(display_name="王五", phone="13812345678", locale="en"),
        headers=headers,
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert "password" not in body and "password_hash" not in body
    assert NEW_PASSWORD not in response.get_data(as_text=True)
    assert body["username"] == "new.user"
    assert body["display_name"] == "王五"
    assert body["roles"] == ["dispatcher"]
    assert body["area"]["code"] == "321302001"
    assert body["phone"] == "138****5678"
    assert (body["is_active"], body["locale"]) == (True, "en")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert entry.object_id == body["id"] and entry.actor_id == admin.id
    assert entry.area_path == "/321300/321302/321302001/"
    assert entry.after["phone"] == "138****5678" and "password" not in entry.after
    created = session.get(User, uuid.UUID(body["id"]))
    assert login(client, created, NEW_PASSWORD)


def test_created_user_without_display_name_is_shown_by_username(client, root, tree):
    response = client.post(URL, json=_body(), headers=root[1])
    assert response.status_code == 201
    assert response.json["display_name"] == "new.user"


def test_district_admin_creates_users_inside_their_district(client, district):
    response = client.post(URL, json=_body(area_code="321302001001001"), headers=district[1])
    assert response.status_code == 201
    assert response.json["area"]["code"] == "321302001001001"


@pytest.mark.parametrize(
    "overrides",
    [
        {"area_code": "321311"},  # the other district
        {"area_code": "321300"},  # their parent
        {"roles": ["admin"], "area_code": None},  # a platform administrator
        {"roles": ["admin"], "area_code": ...},
    ],
)
def test_district_admin_cannot_create_users_outside_their_district(
    client, session, district, overrides
):
    before = _count(session)
    response = client.post(URL, json=_body(**overrides), headers=district[1])
    assert response.status_code == 403, response.json
    assert _count(session) == before


def test_district_admin_cannot_create_a_handler_of_a_department_outside(
    client, session, district, tree
):
    make_department(session, "ZJ09", area=tree["other_district"])
    response = client.post(
        URL,
        json=_body(roles=["department_handler"], area_code=..., department_code="ZJ09"),
        headers=district[1],
    )
    assert response.status_code == 403


def test_users_of_the_other_district_do_not_exist_for_a_district_admin(
    client, session, district, tree
):
    outsider = make_user(session, role=Role.DISPATCHER, area=tree["other_street"])
    insider = make_user(session, role=Role.DISPATCHER, area=tree["grid"])
    headers = district[1]
    assert client.get(f"{URL}/{outsider.id}", headers=headers).status_code == 404
    patch = client.patch(f"{URL}/{outsider.id}", json={"display_name": "x"}, headers=headers)
    assert patch.status_code == 404
    for action in ("disable", "enable"):
        response = client.post(
            f"{URL}/{outsider.id}/{action}", json={"reason": "r"}, headers=headers
        )
        assert response.status_code == 404
    assert client.get(f"{URL}/{insider.id}", headers=headers).json["id"] == str(insider.id)
    listed = {u["id"] for u in client.get(URL, headers=headers).json["items"]}
    assert str(insider.id) in listed and str(outsider.id) not in listed
    assert session.get(User, outsider.id).display_name != "x"


def test_district_admin_cannot_move_a_user_out_of_their_district(client, session, district, tree):
    user = make_user(session, role=Role.DISPATCHER, area=tree["street"])
    response = client.patch(
        f"{URL}/{user.id}", json={"area_code": "321311001"}, headers=district[1]
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(User, user.id).area.code == "321302001"


def test_district_admin_cannot_promote_a_user_to_platform_admin(client, session, district, tree):
    user = make_user(session, role=Role.DISPATCHER, area=tree["street"])
    response = client.patch(
        f"{URL}/{user.id}", json={"roles": ["admin"], "area_code": None}, headers=district[1]
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(User, user.id).roles == {Role.DISPATCHER}


def test_district_admin_cannot_lift_themselves_to_the_city(client, session, district):
    admin, headers = district
    response = client.patch(f"{URL}/{admin.id}", json={"area_code": "321300"}, headers=headers)
    assert response.status_code == 403
    session.expire_all()
    assert session.get(User, admin.id).area.code == "321302"


def test_admin_updates_a_user_in_scope(client, session, district, tree):
    make_department(session, "SW01", area=tree["district"])
    user = make_user(session, role=Role.DISPATCHER, area=tree["street"])
    response = client.patch(
        f"{URL}/{user.id}",
        json={"roles": ["department_handler"], "department_code": "SW01", "display_name": "李四"},
        headers=district[1],
    )
    assert response.status_code == 200, response.json
    assert response.json["roles"] == ["department_handler"]
    assert response.json["department"]["code"] == "SW01"
    assert response.json["display_name"] == "李四"


def test_department_handler_needs_a_department(client, session, root):
    before = _count(session)
    response = client.post(URL, json=_body(roles=["department_handler"]), headers=root[1])
    assert "department_code" in _field_errors(response)
    assert _count(session) == before


def test_removing_a_handlers_department_is_refused(client, session, root, tree):
    dept = make_department(session, area=tree["district"])
    user = make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept)
    response = client.patch(f"{URL}/{user.id}", json={"department_code": None}, headers=root[1])
    assert "department_code" in _field_errors(response)


def test_resident_and_staff_roles_together_are_refused(client, root):
    response = client.post(URL, json=_body(roles=["resident", "dispatcher"]), headers=root[1])
    errors = _field_errors(response)
    assert errors["roles"] == ["居民角色不能与工作人员角色同时授予。"]


def test_unbound_staff_other_than_admin_is_refused(client, root):
    response = client.post(URL, json=_body(area_code=None), headers=root[1])
    assert "area_code" in _field_errors(response)


def test_duplicate_username_is_a_field_error(client, session, root):
    make_user(session, username="taken.name")
    response = client.post(
        URL, json=_body(username="taken.name"), headers={**root[1], "Accept-Language": "en"}
    )
    assert _field_errors(response) == {"username": ["This username is taken."]}


def test_usernames_differing_only_in_case_are_one_account(client, session, root):
    make_user(session, username="taken.name")
    response = client.post(URL, json=_body(username="Taken.Name"), headers=root[1])
    assert "username" in _field_errors(response)
    created = client.post(URL, json=_body(username="New.Person"), headers=root[1])
    assert created.status_code == 201
    assert created.json["username"] == "new.person"


def test_duplicate_phone_is_a_field_error(client, session, root):
    make_resident(session, phone="+8613812345678")
    response = client.post(URL, json=_body(phone="138 1234 5678"), headers=root[1])
    assert "phone" in _field_errors(response)


@pytest.mark.parametrize("password", ["abc123", "onlyletterslong", "1234567890123", "a1" * 65])
def test_weak_password_is_refused(client, session, root, password):
    before = _count(session)
    response = client.post(URL, json=_body(password=password), headers=root[1])
    assert "password" in _field_errors(response)
    assert _count(session) == before


@pytest.mark.parametrize(("field", "value"), [("area_code", "999999"), ("department_code", "NOPE")])
def test_unknown_area_or_department_code_is_a_field_error(client, root, field, value):
    response = client.post(URL, json=_body(**{field: value}), headers=root[1])
    assert field in _field_errors(response)


def test_invalid_phone_is_a_field_error(client, root):
    response = client.post(URL, json=_body(phone="12345"), headers=root[1])
    assert "phone" in _field_errors(response)


@pytest.fixture
def population(session, tree):
    dept = make_department(session, "CG01", area=tree["district"])
    return {
        "worker": make_user(session, role=Role.GRID_WORKER, area=tree["grid"], username="w_1"),
        "dispatcher": make_user(session, role=Role.DISPATCHER, area=tree["street"], username="w1"),
        "handler": make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept),
        "far": make_user(session, role=Role.DISPATCHER, area=tree["other_street"]),
        "off": make_user(session, role=Role.DISPATCHER, area=tree["grid2"], active=False),
    }


def _ids(client, headers, **params):
    response = client.get(URL, query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def _of(*users):
    return {str(u.id) for u in users}


def test_list_filters_by_role_area_department_and_activity(client, root, population):
    p, h = population, root[1]
    assert _ids(client, h, role="grid_worker") == _of(p["worker"])
    assert _ids(client, h, area_code="321302001") == _of(p["worker"], p["dispatcher"], p["off"])
    assert _ids(client, h, area_code="321302001001002") == _of(p["off"])
    assert _ids(client, h, department_code="CG01") == _of(p["handler"])
    assert _ids(client, h, active="false") == _of(p["off"])
    assert _of(p["off"]).isdisjoint(_ids(client, h, active="true"))
    assert _ids(client, h, role="dispatcher", area_code="321302") == _of(p["dispatcher"], p["off"])


def test_list_search_treats_percent_and_underscore_literally(client, session, root, population):
    h = root[1]
    assert _ids(client, h, q="w_") == _of(population["worker"])
    full = make_user(session, username="pct.full")
    full.display_name = "完成100%"
    make_user(session, username="pct.none").display_name = "完成1000"
    session.flush()
    assert _ids(client, h, q="100%") == _of(full)
    assert _ids(client, h, q="W_1") == _of(population["worker"])  # case-insensitive


def test_list_of_unknown_area_is_404(client, root):
    response = client.get(URL, query_string={"area_code": "999999"}, headers=root[1])
    assert response.status_code == 404


def test_list_paginates_with_total(client, session, root, tree):
    made = {str(make_user(session, area=tree["other_street"]).id) for _ in range(5)}
    seen, h = set(), root[1]
    for page, expected in ((1, 2), (2, 2), (3, 1)):
        response = client.get(
            URL, query_string={"area_code": "321311", "page": page, "page_size": 2}, headers=h
        )
        body = response.json
        assert (body["total"], body["page"], body["page_size"]) == (5, page, 2)
        assert len(body["items"]) == expected
        seen |= {item["id"] for item in body["items"]}
    assert seen == made
    beyond = client.get(URL, query_string={"area_code": "321311", "page": 9}, headers=h).json
    assert (beyond["items"], beyond["total"]) == ([], 5)


def test_disable_ends_the_users_sessions_at_once(client, session, root, tree):
    user = make_user(session, area=tree["street"])
    user_headers = login(client, user)
    assert client.get("/api/v1/me", headers=user_headers).status_code == 200
    response = client.post(f"{URL}/{user.id}/disable", json={"reason": "离职"}, headers=root[1])
    assert response.status_code == 200
    assert (response.json["is_active"], response.json["disabled_reason"]) == (False, "离职")
    assert client.get("/api/v1/me", headers=user_headers).status_code == 401
    refused = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert refused.status_code == 401


def test_admin_cannot_disable_themselves(client, session, root):
    admin, headers = root
    response = client.post(f"{URL}/{admin.id}/disable", json={"reason": "oops"}, headers=headers)
    assert response.status_code == 422
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_enable_reactivates_and_lifts_a_login_lock(client, session, root, tree):
    user = make_user(session, area=tree["street"], active=False)
    user.locked_until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    user.failed_logins = 3
    session.flush()
    response = client.post(f"{URL}/{user.id}/enable", headers=root[1])
    assert response.status_code == 200
    assert (response.json["is_active"], response.json["locked_until"]) == (True, None)
    assert login(client, user)


def test_password_reset_by_admin_ends_the_users_sessions(client, session, root, tree):
    user = make_user(session, area=tree["street"])
    user_headers = login(client, user)
    response = client.patch(f"{URL}/{user.id}", json={"password": NEW_PASSWORD}, headers=root[1])
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=user_headers).status_code == 401
    assert login(client, user, NEW_PASSWORD)


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.ADMIN, Role.RESIDENT}))
def test_staff_without_admin_role_are_forbidden(client, session, tree, role):
    dept = make_department(session, area=tree["district"])
    user = make_user(session, role=role, area=tree["district"], department=dept)
    headers = login(client, user)
    assert client.get(URL, headers=headers).status_code == 403
    assert client.get(f"{URL}/{user.id}", headers=headers).status_code == 403
    assert client.post(URL, json=_body(), headers=headers).status_code == 403


def test_resident_is_forbidden(client, session, sms):
    resident = make_resident(session)
    headers = login_resident(client, sms, resident.phone)
    assert client.get(URL, headers=headers).status_code == 403
    assert client.patch(f"{URL}/{resident.id}", json={}, headers=headers).status_code == 403


def test_without_a_token_user_administration_is_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json=_body()).status_code == 401


def test_handlers_cannot_join_a_deactivated_department(client, session, root, tree):
    dept = make_department(session, "OLD01", area=tree["district"])
    dept.active = False
    session.flush()
    response = client.post(
        URL,
        json=_body(roles=["department_handler"], area_code=None, department_code="OLD01"),
        headers={**root[1], "Accept-Language": "en"},
    )
    assert _field_errors(response) == {
        "department_code": ["This department is deactivated and cannot receive new work."]
    }
