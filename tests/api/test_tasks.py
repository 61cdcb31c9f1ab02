"""GET /api/v1/tasks: each role's queues, scoped to the caller's area, department or grids on
duty, with counts, sorted by the running deadline, and the first non-empty queue by default."""

from __future__ import annotations

import datetime as dt

import pytest

from services.models.accounts import Role
from services.models.areas import GridAssignment, GridDuty
from services.models.reports import DuplicateStatus, ReportStatus
from services.models.workflow import ExtensionRequest, ExtensionStatus
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_department, make_resident, make_user
from tests.report_read_factories import link_duplicate, make_event
from tests.sla_factories import NOW, make_case

URL = "/api/v1/tasks"
S = ReportStatus


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["number"] for item in response.json["items"]]


def _get(client, headers, **query):
    return client.get(URL, query_string=query, headers=headers)


def _on_duty(session, worker, grid, *, ended=False):
    session.add(
        GridAssignment(
            user_id=worker.id,
            area_id=grid.id,
            duty=GridDuty.FULL_TIME,
            ended_at=NOW if ended else None,
        )
    )
    session.flush()


def _extension(session, case, by, status=ExtensionStatus.PENDING):
    session.add(
        ExtensionRequest(
            report_id=case.id,
            requested_by_id=by.id,
            requested_due_at=NOW + dt.timedelta(days=3),
            reason="等材料",
            status=status,
        )
    )
    session.flush()


@pytest.fixture
def depts(session):
    return make_department(session, "CG"), make_department(session, "SW")


# ---- dispatchers ------------------------------------------------------------------------


def test_a_dispatcher_sees_each_queue_of_their_area_with_counts(client, session, tree, depts):
    grid, elsewhere = tree["grid"], tree["other_street"]
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=depts[0])
    to_file = make_case(session, grid=grid)
    make_case(session, grid=elsewhere)  # another district: not mine
    original = make_case(session, grid=grid, status=S.FILED)
    duplicate = make_case(session, grid=grid)
    link_duplicate(session, duplicate, original)
    dismissed = make_case(session, grid=grid)
    link_duplicate(session, dismissed, original).status = DuplicateStatus.DISMISSED
    returned = make_case(session, grid=grid, status=S.FILED)
    make_event(session, returned, action="file", to_status="filed", at=NOW)
    make_event(session, returned, action="return", to_status="filed", at=NOW + dt.timedelta(1))
    refiled = make_case(session, grid=grid, status=S.FILED)  # returned once, then filed again
    make_event(session, refiled, action="return", to_status="filed", at=NOW)
    make_event(session, refiled, action="file", to_status="filed", at=NOW + dt.timedelta(1))
    extended = make_case(session, grid=grid, status=S.IN_PROGRESS, department=depts[0])
    _extension(session, extended, handler)
    refused = make_case(session, grid=grid, status=S.DISPATCHED, department=depts[0])
    _extension(session, refused, handler, ExtensionStatus.REFUSED)
    late = make_case(session, grid=grid, status=S.DISPATCHED, overdue=True)
    make_case(session, grid=grid, status=S.CLOSED, overdue=True)  # closed: no longer a task
    make_case(session, grid=elsewhere, status=S.FILED, overdue=True)
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))

    response = _get(client, headers)
    assert response.json["counts"] == {
        "to_file": 3,
        "duplicates": 1,
        "returned": 1,
        "extensions": 1,
        "overdue": 1,
        "to_dispatch": 3,
    }
    assert response.json["queue"] == "to_file"
    assert set(_numbers(response)) == {to_file.number, duplicate.number, dismissed.number}
    assert _numbers(_get(client, headers, queue="duplicates")) == [duplicate.number]
    assert _numbers(_get(client, headers, queue="returned")) == [returned.number]
    assert _numbers(_get(client, headers, queue="extensions")) == [extended.number]
    assert _numbers(_get(client, headers, queue="overdue")) == [late.number]
    assert set(_numbers(_get(client, headers, queue="to_dispatch"))) == {
        original.number,
        returned.number,
        refiled.number,
    }


