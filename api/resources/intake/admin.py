"""Administration of intake: sources with their API keys, and the category mappings."""

from __future__ import annotations

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.resources.intake.routes import key_secret
from api.resources.intake.schemas import (
    IntakeSourceCreateSchema,
    IntakeSourceKeySchema,
    IntakeSourceListSchema,
    IntakeSourceSchema,
    MappingCreateSchema,
    MappingListSchema,
    MappingQuerySchema,
    MappingSchema,
)
from services import category_mapping, intake_sources
from services.models.accounts import Role

blp = Blueprint(
    "intake_admin",
    __name__,
    url_prefix="/api/v1/intake",
    description="Intake administration: sources, API keys, category mappings",
)


def _source(source, area, api_key: str | None = None) -> dict:
    body = {
        "id": source.id,
        "name": source.name,
        "source": source.source.value,
        "area_code": area.code,
        "key_prefix": source.key_prefix,
        "active": source.active,
        "created_at": source.created_at,
    }
    if api_key is not None:
        body["api_key"] = api_key
    return body


@blp.route("/sources", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(IntakeSourceCreateSchema)
@blp.response(201, IntakeSourceKeySchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_source(body):
    """Register an external source in my area; its API key is shown only in this answer"""
    source, area, key = intake_sources.create_source(
        db(), actor=actor(), key_secret=key_secret(), **body
    )
    return _source(source, area, key)


@blp.route("/sources")
@auth_required(blp, Role.ADMIN)
@blp.response(200, IntakeSourceListSchema)
def list_sources():
    """List the sources of my area (key prefixes only)"""
    return {"items": [_source(s, a) for s, a in intake_sources.list_sources(db(), actor())]}


@blp.route("/sources/<uuid:source_id>/rotate-key", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.response(200, IntakeSourceKeySchema)
@blp.alt_response(404, response="NOT_FOUND")
def rotate_key(source_id: uuid.UUID):
    """Replace a source's API key: the old key stops working at once"""
    source, area, key = intake_sources.rotate_key(
        db(), actor=actor(), source_id=source_id, key_secret=key_secret()
    )
    return _source(source, area, key)


@blp.route("/sources/<uuid:source_id>/deactivate", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.response(200, IntakeSourceSchema)
@blp.alt_response(404, response="NOT_FOUND")
def deactivate_source(source_id: uuid.UUID):
    """Deactivate a source: its key is refused from now on; its cases stay"""
    source, area = intake_sources.deactivate_source(db(), actor=actor(), source_id=source_id)
    return _source(source, area)


@blp.route("/mappings")
@auth_required(blp, Role.ADMIN)
@blp.arguments(MappingQuerySchema, location="query")
@blp.response(200, MappingListSchema)
def list_mappings(args):
    """List the active category mappings, in the order they are tried"""
    return {"items": category_mapping.list_mappings(db(), actor(), **args)}


@blp.route("/mappings", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(MappingCreateSchema)
@blp.response(201, MappingSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_mapping(body):
    """Map a keyword of external events' text to a category

    Global mappings (no `source_id`) are for platform administrators; a source's own mappings
    for the administrators of its area. A source's own mappings are tried before global
    ones; within each, smaller `priority` first, then the longer pattern.
    """
    return category_mapping.create_mapping(db(), actor=actor(), **body)


@blp.route("/mappings/<uuid:mapping_id>", methods=["DELETE"])
@auth_required(blp, Role.ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def delete_mapping(mapping_id: uuid.UUID):
    """Retire a category mapping"""
    category_mapping.delete_mapping(db(), actor=actor(), mapping_id=mapping_id)
