"""An intake caller's number: masked everywhere, revealed in full only to the case's dispatcher
with a reason, and audited."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from tests.assertions import assert_error
from tests.factories import login, make_area, make_user
from tests.intake_factories import PHONE_E164, PHONE_MASKED, event_body, make_source

pytest_plugins = ("tests.report_fixtures",)


def _intake_case(client, session, container, world, **body) -> str:
    _source, key = make_source(session, container)
    response = client.post(
        "/api/v1/intake/events", json=event_body(**body), headers={"X-Api-Key": key}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _reveal(client, headers, report_id, reason="回访来电市民"):
    return client.post(
        f"/api/v1/reports/{report_id}/caller-phone/reveal", json={"reason": reason}, headers=headers
    )


def test_the_cases_dispatcher_gets_the_full_number_and_the_reveal_is_audited(
    client, session, container, world
):
    case = _intake_case(client, session, container, world)
    dispatcher = make_user(session, role=Role.DISPATCHER, area=world["district"])

    response = _reveal(client, login(client, dispatcher), case)

    assert response.status_code == 200, response.json
    assert response.json == {"phone": PHONE_E164, "masked": PHONE_MASKED}
    (entry,) = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "case.caller_phone_revealed")
    )
    assert entry.actor_id == dispatcher.id
    assert entry.after == {"phone": PHONE_MASKED, "reason": "回访来电市民"}


def test_others_do_not_get_the_number(client, session, container, world):
    case = _intake_case(client, session, container, world)
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=world["department"])
    worker = make_user(session, role=Role.GRID_WORKER, area=world["district"])
    elsewhere = make_area(session, "321311", parent=world["city"], name="宿豫区")
    outsider = make_user(session, role=Role.DISPATCHER, area=elsewhere)

    assert_error(
        _reveal(client, login(client, handler), case), 403
    )  # sees the case, not the number
    assert_error(_reveal(client, login(client, worker), case), 403)
    assert_error(_reveal(client, login(client, outsider), case), 404)
    assert (
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.caller_phone_revealed")
        ).all()
        == []
    )


def test_a_case_without_a_caller_number_is_404_and_a_reason_is_required(
    client, session, container, world
):
    case = _intake_case(client, session, container, world, caller_phone=...)
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=world["district"]))
    assert_error(_reveal(client, headers, case), 404)
    assert_error(_reveal(client, headers, case, reason=""), 422)


def test_a_malformed_reveal_is_refused_and_nothing_is_audited(client, session, container, world):
    case = _intake_case(client, session, container, world)
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=world["district"]))
    url = f"/api/v1/reports/{case}/caller-phone/reveal"
    for body in ({"reason": "x" * 201}, {"reason": "回访\x00"}, {}, {"reason": 7}, []):
        assert_error(client.post(url, json=body, headers=headers), 422)
    assert_error(client.post(url, data="reason", headers=headers), 415)
    assert_error(
        client.post(
            f"/api/v1/reports/{uuid4()}/caller-phone/reveal", json={"reason": "x"}, headers=headers
        ),
        404,
    )
    assert (
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.caller_phone_revealed")
        ).all()
        == []
    )
