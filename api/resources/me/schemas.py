"""How a user is shown to themselves and to administrators."""

import marshmallow as ma

from api.schemas import AreaRefSchema, DepartmentRefSchema, locale_field, name_field
from services.phones import mask_phone


class UserSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    username = ma.fields.String(allow_none=True)
    display_name = ma.fields.String(required=True)
    phone = ma.fields.Function(
        lambda u: mask_phone(u.phone),
        allow_none=True,
        metadata={"type": "string", "description": "masked, e.g. 138****5678"},
    )
    roles = ma.fields.Function(
        lambda u: sorted(u.roles), metadata={"type": "array", "items": {"type": "string"}}
    )
    area = ma.fields.Nested(AreaRefSchema, allow_none=True)
    department = ma.fields.Nested(DepartmentRefSchema, allow_none=True)
    locale = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)
    last_login_at = ma.fields.DateTime(allow_none=True)


class MeUpdateSchema(ma.Schema):
    display_name = name_field(50)
    locale = locale_field()
