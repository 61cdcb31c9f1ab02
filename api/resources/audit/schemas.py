"""Audit entries and their filters."""

import marshmallow as ma
from marshmallow import validate

from api.schemas import PageArgsSchema, page_schema


class AuditEntrySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    at = ma.fields.DateTime(required=True)
    actor_id = ma.fields.UUID(allow_none=True)
    actor_label = ma.fields.String(required=True)
    action = ma.fields.String(required=True)
    object_type = ma.fields.String(required=True)
    object_id = ma.fields.String(allow_none=True)
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)
    request_id = ma.fields.String(allow_none=True)
    ip = ma.fields.String(allow_none=True)


class AuditQuerySchema(PageArgsSchema):
    actor_id = ma.fields.UUID()
    action = ma.fields.String(
        validate=validate.Regexp(r"^[a-z_.]{1,64}$"),
        metadata={"description": "exact action, or a prefix such as 'login'"},
    )
    object_type = ma.fields.String(validate=validate.Regexp(r"^[a-z_]{1,32}$"))
    object_id = ma.fields.String(validate=validate.Length(min=1, max=64))
    request_id = ma.fields.String(validate=validate.Length(min=1, max=64))
    since = ma.fields.AwareDateTime(default_timezone=None)
    until = ma.fields.AwareDateTime(default_timezone=None)


AuditPageSchema = page_schema(AuditEntrySchema, "AuditPage")
