"""Locating points in grids: which grid (and which street, district …) is this point in?"""

import functools

from flask import request
from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import container, db
from api.resources.areas.locate_schemas import (
    LocateBatchResultSchema,
    LocateBatchSchema,
    LocateQuerySchema,
    LocationResponseSchema,
)
from services.locating import MAX_BATCH, PointIn, locate_point, locate_points

blp = Blueprint(
    "locate", __name__, url_prefix="/api/v1/areas", description="Locate points in grids"
)

# A full batch with labels may exceed the app-wide body limit; allow this much per point.
_BYTES_PER_POINT = 200


def _body_limit(view):
    """Raise the body limit for this view (before its arguments are read)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        configured = container().config.max_body_bytes
        request.max_content_length = max(configured, MAX_BATCH * _BYTES_PER_POINT)
        return view(*args, **kwargs)

    return wrapper


@blp.route("/locate")
@auth_required(blp)
# Schema instances, not classes: webargs would otherwise build a schema on every request.
@blp.arguments(LocateQuerySchema(), location="query")
@blp.response(200, LocationResponseSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def locate_one(args):
    """Locate one point: its grid and the areas above it

    Coordinates default to GCJ-02, which is what WeChat's `wx.getLocation` (type `gcj02`) and
    Chinese map SDKs give; pass `coord=wgs84` for raw GPS or `coord=bd09` for Baidu. Any
    signed-in user may locate.
    """
    return locate_point(db(), locator=container().locator, **args)


@blp.route("/locate", methods=["POST"])
@auth_required(blp)
@_body_limit
@blp.arguments(LocateBatchSchema())
@blp.response(200, LocateBatchResultSchema)
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def locate_batch(body):
    """Locate up to 10,000 points at once, answers in the order sent

    `coord` defaults to GCJ-02 as for one point. Each answer echoes its point's `ref`. More than
    10,000 points are refused with 422; the body may be up to 2,000,000 bytes (or the server's
    ONEGRID_MAX_BODY_BYTES if larger).
    """
    points = [PointIn(**point) for point in body["points"]]
    results = locate_points(db(), locator=container().locator, points=points, coord=body["coord"])
    return {"results": results}
