"""Report numbers ``YYYYMMDDNNNN``: the Asia/Shanghai day and a per-day sequence without gaps.

The counter row of the day moves in the transaction that creates the report, with one atomic
``INSERT … ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`` (PostgreSQL and
SQLite both have it). A second transaction wanting a number that day waits for the first to
commit or roll back, so a rolled-back report gives its number back and none is skipped. The
sequence has four digits and widens to five (``YYYYMMDD10000``) after 9,999 reports a day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.calendar import SHANGHAI
from services.models.reports import ReportNumberDay


def format_report_number(day: dt.date, sequence: int) -> str:
    return f"{day:%Y%m%d}{sequence:04d}"


def next_report_number(session: Session, now: dt.datetime) -> str:
    """The next number of ``now``'s local day, taken in the caller's transaction."""
    day = now.astimezone(SHANGHAI).date()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ReportNumberDay.__table__
    stmt = (
        insert(table)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=[table.c.day], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    return format_report_number(day, session.execute(stmt).scalar_one())
