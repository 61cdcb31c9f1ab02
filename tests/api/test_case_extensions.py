"""Deadline extensions and supervision over HTTP."""

import datetime as dt

from services.models.workflow import ExtensionStatus
from tests.assertions import assert_error
from tests.case_disposal_helpers import kinds, timeline
from tests.case_factories import dispatched_case, in_progress_case, reported_case

pytest_plugins = ("tests.case_disposal_fixtures",)


def _post(client, cw, who, path, body):
    return client.post(f"/api/v1/reports/{path}", json=body, headers=cw["h"][who])


def _later(case, days=3):
    return (case.disposal_due_at + dt.timedelta(days=days)).isoformat()


def _request(client, cw, case, version=4):
    body = {"version": version, "due_at": _later(case), "reason": "需采购配件"}
    return _post(client, cw, "handler", f"{case.id}/extensions", body)


def test_the_department_requests_an_extension(client, session, cw, events):
    case = in_progress_case(session, cw)
    response = _request(client, cw, case)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "pending"
    assert response.json["case"]["version"] == 5
    assert kinds(events) == ["extension_requested"]
    assert timeline(session, case)[-1].action == "request_extension"


def test_one_pending_request_at_a_time(client, session, cw):
    case = in_progress_case(session, cw)
    assert _request(client, cw, case).status_code == 201
    assert_error(_request(client, cw, case, version=5), 409)


def test_the_new_deadline_must_be_later_and_aware(client, session, cw):
    case = in_progress_case(session, cw)
    earlier = (case.disposal_due_at - dt.timedelta(hours=1)).isoformat()
    naive = (case.disposal_due_at + dt.timedelta(days=2)).replace(tzinfo=None).isoformat()
    far = (case.disposal_due_at + dt.timedelta(days=400)).isoformat()
    for due_at in (earlier, naive, far, "tomorrow"):
        body = {"version": 4, "due_at": due_at, "reason": "x"}
        assert_error(_post(client, cw, "handler", f"{case.id}/extensions", body), 422)
    assert_error(_post(client, cw, "handler", f"{case.id}/extensions", {"version": 4}), 422)


def test_only_the_department_requests(client, session, cw):
    case = in_progress_case(session, cw)
    body = {"version": 4, "due_at": _later(case), "reason": "x"}
    assert_error(_post(client, cw, "dispatcher", f"{case.id}/extensions", body), 403)
    assert_error(_post(client, cw, "other_handler", f"{case.id}/extensions", body), 404)


def test_the_dispatcher_approves_and_the_deadline_moves(client, session, cw, events):
    case = in_progress_case(session, cw)
    case.overdue = True
    session.commit()
    ext = _request(client, cw, case).json
    path = f"{case.id}/extensions/{ext['id']}/approve"
    response = _post(client, cw, "dispatcher", path, {"version": 5, "note": "同意"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "approved"
    assert response.json["case"]["overdue"] is False
    due = dt.datetime.fromisoformat(response.json["case"]["disposal_due_at"])
    assert due == dt.datetime.fromisoformat(ext["requested_due_at"])
    assert kinds(events) == ["extension_requested", "extension_decided"]
    assert events[-1].data["approved"] is True
    again = _post(client, cw, "dispatcher", path, {"version": 6})
    assert_error(again, 409)


def test_a_refusal_keeps_the_deadline(client, session, cw):
    case = in_progress_case(session, cw)
    before = case.disposal_due_at
    ext = _request(client, cw, case).json
    path = f"{case.id}/extensions/{ext['id']}/refuse"
    response = _post(client, cw, "dispatcher", path, {"version": 5})
    assert response.status_code == 200, response.json
    session.refresh(case)
    assert case.disposal_due_at == before
    assert response.json["status"] == ExtensionStatus.REFUSED.value


def test_deciding_refusals(client, session, cw):
    case = in_progress_case(session, cw)
    other = in_progress_case(session, cw)
    ext = _request(client, cw, case).json
    assert_error(
        _post(client, cw, "handler", f"{case.id}/extensions/{ext['id']}/approve", {"version": 5}),
        403,
    )
    assert_error(
        _post(
            client, cw, "dispatcher", f"{other.id}/extensions/{ext['id']}/approve", {"version": 4}
        ),
        404,
    )
    stale = _post(
        client, cw, "dispatcher", f"{case.id}/extensions/{ext['id']}/approve", {"version": 4}
    )
    assert assert_error(stale, 409)["current"]["version"] == 5


def test_the_dispatcher_supervises_an_open_case(client, session, cw, events):
    case = dispatched_case(session, cw)
    body = {"version": 3, "note": "请于今日处理"}
    response = _post(client, cw, "dispatcher", f"{case.id}/supervise", body)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "dispatched" and response.json["version"] == 4
    session.refresh(case)
    assert case.supervised_at is not None
    assert kinds(events) == ["supervised"]
    assert events[0].data["department_id"] == str(cw["department"].id)


def test_supervision_refusals(client, session, cw):
    case = dispatched_case(session, cw)
    assert_error(_post(client, cw, "dispatcher", f"{case.id}/supervise", {"version": 3}), 422)
    body = {"version": 3, "note": "x"}
    assert_error(_post(client, cw, "handler", f"{case.id}/supervise", body), 403)
    reported = reported_case(session, cw)
    body = {"version": 1, "note": "x"}
    assert_error(_post(client, cw, "dispatcher", f"{reported.id}/supervise", body), 409)
