"""Submitting reports: file one, look for open reports nearby first, support one ("me too")."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.i18n import current_locale, message
from api.resources.reports.submit_schemas import (
    IdempotencyHeaderSchema,
    NearbyListSchema,
    NearbyQuerySchema,
    ReportCreateSchema,
    ReportReceiptSchema,
    SupportStateSchema,
)
from services.media import media_view
from services.messages_reports import status_text_key
from services.queries.nearby import NearbyReport, nearby_reports
from services.report_support import support_report
from services.reports import ReportSettings, SubmittedReport, submit_report

blp = Blueprint(
    "reports_submit", __name__, url_prefix="/api/v1/reports", description="Submit reports"
)


def _settings() -> ReportSettings:
    c = container()
    return ReportSettings(locator=c.locator, policy=c.report_policy, hours=c.working_hours)


def _receipt(submitted: SubmittedReport) -> dict:
    c, report = container(), submitted.report
    grid = report.grid if report.grid_id is not None else None
    return {
        "id": report.id,
        "number": report.number,
        "status": report.status,
        "status_text": message(status_text_key(report.status)),
        "source": report.source,
        "category": report.category,
        "description": report.description,
        "address": report.address,
        "location": {
            "lat": report.lat,
            "lng": report.lng,
            "coord": "wgs84",
            "source": report.location_source,
            "accuracy_m": report.accuracy_m,
        },
        "location_mismatch": report.location_mismatch,
        "grid": grid,
        "filing_due_at": report.filing_due_at,
        "anonymous": report.anonymous,
        "media": [
            media_view(c.media_store, c.media_policy, m, include_exif=False, include_original=False)
            for m in submitted.media
        ],
        "suspected_duplicates": submitted.suspected_duplicates,
        "created_at": report.created_at,
    }


def _nearby_item(item: NearbyReport) -> dict:
    c, english = container(), current_locale() == "en"
    thumb = item.thumbnail
    return {
        "id": item.id,
        "number": item.number,
        "category": {
            "code": item.category.code,
            "name": item.category.name_en if english else item.category.name_zh,
        },
        "status": item.status,
        "status_text": message(status_text_key(item.status)),
        "distance_m": item.distance_m,
        "created_at": item.created_at,
        "supporters_count": item.supporters_count,
        "description": item.description,
        "address": item.address,
        "thumbnail_url": c.media_store.url(
            thumb.thumbnail_key, expires_in=c.media_policy.url_ttl_seconds
        )
        if thumb is not None
        else None,
    }


@blp.route("", methods=["POST"])
@auth_required(blp)
@blp.arguments(IdempotencyHeaderSchema(), location="headers")
@blp.arguments(ReportCreateSchema())
@blp.response(201, ReportReceiptSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create(headers, draft):
    """Submit a report: photos, description, location

    Upload the photos first (`POST /api/v1/media`) and send their ids. Without a location the
    first photo's GPS is used; without either the report is refused. A location more than
    500 m from the photo's GPS is accepted and flagged for the dispatcher. Send an
    `Idempotency-Key` header so a retry on a weak network cannot file the report twice: the
    same key and body answer with the first report (201 again), the same key with another
    body 409. At most 20 reports per person per hour (429 with `Retry-After`).
    """
    submitted = submit_report(
        db(), actor=actor(), draft=draft, settings=_settings(), idempotency_key=headers.get("key")
    )
    return _receipt(submitted)


@blp.route("/nearby")
@auth_required(blp)
@blp.arguments(NearbyQuerySchema(), location="query")
@blp.response(200, NearbyListSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def nearby(args):
    """Open reports near a point, to support one instead of filing again

    Open reports within 250 m from the last 30 days (both configurable), the given category
    first, then the nearest; at most 5. Nothing here names a reporter, and anonymous reports
    show no address.
    """
    items = nearby_reports(
        db(),
        lng=args["lng"],
        lat=args["lat"],
        coord=args["coord"],
        category_code=args.get("category"),
        policy=container().report_policy,
    )
    return {"items": [_nearby_item(item) for item in items]}


@blp.route("/<uuid:report_id>/support", methods=["POST"])
@auth_required(blp)
@blp.response(200, SupportStateSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def support(report_id: uuid.UUID):
    """Support a report ("me too") and follow its updates

    Counted once per person: calling again answers with the same state. Not for your own
    report, nor for one that is closed or was not accepted (409).
    """
    return support_report(db(), actor=actor(), report_id=report_id)
