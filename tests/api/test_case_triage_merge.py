"""Merging duplicates into an open case, and dismissing suspected duplicates."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from services.models.reports import DuplicateStatus, ReportStatus, ReportSupporter
from tests.assertions import assert_error
from tests.case_factories import (
    audits,
    dispatched_case,
    events,
    filed_case,
    fresh,
    make_dispatcher,
    post,
    reported_case,
)
from tests.factories import login, make_area, make_resident
from tests.report_read_factories import link_duplicate

pytest_plugins = ("tests.report_fixtures", "tests.case_fixtures")


def _supporters(session, report) -> set:
    return set(
        session.scalars(
            select(ReportSupporter.user_id).where(ReportSupporter.report_id == report.id)
        )
    )


def _support(session, report, *people) -> None:
    for person in people:
        session.add(ReportSupporter(report_id=report.id, user_id=person.id))
    report.supporters_count = len(people)
    session.flush()


def _fields(error: dict) -> set[str]:
    return {name for place in error.get("errors", {}).values() for name in place}


def test_merging_moves_reporter_and_supporters_to_the_master_once_each(
    client, session, staff, world, resident
):
    a, b, c, master_reporter = (make_resident(session) for _ in range(4))
    master = filed_case(session, world, reporter=master_reporter)
    _support(session, master, a)
    duplicate = reported_case(session, world, reporter=resident)
    # a supports both; the master's own reporter supports the duplicate; b and c are new.
    _support(session, duplicate, a, b, c, master_reporter)
    response = post(client, staff, duplicate, "merge", {"into": str(master.id), "note": "同一井盖"})
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["version"]) == ("merged", 2)
    assert response.json["merged_into_id"] == str(master.id)
    merged, master = fresh(session, duplicate), session.get(type(master), master.id)
    assert merged.merged_into_id == master.id
    assert _supporters(session, master) == {a.id, b.id, c.id, resident.id}
    assert master.supporters_count == 4
    assert master.status is ReportStatus.FILED and master.version == 2
    last = events(session, merged)[-1]
    assert (last.action, last.from_status, last.to_status, last.note) == (
        "merge",
        "reported",
        "merged",
        "同一井盖",
    )
    assert last.data["into"] == str(master.id) and last.data["supporters_added"] == 3
    merged_in = events(session, master)[-1]
    assert (merged_in.action, merged_in.to_status) == ("merged_in", None)
    assert merged_in.data["from"] == str(merged.id)
    assert audits(session, merged, "case.merge")[0].after["into"] == str(master.id)


def test_merging_an_anonymous_reporters_case_still_subscribes_them(
    client, session, staff, world, resident
):
    master = dispatched_case(session, world)
    duplicate = reported_case(session, world, reporter=resident, anonymous=True)
    assert post(client, staff, duplicate, "merge", {"into": str(master.id)}).status_code == 200
    assert resident.id in _supporters(session, master)


def test_merging_confirms_the_suspected_duplicate_link(client, session, staff, world, case):
    master = reported_case(session, world)
    link = link_duplicate(session, case, master)
    assert post(client, staff, case, "merge", {"into": str(master.id)}).status_code == 200
    session.expire_all()
    assert link.status is DuplicateStatus.CONFIRMED
    assert link.decided_at is not None
    assert events(session, case)[-1].data["duplicate_confirmed"] is True


def test_cases_merged_earlier_follow_their_master(client, session, staff, world, case):
    master = filed_case(session, world)
    earlier = reported_case(session, world)
    assert post(client, staff, earlier, "merge", {"into": str(case.id)}).status_code == 200
    session.expire_all()
    case = fresh(session, case)
    assert post(client, staff, case, "merge", {"into": str(master.id)}).status_code == 200
    assert fresh(session, earlier).merged_into_id == master.id


def test_a_filed_case_may_be_merged_too(client, session, staff, world):
    master = reported_case(session, world)
    duplicate = filed_case(session, world)
    response = post(client, staff, duplicate, "merge", {"into": str(master.id)})
    assert response.status_code == 200, response.json


def test_merging_into_itself_is_422(client, session, staff, case):
    error = assert_error(post(client, staff, case, "merge", {"into": str(case.id)}), 422)
    assert "into" in _fields(error)
    assert fresh(session, case).status is ReportStatus.REPORTED


def test_merging_into_an_unknown_case_is_422(client, session, staff, case):
    error = assert_error(post(client, staff, case, "merge", {"into": str(uuid.uuid4())}), 422)
    assert "into" in _fields(error)


def test_merging_into_a_case_outside_the_dispatchers_area_is_422_like_an_unknown_one(
    client, session, staff, world, case
):
    elsewhere = make_area(session, "321311", parent=world["city"])
    outside = reported_case(session, world, grid=elsewhere)
    error = assert_error(post(client, staff, case, "merge", {"into": str(outside.id)}), 422)
    assert "into" in _fields(error)
    assert fresh(session, case).status is ReportStatus.REPORTED


@pytest.mark.parametrize(
    "status", [ReportStatus.CLOSED, ReportStatus.REJECTED, ReportStatus.MERGED]
)
def test_merging_into_a_case_no_longer_open_is_409(client, session, staff, world, case, status):
    master = reported_case(session, world)
    master.status = status
    session.flush()
    assert_error(post(client, staff, case, "merge", {"into": str(master.id)}), 409)
    assert fresh(session, case).status is ReportStatus.REPORTED
    assert _supporters(session, master) == set()


@pytest.mark.parametrize("into", ["", "nope", None, 5])
def test_a_bad_merge_target_is_422(client, session, staff, case, into):
    assert_error(
        post(client, staff, case, "merge", {"into": into} if into is not None else {}), 422
    )


def test_a_dispatched_case_can_no_longer_be_merged(client, session, staff, world):
    master = reported_case(session, world)
    duplicate = dispatched_case(session, world)
    error = assert_error(post(client, staff, duplicate, "merge", {"into": str(master.id)}), 409)
    assert error["current"] == {"status": "dispatched", "version": 3}


def _dismiss(client, headers, report, original, body=None):
    return client.post(
        f"/api/v1/reports/{report.id}/duplicates/{original.id}/dismiss",
        json=body or {},
        headers=headers,
    )


def test_dismissing_a_suspected_duplicate_keeps_the_case_as_it_is(
    client, session, staff, world, case
):
    original = reported_case(session, world)
    link = link_duplicate(session, case, original)
    response = _dismiss(client, staff, case, original, {"note": "不同位置"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "dismissed"
    assert response.json["original_id"] == str(original.id)
    session.expire_all()
    assert link.status is DuplicateStatus.DISMISSED and link.decided_at is not None
    report = fresh(session, case)
    assert (report.status, report.version) == (ReportStatus.REPORTED, 1)
    last = events(session, report)[-1]
    assert (last.action, last.to_status, last.note) == ("duplicate_dismissed", None, "不同位置")
    assert audits(session, report, "case.duplicate_dismissed")[0].after["duplicate"] == "dismissed"


def test_dismissing_twice_is_409(client, session, staff, world, case):
    original = reported_case(session, world)
    link_duplicate(session, case, original)
    assert _dismiss(client, staff, case, original).status_code == 200
    assert_error(_dismiss(client, staff, case, original), 409)


def test_dismissing_a_link_that_does_not_exist_is_404(client, session, staff, world, case):
    original = reported_case(session, world)
    assert_error(_dismiss(client, staff, case, original), 404)
    # The link is directional: the original has no link to the case.
    link_duplicate(session, case, original)
    assert_error(_dismiss(client, staff, original, case), 404)


def test_the_reporter_may_not_dismiss_a_duplicate(client, session, world, case, headers):
    original = reported_case(session, world)
    link_duplicate(session, case, original)
    assert_error(_dismiss(client, headers, case, original), 403)


def test_a_dispatcher_elsewhere_may_not_dismiss(client, session, world, case):
    elsewhere = make_area(session, "321311", parent=world["city"])
    original = reported_case(session, world)
    link_duplicate(session, case, original)
    outsider = login(client, make_dispatcher(session, elsewhere))
    assert_error(_dismiss(client, outsider, case, original), 404)


@pytest.mark.parametrize("body", [{"note": ""}, {"note": "n" * 1001}, {"other": 1}])
def test_bad_dismiss_bodies_are_422(client, session, staff, world, case, body):
    original = reported_case(session, world)
    link = link_duplicate(session, case, original)
    assert_error(_dismiss(client, staff, case, original, body), 422)
    session.expire_all()
    assert link.status is DuplicateStatus.SUSPECTED
