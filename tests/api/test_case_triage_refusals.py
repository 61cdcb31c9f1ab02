"""Triage refused: wrong state, wrong role, other area, stale or missing version, bad input.
Nothing changes on a refusal: status, version, timeline and audit stay as they were."""

from __future__ import annotations

import pytest

from services.models.accounts import Role
from services.models.reports import ReportStatus
from tests.assertions import assert_error
from tests.case_factories import (
    audits,
    dispatched_case,
    events,
    filed_case,
    fresh,
    in_progress_case,
    make_dispatcher,
    make_handler,
    post,
    reported_case,
    resolved_case,
)
from tests.factories import login, make_department, make_user

pytest_plugins = ("tests.report_fixtures", "tests.case_fixtures")

S = ReportStatus
MAKERS = {
    S.FILED: filed_case,
    S.DISPATCHED: dispatched_case,
    S.IN_PROGRESS: in_progress_case,
    S.RESOLVED: resolved_case,
}
TRIAGE_SOURCES = {
    "file": {S.REPORTED},
    "reject": {S.REPORTED},
    "dispatch": {S.FILED},
}


def _body(action: str, world) -> dict:
    return {
        "file": {},
        "reject": {"reason": "不予受理"},
        "dispatch": {"department_id": str(world["department"].id), "instructions": "处理"},
    }[action]


def _case_in(session, world, status: ReportStatus):
    if status in MAKERS:
        return MAKERS[status](session, world)
    report = reported_case(session, world)
    if status is not S.REPORTED:  # terminal or closed: set directly
        report.status = status
        session.flush()
    return report


def fields(error: dict) -> set[str]:
    """The names of the fields an error body complains about, wherever they were sent."""
    return {name for place in error.get("errors", {}).values() for name in place}


def _unchanged(session, report, status, version, count):
    after = fresh(session, report)
    assert (after.status, after.version) == (status, version)
    assert len(events(session, after)) == count


@pytest.mark.parametrize(
    ("action", "status"),
    [
        pytest.param(a, s, id=f"{a}-{s}")
        for a, sources in TRIAGE_SOURCES.items()
        for s in ReportStatus
        if s not in sources
    ],
)
def test_an_action_from_the_wrong_state_is_409_with_the_current_state(
    client, session, staff, world, action, status
):
    report = _case_in(session, world, status)
    before = len(events(session, report))
    body = assert_error(post(client, staff, report, action, _body(action, world)), 409)
    assert body["current"] == {"status": str(status), "version": report.version}
    _unchanged(session, report, status, report.version, before)


@pytest.mark.parametrize("action", ["file", "reject", "merge"])
def test_a_stale_version_is_409_with_the_current_state(client, session, staff, world, case, action):
    master = reported_case(session, world)
    body = {"reject": {"reason": "x"}, "merge": {"into": str(master.id)}}.get(action, {})
    error = assert_error(post(client, staff, case, action, {"version": 5, **body}), 409)
    assert error["current"] == {"status": "reported", "version": 1}
    _unchanged(session, case, S.REPORTED, 1, 1)


def test_a_stale_if_match_is_409_even_with_a_right_body_version(client, session, staff, case):
    response = post(client, {**staff, "If-Match": '"2"'}, case, "file", {"version": 1})
    assert assert_error(response, 409)["current"]["version"] == 1


def test_no_version_at_all_is_422(client, session, staff, case):
    body = assert_error(post(client, staff, case, "file", {"version": None}), 422)
    assert "version" in fields(body)
    _unchanged(session, case, S.REPORTED, 1, 1)


@pytest.mark.parametrize("value", ['"abc"', "W/", '"-1"', "1.5", '"1234567890"', "*"])
def test_an_unreadable_if_match_is_422(client, session, staff, case, value):
    body = assert_error(post(client, {**staff, "If-Match": value}, case, "file"), 422)
    assert "If-Match" in fields(body)
    _unchanged(session, case, S.REPORTED, 1, 1)


@pytest.mark.parametrize("version", [0, -1, 1_000_000_000, "1", 1.5, True, None])
def test_an_out_of_range_or_mistyped_body_version_is_422(client, session, staff, case, version):
    response = client.post(
        f"/api/v1/reports/{case.id}/file", json={"version": version}, headers=staff
    )
    assert_error(response, 422)
    _unchanged(session, case, S.REPORTED, 1, 1)


@pytest.mark.parametrize("action", ["file", "reject", "dispatch"])
def test_a_handler_of_the_cases_department_may_not_triage(client, session, world, action):
    report = (
        filed_case(session, world)
        if action == "dispatch"
        else reported_case(session, world, department=world["department"])
    )
    handler = login(client, make_handler(session, world["department"]))
    assert_error(post(client, handler, report, action, _body(action, world)), 403)


