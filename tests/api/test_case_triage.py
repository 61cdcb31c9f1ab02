"""Triage over HTTP, the happy paths: file (with corrections), reject and dispatch."""

from __future__ import annotations

import datetime as dt

from services.models.accounts import Role
from tests.case_factories import audits, events, filed_case, fresh, make_dispatcher, post
from tests.catalogue_factories import make_category
from tests.factories import login, make_department, make_user

pytest_plugins = ("tests.report_fixtures", "tests.case_fixtures")

# Inside grid 2 (cell col 1, row 0) and in the street outside the community (col 3).
GRID2 = {"lat": 33.905, "lng": 118.315, "coord": "wgs84"}
STREET_ONLY = {"lat": 33.905, "lng": 118.335, "coord": "wgs84"}


def test_filing_a_reported_case_answers_with_its_new_state(client, session, staff, case, world):
    response = post(client, staff, case, "file", {"note": "核实属实", "public_note": "已受理"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["id"] == str(case.id)
    assert body["number"] == case.number
    assert (body["status"], body["version"]) == ("filed", 2)
    assert body["merged_into_id"] is None
    assert body["overdue"] is False
    assert set(body) == {
        "id", "number", "status", "version", "department", "filing_due_at",
        "disposal_due_at", "overdue", "merged_into_id", "updated_at",
    }  # fmt: skip
    report = fresh(session, case)
    assert report.filed_at is not None
    last = events(session, report)[-1]
    assert (last.action, last.from_status, last.to_status) == ("file", "reported", "filed")
    assert (last.actor_role, last.note, last.public_note) == ("dispatcher", "核实属实", "已受理")
    (entry,) = audits(session, report, "case.file")
    assert entry.before == {"status": "reported"}
    assert entry.after["status"] == "filed" and entry.after["version"] == 2


def test_if_match_carries_the_version_instead_of_the_body(client, session, staff, case):
    headers = {**staff, "If-Match": 'W/"1"'}
    response = post(client, headers, case, "file", {"version": None})
    assert response.status_code == 200, response.json
    assert response.json["version"] == 2


def test_if_match_wins_over_the_body_version(client, staff, case):
    headers = {**staff, "If-Match": '"1"'}
    response = post(client, headers, case, "file", {"version": 7})
    assert response.status_code == 200, response.json


def test_an_admin_of_the_area_may_triage_too(client, session, world, case):
    admin = make_user(session, role=Role.ADMIN, area=world["street"])
    response = post(client, login(client, admin), case, "reject", {"reason": "重复上报"})
    assert response.status_code == 200, response.json
    assert events(session, case)[-1].actor_role == "admin"


def test_filing_with_a_corrected_category_reproposes_the_department(
    client, session, staff, case, world
):
    other = make_department(session, area=world["city"])
    make_category(session, "0102", department=other)
    response = post(client, staff, case, "file", {"category_code": "0102"})
    assert response.status_code == 200, response.json
    assert response.json["department"] == {
        "id": str(other.id),
        "code": other.code,
        "name": other.name,
    }
    report = fresh(session, case)
    assert report.category.code == "0102"
    data = events(session, report)[-1].data
    assert data["category"] == {"from": "0101", "to": "0102"}
    assert data["department"] == {"from": None, "to": str(other.id)}


def test_filing_with_the_same_category_changes_nothing_else(client, session, staff, case):
    response = post(client, staff, case, "file", {"category_code": "0101"})
    assert response.status_code == 200, response.json
    assert events(session, case)[-1].data is None


def test_filing_with_a_corrected_location_relocates_the_case(client, session, staff, case, world):
    before = (case.lat, case.lng, case.area_path)
    response = post(client, staff, case, "file", {"location": GRID2})
    assert response.status_code == 200, response.json
    report = fresh(session, case)
    assert report.grid_id == world["grid2"].id
    assert report.area_path == world["grid2"].path
    assert (report.lat, report.lng, report.coord_input) == (33.905, 118.315, "wgs84")
    assert report.locate_status == "grid"
    # The routed category's department is proposed for the new place.
    assert report.department_id == world["department"].id
    moved = events(session, report)[-1].data["location"]
    assert (moved["from"]["lat"], moved["from"]["lng"], moved["from"]["area_path"]) == before
    assert moved["to"]["area_path"] == world["grid2"].path


def test_a_corrected_location_in_gcj02_is_stored_in_wgs84(client, session, staff, case, world):
    response = post(client, staff, case, "file", {"location": {**GRID2, "coord": "gcj02"}})
    assert response.status_code == 200, response.json
    report = fresh(session, case)
    assert report.coord_input == "gcj02"
    assert (report.lat, report.lng) != (33.905, 118.315)


def test_rejecting_keeps_the_reason_for_staff_and_the_public_note_for_residents(
    client, session, staff, case
):
    response = post(
        client, staff, case, "reject", {"reason": "不属于受理范围", "public_note": "请拨打12345"}
    )
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["version"]) == ("rejected", 2)
    report = fresh(session, case)
    assert report.reject_reason == "不属于受理范围"
    last = events(session, report)[-1]
    assert (last.action, last.to_status, last.note) == ("reject", "rejected", "不属于受理范围")
    assert last.public_note == "请拨打12345"
    assert audits(session, report, "case.reject")[0].after["reason"] == "不属于受理范围"


def test_the_reporter_sees_the_status_change_but_not_the_internal_note(
    client, session, staff, case, headers
):
    post(client, staff, case, "reject", {"reason": "内部原因", "public_note": "不予受理"})
    mine = client.get(f"/api/v1/me/reports/{case.id}", headers=headers)
    assert mine.status_code == 200, mine.json
    assert "内部原因" not in mine.get_data(as_text=True)
    assert "不予受理" in mine.get_data(as_text=True)


def test_dispatching_sets_department_time_and_deadline_from_the_category(
    client, session, staff, world
):
    case = filed_case(session, world)
    response = post(
        client,
        staff,
        case,
        "dispatch",
        {"department_id": str(world["department"].id), "instructions": "请三日内修复"},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["version"]) == ("dispatched", 3)
    assert body["department"]["id"] == str(world["department"].id)
    report = fresh(session, case)
    assert report.dispatched_at is not None
    # Five working days (tests/catalogue_factories LIMITS) end at 17:30 Shanghai time.
    due = (
        report.disposal_due_at.replace(tzinfo=dt.UTC)
        if report.disposal_due_at.tzinfo is None
        else report.disposal_due_at
    )
    assert due.astimezone(dt.timezone(dt.timedelta(hours=8))).time() == dt.time(17, 30)
    assert (
        dt.timedelta(days=5)
        <= due - report.dispatched_at.replace(tzinfo=due.tzinfo)
        <= dt.timedelta(days=15)
    )
    last = events(session, report)[-1]
    assert (last.action, last.note) == ("dispatch", "请三日内修复")
    assert last.data["department_id"] == str(world["department"].id)
    assert last.data["due_at_set"] is False


def test_dispatching_with_a_deadline_override_uses_it(client, session, staff, world):
    case = filed_case(session, world)
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    response = post(
        client,
        staff,
        case,
        "dispatch",
        {
            "department_id": str(world["department"].id),
            "instructions": "加急",
            "due_at": due.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
        },
    )
    assert response.status_code == 200, response.json
    assert dt.datetime.fromisoformat(response.json["disposal_due_at"]) == due
    assert events(session, case)[-1].data["due_at_set"] is True


def test_a_city_dispatcher_may_redispatch_to_another_department(client, session, world):
    city = make_dispatcher(session, world["city"])
    other = make_department(session, area=world["district"])
    case = filed_case(session, world)
    response = post(
        client,
        login(client, city),
        case,
        "dispatch",
        {"department_id": str(other.id), "instructions": "转交"},
    )
    assert response.status_code == 200, response.json
    assert fresh(session, case).department_id == other.id
