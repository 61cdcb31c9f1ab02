"""The event catalogue: public reading for the mini-program, administration for admins."""

import functools
from collections.abc import Callable

from flask import request
from flask_smorest import Blueprint

from api.auth import BEARER, auth_required, load_actor
from api.context import actor, db
from api.resources.categories.schemas import (
    CatalogueQuerySchema,
    CatalogueSchema,
    CategoryCreateSchema,
    CategoryNodeSchema,
    CategorySchema,
    CategoryUpdateSchema,
    OverrideSchema,
    OverrideSetSchema,
)
from services import catalogue
from services.models.accounts import Role
from services.queries.catalogue import (
    CategoryFilter,
    catalogue_tree,
    category_detail,
    list_overrides,
)

blp = Blueprint(
    "categories", __name__, url_prefix="/api/v1/categories", description="Event catalogue"
)


def optional_auth(view: Callable) -> Callable:
    """Public, but a bearer token that is sent is checked (401 if it is bad) and identifies the
    caller, for the parts only administrators see."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("Authorization"):
            load_actor()
        return view(*args, **kwargs)

    wrapper = blp.doc(security=[{}, *BEARER])(wrapper)
    wrapper = blp.alt_response(401, response="UNAUTHORIZED")(wrapper)
    return blp.alt_response(403, response="FORBIDDEN")(wrapper)


@blp.route("")
@optional_auth
@blp.arguments(CatalogueQuerySchema, location="query")
@blp.response(200, CatalogueSchema)
def tree(args):
    """The catalogue: major classes with their minor classes (public)

    No token needed. `include_inactive=true` also lists deactivated categories and empty major
    classes; it needs an administrator's bearer token (401 without one, 403 for other users).
    """
    return {"items": catalogue_tree(db(), actor(), CategoryFilter(**args))}


@blp.route("", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(CategoryCreateSchema)
@blp.response(201, CategorySchema)
@blp.alt_response(409, response="CONFLICT")
def create(body):
    """Add a major or minor class (platform administrators)"""
    code, parent_code = body.pop("code"), body.pop("parent_code")
    changes = catalogue.CategoryChanges(**body)
    return catalogue.create_category(
        db(), actor=actor(), code=code, parent_code=parent_code, changes=changes
    )


@blp.route("/<code>")
@blp.response(200, CategoryNodeSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(code: str):
    """One category, with a major class's active minor classes (public)"""
    return category_detail(db(), code)


@blp.route("/<code>", methods=["PATCH"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(CategoryUpdateSchema)
@blp.response(200, CategorySchema)
@blp.alt_response(404, response="NOT_FOUND")
def update(body, code: str):
    """Change a category's names, department, limits, flags or order (platform administrators)"""
    return catalogue.update_category(
        db(), actor=actor(), code=code, changes=catalogue.CategoryChanges(**body)
    )


@blp.route("/<code>/overrides")
@auth_required(blp, Role.ADMIN)
@blp.response(200, OverrideSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def overrides(code: str):
    """A category's departments per area, within my area"""
    return list_overrides(db(), actor(), code)


@blp.route("/<code>/overrides/<area_code>", methods=["PUT"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(OverrideSetSchema)
@blp.response(200, OverrideSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def set_override(body, code: str, area_code: str):
    """Send this category to another department within an area (deepest area wins)"""
    return catalogue.set_override(db(), actor=actor(), code=code, area_code=area_code, **body)


@blp.route("/<code>/overrides/<area_code>", methods=["DELETE"])
@auth_required(blp, Role.ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def remove_override(code: str, area_code: str):
    """Remove an area's department for this category"""
    catalogue.remove_override(db(), actor=actor(), code=code, area_code=area_code)
