"""Administering the catalogue: platform administrators only, two levels, strict limits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.catalogue import Category, CategoryKind
from tests.assertions import assert_error
from tests.catalogue_factories import LIMITS, limits, make_category
from tests.factories import login, make_department, make_user

URL = "/api/v1/categories"


@pytest.fixture
def cg(session, tree):
    return make_department(session, "SCQ-CG", area=tree["district"], name="宿城区城管局")


@pytest.fixture
def root(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def existing(session, cg):
    return {
        code: make_category(session, code, department=cg) for code in ("01", "0101", "56", "5699")
    }


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Category))


def _audit(session, action) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _minor(**overrides) -> dict:
    body = {
        "code": "0102",
        "parent_code": "01",
        "name_zh": "污水井盖",
        "name_en": "Sewer manhole cover",
        "default_department_code": "SCQ-CG",
        "time_limits": limits(),
        "photo_required": True,
    }
    return {k: v for k, v in {**body, **overrides}.items() if v is not ...}


def test_platform_admin_adds_a_major_class_whose_kind_follows_its_code(client, session, root):
    for code, kind in (("02", "component"), ("53", "event")):
        body = {"code": code, "name_zh": f"大类{code}", "name_en": f"Class {code}"}
        response = client.post(URL, json=body, headers=root)
        assert response.status_code == 201, response.json
        assert (response.json["kind"], response.json["level"]) == (kind, "major")
        assert response.json["time_limits"] is None and response.json["parent_code"] is None
    assert [e.after["code"] for e in _audit(session, "category.created")] == ["02", "53"]


def test_platform_admin_adds_a_minor_class_with_limits_and_department(
    client, session, root, existing
):
    response = client.post(URL, json=_minor(sort_order=5), headers=root)
    assert response.status_code == 201, response.json
    created = response.json
    assert (created["parent_code"], created["kind"], created["level"]) == (
        "01",
        "component",
        "minor",
    )
    assert created["time_limits"] == LIMITS
    assert created["default_department"]["code"] == "SCQ-CG"
    assert (created["photo_required"], created["resident_selectable"], created["sort_order"]) == (
        True,
        True,
        5,
    )
    (entry,) = _audit(session, "category.created")
    assert entry.after["code"] == "0102" and entry.after["parent"] == "01"
    assert entry.after["default_department"] == "SCQ-CG" and entry.area_path is None
    stored = session.scalar(select(Category).where(Category.code == "0102"))
    assert stored.kind is CategoryKind.COMPONENT and stored.parent_id == existing["01"].id
    # The new class is in the public tree right away.
    public = client.get(URL).json["items"]
    assert [c["code"] for c in public[0]["children"]] == ["0101", "0102"]


def test_a_minor_class_may_have_no_default_department(client, root, existing):
    response = client.post(URL, json=_minor(default_department_code=None), headers=root)
    assert response.status_code == 201 and response.json["default_department"] is None


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.ADMIN, "district"),
        (Role.ADMIN, "city"),
        (Role.DISPATCHER, None),
        (Role.GRID_WORKER, "grid"),
    ],
)
def test_only_platform_administrators_change_the_catalogue(
    client, session, tree, existing, role, area
):
    user = make_user(session, role=role, area=tree[area] if area else tree["city"])
    headers = login(client, user)
    before = _count(session)
    assert_error(client.post(URL, json=_minor(), headers=headers), 403)
    assert_error(client.patch(f"{URL}/0101", json={"name_zh": "改"}, headers=headers), 403)
    assert _count(session) == before
    assert existing["0101"].name_zh == "类别0101"
    assert not _audit(session, "category.updated")


def test_writes_need_a_token(client, existing):
    assert_error(client.post(URL, json=_minor()), 401)
    assert_error(client.patch(f"{URL}/0101", json={"name_zh": "改"}), 401)


def test_a_taken_code_is_409(client, session, root, existing):
    before = _count(session)
    body = assert_error(client.post(URL, json=_minor(code="0101"), headers=root), 409)
    assert "code" in body["errors"]["json"]
    assert _count(session) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_minor(parent_code="02", code="0201"), "parent_code"),  # no such parent
        (_minor(code="0201"), "code"),  # not under its parent
        (_minor(code="0100"), "code"),
        (_minor(time_limits=...), "time_limits"),
        (_minor(default_department_code="NOPE"), "default_department_code"),
        ({"code": "00", "name_zh": "零", "name_en": "Zero"}, "code"),
        ({"code": "50", "name_zh": "五十", "name_en": "Fifty"}, "code"),
    ],
)
def test_malformed_or_misplaced_categories_are_refused(
    client, session, root, existing, body, field
):
    before = _count(session)
    response = assert_error(client.post(URL, json=body, headers=root), 422)
    assert field in response["errors"]["json"], response
    assert _count(session) == before and not _audit(session, "category.created")


def test_a_minor_class_cannot_have_children(client, session, root, existing):
    response = client.post(URL, json=_minor(code="0101", parent_code="0101"), headers=root)
    assert "parent_code" in assert_error(response, 422)["errors"]["json"]


def test_a_major_class_under_a_minor_class_code_is_refused(client, session, root, existing):
    body = _minor(code="010101", parent_code="01")
    assert "code" in assert_error(client.post(URL, json=body, headers=root), 422)["errors"]["json"]


@pytest.mark.parametrize(
    "extra",
    [
        {"time_limits": limits()},
        {"default_department_code": "SCQ-CG"},
        {"photo_required": True},
    ],
)
def test_a_major_class_carries_no_routing(client, session, root, cg, extra):
    body = {"code": "03", "name_zh": "市容环境设施", "name_en": "Street facilities", **extra}
    response = assert_error(client.post(URL, json=body, headers=root), 422)
    assert response["message"] == "大类不设处置部门、时限和拍照要求，请在小类上设置。"
    assert _count(session) == 0


def test_a_deactivated_department_cannot_become_a_default(client, session, root, existing, cg):
    cg.active = False
    session.flush()
    response = client.post(URL, json=_minor(), headers={**root, "Accept-Language": "en"})
    errors = assert_error(response, 422)["errors"]["json"]
    assert errors == {
        "default_department_code": ["This department is deactivated and cannot receive new work."]
    }
    patch = client.patch(f"{URL}/0101", json={"default_department_code": "SCQ-CG"}, headers=root)
    assert_error(patch, 422)


def test_limits_where_an_urgent_case_gets_more_time_are_refused(client, root, existing):
    doc = limits()
    doc["disposal"]["urgent"] = {"amount": 6, "unit": "working_days"}  # normal is 5 days
    response = client.post(
        URL, json=_minor(time_limits=doc), headers={"Accept-Language": "en", **root}
    )
    body = assert_error(response, 422)
    assert body["errors"]["json"]["time_limits"] == [
        "disposal: a more urgent case cannot have a longer time limit."
    ]


def test_admin_changes_a_category_and_the_audit_keeps_only_the_changes(
    client, session, root, existing, cg
):
    sw = make_department(session, "SCQ-SW", area=cg.area)
    doc = limits()
    doc["filing"]["normal"] = {"amount": 2, "unit": "working_days"}
    body = {
        "name_zh": "上水井盖破损",
        "default_department_code": "SCQ-SW",
        "time_limits": doc,
        "resident_selectable": False,
        "sort_order": 3,
    }
    response = client.patch(f"{URL}/0101", json=body, headers=root)
    assert response.status_code == 200, response.json
    changed = response.json
    assert changed["name_zh"] == "上水井盖破损" and changed["name_en"] == "Category 0101"
    assert changed["default_department"]["code"] == "SCQ-SW"
    assert changed["time_limits"]["filing"]["normal"] == {"amount": 2, "unit": "working_days"}
    (entry,) = _audit(session, "category.updated")
    assert set(entry.after) == {
        "name_zh",
        "default_department",
        "time_limits",
        "resident_selectable",
        "sort_order",
    }
    assert entry.before["default_department"] == "SCQ-CG"
    session.expire_all()
    assert existing["0101"].default_department_id == sw.id


def test_clearing_the_default_department_and_deactivating(client, session, root, existing):
    response = client.patch(
        f"{URL}/0101", json={"default_department_code": None, "active": False}, headers=root
    )
    assert response.status_code == 200, response.json
    assert response.json["default_department"] is None and response.json["active"] is False
    public = client.get(URL).json["items"]
    assert "01" not in [m["code"] for m in public]  # its only minor class is now inactive
    again = client.patch(f"{URL}/0101", json={"active": True}, headers=root)
    assert again.json["active"] is True


def test_an_empty_patch_changes_nothing_and_writes_no_audit(client, session, root, existing):
    response = client.patch(f"{URL}/0101", json={}, headers=root)
    assert response.status_code == 200 and not _audit(session, "category.updated")


@pytest.mark.parametrize(
    ("code", "body"),
    [
        ("5699", {"active": False}),
        ("5699", {"resident_selectable": False}),
        ("56", {"active": False}),
        ("56", {"resident_selectable": False}),
    ],
)
def test_the_fallback_category_stays_available_to_residents(
    client, session, root, existing, code, body
):
    response = assert_error(client.patch(f"{URL}/{code}", json=body, headers=root), 422)
    assert response["message"] == "“其他”是兜底类别，不能停用。"
    session.expire_all()
    fallback = session.scalar(select(Category).where(Category.code == code))
    assert fallback.active and fallback.resident_selectable


def test_a_major_class_cannot_gain_limits_by_patch(client, root, existing):
    assert_error(client.patch(f"{URL}/01", json={"time_limits": limits()}, headers=root), 422)


def test_changing_an_unknown_category_is_404(client, root, existing):
    assert_error(client.patch(f"{URL}/0199", json={"name_zh": "无"}, headers=root), 404)
