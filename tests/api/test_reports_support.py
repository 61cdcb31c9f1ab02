"""POST /api/v1/reports/{id}/support: "me too", once per person."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services.models.reports import Report, ReportStatus, ReportSupporter
from tests.assertions import assert_error
from tests.factories import login_resident, make_resident
from tests.report_factories import make_media, make_report_world, report_body


@pytest.fixture
def filed(client, session, sms):
    make_report_world(session)
    reporter = make_resident(session)
    headers = login_resident(client, sms, reporter.phone)
    response = client.post(
        "/api/v1/reports", json=report_body([make_media(session, reporter)]), headers=headers
    )
    assert response.status_code == 201
    return {"id": response.json["id"], "headers": headers}


def support(client, report_id, headers):
    return client.post(f"/api/v1/reports/{report_id}/support", headers=headers)


def test_supporting_counts_once_per_person_and_subscribes(client, session, sms, filed):
    first = login_resident(client, sms, make_resident(session).phone)
    second = login_resident(client, sms, make_resident(session).phone)
    response = support(client, filed["id"], first)
    assert response.status_code == 200
    assert response.json == {"report_id": filed["id"], "supporters_count": 1, "supported": True}
    assert support(client, filed["id"], first).json["supporters_count"] == 1
    assert support(client, filed["id"], second).json["supporters_count"] == 2
    report_id = uuid.UUID(filed["id"])
    rows = session.scalar(
        select(func.count())
        .select_from(ReportSupporter)
        .where(ReportSupporter.report_id == report_id)
    )
    assert rows == 2
    session.expire_all()
    assert session.get(Report, report_id).supporters_count == 2


def test_the_reporter_cannot_support_their_own_report(client, filed):
    assert_error(support(client, filed["id"], filed["headers"]), 409)


@pytest.mark.parametrize("status", [ReportStatus.CLOSED, ReportStatus.REJECTED])
def test_closed_and_rejected_reports_cannot_be_supported(client, session, sms, filed, status):
    session.get(Report, uuid.UUID(filed["id"])).status = status
    session.flush()
    headers = login_resident(client, sms, make_resident(session).phone)
    assert_error(support(client, filed["id"], headers), 409)


def test_an_unknown_report_is_not_found(client, session, sms, filed):
    headers = login_resident(client, sms, make_resident(session).phone)
    assert_error(support(client, uuid.uuid4(), headers), 404)
    assert_error(client.post("/api/v1/reports/not-a-uuid/support", headers=headers), 404)


def test_supporting_requires_sign_in(client, filed):
    assert_error(support(client, filed["id"], {}), 401)
