"""Disposal over HTTP: accept, return, resolve (after-photos), with versions and refusals."""

import io
import uuid

import pytest

from services.models.media import MediaFile, MediaPurpose
from services.models.reports import ReportStatus
from tests.assertions import assert_error
from tests.case_disposal_helpers import audit_actions, kinds, timeline
from tests.case_factories import dispatched_case, in_progress_case, resolved_case
from tests.media_images import jpeg_bytes
from tests.report_factories import make_media
from tests.report_read_factories import attach

pytest_plugins = ("tests.case_disposal_fixtures",)


def _post(client, cw, who, report, action, body=None, headers=None):
    return client.post(
        f"/api/v1/reports/{report.id}/{action}",
        json=body if body is not None else {"version": report.version},
        headers={**cw["h"][who], **(headers or {})},
    )


def test_handler_accepts_a_dispatched_case(client, session, cw, events):
    case = dispatched_case(session, cw, reporter=cw["resident"])
    response = _post(client, cw, "handler", case, "accept", {"version": 3, "note": "马上去"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "in_progress"
    assert response.json["version"] == 4
    session.refresh(case)
    assert case.handler_id == cw["handler"].id and case.accepted_at is not None
    entry = timeline(session, case)[-1]
    assert (entry.action, entry.from_status, entry.to_status) == (
        "accept",
        "dispatched",
        "in_progress",
    )
    assert entry.actor_role == "department_handler" and entry.note == "马上去"
    assert "case.accept" in audit_actions(session, case)
    assert kinds(events) == ["status_changed"]


def test_accept_takes_the_version_from_if_match(client, session, cw):
    case = dispatched_case(session, cw)
    response = _post(client, cw, "handler", case, "accept", {}, {"If-Match": 'W/"3"'})
    assert response.status_code == 200, response.json


def test_accept_without_a_version_is_422(client, session, cw):
    case = dispatched_case(session, cw)
    body = assert_error(_post(client, cw, "handler", case, "accept", {}), 422)
    assert "version" in body["errors"]["json"] or "version" in str(body)


def test_stale_version_is_409_with_the_current_state(client, session, cw):
    case = dispatched_case(session, cw)
    body = assert_error(_post(client, cw, "handler", case, "accept", {"version": 2}), 409)
    assert body["current"] == {"status": "dispatched", "version": 3}
    session.refresh(case)
    assert case.status is ReportStatus.DISPATCHED


def test_accept_in_the_wrong_state_is_409(client, session, cw):
    case = in_progress_case(session, cw)
    body = assert_error(_post(client, cw, "handler", case, "accept"), 409)
    assert body["current"]["status"] == "in_progress"


def test_another_department_cannot_see_the_case(client, session, cw):
    case = dispatched_case(session, cw)
    assert_error(_post(client, cw, "other_handler", case, "accept"), 404)


def test_a_dispatcher_may_not_accept(client, session, cw):
    case = dispatched_case(session, cw)
    assert_error(_post(client, cw, "dispatcher", case, "accept"), 403)


def test_return_needs_a_reason(client, session, cw):
    case = dispatched_case(session, cw)
    assert_error(_post(client, cw, "handler", case, "return", {"version": 3}), 422)
    assert_error(_post(client, cw, "handler", case, "return", {"version": 3, "reason": " "}), 422)


def test_return_sends_the_case_back_to_the_dispatcher(client, session, cw, events):
    case = dispatched_case(session, cw)
    response = _post(client, cw, "handler", case, "return", {"version": 3, "reason": "不属本部门"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "filed"
    assert response.json["department"]["id"] == str(cw["department"].id)
    assert kinds(events) == ["status_changed", "returned"]
    assert events[-1].data["reason"] == "不属本部门"
    assert timeline(session, case)[-1].note == "不属本部门"


def _disposal_photo(session, cw, who="handler"):
    return make_media(session, cw[who], purpose=MediaPurpose.DISPOSAL)


def test_resolve_attaches_after_photos_after_the_existing_ones(client, session, cw, events):
    case = in_progress_case(session, cw, reporter=cw["resident"])
    attach(session, case, make_media(session, cw["resident"]))
    photo = _disposal_photo(session, cw)
    session.commit()
    body = {
        "version": 4,
        "note": "已更换井盖",
        "public_note": "已修复",
        "media_ids": [str(photo.id)],
    }
    response = _post(client, cw, "handler", case, "resolve", body)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "resolved"
    session.refresh(photo)
    assert photo.report_id == case.id and photo.position == 1
    session.refresh(case)
    assert case.resolved_at is not None
    entry = timeline(session, case)[-1]
    assert entry.data == {"media_ids": [str(photo.id)]} and entry.public_note == "已修复"
    assert kinds(events) == ["status_changed", "verification_due"]
    assert events[-1].data == {"grid_id": str(cw["grid1"].id)}


def test_resolve_needs_a_photo_when_the_category_requires_photos(client, session, cw):
    cw["category"].photo_required = True
    case = in_progress_case(session, cw)
    body = assert_error(
        _post(client, cw, "handler", case, "resolve", {"version": 4, "note": "done"}), 422
    )
    assert "media_ids" in str(body)
    session.refresh(case)
    assert case.status is ReportStatus.IN_PROGRESS


def test_resolve_without_photos_is_fine_when_not_required(client, session, cw):
    case = in_progress_case(session, cw)
    response = _post(client, cw, "handler", case, "resolve", {"version": 4, "note": "done"})
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("kind", ["someone_elses", "wrong_purpose"])
def test_resolve_refuses_photos_that_are_not_own_disposal_uploads(client, session, cw, kind):
    case = in_progress_case(session, cw)
    if kind == "someone_elses":
        photo = _disposal_photo(session, cw, "other_handler")
    else:
        photo = make_media(session, cw["handler"], purpose=MediaPurpose.REPORT)
    body = {"version": 4, "note": "done", "media_ids": [str(photo.id)]}
    assert_error(_post(client, cw, "handler", case, "resolve", body), 422)
    session.refresh(photo)
    assert photo.report_id is None


def test_resolve_refuses_a_photo_attached_elsewhere(client, session, cw):
    case = in_progress_case(session, cw)
    other = resolved_case(session, cw)
    photo = _disposal_photo(session, cw)
    attach(session, other, photo)
    body = {"version": 4, "note": "done", "media_ids": [str(photo.id)]}
    assert_error(_post(client, cw, "handler", case, "resolve", body), 409)
    session.refresh(case)
    assert case.status is ReportStatus.IN_PROGRESS


def test_resolve_refuses_malformed_and_oversized_input(client, session, cw):
    case = in_progress_case(session, cw)
    for body in (
        {"version": 4, "note": "x" * 1001},
        {"version": 4, "note": "done", "media_ids": ["not-a-uuid"]},
        {"version": 4, "note": "done", "media_ids": [str(case.id)] * 10},
        {"version": "4", "note": "done"},
        {"version": 0, "note": "done"},
    ):
        assert_error(_post(client, cw, "handler", case, "resolve", body), 422)
    session.refresh(case)
    assert case.version == 4


def _upload(client, headers, purpose, seed):
    data = {"file": (io.BytesIO(jpeg_bytes(color=(seed, 60, 90))), "p.jpg")}
    if purpose is not None:
        data["purpose"] = purpose
    return client.post("/api/v1/media", headers=headers, data=data)


def test_staff_upload_disposal_photos_and_residents_may_not(client, session, cw):
    response = _upload(client, cw["h"]["handler"], "disposal", 11)
    assert response.status_code == 201, response.json
    assert session.get(MediaFile, uuid.UUID(response.json["id"])).purpose is MediaPurpose.DISPOSAL
    assert_error(_upload(client, cw["h"]["resident"], "verification", 12), 403)
    assert_error(_upload(client, cw["h"]["handler"], "selfie", 13), 422)
    plain = _upload(client, cw["h"]["resident"], None, 14)
    assert plain.status_code == 201, plain.json
    assert session.get(MediaFile, uuid.UUID(plain.json["id"])).purpose is MediaPurpose.REPORT
