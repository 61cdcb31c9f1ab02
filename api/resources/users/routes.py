"""/api/v1/users: administrators manage accounts within their area."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.resources.users.schemas import (
    AdminUserSchema,
    UserCreateSchema,
    UserDisableSchema,
    UserPageSchema,
    UserQuerySchema,
    UserUpdateSchema,
)
from services import users
from services.models.accounts import Role
from services.queries.users import UserFilter, get_user_for, list_users

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="User administration")


@blp.route("")
@auth_required(blp, Role.ADMIN)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserPageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_all(args):
    """List users in my area, with filters and pagination"""
    page, size = args.pop("page"), args.pop("page_size")
    return list_users(db(), actor(), UserFilter(**args), page=page, page_size=size)


@blp.route("", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(UserCreateSchema)
@blp.response(201, AdminUserSchema)
def create(body):
    """Create a staff account bound to an area or a department"""
    username = body.pop("username")
    changes = users.UserChanges(**{**body, "roles": frozenset(body["roles"])})
    return users.create_user(
        db(), actor=actor(), hasher=container().auth.hasher, username=username, changes=changes
    )


@blp.route("/<uuid:user_id>")
@auth_required(blp, Role.ADMIN)
@blp.response(200, AdminUserSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(user_id: uuid.UUID):
    """One user"""
    return get_user_for(db(), actor(), user_id)


@blp.route("/<uuid:user_id>", methods=["PATCH"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(UserUpdateSchema)
@blp.response(200, AdminUserSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update(body, user_id: uuid.UUID):
    """Change a user's roles, area, department, phone, name, language or password"""
    if "roles" in body:
        body["roles"] = frozenset(body["roles"])
    return users.update_user(
        db(),
        actor=actor(),
        hasher=container().auth.hasher,
        user_id=user_id,
        changes=users.UserChanges(**body),
    )


@blp.route("/<uuid:user_id>/disable", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(UserDisableSchema)
@blp.response(200, AdminUserSchema)
@blp.alt_response(404, response="NOT_FOUND")
def disable(body, user_id: uuid.UUID):
    """Disable a user: every session ends at once"""
    return users.set_user_active(db(), actor=actor(), user_id=user_id, active=False, **body)


@blp.route("/<uuid:user_id>/enable", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.response(200, AdminUserSchema)
@blp.alt_response(404, response="NOT_FOUND")
def enable(user_id: uuid.UUID):
    """Enable a disabled user and lift any login lock"""
    return users.set_user_active(db(), actor=actor(), user_id=user_id, active=True)
