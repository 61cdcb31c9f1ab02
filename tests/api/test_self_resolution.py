"""Self-resolution (小事不出网格) over HTTP: a worker on duty files a fixed problem, closed."""

import uuid

from sqlalchemy import select

from services.models.media import MediaFile, MediaPurpose
from services.models.reports import Report
from tests.assertions import assert_error
from tests.case_disposal_helpers import timeline
from tests.report_factories import GRID1_LAT, GRID1_LNG, make_media

pytest_plugins = ("tests.case_disposal_fixtures",)

URL = "/api/v1/reports/self-resolved"


def _body(before, after, **overrides):
    body = {
        "category_code": "0101",
        "description": "井盖松动，已现场加固",
        "location": {"lat": GRID1_LAT, "lng": GRID1_LNG, "coord": "wgs84"},
        "before_media_ids": [str(m.id) for m in before],
        "after_media_ids": [str(m.id) for m in after],
        "note": "用螺栓加固",
    }
    body.update(overrides)
    return body


def _photos(session, cw, who="worker"):
    before = make_media(session, cw[who])
    after = make_media(session, cw[who], purpose=MediaPurpose.DISPOSAL)
    session.commit()
    return before, after


def test_a_worker_on_duty_files_a_closed_self_resolved_report(client, session, cw):
    before, after = _photos(session, cw)
    response = client.post(URL, json=_body([before], [after]), headers=cw["h"]["worker"])
    assert response.status_code == 201, response.json
    assert response.json["status"] == "closed" and len(response.json["number"]) == 12
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert report.self_resolved and report.source.value == "patrol"
    assert report.reporter_id == cw["worker"].id and report.grid_id == cw["grid1"].id
    assert report.closed_at is not None
    positions = session.execute(
        select(MediaFile.id, MediaFile.position).where(MediaFile.report_id == report.id)
    ).all()
    assert dict(positions) == {before.id: 0, after.id: 1}
    [entry] = timeline(session, report)
    assert (entry.action, entry.to_status, entry.note) == ("self_resolved", "closed", "用螺栓加固")


def test_a_retry_with_the_same_idempotency_key_answers_the_first_report(client, session, cw):
    before, after = _photos(session, cw)
    headers = {**cw["h"]["worker"], "Idempotency-Key": "abc-1"}
    first = client.post(URL, json=_body([before], [after]), headers=headers)
    second = client.post(URL, json=_body([before], [after]), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json["id"] == second.json["id"]


def test_a_worker_not_on_duty_in_the_grid_is_refused(client, session, cw):
    before, after = _photos(session, cw, "idle_worker")
    response = client.post(URL, json=_body([before], [after]), headers=cw["h"]["idle_worker"])
    assert_error(response, 403)
    assert session.scalar(select(Report).where(Report.reporter_id == cw["idle_worker"].id)) is None


def test_residents_and_handlers_may_not_self_resolve(client, session, cw):
    before, after = _photos(session, cw, "resident")
    assert_error(client.post(URL, json=_body([before], [after]), headers=cw["h"]["resident"]), 403)
    assert_error(client.post(URL, json=_body([before], [after]), headers=cw["h"]["handler"]), 403)


def test_photos_are_required_and_must_fit_their_role(client, session, cw):
    before, after = _photos(session, cw)
    headers = cw["h"]["worker"]
    for body in (
        _body([before], []),
        _body([], [after]),
        _body([before], [before]),
        _body([after], [before]),
        _body([before], [make_media(session, cw["handler"], purpose=MediaPurpose.DISPOSAL)]),
    ):
        session.commit()
        assert_error(client.post(URL, json=body, headers=headers), 422)
    session.refresh(before)
    assert before.report_id is None


def test_self_resolution_refuses_malformed_input(client, session, cw):
    before, after = _photos(session, cw)
    headers = cw["h"]["worker"]
    for overrides in (
        {"category_code": "01"},
        {"category_code": "9999"},
        {"description": "   "},
        {"description": "x" * 2001},
        {"location": {"lat": 91, "lng": 118}},
        {"location": None},
        {"note": "bad\x00char"},
    ):
        response = client.post(URL, json=_body([before], [after], **overrides), headers=headers)
        assert_error(response, 422)
    assert session.scalar(select(Report).where(Report.reporter_id == cw["worker"].id)) is None
