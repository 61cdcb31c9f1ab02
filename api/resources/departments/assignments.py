"""Grid assignments: which workers serve which grids."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.resources.departments.assignment_schemas import (
    AssignmentCreateSchema,
    MyGridSchema,
    PostingPageSchema,
    PostingSchema,
    WorkerQuerySchema,
)
from services import assignments
from services.models.accounts import Role
from services.queries.assignments import list_area_workers, list_my_grids

blp = Blueprint(
    "assignments", __name__, url_prefix="/api/v1", description="Grid workers and their grids"
)

_MANAGERS = (Role.ADMIN, Role.DISPATCHER)


@blp.route("/areas/<uuid:area_id>/workers")
@auth_required(blp)
@blp.arguments(WorkerQuerySchema, location="query")
@blp.response(200, PostingPageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_workers(args, area_id: uuid.UUID):
    """Workers on duty in a grid, or in every grid below an area"""
    return list_area_workers(db(), actor(), area_id, **args)


@blp.route("/areas/<uuid:area_id>/workers", methods=["POST"])
@auth_required(blp, *_MANAGERS)
@blp.arguments(AssignmentCreateSchema)
@blp.response(201, PostingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def assign(body, area_id: uuid.UUID):
    """Put a grid worker on duty in a grid (reopens an ended assignment)"""
    return assignments.assign_worker(db(), actor=actor(), area_id=area_id, **body)


@blp.route("/areas/<uuid:area_id>/workers/<uuid:user_id>", methods=["DELETE"])
@auth_required(blp, *_MANAGERS)
@blp.response(200, PostingSchema)
@blp.alt_response(404, response="NOT_FOUND")
def end(area_id: uuid.UUID, user_id: uuid.UUID):
    """End a worker's assignment to a grid (the record is kept)"""
    return assignments.end_assignment(db(), actor=actor(), area_id=area_id, user_id=user_id)


@blp.route("/me/grids")
@auth_required(blp, Role.GRID_WORKER)
@blp.response(200, MyGridSchema(many=True))
def my_grids():
    """My grids: where I am on duty"""
    return list_my_grids(db(), actor())
