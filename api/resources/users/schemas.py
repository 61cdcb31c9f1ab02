"""Bodies and filters of the user administration endpoints."""

import marshmallow as ma
from marshmallow import validate

from api.resources.me.schemas import UserSchema
from api.schemas import (
    FullMatch,
    PageArgsSchema,
    locale_field,
    name_field,
    page_schema,
    password_field,
    text,
)
from services.models.accounts import Role

USERNAME = FullMatch(r"^[A-Za-z0-9_.-]{3,64}$")
CODE = FullMatch(r"^[0-9A-Za-z_-]{1,32}$")


def _roles(**kwargs):
    return ma.fields.List(
        ma.fields.Enum(Role, by_value=True), validate=validate.Length(min=1, max=6), **kwargs
    )


class AdminUserSchema(UserSchema):
    is_active = ma.fields.Boolean(required=True)
    disabled_reason = ma.fields.String(allow_none=True)
    locked_until = ma.fields.DateTime(allow_none=True)


class UserCreateSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=USERNAME, metadata={"example": "wang.wu"})
    password = password_field(required=True, metadata={"example": "Passw0rd-2026"})
    roles = _roles(required=True, metadata={"example": ["grid_worker"]})
    display_name = name_field(50, metadata={"example": "王五"})
    area_code = ma.fields.String(
        allow_none=True, validate=CODE, metadata={"example": "321302001001001"}
    )
    department_code = ma.fields.String(
        allow_none=True, validate=CODE, metadata={"example": "SCQ-CG"}
    )
    phone = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=5, max=32),
        metadata={"example": "13812345678"},
    )
    locale = locale_field(metadata={"example": "zh-CN"})


class UserUpdateSchema(ma.Schema):
    display_name = name_field(50, metadata={"example": "王五"})
    password = password_field()
    roles = _roles(metadata={"example": ["dispatcher"]})
    area_code = ma.fields.String(allow_none=True, validate=CODE, metadata={"example": "321302001"})
    department_code = ma.fields.String(allow_none=True, validate=CODE)
    phone = ma.fields.String(allow_none=True, validate=validate.Length(min=5, max=32))
    locale = locale_field()


class UserDisableSchema(ma.Schema):
    reason = text(1, 200, required=True)


class UserQuerySchema(PageArgsSchema):
    role = ma.fields.Enum(Role, by_value=True)
    area_code = ma.fields.String(validate=CODE, metadata={"description": "area and its subtree"})
    department_code = ma.fields.String(validate=CODE)
    active = ma.fields.Boolean()
    q = text(1, 64, metadata={"description": "part of the username or display name"})


UserPageSchema = page_schema(AdminUserSchema, "UserPage")
