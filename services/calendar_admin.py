"""Administering the working calendar: single-day overrides and whole-year schedule imports.

Only platform-wide administrators may change the calendar (it has no area). Every change is
audited; repeating a change that is already in place changes nothing and records nothing.
An import is all-or-nothing: every line is checked first and all problems are reported together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, require
from services.calendar import DayInfo, Source, WorkingCalendar, check_year
from services.errors import Conflict, NotFound, ValidationFailed
from services.models.calendar import CalendarDay, CalendarYear, DayKind

MAX_IMPORT_DAYS = 366
NAME_MAX = 50
# One line of visible text: no control characters (C0, DEL, C1) and no bidirectional overrides.
_NAME = re.compile(r"(?=.*\S)[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")

CALENDAR = Target(area_path=None)  # platform-wide: area-bound administrators are refused


@dataclass(frozen=True)
class ScheduleDay:
    """One line of a schedule; ``where`` names it in error messages (``days.3``, ``line 4``)."""

    day: dt.date
    kind: DayKind
    name: str
    where: str = ""


@dataclass(frozen=True)
class DayChange:
    day: dt.date
    kind: DayKind
    name: str
    previous_kind: DayKind | None = None  # None: the day had no row
    previous_name: str | None = None


@dataclass(frozen=True)
class ImportResult:
    year: int
    created: int
    updated: int
    unchanged: int
    kept: int  # rows of the year already in the database that the schedule does not list
    dry_run: bool
    coverage: Source  # after the import (what it would be, for a dry run)
    changes: tuple[DayChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def name_is_valid(name: object) -> bool:
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_MAX:
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return _NAME.fullmatch(name) is not None


def _check_day(day: dt.date, name: str) -> None:
    check_year(day.year, "date")
    if not name_is_valid(name):
        raise ValidationFailed(fields={"name": "calendar_name_invalid"})


def _entry(kind: DayKind, name: str) -> dict[str, str]:
    return {"kind": kind.value, "name": name}


def _store(session: Session) -> None:
    """Flush, turning a concurrent administrator's insert of the same key into a 409."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict() from None


def set_day(session: Session, *, actor: Actor, day: dt.date, kind: DayKind, name: str) -> DayInfo:
    """Make ``day`` a holiday or a working day, whatever the package says."""
    require(actor, Action.CALENDAR_MANAGE, CALENDAR)
    kind = DayKind(kind)
    _check_day(day, name)
    row = session.get(CalendarDay, day)
    before = _entry(row.kind, row.name) if row is not None else None
    after = _entry(kind, name)
    if before != after:
        if row is None:
            row = CalendarDay(day=day)
            session.add(row)
        row.kind, row.name, row.updated_by = kind, name, actor.user_id
        _store(session)
        audit.record(
            session,
            actor,
            "calendar.day_set",
            object_type="calendar_day",
            object_id=day.isoformat(),
            before=before,
            after=after,
        )
        session.commit()
    return WorkingCalendar(session).day_info(day)


def unset_day(session: Session, *, actor: Actor, day: dt.date) -> DayInfo:
    """Remove an override: the day follows the package (or the fallback) again."""
    require(actor, Action.CALENDAR_MANAGE, CALENDAR)
    check_year(day.year, "date")
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(what="calendar_day")
    before = _entry(row.kind, row.name)
    session.delete(row)
    audit.record(
        session,
        actor,
        "calendar.day_unset",
        object_type="calendar_day",
        object_id=day.isoformat(),
        before=before,
    )
    session.commit()
    return WorkingCalendar(session).day_info(day)


def _validate_schedule(year: int, days: Sequence[ScheduleDay]) -> list[ScheduleDay]:
    check_year(year)
    if not days:
        raise ValidationFailed(fields={"days": "calendar_import_empty"})
    if len(days) > MAX_IMPORT_DAYS:
        raise ValidationFailed(fields={"days": "calendar_import_too_large"}, max=MAX_IMPORT_DAYS)
    problems: dict[str, str] = {}
    seen: set[dt.date] = set()
    valid: list[ScheduleDay] = []
    for index, entry in enumerate(days):
        where = entry.where or f"days.{index}"
        if entry.day.year != year:
            problems[f"{where}.date"] = "calendar_day_outside_year"
        elif entry.day in seen:
            problems[f"{where}.date"] = "calendar_day_duplicate"
        seen.add(entry.day)
        try:
            valid.append(ScheduleDay(entry.day, DayKind(entry.kind), entry.name, where))
        except ValueError:
            problems[f"{where}.kind"] = "calendar_kind_unknown"
        if not name_is_valid(entry.name):
            problems[f"{where}.name"] = "calendar_name_invalid"
    if problems:
        raise ValidationFailed(fields=problems)
    return valid


def import_schedule(
    session: Session,
    *,
    actor: Actor,
    year: int,
    days: Sequence[ScheduleDay],
    dry_run: bool = False,
) -> ImportResult:
    """Load a year's published schedule: upsert its days and mark the year as known.

    Days of the year already in the database but absent from the schedule are kept (remove them
    with ``unset_day``). Importing the same schedule again changes nothing.
    """
    require(actor, Action.CALENDAR_MANAGE, CALENDAR)
    days = _validate_schedule(year, days)
    existing = {
        row.day: row
        for row in session.scalars(
            select(CalendarDay).where(
                CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31)
            )
        )
    }
    changes: list[DayChange] = []
    for entry in sorted(days, key=lambda d: d.day):
        row = existing.get(entry.day)
        if row is None:
            changes.append(DayChange(entry.day, entry.kind, entry.name))
        elif (row.kind, row.name) != (entry.kind, entry.name):
            changes.append(DayChange(entry.day, entry.kind, entry.name, row.kind, row.name))
    marked = session.get(CalendarYear, year) is not None
    created = sum(1 for c in changes if c.previous_kind is None)
    result = ImportResult(
        year=year,
        created=created,
        updated=len(changes) - created,
        unchanged=len(days) - len(changes),
        kept=len(set(existing) - {d.day for d in days}),
        dry_run=dry_run,
        coverage=Source.DATABASE,
        changes=tuple(changes),
    )
    if dry_run or (marked and not changes):
        return result
    for change in changes:
        row = existing.get(change.day)
        if row is None:
            row = CalendarDay(day=change.day)
            session.add(row)
        row.kind, row.name = change.kind, change.name
        row.updated_by = actor.user_id
    if not marked:
        session.add(CalendarYear(year=year, loaded_by=actor.user_id))
    _store(session)
    audit.record(
        session,
        actor,
        "calendar.imported",
        object_type="calendar_year",
        object_id=str(year),
        before={
            "days": {
                c.day.isoformat(): _entry(c.previous_kind, c.previous_name)
                for c in changes
                if c.previous_kind is not None and c.previous_name is not None
            },
            "year_loaded": marked,
        },
        after={
            "days": {c.day.isoformat(): _entry(c.kind, c.name) for c in changes},
            "created": result.created,
            "updated": result.updated,
            "year_loaded": True,
        },
    )
    session.commit()
    return result
