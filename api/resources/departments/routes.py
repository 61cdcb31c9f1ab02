"""Departments: the responsible units (directory for all staff, administration for admins)."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.resources.departments.schemas import (
    DepartmentCreateSchema,
    DepartmentPageSchema,
    DepartmentQuerySchema,
    DepartmentSchema,
    DepartmentUpdateSchema,
)
from services import departments
from services.models.accounts import Role
from services.queries.departments import DepartmentFilter, get_department_for, list_departments

blp = Blueprint(
    "departments", __name__, url_prefix="/api/v1/departments", description="Departments"
)


@blp.route("")
@auth_required(blp)
@blp.arguments(DepartmentQuerySchema, location="query")
@blp.response(200, DepartmentPageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_all(args):
    """List departments (any staff), by jurisdiction area, text or state"""
    page, size = args.pop("page"), args.pop("page_size")
    return list_departments(db(), actor(), DepartmentFilter(**args), page=page, page_size=size)


@blp.route("", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(DepartmentCreateSchema)
@blp.response(201, DepartmentSchema)
@blp.alt_response(409, response="CONFLICT")
def create(body):
    """Create a department with jurisdiction in my area"""
    return departments.create_department(db(), actor=actor(), **body)


@blp.route("/<uuid:department_id>")
@auth_required(blp)
@blp.response(200, DepartmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(department_id: uuid.UUID):
    """One department"""
    return get_department_for(db(), actor(), department_id)


@blp.route("/<uuid:department_id>", methods=["PATCH"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(DepartmentUpdateSchema)
@blp.response(200, DepartmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update(body, department_id: uuid.UUID):
    """Change a department's name, phone or jurisdiction"""
    changes = departments.DepartmentChanges(**body)
    return departments.update_department(
        db(), actor=actor(), department_id=department_id, changes=changes
    )


@blp.route("/<uuid:department_id>/deactivate", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.response(200, DepartmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def deactivate(department_id: uuid.UUID):
    """Deactivate a department: it receives no new work; its handlers stay bound to it"""
    return departments.set_department_active(
        db(), actor=actor(), department_id=department_id, active=False
    )


@blp.route("/<uuid:department_id>/activate", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.response(200, DepartmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def activate(department_id: uuid.UUID):
    """Reactivate a department so it can receive work again"""
    return departments.set_department_active(
        db(), actor=actor(), department_id=department_id, active=True
    )
