"""A hand-computed set of cases for the statistics tests (November 2026, Asia/Shanghai).

In the district 321302 (street 321302001, community 321302001001, grids g1 and g2):

| # | created (UTC)       | status      | cat  | grid | dept | source | closed | notes          |
|---|---------------------|-------------|------|------|------|--------|--------|----------------|
| 1 | 10-31 16:00 (11-01) | closed      | 5601 | g1   | A    | mini   | 10 h   | on time        |
| 2 | 11-02 20:00 (11-03) | closed      | 5601 | g1   | A    | mini   | 20 h   | rework, was od |
| 3 | 11-04 02:00         | closed      | 5602 | g2   | -    | patrol | 30 h   | self-resolved  |
| 4 | 11-05 02:00         | closed      | 5602 | g1   | A    | mini   | 40 h   | overdue now    |
| 5 | 11-06 02:00         | rejected    | 5601 | g1   | -    | mini   |        |                |
| 6 | 11-06 02:00         | merged      | 5601 | g1   | -    | mini   |        |                |
| 7 | 11-06 02:00         | in_progress | 5601 | g1   | A    | mini   |        | overdue 3 days |
| 8 | 11-06 02:00         | reported    | 5602 | g2   | -    | mini   |        | overdue 1 day  |

("was od": flagged overdue once, cleared since.)

Outside the figures: a closed case created 10-31 15:59:59 UTC (still October in Shanghai) and a
closed case in the other district (321311).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.models.reports import Report, ReportSource, ReportStatus
from tests.factories import make_area, make_department
from tests.report_read_factories import make_event, make_report

S = ReportStatus
FROM = "2026-11-01T00:00:00+08:00"
TO = "2026-12-01T00:00:00+08:00"


def _at(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=dt.UTC)


def _case(session: Session, created: dt.datetime, status: ReportStatus, **kw) -> Report:
    closed_after = kw.pop("closed_after", None)
    extra = {k: kw.pop(k) for k in ("rework_count", "self_resolved", "disposal_due_at") if k in kw}
    report = make_report(session, reporter=None, status=status, created_at=created, **kw)
    for name, value in extra.items():
        setattr(report, name, value)
    if closed_after is not None:
        report.closed_at = created + dt.timedelta(hours=closed_after)
    session.flush()
    return report


def make_stats_world(session: Session, tree: dict, *, now: dt.datetime) -> dict:
    dept = make_department(session, "CGJ", area=tree["district"], name="城管局")
    g1, g2 = tree["grid"], tree["grid2"]
    cases = {
        1: _case(
            session,
            _at(10, 31, 16),
            S.CLOSED,
            category="5601",
            grid=g1,
            department=dept,
            closed_after=10,
        ),
        2: _case(
            session,
            _at(11, 2, 20),
            S.CLOSED,
            category="5601",
            grid=g1,
            department=dept,
            closed_after=20,
            rework_count=1,
        ),
        3: _case(
            session,
            _at(11, 4, 2),
            S.CLOSED,
            category="5602",
            grid=g2,
            closed_after=30,
            source=ReportSource.PATROL,
            self_resolved=True,
        ),
        4: _case(
            session,
            _at(11, 5, 2),
            S.CLOSED,
            category="5602",
            grid=g1,
            department=dept,
            closed_after=40,
            overdue=True,
        ),
        5: _case(session, _at(11, 6, 2), S.REJECTED, category="5601", grid=g1),
        6: _case(session, _at(11, 6, 2), S.MERGED, category="5601", grid=g1),
        7: _case(
            session,
            _at(11, 6, 2),
            S.IN_PROGRESS,
            category="5601",
            grid=g1,
            department=dept,
            overdue=True,
            disposal_due_at=now - dt.timedelta(days=3, hours=2),
        ),
        8: _case(
            session,
            _at(11, 6, 2),
            S.REPORTED,
            category="5602",
            grid=g2,
            overdue=True,
            filing_due_at=now - dt.timedelta(days=1, hours=2),
        ),
    }
    # Flagged overdue once; the flag was cleared by an extension before it closed.
    make_event(session, cases[2], action="overdue")
    october = _case(
        session, _at(10, 31, 15, 59, 59), S.CLOSED, category="5601", grid=g1, closed_after=1
    )
    other_grid = make_area(
        session,
        "321311001001001",
        parent=make_area(session, "321311001001", parent=tree["other_street"]),
    )
    elsewhere = _case(
        session, _at(11, 10, 2), S.CLOSED, category="5601", grid=other_grid, closed_after=5
    )
    return {"dept": dept, "cases": cases, "october": october, "elsewhere": elsewhere}