def test_an_admin_bound_nowhere_sees_the_whole_platform_including_outside_the_city(
    client, session, tree
):
    inside = make_case(session, grid=tree["grid"])
    other = make_case(session, grid=tree["other_street"])
    outside = make_case(session, grid=None)
    headers = login(client, make_user(session, role=Role.ADMIN))
    numbers = _numbers(_get(client, headers, queue="to_file"))
    assert set(numbers) == {inside.number, other.number, outside.number}


def test_a_street_dispatcher_does_not_see_the_rest_of_the_district(client, session, tree):
    mine = make_case(session, grid=tree["grid"])
    make_case(session, grid=tree["district"])  # unassigned at district level: above the street
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["street"]))
    assert _numbers(_get(client, headers, queue="to_file")) == [mine.number]


def test_items_are_sorted_by_deadline_with_none_last_then_oldest_first(client, session, tree):
    def case(hours: int | None, age_days: int):
        due = NOW + dt.timedelta(hours=hours) if hours is not None else None
        created = NOW - dt.timedelta(days=age_days)
        return make_case(session, grid=tree["grid"], filing_due_at=due, created_at=created)

    later, newer_none, sooner = case(5, 1), case(None, 0), case(1, 0)
    older_none, tie_new, tie_old = case(None, 3), case(5, 0), case(5, 2)
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    response = _get(client, headers, queue="to_file")
    assert _numbers(response) == [
        sooner.number,
        tie_old.number,
        later.number,
        tie_new.number,
        older_none.number,
        newer_none.number,
    ]
    deadlines = [item["deadline"] for item in response.json["items"]]
    assert deadlines[-2:] == [None, None]
    assert dt.datetime.fromisoformat(deadlines[0]) == NOW + dt.timedelta(hours=1)


def test_the_deadline_shown_is_the_one_running_in_the_cases_state(client, session, tree, depts):
    due = NOW + dt.timedelta(days=2)
    make_case(
        session,
        grid=tree["grid"],
        status=S.DISPATCHED,
        department=depts[0],
        filing_due_at=NOW - dt.timedelta(days=1),
        disposal_due_at=due,
        overdue=True,
    )
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    [item] = _get(client, headers, queue="overdue").json["items"]
    assert dt.datetime.fromisoformat(item["deadline"]) == due


def test_an_item_carries_what_a_queue_needs(client, session, tree):
    case = make_case(session, grid=tree["grid"], filing_due_at=NOW, category="0101")
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    [item] = _get(client, {**headers, "Accept-Language": "en"}, queue="to_file").json["items"]
    assert item == {
        "id": str(case.id),
        "number": case.number,
        "status": "reported",
        "category": {"code": "0101", "name": "Category 0101"},
        "area_name": tree["grid"].name,
        "deadline": item["deadline"],
        "overdue": False,
        "version": 1,
        "created_at": item["created_at"],
    }
    assert dt.datetime.fromisoformat(item["deadline"]) == NOW
    [chinese] = _get(client, headers, queue="to_file").json["items"]
    assert chinese["category"]["name"] == "类别0101"


def test_pages_split_a_queue_and_keep_the_total(client, session, tree):
    grid = tree["grid"]
    cases = [
        make_case(session, grid=grid, filing_due_at=NOW + dt.timedelta(hours=i)) for i in range(5)
    ]
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    second = _get(client, headers, queue="to_file", page=2, page_size=2)
    assert _numbers(second) == [cases[2].number, cases[3].number]
    assert (second.json["total"], second.json["page"], second.json["page_size"]) == (5, 2, 2)
    beyond = _get(client, headers, queue="to_file", page=4, page_size=2)
    assert _numbers(beyond) == [] and beyond.json["total"] == 5


def test_the_default_queue_is_the_first_with_work_in_it(client, session, tree):
    late = make_case(session, grid=tree["grid"], status=S.IN_PROGRESS, overdue=True)
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    response = _get(client, headers)
    assert response.json["queue"] == "overdue"
    assert _numbers(response) == [late.number]


def test_with_nothing_to_do_the_first_queue_is_answered_empty(client, session, tree):
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    response = _get(client, headers)
    assert response.json["queue"] == "to_file"
    assert response.json["items"] == [] and response.json["total"] == 0
    assert set(response.json["counts"].values()) == {0}


