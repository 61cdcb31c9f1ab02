"""Arguments and answers of intake: events from external sources, sources, category mappings."""

import marshmallow as ma
from marshmallow import validate

from api.resources.reports.submit_schemas import Trimmed
from api.schemas import NO_CONTROL_CHARS, FullMatch, encodable
from services.geo.coords import Coord
from services.intake import IntakeDraft, IntakeLocation
from services.intake_sources import INTAKE_SOURCES
from services.models.catalogue import Urgency

# The source's own case id: printable ASCII without spaces or "/", so it can sit in a URL path.
EXTERNAL_ID = FullMatch(r"^[!-.0-~]{1,64}$")
SOURCE_NAME = FullMatch(r"^[a-z0-9][a-z0-9-]{1,31}$")
SOURCE_KINDS = [s.value for s in INTAKE_SOURCES]


class IntakeLocationSchema(ma.Schema):
    lat = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-90, max=90))
    lng = ma.fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=-180, max=180)
    )
    coord = ma.fields.Enum(
        Coord,
        by_value=True,
        load_default=Coord.WGS84,
        metadata={"description": "`wgs84` (default), `gcj02` or `bd09`"},
    )

    @ma.post_load
    def make(self, data, **kwargs):
        return IntakeLocation(**data)


class IntakeEventCreateSchema(ma.Schema):
    external_id = ma.fields.String(
        required=True,
        validate=EXTERNAL_ID,
        metadata={
            "description": "the source's own id of the event, 1–64 printable ASCII characters "
            "without spaces or slashes; makes delivery idempotent",
            "example": "12345-0001",
        },
    )
    category_code = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=16),
        metadata={"description": "a minor class's code, if the source knows it"},
    )
    text = Trimmed(
        allow_none=True,
        validate=[validate.Length(min=1, max=200), NO_CONTROL_CHARS, encodable],
        metadata={
            "description": "the source's own classification or keywords, mapped through the "
            "category mappings (else 5699 Other); needed when category_code is absent"
        },
    )
    description = Trimmed(
        required=True,
        validate=[validate.Length(min=1, max=2000), NO_CONTROL_CHARS, encodable],
        metadata={"description": "what is wrong, 1–2000 characters after trimming"},
    )
    location = ma.fields.Nested(IntakeLocationSchema, allow_none=True)
    address = Trimmed(
        allow_none=True,
        validate=[validate.Length(min=1, max=200), NO_CONTROL_CHARS, encodable],
        metadata={"description": "geocoded when no location is sent"},
    )
    caller_phone = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "the caller's mainland mobile number; stored, shown masked"},
    )
    occurred_at = ma.fields.AwareDateTime(allow_none=True, format="iso")
    urgency = ma.fields.Enum(Urgency, by_value=True, allow_none=True)

    @ma.validates_schema
    def _complete(self, data, **kwargs):
        errors = {}
        if data.get("location") is None and not data.get("address"):
            errors["location"] = ["Give coordinates or an address."]
        if not data.get("category_code") and not data.get("text"):
            errors["text"] = ["Give a category code or the event's text."]
        if errors:
            raise ma.ValidationError(errors)

    @ma.post_load
    def make(self, data, **kwargs):
        return IntakeDraft(**data)


class IntakeReceiptSchema(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "the case"})
    number = ma.fields.String(required=True)
    external_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    category_code = ma.fields.String(required=True)
    locate_status = ma.fields.String(required=True)
    caller_phone = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "masked"}
    )
    suspected_duplicates = ma.fields.Integer(required=True)
    replayed = ma.fields.Boolean(
        required=True, metadata={"description": "true: an earlier delivery made this case"}
    )


class IntakeEventStatusSchema(ma.Schema):
    external_id = ma.fields.String(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_text = ma.fields.String(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    merged_into = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "number of the case this one was merged into"},
    )
    closed_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class IntakeSourceCreateSchema(ma.Schema):
    name = ma.fields.String(
        required=True,
        validate=SOURCE_NAME,
        metadata={"description": "2–32 lowercase letters, digits, hyphens", "example": "hotline"},
    )
    source = ma.fields.String(required=True, validate=validate.OneOf(SOURCE_KINDS))
    area_code = ma.fields.String(
        required=True,
        validate=FullMatch(r"^\d{6}(\d{3}){0,3}$"),
        metadata={"description": "events located outside this area are refused"},
    )


class IntakeSourceSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    source = ma.fields.String(required=True)
    area_code = ma.fields.String(required=True)
    key_prefix = ma.fields.String(
        required=True, metadata={"description": "the key's first 12 characters"}
    )
    active = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class IntakeSourceKeySchema(IntakeSourceSchema):
    api_key = ma.fields.String(
        required=True,
        metadata={"description": "send as `X-Api-Key`; shown only now, store it safely"},
    )


class IntakeSourceListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(IntakeSourceSchema), required=True)


class MappingQuerySchema(ma.Schema):
    source_id = ma.fields.UUID(metadata={"description": "only this source's own mappings"})


class MappingCreateSchema(ma.Schema):
    pattern = Trimmed(
        required=True,
        validate=[validate.Length(min=1, max=100), NO_CONTROL_CHARS, encodable],
        metadata={"description": "a keyword matched as a substring (case-insensitive)"},
    )
    category_code = ma.fields.String(required=True, validate=validate.Length(min=1, max=16))
    priority = ma.fields.Integer(
        load_default=100,
        validate=validate.Range(min=0, max=10_000),
        metadata={"description": "smaller first"},
    )
    source_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "absent: a global mapping"}
    )


class MappingSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    pattern = ma.fields.String(required=True)
    category_code = ma.fields.String(required=True)
    priority = ma.fields.Integer(required=True)
    source_id = ma.fields.UUID(allow_none=True, required=True)


class MappingListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MappingSchema), required=True)
