"""Reading a year's schedule from a file's text: JSON or CSV (``date,kind,name``).

JSON::

    {"year": 2030, "note": "free text", "days": [
        {"date": "2030-01-01", "kind": "holiday", "name": "元旦"}, ...]}

or just the list of days. CSV: a header line ``date,kind,name``, then one day per line; blank
lines and lines starting with ``#`` are skipped. ``kind`` is ``holiday`` (a day off) or
``workday`` (a working day, e.g. a weekend made up for a holiday). Without ``year`` the year is
that of the dates, which must then all fall in one year.

Every line is checked; all problems are reported together, by line (CSV) or index (JSON).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, require
from services.calendar import FIRST_YEAR, LAST_YEAR
from services.calendar_admin import (
    CALENDAR,
    MAX_IMPORT_DAYS,
    ImportResult,
    ScheduleDay,
    import_schedule,
)
from services.errors import ValidationFailed
from services.models.calendar import DayKind

MAX_FILE_CHARS = 256 * 1024
CSV_HEADER = ["date", "kind", "name"]
_JSON_KEYS = {"year", "note", "days"}
_DAY_KEYS = {"date", "kind", "name"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fromisoformat alone also takes 20300101, 2030-W01-1


class FileFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True)
class Schedule:
    year: int
    days: list[ScheduleDay]


def _invalid(reason: str) -> ValidationFailed:
    return ValidationFailed("calendar_file_invalid", reason=reason)


def guess_format(filename: str) -> FileFormat:
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return FileFormat.JSON
    if lowered.endswith(".csv"):
        return FileFormat.CSV
    raise _invalid("the file name must end in .json or .csv")


def parse_schedule(text: str, fmt: FileFormat) -> Schedule:
    """The schedule in ``text``; ValidationFailed lists every line that is wrong."""
    if len(text) > MAX_FILE_CHARS:
        raise _invalid(f"larger than {MAX_FILE_CHARS} characters")
    text = text.removeprefix("\ufeff")
    year, raw = _read_json(text) if FileFormat(fmt) is FileFormat.JSON else _read_csv(text)
    if not raw:
        raise ValidationFailed(fields={"days": "calendar_import_empty"})
    if len(raw) > MAX_IMPORT_DAYS:
        raise ValidationFailed(fields={"days": "calendar_import_too_large"}, max=MAX_IMPORT_DAYS)
    problems: dict[str, str] = {}
    days = [day for day in (_day(where, row, problems) for where, row in raw) if day]
    if problems:
        raise ValidationFailed(fields=problems)
    if year is None:
        years = {d.day.year for d in days}
        if len(years) != 1:
            raise ValidationFailed(fields={"year": "calendar_mixed_years"})
        (year,) = years
    return Schedule(year=year, days=days)


def _read_json(text: str) -> tuple[int | None, list[tuple[str, object]]]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _invalid(f"not valid JSON ({exc})") from None
    year = None
    if isinstance(document, dict):
        unknown = set(document) - _JSON_KEYS
        if unknown:
            raise ValidationFailed(fields=dict.fromkeys(sorted(unknown), "calendar_field_unknown"))
        year = document.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise ValidationFailed(
                fields={"year": "calendar_year_out_of_range"}, min=FIRST_YEAR, max=LAST_YEAR
            )
        document = document.get("days")
    if not isinstance(document, list):
        raise _invalid('expected a list of days or {"year": …, "days": [...]}')
    return year, [(f"days.{index}", row) for index, row in enumerate(document)]


def _read_csv(text: str) -> tuple[None, list[tuple[str, object]]]:
    lines = [
        (number, _cells(line))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return None, []
    (header_number, header), *body = lines
    if [cell.strip().lower() for cell in header] != CSV_HEADER:
        raise _invalid(f"line {header_number}: the header must be {','.join(CSV_HEADER)}")
    rows: list[tuple[str, object]] = []
    for number, cells in body:
        row = None
        if len(cells) == len(CSV_HEADER):
            row = dict(zip(CSV_HEADER, (cell.strip() for cell in cells), strict=True))
        rows.append((f"line {number}", row))
    return None, rows


def _cells(line: str) -> list[str]:
    try:
        return next(csv.reader([line]))
    except csv.Error:
        return []  # reported as a malformed line


def _day(where: str, row: object, problems: dict[str, str]) -> ScheduleDay | None:
    if not isinstance(row, dict):
        problems[where] = "calendar_file_row_invalid"
        return None
    for key in sorted(set(row) - _DAY_KEYS):
        problems[f"{where}.{key}"] = "calendar_field_unknown"
    day = kind = None
    text = row.get("date")
    try:
        if not isinstance(text, str) or _ISO_DATE.fullmatch(text) is None:
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems[f"{where}.date"] = "calendar_date_invalid"
    try:
        kind = DayKind(row.get("kind"))
    except ValueError:
        problems[f"{where}.kind"] = "calendar_kind_unknown"
    name = row.get("name")
    if not isinstance(name, str):
        problems[f"{where}.name"] = "calendar_name_invalid"
    if day is None or kind is None or not isinstance(name, str):
        return None
    return ScheduleDay(day=day, kind=kind, name=name, where=where)


def import_schedule_file(
    session: Session, *, actor: Actor, text: str, fmt: FileFormat, dry_run: bool = False
) -> ImportResult:
    """Read a schedule file's text and import it (see ``calendar_admin.import_schedule``)."""
    require(actor, Action.CALENDAR_MANAGE, CALENDAR)
    schedule = parse_schedule(text, fmt)
    return import_schedule(
        session, actor=actor, year=schedule.year, days=schedule.days, dry_run=dry_run
    )
