"""Audit entries and their filters."""

import datetime as dt

import marshmallow as ma

from api.schemas import FullMatch, PageArgsSchema, page_schema, text


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


def _utc_representable(value: dt.datetime) -> dt.datetime:
    """Instants near datetime's limits (0001-01-01+01:00) have no UTC form to compare with."""
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ma.ValidationError("Not a valid datetime.") from None
    return value


class AuditQuerySchema(PageArgsSchema):
    actor_id = ma.fields.UUID()
    action = ma.fields.String(
        validate=FullMatch(r"^[a-z_.]{1,64}$"),
        metadata={"description": "exact action, or a prefix such as 'login'"},
    )
    object_type = ma.fields.String(validate=FullMatch(r"^[a-z_]{1,32}$"))
    # text(): a NUL byte would reach PostgreSQL, which refuses it with an error, not an empty page.
    object_id = text(1, 64)
    request_id = text(1, 64)
    since = ma.fields.AwareDateTime(default_timezone=None, validate=_utc_representable)
    until = ma.fields.AwareDateTime(default_timezone=None, validate=_utc_representable)


AuditPageSchema = page_schema(AuditEntrySchema, "AuditPage")
