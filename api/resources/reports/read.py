"""Reading reports as staff: the list, the map and one report with its photos and timeline.

Always scoped to the caller's area subtree or department; a report outside it is "not found".
"""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.i18n import current_locale
from api.resources.reports.read_schemas import (
    ReportDetailSchema,
    ReportFeatureCollectionSchema,
    ReportFilterArgsSchema,
    ReportPageSchema,
    ReportQuerySchema,
)
from services.queries.reports import reports_geojson
from services.report_views import list_reports_for_staff, read_report_for_staff

# The prefix stops at /api/v1: "/reports.geojson" is a sibling of "/reports", not below it.
blp = Blueprint("reports_read", __name__, url_prefix="/api/v1", description="Reading reports")

GEOJSON_MAX_FEATURES = 5000


@blp.route("/reports")
@auth_required(blp)
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportPageSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def list_all(args):
    """Reports in my area or department, filtered, sorted and paginated"""
    c = container()
    return list_reports_for_staff(
        db(),
        actor=actor(),
        store=c.media_store,
        policy=c.media_policy,
        locale=current_locale(),
        **args,
    )


@blp.route("/reports.geojson")
@auth_required(blp)
@blp.arguments(ReportFilterArgsSchema, location="query")
@blp.response(200, ReportFeatureCollectionSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def geojson(args):
    """Reports in my area or department as GeoJSON points (WGS-84), for maps"""
    return reports_geojson(db(), actor(), args["filters"], max_features=GEOJSON_MAX_FEATURES)


@blp.route("/reports/<uuid:report_id>")
@auth_required(blp)
@blp.response(200, ReportDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(report_id: uuid.UUID):
    """One report with its photos, timeline and suspected duplicates"""
    c = container()
    return read_report_for_staff(
        db(),
        actor=actor(),
        report_id=report_id,
        store=c.media_store,
        policy=c.media_policy,
        locale=current_locale(),
    )