def test_a_grid_worker_of_the_area_may_not_triage(client, session, world, case):
    worker = make_user(session, role=Role.GRID_WORKER, area=world["district"])
    assert_error(post(client, login(client, worker), case, "file"), 403)


def test_the_reporter_may_not_triage_their_own_case(client, session, case, headers):
    assert_error(post(client, headers, case, "file"), 403)
    _unchanged(session, case, S.REPORTED, 1, 1)


def test_another_resident_does_not_even_see_the_case(client, session, world, sms):
    from tests.factories import login_resident, make_resident

    other = make_resident(session)
    report = reported_case(session, world)
    assert_error(post(client, login_resident(client, sms, other.phone), report, "file"), 404)


def test_a_dispatcher_of_another_district_gets_404(client, session, world, case):
    from tests.factories import make_area

    elsewhere = make_area(session, "321311", parent=world["city"], name="宿豫区")
    outsider = login(client, make_dispatcher(session, elsewhere))
    body = assert_error(post(client, outsider, case, "file"), 404)
    assert "current" not in body
    _unchanged(session, case, S.REPORTED, 1, 1)


def test_an_unknown_case_is_404(client, staff, case):
    import uuid

    response = client.post(
        f"/api/v1/reports/{uuid.uuid4()}/file", json={"version": 1}, headers=staff
    )
    assert_error(response, 404)


def test_unauthenticated_is_401(client, case):
    assert_error(client.post(f"/api/v1/reports/{case.id}/file", json={"version": 1}), 401)


@pytest.mark.parametrize(
    "body",
    [
        {"reason": ""},
        {"reason": "x" * 501},
        {"reason": "bad\x00char"},
        {"reason": "理由", "public_note": "y" * 501},
        {},
        {"reason": 5},
        {"reason": "理由", "extra": 1},
    ],
)
def test_bad_reject_bodies_are_422_and_store_nothing(client, session, staff, case, body):
    assert_error(post(client, staff, case, "reject", body), 422)
    _unchanged(session, case, S.REPORTED, 1, 1)
    assert audits(session, case, "case.reject") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category_code": "9999"}, "category_code"),
        ({"category_code": "01"}, "category_code"),
        ({"category_code": "01011"}, "category_code"),
        ({"location": {"lat": 91, "lng": 118.3}}, "location"),
        ({"location": {"lat": 33.9, "lng": 118.3, "coord": "mars"}}, "location"),
        ({"location": {"lat": 10.0, "lng": 10.0, "coord": "wgs84"}}, "location"),
        ({"note": "n" * 1001}, "note"),
    ],
)
def test_bad_corrections_when_filing_are_422_and_store_nothing(
    client, session, staff, case, body, field
):
    error = assert_error(post(client, staff, case, "file", body), 422)
    assert field in fields(error)
    _unchanged(session, case, S.REPORTED, 1, 1)


def test_an_inactive_category_cannot_be_chosen_when_filing(client, session, staff, case):
    from tests.catalogue_factories import make_category

    make_category(session, "0103", active=False)
    error = assert_error(post(client, staff, case, "file", {"category_code": "0103"}), 422)
    assert "category_code" in fields(error)


def test_moving_a_case_out_of_the_dispatchers_own_area_is_403(client, session, world, case):
    community = login(client, make_dispatcher(session, world["community"]))
    street_only = {"lat": 33.905, "lng": 118.335, "coord": "wgs84"}
    assert_error(post(client, community, case, "file", {"location": street_only}), 403)
    _unchanged(session, case, S.REPORTED, 1, 1)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"department_id": "not-a-uuid"}, "department_id"),
        ({"instructions": ""}, "instructions"),
        ({"instructions": "i" * 1001}, "instructions"),
        ({"due_at": "2020-01-01T00:00:00+08:00"}, "due_at"),
        ({"due_at": "2099-01-01T00:00:00+08:00"}, "due_at"),
        ({"due_at": "2026-12-01T10:00:00"}, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+01:00"}, "due_at"),
        ({"due_at": "tomorrow"}, "due_at"),
    ],
)
def test_bad_dispatch_bodies_are_422_and_store_nothing(
    client, session, staff, world, override, field
):
    report = filed_case(session, world)
    body = {**_body("dispatch", world), **override}
    error = assert_error(post(client, staff, report, "dispatch", body), 422)
    assert field in fields(error)
    _unchanged(session, report, S.FILED, 2, 2)


def test_dispatching_to_an_unknown_or_inactive_department_is_422(client, session, staff, world):
    import uuid

    report = filed_case(session, world)
    closed = make_department(session, area=world["city"])
    closed.active = False
    session.flush()
    for department_id in (uuid.uuid4(), closed.id):
        body = {"department_id": str(department_id), "instructions": "处理"}
        error = assert_error(post(client, staff, report, "dispatch", body), 422)
        assert "department_id" in fields(error)
    _unchanged(session, report, S.FILED, 2, 2)
