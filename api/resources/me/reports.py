"""The signed-in user's own reports: GET /api/v1/me/reports and one of them."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.i18n import current_locale
from api.resources.reports.read_schemas import MyReportDetailSchema, MyReportPageSchema
from api.schemas import PageArgsSchema
from services.report_views import list_my_reports, read_my_report

blp = Blueprint("me_reports", __name__, url_prefix="/api/v1/me/reports", description="My reports")


@blp.route("")
@auth_required(blp)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MyReportPageSchema)
def list_mine(args):
    """My reports, newest first, with their status in plain words"""
    c = container()
    return list_my_reports(
        db(),
        actor=actor(),
        store=c.media_store,
        policy=c.media_policy,
        locale=current_locale(),
        **args,
    )


@blp.route("/<uuid:report_id>")
@auth_required(blp)
@blp.response(200, MyReportDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_mine(report_id: uuid.UUID):
    """One of my reports with what has happened to it"""
    c = container()
    return read_my_report(
        db(),
        actor=actor(),
        report_id=report_id,
        store=c.media_store,
        policy=c.media_policy,
        locale=current_locale(),
    )
