"""Areas: the responsibility map from city to grid.

Everyone signed in may read the map; administrators change it within their area.
"""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.resources.areas.schemas import (
    AreaChildrenQuerySchema,
    AreaCreateSchema,
    AreaDetailSchema,
    AreaFeatureCollectionSchema,
    AreaGeoJsonQuerySchema,
    AreaPageSchema,
    AreaQuerySchema,
    AreaRetireSchema,
    AreaUpdateSchema,
    AreaWrittenSchema,
)
from services import areas
from services.models.accounts import Role
from services.queries.area_geojson import subtree_geojson
from services.queries.areas import AreaFilter, get_area_detail, list_areas, list_children

blp = Blueprint("areas", __name__, url_prefix="/api/v1/areas", description="Areas and grids")


@blp.route("")
@auth_required(blp)
@blp.arguments(AreaQuerySchema, location="query")
@blp.response(200, AreaPageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_all(args):
    """List areas by level, parent, code prefix or name"""
    page, size = args.pop("page"), args.pop("page_size")
    return list_areas(db(), AreaFilter(**args), page=page, page_size=size)


@blp.route("", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(AreaCreateSchema)
@blp.response(201, AreaWrittenSchema)
def create(body):
    """Create an area under a parent in my area (a city: platform administrators only)"""
    return areas.create_area(db(), actor=actor(), **body)


@blp.route("/<uuid:area_id>")
@auth_required(blp)
@blp.response(200, AreaDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(area_id: uuid.UUID):
    """One area with its boundary, its ancestors and how many sub-areas it has"""
    return get_area_detail(db(), area_id)


@blp.route("/<uuid:area_id>", methods=["PATCH"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(AreaUpdateSchema)
@blp.response(200, AreaWrittenSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def update(body, area_id: uuid.UUID):
    """Rename an area or replace its boundary"""
    return areas.update_area(db(), actor=actor(), area_id=area_id, **body)


@blp.route("/<uuid:area_id>/retire", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(AreaRetireSchema)
@blp.response(200, AreaDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def retire(body, area_id: uuid.UUID):
    """Retire an area (and, with cascade, its sub-areas); its history stays"""
    return areas.retire_area(db(), actor=actor(), area_id=area_id, **body)


@blp.route("/<uuid:area_id>/children")
@auth_required(blp)
@blp.arguments(AreaChildrenQuerySchema, location="query")
@blp.response(200, AreaPageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def children(args, area_id: uuid.UUID):
    """The sub-areas one level down"""
    return list_children(db(), area_id, **args)


@blp.route("/<uuid:area_id>/geojson")
@auth_required(blp)
@blp.arguments(AreaGeoJsonQuerySchema, location="query")
@blp.response(200, AreaFeatureCollectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
def geojson(args, area_id: uuid.UUID):
    """The area and its subtree as a GeoJSON FeatureCollection (WGS-84)"""
    limit = container().config.areas_geojson_max_features
    return subtree_geojson(db(), area_id, depth=args["depth"], max_features=limit)
