"""Two dispatchers acting on the same case at once with the same version: exactly one wins, the
other gets 409 with the current state; the case moves once (one timeline entry, one audit entry).

Real, separate connections (one per thread) outside the per-test transaction: the rows are
committed while the test runs (uniquely coded) and deleted afterwards.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services import workflow
from services.actors import Actor
from services.db import make_session_factory
from services.errors import Conflict
from services.models.accounts import Role, User, UserRole
from services.models.areas import Area, AreaLevel, Department
from services.models.audit import AuditEntry
from services.models.catalogue import Category
from services.models.reports import Report, ReportEvent, ReportStatus, ReportSupporter
from services.workflow_merge import merge_case
from services.workflow_triage import dispatch_case, file_case, reject_case
from tests.case_factories import reported_case
from tests.catalogue_factories import make_category

CITY = "990100"


@pytest.fixture
def committed(engine) -> Iterator[dict]:
    factory = make_session_factory(engine)
    with factory() as s:
        city = Area(code=CITY, name="并发案件市", level=AreaLevel.CITY, path=f"/{CITY}/")
        department = Department(code=f"RACE{uuid.uuid4().hex[:8]}", name="并发部门", area=city)
        users = []
        for n in range(2):
            user = User(
                username=f"race-disp-{n}-{uuid.uuid4().hex[:8]}", display_name="调度", area=city
            )
            user.set_roles({Role.DISPATCHER})
            users.append(user)
        s.add_all([city, department, *users])
        s.flush()
        make_category(s, "97")
        category = make_category(s, "9701", department=department)
        world = {"grid": city, "category": category, "department": department}
        cases = [
            reported_case(s, world, number=f"9{uuid.uuid4().int % 10**15:015d}") for _ in range(2)
        ]
        s.commit()
        ids = {
            "city": city.id,
            "department": department.id,
            "users": [u.id for u in users],
            "cases": [c.id for c in cases],
        }
    try:
        yield {"factory": factory, **ids}
    finally:
        with factory() as s:
            cases = ids["cases"]
            s.execute(delete(ReportEvent).where(ReportEvent.report_id.in_(cases)))
            s.execute(delete(ReportSupporter).where(ReportSupporter.report_id.in_(cases)))
            s.execute(delete(AuditEntry).where(AuditEntry.actor_id.in_(ids["users"])))
            s.execute(delete(Report).where(Report.id.in_(cases)))
            s.execute(delete(Category).where(Category.code.in_(["9701", "97"])))
            s.execute(delete(Department).where(Department.id == ids["department"]))
            s.execute(delete(UserRole).where(UserRole.user_id.in_(ids["users"])))
            s.execute(delete(User).where(User.id.in_(ids["users"])))
            s.execute(delete(Area).where(Area.id == ids["city"]))
            s.commit()


@pytest.fixture
def slow_version_check(monkeypatch):
    """Widen the window between reading the case and writing it: without the row lock both
    requests would pass the version check."""
    original = workflow.check_version

    def check_then_wait(report, expected):
        original(report, expected)
        time.sleep(0.2)

    monkeypatch.setattr(workflow, "check_version", check_then_wait)


def _race(committed, calls: list[Callable[[Session, Actor], object]]) -> list[object]:
    factory = committed["factory"]
    start = threading.Barrier(len(calls), timeout=10)
    outcomes: list[object] = []

    def run(n: int, call) -> None:
        with factory() as s:
            user = s.get(User, committed["users"][n % 2])
            actor = Actor.for_user(user)
            s.rollback()  # a fresh transaction, as a request would have
            start.wait()
            try:
                outcomes.append(call(s, actor))
            except Conflict as exc:
                outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def _file(case_id):
    return lambda s, a: file_case(s, actor=a, report_id=case_id, expected_version=1)


def _reject(case_id):
    return lambda s, a: reject_case(
        s, actor=a, report_id=case_id, expected_version=1, reason="重复"
    )


def _one_winner(outcomes) -> tuple[Report, Conflict]:
    winners = [o for o in outcomes if isinstance(o, Report)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(winners), len(losers)) == (1, len(outcomes) - 1), outcomes
    for loser in losers:
        assert loser.key == "case_version_conflict"
        assert loser.details["current"] == {"status": str(winners[0].status), "version": 2}
    return winners[0], losers[0]


def _recorded(committed, case_id) -> tuple[Report, int, int]:
    with committed["factory"]() as s:
        report = s.get(Report, case_id)
        events = s.scalar(
            select(func.count())
            .select_from(ReportEvent)
            .where(ReportEvent.report_id == case_id, ReportEvent.action != "reported")
        )
        audits = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.object_id == str(case_id), AuditEntry.action.like("case.%"))
        )
        return report, events, audits


def test_two_dispatchers_filing_at_once_file_once(committed, slow_version_check):
    case_id = committed["cases"][0]
    _one_winner(_race(committed, [_file(case_id), _file(case_id)]))
    report, events, audits = _recorded(committed, case_id)
    assert (report.status, report.version, events, audits) == (ReportStatus.FILED, 2, 1, 1)


def test_filing_and_rejecting_at_once_do_exactly_one_of_them(committed, slow_version_check):
    case_id = committed["cases"][0]
    winner, _ = _one_winner(_race(committed, [_file(case_id), _reject(case_id)]))
    report, events, audits = _recorded(committed, case_id)
    assert report.status is winner.status
    assert report.version == 2 and (events, audits) == (1, 1)
    assert (report.reject_reason is not None) is (winner.status is ReportStatus.REJECTED)


def test_many_dispatchers_at_once_still_make_one_move(committed):
    case_id = committed["cases"][0]
    calls = [_file(case_id), _reject(case_id)] * 3
    _one_winner(_race(committed, calls))
    report, events, audits = _recorded(committed, case_id)
    assert report.version == 2 and (events, audits) == (1, 1)


def test_opposite_merges_at_once_neither_deadlock_nor_both_succeed(committed):
    a, b = committed["cases"]
    outcomes = _race(
        committed,
        [
            lambda s, actor: merge_case(s, actor=actor, report_id=a, into_id=b, expected_version=1),
            lambda s, actor: merge_case(s, actor=actor, report_id=b, into_id=a, expected_version=1),
        ],
    )
    winners = [o for o in outcomes if isinstance(o, Report)]
    assert len(winners) == 1, outcomes
    with committed["factory"]() as s:
        statuses = sorted(str(s.get(Report, i).status) for i in (a, b))
    assert statuses == ["merged", "reported"]


def test_dispatching_twice_at_once_dispatches_once(committed):
    case_id = committed["cases"][0]
    with committed["factory"]() as s:
        actor = Actor.for_user(s.get(User, committed["users"][0]))
        file_case(s, actor=actor, report_id=case_id, expected_version=1)

    def dispatch(s, actor):
        return dispatch_case(
            s,
            actor=actor,
            report_id=case_id,
            expected_version=2,
            department_id=committed["department"],
            instructions="处理",
        )

    outcomes = _race(committed, [dispatch, dispatch])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Report"]
    report, events, _ = _recorded(committed, case_id)
    assert (report.status, report.version, events) == (ReportStatus.DISPATCHED, 3, 2)