# ---- department handlers ------------------------------------------------------------------


def test_a_handler_sees_their_departments_cases_only(client, session, tree, depts):
    mine, theirs = depts
    grid = tree["grid"]
    to_accept = make_case(session, grid=grid, status=S.DISPATCHED, department=mine)
    make_case(session, grid=grid, status=S.DISPATCHED, department=theirs)
    working = make_case(session, grid=grid, status=S.IN_PROGRESS, department=mine)
    rework = make_case(session, grid=grid, status=S.IN_PROGRESS, department=mine, rework_count=1)
    make_case(session, grid=grid, status=S.IN_PROGRESS, department=theirs, rework_count=2)
    make_case(session, grid=grid, status=S.RESOLVED, department=mine)
    make_case(session, grid=grid, status=S.FILED, department=mine)
    headers = login(client, make_user(session, role=Role.DEPARTMENT_HANDLER, department=mine))
    response = _get(client, headers)
    assert response.json["counts"] == {"to_accept": 1, "in_progress": 2, "rework": 1}
    assert response.json["queue"] == "to_accept"
    assert _numbers(response) == [to_accept.number]
    assert set(_numbers(_get(client, headers, queue="in_progress"))) == {
        working.number,
        rework.number,
    }
    assert _numbers(_get(client, headers, queue="rework")) == [rework.number]


def test_a_handler_without_a_department_has_empty_queues(client, session, tree):
    make_case(session, grid=tree["grid"], status=S.DISPATCHED)
    headers = login(client, make_user(session, role=Role.DEPARTMENT_HANDLER))
    assert _get(client, headers).json["counts"] == {"to_accept": 0, "in_progress": 0, "rework": 0}


# ---- grid workers -------------------------------------------------------------------------


def test_a_grid_worker_sees_resolved_cases_in_the_grids_they_are_on_duty_in(client, session, tree):
    worker = make_user(session, role=Role.GRID_WORKER, area=tree["community"])
    _on_duty(session, worker, tree["grid"])
    _on_duty(session, worker, tree["grid2"], ended=True)
    mine = make_case(session, grid=tree["grid"], status=S.RESOLVED)
    make_case(session, grid=tree["grid"], status=S.IN_PROGRESS)
    make_case(session, grid=tree["grid2"], status=S.RESOLVED)  # duty ended there
    headers = login(client, worker)
    response = _get(client, headers)
    assert response.json["counts"] == {"to_verify": 1}
    assert (response.json["queue"], _numbers(response)) == ("to_verify", [mine.number])


def test_a_grid_worker_on_duty_nowhere_has_nothing_to_verify(client, session, tree):
    make_case(session, grid=tree["grid"], status=S.RESOLVED)
    headers = login(client, make_user(session, role=Role.GRID_WORKER, area=tree["community"]))
    assert _get(client, headers).json["counts"] == {"to_verify": 0}


def test_someone_with_two_roles_gets_both_sets_of_queues(client, session, tree):
    user = make_user(session, role={Role.DISPATCHER, Role.GRID_WORKER}, area=tree["district"])
    _on_duty(session, user, tree["grid"])
    resolved = make_case(session, grid=tree["grid"], status=S.RESOLVED)
    headers = login(client, user)
    response = _get(client, headers)
    assert list(response.json["counts"]) == [
        "to_file",
        "duplicates",
        "returned",
        "extensions",
        "overdue",
        "to_dispatch",
        "to_verify",
    ]
    assert (response.json["queue"], _numbers(response)) == ("to_verify", [resolved.number])


# ---- refusals -----------------------------------------------------------------------------


def test_residents_have_no_work_queues(client, session, sms, tree):
    resident = make_resident(session)
    make_case(session, grid=tree["grid"])
    assert_error(_get(client, login_resident(client, sms, resident.phone)), 403)


def test_staff_without_a_queue_role_are_refused(client, session, tree):
    headers = login(client, make_user(session, role=Role.EMERGENCY_OFFICER, area=tree["city"]))
    assert_error(_get(client, headers), 403)


def test_signing_in_is_required(client):
    assert_error(client.get(URL), 401)
