"""/api/v1/departments: a directory for all staff; admins manage those in their area."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.areas import Department
from services.models.audit import AuditEntry
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_department, make_user

URL = "/api/v1/departments"


@pytest.fixture
def depts(session, tree):
    return {
        "city": make_department(session, "SQ-CG", area=tree["city"], name="宿迁市城市管理局"),
        "district": make_department(session, "SCQ-CG", area=tree["district"], name="宿城区城管局"),
        "street": make_department(session, "XF-CG", area=tree["street"], name="幸福街道城管中队"),
        "other": make_department(session, "SYQ-CG", area=tree["other_district"], name="宿豫城管"),
    }


@pytest.fixture
def root(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def district_admin(session, client, tree):
    user = make_user(session, role=Role.ADMIN, area=tree["district"], username="district-admin")
    return login(client, user)


def _audit(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Department))


STAFF = [
    (Role.ADMIN, "district"),
    (Role.DISPATCHER, "street"),
    (Role.GRID_WORKER, "grid"),
    (Role.EMERGENCY_OFFICER, "city"),
]


@pytest.mark.parametrize(("role", "area"), STAFF)
def test_every_staff_member_reads_the_whole_directory(client, session, tree, depts, role, area):
    headers = login(client, make_user(session, role=role, area=tree[area]))
    response = client.get(URL, headers=headers)
    assert response.status_code == 200, response.json
    assert {d["code"] for d in response.json["items"]} == {d.code for d in depts.values()}
    one = client.get(f"{URL}/{depts['other'].id}", headers=headers)
    assert one.status_code == 200 and one.json["code"] == "SYQ-CG"


def test_a_department_handler_reads_the_directory_too(client, session, depts):
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=depts["district"])
    response = client.get(URL, headers=login(client, handler))
    assert response.status_code == 200 and response.json["total"] == 4


def test_residents_may_not_read_the_directory(client, session, sms, depts):
    headers = login_resident(client, sms, "13900000001")
    assert_error(client.get(URL, headers=headers), 403)
    assert_error(client.get(f"{URL}/{depts['city'].id}", headers=headers), 403)


def test_the_directory_needs_a_token(client, depts):
    assert_error(client.get(URL), 401)
    assert_error(client.get(f"{URL}/{depts['city'].id}"), 401)


def test_listing_filters_by_jurisdiction_subtree_text_and_state(client, depts, root):
    def codes(**query):
        response = client.get(URL, query_string=query, headers=root)
        assert response.status_code == 200, response.json
        return [d["code"] for d in response.json["items"]]

    assert codes(area_code="321302") == ["SCQ-CG", "XF-CG"]
    assert codes(area_code="321300") == ["SCQ-CG", "SQ-CG", "SYQ-CG", "XF-CG"]
    assert codes(area_code="321311") == ["SYQ-CG"]
    assert codes(q="宿城") == ["SCQ-CG"]
    assert codes(q="xf") == ["XF-CG"]
    assert codes(q="%") == []
    client.post(f"{URL}/{depts['street'].id}/deactivate", headers=root)
    assert codes(active="false") == ["XF-CG"]
    assert "XF-CG" not in codes(active="true")


def test_listing_pages_through_the_directory(client, depts, root):
    first = client.get(URL, query_string={"page_size": 3}, headers=root).json
    second = client.get(URL, query_string={"page_size": 3, "page": 2}, headers=root).json
    assert (first["total"], len(first["items"]), len(second["items"])) == (4, 3, 1)
    assert {d["code"] for d in first["items"] + second["items"]} == {d.code for d in depts.values()}


def test_filtering_by_an_unknown_area_is_404(client, root):
    assert_error(client.get(URL, query_string={"area_code": "999999"}, headers=root), 404)


def test_an_unknown_department_is_404(client, root):
    assert_error(client.get(f"{URL}/{uuid.uuid4()}", headers=root), 404)


def test_platform_admin_creates_a_department_with_a_normalised_code_and_phone(
    client, session, tree, root
):
    body = {
        "code": "scq-sj",
        "name": "宿城区市场监督管理局",
        "phone": "(0527)84000005",
        "area_code": "321302",
    }
    response = client.post(URL, json=body, headers=root)
    assert response.status_code == 201, response.json
    created = response.json
    assert (created["code"], created["phone"], created["active"]) == (
        "SCQ-SJ",
        "0527-84000005",
        True,
    )
    assert created["area"]["code"] == "321302"
    (entry,) = _audit(session, "department.created")
    assert entry.object_id == created["id"] and entry.area_path == tree["district"].path
    assert entry.after == {
        "code": "SCQ-SJ",
        "name": "宿城区市场监督管理局",
        "phone": "0527-84000005",
        "area": "321302",
        "active": True,
    }
    got = client.get(f"{URL}/{created['id']}", headers=root)
    assert got.json["phone"] == "0527-84000005"  # a public number: never masked


def test_a_mobile_number_is_shown_in_full_for_a_department(client, root, tree):
    body = {"code": "X1", "name": "值班手机", "phone": "+86 138 1234 5678", "area_code": "321302"}
    response = client.post(URL, json=body, headers=root)
    assert response.status_code == 201 and response.json["phone"] == "13812345678"


def test_district_admin_creates_departments_inside_the_district_only(
    client, session, tree, district_admin
):
    inside = {"code": "XF-SW", "name": "幸福街道水务站", "area_code": "321302001"}
    response = client.post(URL, json=inside, headers=district_admin)
    assert response.status_code == 201, response.json
    assert response.json["phone"] is None
    before = _count(session)
    for area_code in ("321311", "321300"):
        outside = {"code": f"OUT{area_code}", "name": "外区部门", "area_code": area_code}
        assert_error(client.post(URL, json=outside, headers=district_admin), 403)
    assert _count(session) == before


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.GRID_WORKER, Role.EMERGENCY_OFFICER])
def test_only_admins_manage_departments(client, session, tree, depts, role):
    headers = login(client, make_user(session, role=role, area=tree["city"]))
    body = {"code": "NEW", "name": "新部门", "area_code": "321302"}
    assert_error(client.post(URL, json=body, headers=headers), 403)
    target = depts["district"].id
    assert_error(client.patch(f"{URL}/{target}", json={"name": "x"}, headers=headers), 403)
    assert_error(client.post(f"{URL}/{target}/deactivate", headers=headers), 403)
    assert not _audit(session, "department.created")


def test_a_taken_code_is_409_whatever_its_case(client, session, depts, root):
    before = _count(session)
    body = {"code": "scq-cg", "name": "重复", "area_code": "321302"}
    response = assert_error(client.post(URL, json=body, headers=root), 409)
    assert "code" in response["errors"]["json"]
    assert _count(session) == before and not _audit(session, "department.created")


def test_an_unknown_or_retired_jurisdiction_is_refused(client, session, tree, root):
    body = {"code": "NEW", "name": "新部门", "area_code": "999999"}
    errors = assert_error(client.post(URL, json=body, headers=root), 422)["errors"]["json"]
    assert list(errors) == ["area_code"]
    tree["grid2"].active = False
    session.flush()
    body["area_code"] = tree["grid2"].code
    assert_error(client.post(URL, json=body, headers=root), 422)
    assert not _audit(session, "department.created")


def test_admin_changes_name_phone_and_jurisdiction_and_the_audit_says_what_changed(
    client, session, tree, depts, root
):
    dept = depts["district"]
    body = {"name": "宿城区城市管理局", "phone": "0527 8400 0001", "area_code": "321302001"}
    response = client.patch(f"{URL}/{dept.id}", json=body, headers=root)
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["phone"], response.json["area"]["code"]) == (
        "宿城区城市管理局",
        "0527-84000001",
        "321302001",
    )
    (entry,) = _audit(session, "department.updated")
    assert entry.before == {"name": "宿城区城管局", "phone": None, "area": "321302"}
    assert entry.after == {
        "name": "宿城区城市管理局",
        "phone": "0527-84000001",
        "area": "321302001",
    }
    assert entry.area_path == tree["street"].path


def test_a_phone_can_be_cleared_and_an_unchanged_patch_writes_no_audit(
    client, session, depts, root
):
    dept = depts["street"]
    client.patch(f"{URL}/{dept.id}", json={"phone": "12345"}, headers=root)
    response = client.patch(f"{URL}/{dept.id}", json={"phone": None}, headers=root)
    assert response.status_code == 200 and response.json["phone"] is None
    entries = len(_audit(session, "department.updated"))
    assert client.patch(f"{URL}/{dept.id}", json={}, headers=root).status_code == 200
    assert len(_audit(session, "department.updated")) == entries == 2


def test_district_admin_cannot_move_a_department_out_or_touch_another_districts(
    client, session, depts, district_admin
):
    dept = depts["district"]
    assert_error(
        client.patch(f"{URL}/{dept.id}", json={"area_code": "321311"}, headers=district_admin),
        403,
    )
    other = depts["other"]
    assert_error(
        client.patch(f"{URL}/{other.id}", json={"name": "改名"}, headers=district_admin), 403
    )
    assert_error(client.post(f"{URL}/{other.id}/deactivate", headers=district_admin), 403)
    session.expire_all()
    assert session.get(Department, dept.id).area.code == "321302"
    assert session.get(Department, other.id).name == "宿豫城管"
    assert session.get(Department, other.id).active


def test_deactivating_keeps_handlers_bound_and_is_audited_once(client, session, depts, root):
    dept = depts["district"]
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept)
    response = client.post(f"{URL}/{dept.id}/deactivate", headers=root)
    assert response.status_code == 200 and response.json["active"] is False
    assert client.post(f"{URL}/{dept.id}/deactivate", headers=root).json["active"] is False
    (entry,) = _audit(session, "department.deactivated")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})
    session.expire_all()
    assert handler.department_id == dept.id
    # The handler still signs in and sees their department (to finish what they hold).
    me = client.get("/api/v1/me", headers=login(client, handler)).json
    assert me["department"]["code"] == "SCQ-CG"
    reactivated = client.post(f"{URL}/{dept.id}/activate", headers=root)
    assert reactivated.json["active"] is True
    assert len(_audit(session, "department.activated")) == 1


def test_managing_an_unknown_department_is_404(client, root):
    missing = uuid.uuid4()
    assert_error(client.patch(f"{URL}/{missing}", json={"name": "x"}, headers=root), 404)
    assert_error(client.post(f"{URL}/{missing}/deactivate", headers=root), 404)
    assert_error(client.post(f"{URL}/{missing}/activate", headers=root), 404)


def test_messages_follow_the_callers_language(client, depts, root):
    body = {"code": "SCQ-CG", "name": "重复", "area_code": "321302"}
    zh = client.post(URL, json=body, headers=root)
    en = client.post(URL, json=body, headers={**root, "Accept-Language": "en"})
    assert zh.json["message"] == "部门编码已被使用。"
    assert en.json["message"] == "This department code is taken."
