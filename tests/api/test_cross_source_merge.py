"""One problem reported by a resident and by the 12345 hotline is handled once: the hotline's
case is linked as a suspected duplicate, the dispatcher merges it, the resident's case carries
on and the hotline sees the master case's number when it polls."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from services.models.accounts import Role
from services.models.reports import DuplicateStatus, Report, ReportDuplicate, ReportSupporter
from tests.factories import login, make_user
from tests.intake_factories import event_body, make_source
from tests.report_factories import make_media, report_body

pytest_plugins = ("tests.report_fixtures",)


def test_a_hotline_event_about_a_residents_report_is_merged_into_it(
    client, session, container, world, resident, headers
):
    resident_case = client.post(
        "/api/v1/reports", json=report_body([make_media(session, resident)]), headers=headers
    )
    assert resident_case.status_code == 201, resident_case.json
    _source, key = make_source(session, container)
    hotline = client.post(
        "/api/v1/intake/events",
        json=event_body(external_id="12345-0042"),
        headers={"X-Api-Key": key},
    )
    assert hotline.status_code == 201, hotline.json
    hotline_id = uuid.UUID(hotline.json["id"])

    (link,) = session.scalars(
        select(ReportDuplicate).where(ReportDuplicate.report_id == hotline_id)
    )
    assert str(link.original_id) == resident_case.json["id"]

    dispatcher = login(client, make_user(session, role=Role.DISPATCHER, area=world["district"]))
    merged = client.post(
        f"/api/v1/reports/{hotline_id}/merge",
        json={"into": resident_case.json["id"], "version": 1},
        headers=dispatcher,
    )

    assert merged.status_code == 200, merged.json
    assert merged.json["status"] == "merged"
    session.expire_all()
    assert session.get(ReportDuplicate, link.id).status is DuplicateStatus.CONFIRMED
    master = session.get(Report, uuid.UUID(resident_case.json["id"]))
    assert master.status == "reported"
    # The hotline case had no reporter to carry over; the resident's own case is untouched.
    assert (
        session.scalars(select(ReportSupporter).where(ReportSupporter.report_id == master.id)).all()
        == []
    )
    poll = client.get("/api/v1/intake/events/hotline/12345-0042", headers={"X-Api-Key": key})
    assert poll.status_code == 200, poll.json
    assert poll.json["status"] == "merged"
    assert poll.json["merged_into"] == resident_case.json["number"]
