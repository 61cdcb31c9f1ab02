"""/api/v1/calendar: the working calendar (holidays and make-up working days, 调休)."""

import datetime as dt

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.resources.calendar.schemas import (
    CalendarCheckArgsSchema,
    CalendarDayPathSchema,
    CalendarDaySchema,
    CalendarDaySetSchema,
    CalendarImportResultSchema,
    CalendarImportSchema,
    CalendarYearPathSchema,
    CalendarYearSchema,
)
from services import calendar_admin
from services.models.accounts import Role
from services.queries.calendar import get_day_info, get_year_overview

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar", description="Working calendar")


@blp.route("/check")
@auth_required(blp)
@blp.arguments(CalendarCheckArgsSchema, location="query")
@blp.response(200, CalendarDaySchema)
def check(args):
    """Whether a date is a working day, and why"""
    return get_day_info(db(), actor=actor(), day=args["date"])


# Converters would answer a malformed year or date with a bare 404; the schemas say what is wrong.
@blp.route("/<year>")
@auth_required(blp)
@blp.arguments(CalendarYearPathSchema, location="path", as_kwargs=True)
@blp.response(200, CalendarYearSchema)
def year_overview(year: int):
    """A year's holidays and make-up working days, and where the calendar gets them"""
    return get_year_overview(db(), actor=actor(), year=year, hours=container().working_hours)


@blp.route("/days/<day>", methods=["PUT"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(CalendarDayPathSchema, location="path", as_kwargs=True)
@blp.arguments(CalendarDaySetSchema)
@blp.response(200, CalendarDaySchema)
@blp.alt_response(409, response="CONFLICT")
def set_day(body, day: dt.date):
    """Make a date a holiday or a working day (platform administrators)"""
    return calendar_admin.set_day(db(), actor=actor(), day=day, **body)


@blp.route("/days/<day>", methods=["DELETE"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(CalendarDayPathSchema, location="path", as_kwargs=True)
@blp.response(200, CalendarDaySchema)
@blp.alt_response(404, response="NOT_FOUND")
def unset_day(day: dt.date):
    """Remove a date's override; the date follows the published schedule again"""
    return calendar_admin.unset_day(db(), actor=actor(), day=day)


@blp.route("/import", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(CalendarImportSchema)
@blp.response(200, CalendarImportResultSchema)
@blp.alt_response(409, response="CONFLICT")
def import_schedule(body):
    """Load a year's published schedule (platform administrators); idempotent"""
    return calendar_admin.import_schedule(db(), actor=actor(), **body)
