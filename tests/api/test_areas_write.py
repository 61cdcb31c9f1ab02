"""Administering areas: create, rename, replace the boundary, retire; scoped, audited, versioned."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.area_version import current_area_version
from services.models.accounts import Role
from services.models.areas import Area
from services.models.audit import AuditEntry
from tests.factories import login, login_resident, make_department, make_user

URL = "/api/v1/areas"
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[118.27, 33.96], [118.28, 33.96], [118.28, 33.97], [118.27, 33.97], [118.27, 33.96]]
    ],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[118.27, 33.96], [118.28, 33.97], [118.28, 33.96], [118.27, 33.97], [118.27, 33.96]]
    ],
}
NEW_GRID = {"code": "321302001001003", "name": "第三网格", "parent_code": "321302001001"}


@pytest.fixture
def root(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def district_admin(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, area=tree["district"]))


def _audit(session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.at)
        )
    )


def _area(session, code: str) -> Area | None:
    session.expire_all()
    return session.scalar(select(Area).where(Area.code == code))


def test_admin_creates_a_grid_with_boundary_under_a_community(client, session, root):
    before = current_area_version(session)
    response = client.post(URL, json={**NEW_GRID, "geometry": SQUARE}, headers=root)
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["code"], body["level"], body["parent_code"]) == (
        "321302001001003",
        "grid",
        "321302001001",
    )
    assert body["path"] == "/321300/321302/321302001/321302001001/321302001001003/"
    assert [a["code"] for a in body["ancestors"]] == [
        "321300",
        "321302",
        "321302001",
        "321302001001",
    ]
    assert body["bbox"] == pytest.approx([118.27, 33.96, 118.28, 33.97])
    assert body["centroid"] == pytest.approx([118.275, 33.965])
    assert body["notices"] == []
    stored = _area(session, "321302001001003")
    assert stored.geometry["type"] == "Polygon" and stored.min_lng == pytest.approx(118.27)
    assert current_area_version(session) == before + 1
    (entry,) = _audit(session, "area.created")
    assert entry.object_id == str(stored.id) and entry.area_path == stored.path
    assert entry.after["code"] == "321302001001003" and entry.after["parent"] == "321302001001"
    assert entry.after["geometry"]["vertices"] == 5


def test_level_is_inferred_from_the_code_and_a_wrong_one_is_refused(client, root):
    created = client.post(URL, json={**NEW_GRID, "level": "grid"}, headers=root)
    assert created.status_code == 201 and created.json["level"] == "grid"
    wrong = client.post(
        URL,
        json={**NEW_GRID, "code": "321302001001004", "level": "street"},
        headers={**root, "Accept-Language": "en"},
    )
    assert wrong.status_code == 422
    assert wrong.json["errors"]["json"]["level"] == ["Code 321302001001004 is not a street code."]


def test_a_city_is_created_without_parent_by_a_platform_admin(client, root):
    response = client.post(URL, json={"code": "320100", "name": "南京市"}, headers=root)
    assert response.status_code == 201, response.json
    assert (response.json["level"], response.json["parent_code"]) == ("city", None)


def test_a_district_shares_its_city_s_first_four_digits(client, root):
    ok = client.post(
        URL, json={"code": "321322", "name": "沭阳县", "parent_code": "321300"}, headers=root
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["level"] == "district"
    bad = client.post(
        URL, json={"code": "320102", "name": "玄武区", "parent_code": "321300"}, headers=root
    )
    assert bad.status_code == 422
    assert "code" in bad.json["errors"]["json"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "321302002", "parent_code": "321300"}, "code"),  # street under a city
        ({"code": "321311001001", "parent_code": "321302001"}, "code"),  # wrong prefix
        ({"code": "321302001001003"}, "parent_code"),  # no parent
        ({"code": "321302001001003", "parent_code": "321302001001999"}, "parent_code"),
        ({"code": "320100", "parent_code": "321300"}, "parent_code"),  # a city has no parent
        ({"code": "321302001001001", "parent_code": "321302001001"}, "code"),  # taken
        ({"code": "3213020010010", "parent_code": "321302001001"}, "code"),  # 13 digits
    ],
)
def test_codes_must_extend_their_parent_s_code(client, session, root, body, field):
    response = client.post(URL, json={"name": "某区域", **body}, headers=root)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _audit(session, "area.created") == []


def test_nothing_is_created_under_a_retired_parent(client, session, root, tree):
    tree["community"].active = False
    session.flush()
    response = client.post(URL, json=NEW_GRID, headers=root)
    assert response.status_code == 422
    assert "parent_code" in response.json["errors"]["json"]


def test_self_intersecting_boundary_is_repaired_and_the_writer_is_told(client, session, root):
    response = client.post(
        URL, json={**NEW_GRID, "geometry": BOW_TIE}, headers={**root, "Accept-Language": "en"}
    )
    assert response.status_code == 201, response.json
    (notice,) = response.json["notices"]
    assert notice["code"] == "geometry_repaired"
    assert "Self-intersection" in notice["message"] and "repaired" in notice["message"]
    assert response.json["geometry"]["type"] == "MultiPolygon"


def test_district_admin_creates_only_within_their_district(client, session, district_admin):
    inside = client.post(URL, json=NEW_GRID, headers=district_admin)
    assert inside.status_code == 201
    outside = client.post(
        URL,
        json={"code": "321311002", "name": "外区街道", "parent_code": "321311"},
        headers=district_admin,
    )
    assert outside.status_code == 403
    city = client.post(URL, json={"code": "320100", "name": "南京市"}, headers=district_admin)
    assert city.status_code == 403
    assert _area(session, "321311002") is None and _area(session, "320100") is None


@pytest.mark.parametrize(
    "role", [Role.DISPATCHER, Role.GRID_WORKER, Role.EMERGENCY_OFFICER, Role.DEPARTMENT_HANDLER]
)
def test_other_staff_roles_cannot_change_the_map(client, session, tree, role):
    if role is Role.DEPARTMENT_HANDLER:
        user = make_user(session, role=role, department=make_department(session, area=tree["city"]))
    else:
        user = make_user(session, role=role, area=tree["city"])
    headers = login(client, user)
    assert client.post(URL, json=NEW_GRID, headers=headers).status_code == 403
    url = f"{URL}/{tree['grid'].id}"
    assert client.patch(url, json={"name": "新名"}, headers=headers).status_code == 403
    assert client.post(f"{url}/retire", json={"reason": "x"}, headers=headers).status_code == 403
    assert _area(session, "321302001001003") is None
    assert _area(session, "321302001001001").name != "新名"


def test_residents_cannot_change_the_map(client, sms, session, tree):
    headers = login_resident(client, sms, "13912345678")
    assert client.post(URL, json=NEW_GRID, headers=headers).status_code == 403
    url = f"{URL}/{tree['grid'].id}"
    assert client.patch(url, json={"name": "新名"}, headers=headers).status_code == 403


def test_rename_is_audited_and_bumps_the_version(client, session, root, tree):
    before = current_area_version(session)
    response = client.patch(f"{URL}/{tree['grid'].id}", json={"name": "幸福一格"}, headers=root)
    assert response.status_code == 200, response.json
    assert response.json["name"] == "幸福一格"
    (entry,) = _audit(session, "area.renamed")
    assert (entry.before, entry.after) == ({"name": "区域321302001001001"}, {"name": "幸福一格"})
    assert current_area_version(session) == before + 1


def test_replacing_the_boundary_is_audited_with_a_digest_not_the_shape(client, session, root, tree):
    url = f"{URL}/{tree['grid'].id}"
    response = client.patch(url, json={"geometry": SQUARE}, headers=root)
    assert response.status_code == 200
    assert response.json["bbox"] == pytest.approx([118.27, 33.96, 118.28, 33.97])
    (entry,) = _audit(session, "area.geometry_replaced")
    assert entry.before == {"geometry": None}
    assert entry.after["geometry"]["vertices"] == 5 and len(entry.after["geometry"]["sha256"]) == 16
    version = current_area_version(session)
    # The same boundary again changes nothing: no entry, no new version.
    assert client.patch(url, json={"geometry": SQUARE}, headers=root).status_code == 200
    assert len(_audit(session, "area.geometry_replaced")) == 1
    assert current_area_version(session) == version


def test_district_admin_cannot_change_areas_of_another_district(
    client, session, district_admin, tree
):
    url = f"{URL}/{tree['other_street'].id}"
    assert client.patch(url, json={"name": "改名"}, headers=district_admin).status_code == 403
    ok = client.patch(f"{URL}/{tree['street'].id}", json={"name": "改名"}, headers=district_admin)
    assert ok.status_code == 200


def test_patch_without_changes_is_refused(client, root, tree):
    response = client.patch(f"{URL}/{tree['grid'].id}", json={}, headers=root)
    assert response.status_code == 422


def test_retiring_a_leaf_keeps_the_row_and_records_why(client, session, root, tree):
    before = current_area_version(session)
    response = client.post(
        f"{URL}/{tree['grid2'].id}/retire", json={"reason": "网格合并"}, headers=root
    )
    assert response.status_code == 200, response.json
    assert response.json["active"] is False and response.json["retired_at"]
    stored = _area(session, "321302001001002")
    assert stored is not None and stored.active is False
    (entry,) = _audit(session, "area.retired")
    assert entry.after == {"active": False, "reason": "网格合并"}
    assert current_area_version(session) == before + 1


def test_an_area_with_active_children_is_retired_only_with_cascade(client, session, root, tree):
    url = f"{URL}/{tree['street'].id}/retire"
    refused = client.post(url, json={"reason": "撤并"}, headers={**root, "Accept-Language": "en"})
    assert refused.status_code == 409
    assert "3 active sub-areas" in refused.json["message"]
    assert _area(session, "321302001").active is True
    response = client.post(url, json={"reason": "撤并", "cascade": True}, headers=root)
    assert response.status_code == 200
    for code in ("321302001", "321302001001", "321302001001001", "321302001001002"):
        assert _area(session, code).active is False
    assert _area(session, "321302").active is True
    entries = _audit(session, "area.retired")
    assert len(entries) == 4
    assert sum(1 for e in entries if e.after.get("with") == "321302001") == 3


def test_a_retired_area_cannot_be_changed_or_retired_again(client, session, root, tree):
    url = f"{URL}/{tree['grid2'].id}"
    assert client.post(f"{url}/retire", json={"reason": "x"}, headers=root).status_code == 200
    assert client.post(f"{url}/retire", json={"reason": "x"}, headers=root).status_code == 409
    assert client.patch(url, json={"name": "复活"}, headers=root).status_code == 409
    # Its code stays taken: history must not be confused with a new area.
    again = client.post(
        URL,
        json={"code": "321302001001002", "name": "新", "parent_code": "321302001001"},
        headers=root,
    )
    assert again.status_code == 422


def test_unknown_area_writes_are_404(client, root):
    url = f"{URL}/00000000-0000-4000-8000-000000000000"
    assert client.patch(url, json={"name": "x"}, headers=root).status_code == 404
    assert client.post(f"{url}/retire", json={"reason": "x"}, headers=root).status_code == 404


def test_writes_need_a_token(client, session, tree):
    assert client.post(URL, json=NEW_GRID).status_code == 401
    assert client.patch(f"{URL}/{tree['grid'].id}", json={"name": "x"}).status_code == 401
    assert _area(session, "321302001001003") is None
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def _square(x0: float, y0: float, size: float) -> dict:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def bounded_community(session, tree):
    """The community gets a boundary: the square (118.27, 33.96)–(118.29, 33.98)."""
    community = tree["community"]
    community.geometry = _square(118.27, 33.96, 0.02)
    session.flush()
    return community


def test_a_grid_sticking_out_of_its_community_is_refused(client, session, root, bounded_community):
    half_out = _square(118.28, 33.96, 0.02)  # half of it east of the community
    response = client.post(
        URL, json={**NEW_GRID, "geometry": half_out}, headers={**root, "Accept-Language": "en"}
    )
    assert response.status_code == 422, response.json
    assert "50.00% of the boundary lies outside" in response.json["errors"]["json"]["geometry"][0]
    assert _area(session, NEW_GRID["code"]) is None


def test_a_grid_inside_its_community_within_tolerance_is_accepted(
    client, session, root, bounded_community
):
    # 0.5 % sticks out: digitised borders never match exactly.
    nearly_inside = _square(118.27 + 0.0001, 33.96, 0.02)
    response = client.post(URL, json={**NEW_GRID, "geometry": SQUARE}, headers=root)
    assert response.status_code == 201, response.json
    url = f"{URL}/{response.json['id']}"
    assert client.patch(url, json={"geometry": nearly_inside}, headers=root).status_code == 200


def test_replacing_a_boundary_with_one_outside_the_parent_is_refused(
    client, session, root, tree, bounded_community
):
    url = f"{URL}/{tree['grid'].id}"
    before = tree["grid"].geometry
    response = client.patch(url, json={"geometry": _square(118.30, 33.96, 0.01)}, headers=root)
    assert response.status_code == 422
    assert "geometry" in response.json["errors"]["json"]
    assert _area(session, tree["grid"].code).geometry == before
