"""Per-area departments for a category: admins set them within their area; deepest area wins."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.catalogue import resolve_department
from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.catalogue import CategoryDepartmentOverride
from tests.assertions import assert_error
from tests.catalogue_factories import make_category
from tests.factories import login, make_department, make_user

URL = "/api/v1/categories"


@pytest.fixture
def depts(session, tree):
    return {
        "city": make_department(session, "SQ-CG", area=tree["city"]),
        "district": make_department(session, "SCQ-CG", area=tree["district"]),
        "street": make_department(session, "XF-CG", area=tree["street"]),
        "other": make_department(session, "SYQ-CG", area=tree["other_district"]),
    }


@pytest.fixture
def category(session, depts):
    make_category(session, "51")
    return make_category(session, "5101", department=depts["city"])


@pytest.fixture
def root(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def district_admin(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, area=tree["district"]))


def _put(client, headers, area_code, department_code, code="5101"):
    return client.put(
        f"{URL}/{code}/overrides/{area_code}",
        json={"department_code": department_code},
        headers=headers,
    )


def _rows(session) -> int:
    return session.scalar(select(func.count()).select_from(CategoryDepartmentOverride))


def _audit(session, action) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_override_routes_the_areas_subtree_to_its_department(
    client, session, tree, depts, category, root
):
    response = _put(client, root, "321302", "SCQ-CG")
    assert response.status_code == 200, response.json
    assert response.json["area"]["code"] == "321302"
    assert response.json["department"]["code"] == "SCQ-CG"
    assert resolve_department(session, category, tree["grid"]) == depts["district"]
    assert resolve_department(session, category, tree["other_street"]) == depts["city"]
    (entry,) = _audit(session, "category.override_set")
    assert (entry.before, entry.after) == (None, {"department": "SCQ-CG"})
    assert entry.object_id == "5101@321302" and entry.area_path == tree["district"].path


def test_a_district_admin_overrides_within_the_district_only(
    client, session, tree, depts, category, district_admin
):
    assert _put(client, district_admin, "321302001", "XF-CG").status_code == 200
    assert_error(_put(client, district_admin, "321311", "SYQ-CG"), 403)
    assert_error(_put(client, district_admin, "321300", "SQ-CG"), 403)
    assert _rows(session) == 1


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.GRID_WORKER, Role.EMERGENCY_OFFICER])
def test_other_staff_cannot_override(client, session, tree, category, depts, role):
    headers = login(client, make_user(session, role=role, area=tree["district"]))
    assert_error(_put(client, headers, "321302", "SCQ-CG"), 403)
    assert_error(client.get(f"{URL}/5101/overrides", headers=headers), 403)
    assert_error(client.delete(f"{URL}/5101/overrides/321302", headers=headers), 403)
    assert _rows(session) == 0


def test_override_endpoints_need_a_token(client, category):
    assert_error(client.get(f"{URL}/5101/overrides"), 401)
    assert_error(client.put(f"{URL}/5101/overrides/321302", json={"department_code": "X"}), 401)
    assert_error(client.delete(f"{URL}/5101/overrides/321302"), 401)


def test_setting_again_replaces_the_department_in_the_same_row(
    client, session, tree, depts, category, root
):
    _put(client, root, "321302", "SCQ-CG")
    response = _put(client, root, "321302", "SQ-CG")
    assert response.status_code == 200 and response.json["department"]["code"] == "SQ-CG"
    assert _rows(session) == 1
    entries = _audit(session, "category.override_set")
    assert [(e.before, e.after) for e in entries][-1] == (
        {"department": "SCQ-CG"},
        {"department": "SQ-CG"},
    )
    _put(client, root, "321302", "SQ-CG")  # the same again: nothing to record
    assert len(_audit(session, "category.override_set")) == 2


def test_the_department_must_work_and_cover_the_area(client, session, tree, depts, category, root):
    # The street unit does not cover the whole district, nor the other district's street.
    errors = assert_error(_put(client, root, "321302", "XF-CG"), 422)["errors"]["json"]
    assert errors == {"department_code": ["该部门的辖区不包含此区域。"]}
    assert_error(_put(client, root, "321311001", "SCQ-CG"), 422)
    depts["district"].active = False
    session.flush()
    errors = assert_error(_put(client, root, "321302", "SCQ-CG"), 422)["errors"]["json"]
    assert errors == {"department_code": ["部门已停用，不能接收新的工作。"]}
    errors = assert_error(_put(client, root, "321302", "NOPE"), 422)["errors"]["json"]
    assert errors == {"department_code": ["部门编码不存在。"]}
    assert _rows(session) == 0


def test_a_department_without_jurisdiction_may_serve_anywhere(client, session, category, root):
    make_department(session, "CITYWIDE")
    assert _put(client, root, "321311001", "CITYWIDE").status_code == 200


def test_a_retired_area_takes_no_override(client, session, tree, depts, category, root):
    tree["grid2"].active = False
    session.flush()
    assert_error(_put(client, root, tree["grid2"].code, "SCQ-CG"), 422)


def test_only_minor_classes_take_overrides(client, session, depts, category, root):
    response = assert_error(_put(client, root, "321302", "SCQ-CG", code="51"), 422)
    assert response["message"] == "只能为小类设置区域处置部门。"


def test_unknown_category_or_area_is_404(client, depts, category, root):
    assert_error(_put(client, root, "321302", "SCQ-CG", code="5199"), 404)
    assert_error(_put(client, root, "999999", "SCQ-CG"), 404)
    assert_error(client.get(f"{URL}/5199/overrides", headers=root), 404)


def test_overrides_are_listed_within_the_admins_area(
    client, session, tree, depts, category, root, district_admin
):
    _put(client, root, "321300", "SQ-CG")
    _put(client, root, "321302001", "XF-CG")
    _put(client, root, "321311", "SYQ-CG")
    everything = client.get(f"{URL}/5101/overrides", headers=root)
    assert everything.status_code == 200
    assert [o["area"]["code"] for o in everything.json] == ["321300", "321302001", "321311"]
    mine = client.get(f"{URL}/5101/overrides", headers=district_admin).json
    assert [(o["area"]["code"], o["department"]["code"]) for o in mine] == [("321302001", "XF-CG")]


def test_removing_an_override_lets_the_next_one_up_apply(
    client, session, tree, depts, category, root
):
    _put(client, root, "321302", "SCQ-CG")
    _put(client, root, "321302001", "XF-CG")
    assert resolve_department(session, category, tree["grid"]) == depts["street"]
    response = client.delete(f"{URL}/5101/overrides/321302001", headers=root)
    assert response.status_code == 204 and response.data == b""
    assert resolve_department(session, category, tree["grid"]) == depts["district"]
    (entry,) = _audit(session, "category.override_removed")
    assert (entry.before, entry.after) == ({"department": "XF-CG"}, None)
    assert_error(client.delete(f"{URL}/5101/overrides/321302001", headers=root), 404)


def test_a_district_admin_cannot_remove_an_override_above_their_district(
    client, session, depts, category, root, district_admin
):
    _put(client, root, "321300", "SQ-CG")
    assert_error(client.delete(f"{URL}/5101/overrides/321300", headers=district_admin), 403)
    assert _rows(session) == 1
