"""Verification and reopening over HTTP: grid workers on duty verify; the reporter reopens once."""

import datetime as dt

from services.models.media import MediaPurpose
from services.models.reports import ReportStatus
from tests.assertions import assert_error
from tests.case_disposal_helpers import audit_actions, kinds, timeline
from tests.case_factories import resolved_case
from tests.report_factories import make_media

pytest_plugins = ("tests.case_disposal_fixtures",)


def _post(client, cw, who, report, action, body):
    return client.post(f"/api/v1/reports/{report.id}/{action}", json=body, headers=cw["h"][who])


def _photo(session, cw, who="worker"):
    return make_media(session, cw[who], purpose=MediaPurpose.VERIFICATION)


def _closed(session, cw, *, closed_ago=dt.timedelta(days=1), **kwargs):
    case = resolved_case(session, cw, reporter=cw["resident"], **kwargs)
    case.status = ReportStatus.CLOSED
    case.version = 6
    case.closed_at = dt.datetime.now(dt.UTC) - closed_ago
    session.commit()
    return case


def test_a_worker_on_duty_passes_verification_with_a_photo(client, session, cw, events):
    case = resolved_case(session, cw)
    photo = _photo(session, cw)
    session.commit()
    body = {"version": 5, "passed": True, "media_ids": [str(photo.id)]}
    response = _post(client, cw, "worker", case, "verify", body)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "closed"
    session.refresh(case)
    assert case.closed_at is not None and case.rework_count == 0
    entry = timeline(session, case)[-1]
    assert (entry.action, entry.actor_role) == ("verify_pass", "grid_worker")
    assert "case.verify_pass" in audit_actions(session, case)
    assert kinds(events) == ["status_changed"]


def test_passing_needs_a_photo(client, session, cw):
    case = resolved_case(session, cw)
    body = assert_error(
        _post(client, cw, "worker", case, "verify", {"version": 5, "passed": True}), 422
    )
    assert "media_ids" in body["errors"]["json"]


def test_failing_needs_the_reason(client, session, cw):
    case = resolved_case(session, cw)
    body = assert_error(
        _post(client, cw, "worker", case, "verify", {"version": 5, "passed": False}), 422
    )
    assert "note" in body["errors"]["json"]


def test_failing_sends_the_case_back_as_rework(client, session, cw, events):
    case = resolved_case(session, cw)
    body = {"version": 5, "passed": False, "note": "井盖仍然松动"}
    response = _post(client, cw, "worker", case, "verify", body)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "in_progress"
    session.refresh(case)
    assert case.rework_count == 1 and case.closed_at is None
    assert kinds(events) == ["status_changed", "rework"]
    assert events[-1].data["reason"] == "井盖仍然松动"
    assert events[-1].data["department_id"] == str(cw["department"].id)


def test_a_worker_not_on_duty_in_the_grid_may_not_verify(client, session, cw):
    case = resolved_case(session, cw)
    photo = _photo(session, cw, "idle_worker")
    session.commit()
    body = {"version": 5, "passed": True, "media_ids": [str(photo.id)]}
    assert_error(_post(client, cw, "idle_worker", case, "verify", body), 403)
    session.refresh(photo)
    assert photo.report_id is None


def test_a_worker_of_another_area_cannot_see_the_case(client, session, cw):
    case = resolved_case(session, cw)
    body = {"version": 5, "passed": False, "note": "x"}
    assert_error(_post(client, cw, "far_worker", case, "verify", body), 404)


def test_dispatchers_and_handlers_may_not_verify(client, session, cw):
    case = resolved_case(session, cw)
    body = {"version": 5, "passed": False, "note": "x"}
    assert_error(_post(client, cw, "dispatcher", case, "verify", body), 403)
    assert_error(_post(client, cw, "handler", case, "verify", body), 403)


def test_verify_refuses_malformed_input(client, session, cw):
    case = resolved_case(session, cw)
    for body in ({"version": 5}, {"version": 5, "passed": "maybe"}, {"passed": True}):
        assert_error(_post(client, cw, "worker", case, "verify", body), 422)


def test_the_reporter_reopens_a_recently_closed_case(client, session, cw, events):
    case = _closed(session, cw)
    body = {"version": 6, "reason": "井盖还是坏的"}
    response = _post(client, cw, "resident", case, "reopen", body)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "resolved"
    session.refresh(case)
    assert case.reopen_count == 1 and case.closed_at is None
    assert kinds(events) == ["status_changed", "reopened", "verification_due"]


def test_a_case_is_reopened_only_once(client, session, cw):
    case = _closed(session, cw)
    case.reopen_count = 1
    session.commit()
    body = assert_error(
        _post(client, cw, "resident", case, "reopen", {"version": 6, "reason": "x"}), 409
    )
    assert body["current"] == {"status": "closed", "version": 6}


def test_reopening_after_seven_days_is_409(client, session, cw):
    case = _closed(session, cw, closed_ago=dt.timedelta(days=7, minutes=1))
    assert_error(_post(client, cw, "resident", case, "reopen", {"version": 6, "reason": "x"}), 409)
    session.refresh(case)
    assert case.status is ReportStatus.CLOSED and case.reopen_count == 0


def test_another_resident_cannot_reopen(client, session, cw):
    case = _closed(session, cw)
    assert_error(
        _post(client, cw, "other_resident", case, "reopen", {"version": 6, "reason": "x"}), 404
    )


def test_reopen_needs_a_reason(client, session, cw):
    case = _closed(session, cw)
    assert_error(_post(client, cw, "resident", case, "reopen", {"version": 6}), 422)
    assert_error(_post(client, cw, "resident", case, "reopen", {"version": 6, "reason": "  "}), 422)


def test_the_residents_timeline_shows_public_notes_but_no_internal_note(client, session, cw):
    case = resolved_case(session, cw, reporter=cw["resident"])
    case.status, case.version = ReportStatus.IN_PROGRESS, 4
    session.commit()
    body = {"version": 4, "note": "内部：换了供应商", "public_note": "井盖已更换"}
    assert _post(client, cw, "handler", case, "resolve", body).status_code == 200
    response = client.get(f"/api/v1/me/reports/{case.id}", headers=cw["h"]["resident"])
    assert response.status_code == 200, response.json
    texts = [e["text"] for e in response.json["timeline"]]
    assert "井盖已更换" in texts
    assert "内部：换了供应商" not in str(response.json)
