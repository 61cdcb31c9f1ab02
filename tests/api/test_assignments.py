"""Grid assignments: who serves which grid, assigned by admins and dispatchers in their area."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services import assignments
from services.models.accounts import Role
from services.models.areas import GridAssignment, GridDuty
from services.models.audit import AuditEntry
from tests.assertions import assert_error
from tests.factories import (
    login,
    login_resident,
    make_area,
    make_department,
    make_user,
)


@pytest.fixture
def worker(session, tree):
    """A grid worker bound to the community, so both of its grids are open to them."""
    return make_user(
        session,
        role=Role.GRID_WORKER,
        area=tree["community"],
        username="gw1",
        phone="+8613812345678",
    )


@pytest.fixture
def dispatcher(session, client, tree):
    return login(client, make_user(session, role=Role.DISPATCHER, area=tree["street"]))


def _url(area, user=None) -> str:
    url = f"/api/v1/areas/{area.id}/workers"
    return f"{url}/{user.id}" if user else url


def _rows(session) -> int:
    return session.scalar(select(func.count()).select_from(GridAssignment))


def _audit(session, action) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_dispatcher_assigns_a_worker_and_the_phone_stays_masked(
    client, session, tree, worker, dispatcher
):
    body = {"user_id": str(worker.id), "duty": "leader"}
    response = client.post(_url(tree["grid"]), json=body, headers=dispatcher)
    assert response.status_code == 201, response.json
    posting = response.json
    assert posting["duty"] == "leader" and posting["ended_at"] is None
    assert posting["area"]["code"] == "321302001001001"
    assert posting["user"]["id"] == str(worker.id)
    assert posting["user"]["phone"] == "138****5678"
    assert "13812345678" not in response.get_data(as_text=True)
    (entry,) = _audit(session, "assignment.created")
    assert entry.object_type == "grid_assignment" and entry.object_id == posting["id"]
    assert entry.area_path == tree["grid"].path
    assert entry.after == {"user": "gw1", "grid": "321302001001001", "duty": "leader"}


def test_duty_defaults_to_full_time(client, tree, worker, dispatcher):
    response = client.post(_url(tree["grid"]), json={"user_id": str(worker.id)}, headers=dispatcher)
    assert response.status_code == 201 and response.json["duty"] == "full_time"


def test_assigning_the_same_worker_twice_is_409_and_keeps_one_row(
    client, session, tree, worker, dispatcher
):
    body = {"user_id": str(worker.id)}
    assert client.post(_url(tree["grid"]), json=body, headers=dispatcher).status_code == 201
    body = assert_error(client.post(_url(tree["grid"]), json=body, headers=dispatcher), 409)
    assert body["message"] == "该网格员已在此网格任职。"
    assert _rows(session) == 1 and len(_audit(session, "assignment.created")) == 1


def test_a_race_lost_on_the_unique_constraint_is_a_clean_409(
    client, session, tree, worker, dispatcher, monkeypatch
):
    """As if a simultaneous request inserted the pair after this one looked."""
    client.post(_url(tree["grid"]), json={"user_id": str(worker.id)}, headers=dispatcher)
    monkeypatch.setattr(assignments, "find_assignment", lambda *a, **k: None)
    response = client.post(_url(tree["grid"]), json={"user_id": str(worker.id)}, headers=dispatcher)
    assert_error(response, 409)
    assert _rows(session) == 1 and len(_audit(session, "assignment.created")) == 1


def test_ending_keeps_the_row_and_assigning_again_reopens_it(
    client, session, tree, worker, dispatcher
):
    created = client.post(
        _url(tree["grid"]), json={"user_id": str(worker.id)}, headers=dispatcher
    ).json
    ended = client.delete(_url(tree["grid"], worker), headers=dispatcher)
    assert ended.status_code == 200, ended.json
    assert ended.json["id"] == created["id"] and ended.json["ended_at"] is not None
    assert _rows(session) == 1
    assert_error(client.delete(_url(tree["grid"], worker), headers=dispatcher), 404)
    again = client.post(
        _url(tree["grid"]),
        json={"user_id": str(worker.id), "duty": "volunteer"},
        headers=dispatcher,
    )
    assert again.status_code == 201, again.json
    assert again.json["id"] == created["id"]
    assert (again.json["duty"], again.json["ended_at"]) == ("volunteer", None)
    assert _rows(session) == 1
    (ended_entry,) = _audit(session, "assignment.ended")
    assert ended_entry.before["duty"] == "full_time"
    (reopened,) = _audit(session, "assignment.reopened")
    assert reopened.after["duty"] == "volunteer" and reopened.before["ended_at"]


def test_workers_of_a_grid_and_of_an_area_subtree_are_listed_grid_by_grid(
    client, session, tree, worker, dispatcher
):
    other = make_user(session, role=Role.GRID_WORKER, area=tree["grid2"], username="gw2")
    gone = make_user(session, role=Role.GRID_WORKER, area=tree["community"], username="gw3")
    for grid, user, duty in [
        (tree["grid"], worker, "leader"),
        (tree["grid2"], worker, "full_time"),
        (tree["grid2"], other, "volunteer"),
        (tree["grid"], gone, "volunteer"),
    ]:
        body = {"user_id": str(user.id), "duty": duty}
        assert client.post(_url(grid), json=body, headers=dispatcher).status_code == 201
    client.delete(_url(tree["grid"], gone), headers=dispatcher)

    def listed(area, **query):
        response = client.get(_url(area), query_string=query, headers=dispatcher)
        assert response.status_code == 200, response.json
        return [
            (p["area"]["code"][-3:], p["user"]["username"], p["duty"])
            for p in response.json["items"]
        ]

    assert listed(tree["grid"]) == [("001", "gw1", "leader")]
    assert listed(tree["community"]) == [
        ("001", "gw1", "leader"),
        ("002", "gw1", "full_time"),
        ("002", "gw2", "volunteer"),
    ]
    assert listed(tree["street"], duty="volunteer") == [("002", "gw2", "volunteer")]
    page = client.get(_url(tree["street"]), query_string={"page_size": 2}, headers=dispatcher)
    assert page.json["total"] == 3 and len(page.json["items"]) == 2
    assert page.json["items"][0]["user"]["phone"] == "138****5678"


def test_a_grid_worker_sees_the_workers_of_their_area_only(client, session, tree, worker):
    headers = login(client, worker)
    assert client.get(_url(tree["grid"]), headers=headers).status_code == 200
    assert client.get(_url(tree["community"]), headers=headers).status_code == 200
    assert_error(client.get(_url(tree["street"]), headers=headers), 404)
    assert_error(client.get(_url(tree["other_street"]), headers=headers), 404)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.GRID_WORKER, 403), (Role.EMERGENCY_OFFICER, 403), (Role.DEPARTMENT_HANDLER, 403)],
)
def test_only_admins_and_dispatchers_assign(client, session, tree, worker, role, status):
    dept = make_department(session, area=tree["district"])
    area = None if role is Role.DEPARTMENT_HANDLER else tree["street"]
    headers = login(client, make_user(session, role=role, area=area, department=dept))
    body = {"user_id": str(worker.id)}
    assert_error(client.post(_url(tree["grid"]), json=body, headers=headers), status)
    assert _rows(session) == 0


def test_department_handlers_and_residents_cannot_list_workers(client, session, sms, tree):
    dept = make_department(session, area=tree["district"])
    handler = login(client, make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept))
    assert_error(client.get(_url(tree["grid"]), headers=handler), 403)
    resident = login_resident(client, sms, "13900000002")
    assert_error(client.get(_url(tree["grid"]), headers=resident), 403)
    assert_error(client.get(_url(tree["grid"])), 401)


def test_a_district_admin_assigns_within_the_district_only(client, session, tree):
    headers = login(client, make_user(session, role=Role.ADMIN, area=tree["district"]))
    far_grid = make_area(
        session,
        "321311001001001",
        parent=make_area(session, "321311001001", parent=tree["other_street"]),
    )
    far_worker = make_user(session, role=Role.GRID_WORKER, area=far_grid)
    near_worker = make_user(session, role=Role.GRID_WORKER, area=tree["grid"])
    near = client.post(_url(tree["grid"]), json={"user_id": str(near_worker.id)}, headers=headers)
    assert near.status_code == 201
    far = client.post(_url(far_grid), json={"user_id": str(far_worker.id)}, headers=headers)
    assert_error(far, 404)
    assert _rows(session) == 1


@pytest.mark.parametrize("area", ["community", "street", "district"])
def test_only_a_grid_takes_workers(client, session, tree, worker, area):
    headers = login(client, make_user(session, role=Role.ADMIN))
    body = {"user_id": str(worker.id)}
    response = assert_error(client.post(_url(tree[area]), json=body, headers=headers), 422)
    assert response["message"] == "只能分配到启用中的网格。"
    assert _rows(session) == 0


def test_a_retired_grid_takes_no_new_workers(client, session, tree, worker, dispatcher):
    tree["grid2"].active = False
    session.flush()
    body = {"user_id": str(worker.id)}
    assert_error(client.post(_url(tree["grid2"]), json=body, headers=dispatcher), 422)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda s, t: make_user(s, role=Role.DISPATCHER, area=t["community"]),
            "该用户不是网格员。",
        ),
        (
            lambda s, t: make_user(s, role=Role.GRID_WORKER, area=t["community"], active=False),
            "该用户已停用。",
        ),
        (
            lambda s, t: make_user(s, role=Role.GRID_WORKER, area=t["grid2"]),
            "该网格员所属区域不包含此网格。",
        ),
        (
            lambda s, t: make_user(s, role=Role.GRID_WORKER, area=t["other_street"]),
            "该网格员所属区域不包含此网格。",
        ),
        (
            lambda s, t: make_user(
                s,
                role=Role.GRID_WORKER,
                department=make_department(s, area=t["district"]),
            ),
            "该网格员所属区域不包含此网格。",
        ),
        (lambda s, t: type("Ghost", (), {"id": uuid.uuid4()})(), "用户不存在。"),
    ],
    ids=["not-a-worker", "disabled", "other-grid", "other-district", "unbound", "unknown"],
)
def test_only_an_active_grid_worker_bound_above_the_grid_can_be_assigned(
    client, session, tree, dispatcher, make, message
):
    user = make(session, tree)
    response = client.post(_url(tree["grid"]), json={"user_id": str(user.id)}, headers=dispatcher)
    body = assert_error(response, 422)
    assert body["errors"]["json"] == {"user_id": [message]}
    assert _rows(session) == 0 and not _audit(session, "assignment.created")


def test_unknown_areas_and_assignments_are_404(client, tree, worker, dispatcher):
    missing = type("Missing", (), {"id": uuid.uuid4()})()
    assert_error(client.get(_url(missing), headers=dispatcher), 404)
    body = {"user_id": str(worker.id)}
    assert_error(client.post(_url(missing), json=body, headers=dispatcher), 404)
    assert_error(client.delete(_url(missing, worker), headers=dispatcher), 404)
    assert_error(client.delete(_url(tree["grid"], worker), headers=dispatcher), 404)


def test_a_grid_worker_lists_their_own_current_grids(client, session, tree, worker, dispatcher):
    for grid in ("grid2", "grid"):
        client.post(_url(tree[grid]), json={"user_id": str(worker.id)}, headers=dispatcher)
    headers = login(client, worker)
    response = client.get("/api/v1/me/grids", headers=headers)
    assert response.status_code == 200, response.json
    assert [g["area"]["code"] for g in response.json] == ["321302001001001", "321302001001002"]
    assert {g["duty"] for g in response.json} == {"full_time"}
    client.delete(_url(tree["grid2"], worker), headers=dispatcher)
    remaining = client.get("/api/v1/me/grids", headers=headers).json
    assert [g["area"]["code"] for g in remaining] == ["321302001001001"]


def test_my_grids_is_for_grid_workers(client, dispatcher):
    assert_error(client.get("/api/v1/me/grids", headers=dispatcher), 403)
    assert_error(client.get("/api/v1/me/grids"), 401)


def test_my_grids_is_empty_for_a_worker_without_grids(client, worker):
    response = client.get("/api/v1/me/grids", headers=login(client, worker))
    assert response.status_code == 200 and response.json == []


def test_assignment_rows_keep_their_duty_enum(session, tree, worker, client, dispatcher):
    client.post(
        _url(tree["grid"]),
        json={"user_id": str(worker.id), "duty": "volunteer"},
        headers=dispatcher,
    )
    row = session.scalar(select(GridAssignment))
    assert row.duty is GridDuty.VOLUNTEER and row.started_at.tzinfo is not None


def _active(session, user) -> list[GridAssignment]:
    return list(
        session.scalars(
            select(GridAssignment).where(
                GridAssignment.user_id == user.id, GridAssignment.ended_at.is_(None)
            )
        )
    )


def test_disabling_a_worker_ends_their_assignments(client, session, tree, worker):
    for grid in (tree["grid"], tree["grid2"]):
        session.add(GridAssignment(user_id=worker.id, area_id=grid.id, duty=GridDuty.FULL_TIME))
    session.flush()
    admin = login(client, make_user(session, role=Role.ADMIN, area=tree["street"]))

    response = client.post(
        f"/api/v1/users/{worker.id}/disable", json={"reason": "离职"}, headers=admin
    )

    assert response.status_code == 200, response.json
    assert _active(session, worker) == []
    ended = _audit(session, "assignment.ended")
    assert len(ended) == 2 and {e.after["reason"] for e in ended} == {"user_disabled"}
    # The rows stay: who served where, and until when.
    assert _rows(session) == 2


def test_retiring_a_grid_ends_the_assignments_in_it_only(client, session, tree, worker):
    for grid in (tree["grid"], tree["grid2"]):
        session.add(GridAssignment(user_id=worker.id, area_id=grid.id, duty=GridDuty.VOLUNTEER))
    session.flush()
    admin = login(client, make_user(session, role=Role.ADMIN, area=tree["street"]))

    response = client.post(
        f"/api/v1/areas/{tree['grid2'].id}/retire", json={"reason": "网格合并"}, headers=admin
    )

    assert response.status_code == 200, response.json
    (still,) = _active(session, worker)
    assert still.area_id == tree["grid"].id
    (ended,) = _audit(session, "assignment.ended")
    assert ended.after["reason"] == "area_retired" and ended.area_path == tree["grid2"].path
