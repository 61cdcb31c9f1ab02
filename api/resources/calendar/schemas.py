"""Bodies and arguments of the working-calendar endpoints."""

import datetime as dt
import re

import marshmallow as ma
from marshmallow import validate

from api.schemas import name_field
from services.calendar import FIRST_YEAR, LAST_YEAR, DayType, Source
from services.calendar_admin import MAX_IMPORT_DAYS, ScheduleDay
from services.models.calendar import DayKind

YEAR_RANGE = validate.Range(min=FIRST_YEAR, max=LAST_YEAR)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"-?[0-9]{1,9}")


class IsoDate(ma.fields.Date):
    """``YYYY-MM-DD`` only: the parser would also take ``20261001`` and ``2026-W40-4``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or _ISO_DATE.fullmatch(value) is None:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class PathInteger(ma.fields.Integer):
    """ASCII digits only: ``int()`` would also take ``"１９９９"`` and ``"2026\n"``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _DIGITS.fullmatch(value) is None:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _date(**kwargs) -> ma.fields.Date:
    # Bounded like the years, so a date never names a year the calendar refuses to show.
    return IsoDate(
        validate=validate.Range(min=dt.date(FIRST_YEAR, 1, 1), max=dt.date(LAST_YEAR, 12, 31)),
        **kwargs,
    )


class CalendarDaySchema(ma.Schema):
    date = ma.fields.Date(required=True, attribute="day", metadata={"example": "2026-10-01"})
    kind = ma.fields.Enum(
        DayType,
        by_value=True,
        required=True,
        metadata={"description": "working, weekend, holiday or workday_makeup (调休上班)"},
    )
    name = ma.fields.String(required=True, metadata={"example": "国庆节"})
    source = ma.fields.Enum(
        Source,
        by_value=True,
        required=True,
        metadata={"description": "who decided: database (an administrator), package, fallback"},
    )
    is_working_day = ma.fields.Boolean(required=True, attribute="is_working")


class CalendarYearSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    coverage = ma.fields.Enum(
        Source,
        by_value=True,
        required=True,
        metadata={
            "description": "database: an imported schedule; package: chinese-calendar; "
            "fallback: weekends plus statutory holidays only (make-up working days unknown)"
        },
    )
    working_hours = ma.fields.List(
        ma.fields.String(), required=True, metadata={"example": ["09:00-12:00", "13:30-17:30"]}
    )
    days = ma.fields.List(ma.fields.Nested(CalendarDaySchema), required=True)


class CalendarYearPathSchema(ma.Schema):
    year = PathInteger(required=True, validate=YEAR_RANGE, metadata={"example": 2026})


class CalendarDayPathSchema(ma.Schema):
    day = _date(required=True, metadata={"example": "2027-01-04"})


class CalendarCheckArgsSchema(ma.Schema):
    date = _date(required=True, metadata={"example": "2026-10-01"})


class CalendarDaySetSchema(ma.Schema):
    kind = ma.fields.Enum(
        DayKind,
        by_value=True,
        required=True,
        metadata={
            "description": "holiday: a day off; workday: a working day",
            "example": "holiday",
        },
    )
    name = name_field(50, required=True, metadata={"example": "台风停工日"})


class CalendarImportDaySchema(ma.Schema):
    date = _date(required=True, metadata={"example": "2030-01-01"})
    kind = ma.fields.Enum(DayKind, by_value=True, required=True, metadata={"example": "holiday"})
    name = name_field(50, required=True, metadata={"example": "元旦"})


class CalendarImportSchema(ma.Schema):
    year = ma.fields.Integer(
        required=True, strict=True, validate=YEAR_RANGE, metadata={"example": 2030}
    )
    days = ma.fields.List(
        ma.fields.Nested(CalendarImportDaySchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_IMPORT_DAYS),
    )
    dry_run = ma.fields.Boolean(
        load_default=False, metadata={"description": "check and count, store nothing"}
    )

    @ma.post_load
    def _schedule_days(self, data: dict, **_kwargs) -> dict:
        data["days"] = [
            ScheduleDay(d["date"], d["kind"], d["name"], where=f"days.{index}")
            for index, d in enumerate(data["days"])
        ]
        return data


class CalendarChangeSchema(ma.Schema):
    date = ma.fields.Date(required=True, attribute="day")
    kind = ma.fields.Enum(DayKind, by_value=True, required=True)
    name = ma.fields.String(required=True)
    previous_kind = ma.fields.Enum(
        DayKind,
        by_value=True,
        required=True,
        allow_none=True,
        metadata={"description": "null: new"},
    )
    previous_name = ma.fields.String(required=True, allow_none=True)


class CalendarImportResultSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    created = ma.fields.Integer(required=True)
    updated = ma.fields.Integer(required=True)
    unchanged = ma.fields.Integer(required=True)
    kept = ma.fields.Integer(
        required=True,
        metadata={"description": "days of the year already stored that the schedule omits"},
    )
    dry_run = ma.fields.Boolean(required=True)
    coverage = ma.fields.Enum(Source, by_value=True, required=True)
    changes = ma.fields.List(ma.fields.Nested(CalendarChangeSchema), required=True)
