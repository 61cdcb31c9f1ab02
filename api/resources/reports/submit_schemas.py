"""Arguments and answers of submitting a report, nearby reports and support."""

import marshmallow as ma
from marshmallow import validate

from api.resources.media.schemas import MediaSchema
from api.schemas import FullMatch, encodable
from services.geo.coords import Coord
from services.models.reports import LocationSource, ReportSource, ReportStatus
from services.reports import LocationIn, ReportDraft

MAX_MEDIA = 9
COORD_HELP = (
    "coordinate system of the input: `gcj02` (default; WeChat's `wx.getLocation` and Chinese "
    "map SDKs), `bd09` (Baidu) or `wgs84` (GPS)"
)
# Printable ASCII (space to tilde), 1-128 characters: what a client generates (UUIDs …).
IDEMPOTENCY_KEY = FullMatch(r"^[\x20-\x7e]{1,128}$")
# Newlines and tabs are allowed in a description; other control characters are not.
_DESCRIPTION_CHARS = FullMatch(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


class Trimmed(ma.fields.String):
    """A string with surrounding whitespace removed before validation."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _lat():
    return ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "latitude, degrees", "example": 33.9631},
    )


def _lng():
    return ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "longitude, degrees", "example": 118.2755},
    )


def _coord():
    return ma.fields.Enum(
        Coord, by_value=True, load_default=Coord.GCJ02, metadata={"description": COORD_HELP}
    )


class IdempotencyHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    key = ma.fields.String(
        data_key="Idempotency-Key",
        validate=[IDEMPOTENCY_KEY, encodable],
        metadata={
            "description": "1–128 printable ASCII characters (a UUID is ideal). A retry with "
            "the same key and body gets the first answer; the same key with another body 409."
        },
    )


class ReportLocationSchema(ma.Schema):
    lat = _lat()
    lng = _lng()
    coord = _coord()
    accuracy_m = ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=100_000),
        metadata={"description": "the device's accuracy radius, metres"},
    )

    @ma.post_load
    def make(self, data, **kwargs):
        return LocationIn(**data)


class ReportCreateSchema(ma.Schema):
    category_code = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=16),
        metadata={
            "description": "a minor class's code; absent or null: 5699 (Other), for residents "
            "who do not know",
            "example": "0101",
        },
    )
    description = Trimmed(
        required=True,
        validate=[validate.Length(min=1, max=2000), _DESCRIPTION_CHARS, encodable],
        metadata={"description": "what is wrong, 1–2000 characters after trimming"},
    )
    location = ma.fields.Nested(
        ReportLocationSchema,
        allow_none=True,
        metadata={
            "description": "where; absent: the first photo's GPS, and without one the report "
            "is refused (422 location_required)"
        },
    )
    address = Trimmed(
        allow_none=True,
        validate=[validate.Length(max=200), _DESCRIPTION_CHARS, encodable],
        metadata={"description": "the address as the reporter describes it, ≤ 200 characters"},
    )
    media_ids = ma.fields.List(
        ma.fields.UUID(),
        required=True,
        validate=validate.Length(min=1, max=MAX_MEDIA),
        metadata={
            "description": "1–9 distinct ids of your own unattached photos (POST /media), "
            "in display order",
            "maxItems": MAX_MEDIA,
            "uniqueItems": True,
        },
    )
    anonymous = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "hide who reported from everyone but administrators"},
    )
    source = ma.fields.Enum(
        ReportSource,
        by_value=True,
        allow_none=True,
        metadata={
            "description": "`mini_program` (default) or `app`; grid workers may say `patrol`. "
            "Other sources are recorded by staff intake and refused here."
        },
    )

    @ma.post_load
    def make(self, data, **kwargs):
        if data.get("address") == "":
            data["address"] = None
        return ReportDraft(**data)


class CategoryNamesSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name_zh = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)


class ReceiptGridSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class ReportPlaceSchema(ma.Schema):
    lat = ma.fields.Float(required=True, metadata={"description": "WGS-84"})
    lng = ma.fields.Float(required=True, metadata={"description": "WGS-84"})
    coord = ma.fields.String(required=True, metadata={"example": "wgs84"})
    source = ma.fields.Enum(
        LocationSource,
        by_value=True,
        required=True,
        metadata={"description": "`device`: as sent; `exif`: the first photo's GPS"},
    )
    accuracy_m = ma.fields.Float(allow_none=True, required=True)


class ReportReceiptSchema(ma.Schema):
    """What the reporter gets back: the same for a retry with the same Idempotency-Key."""

    id = ma.fields.UUID(required=True)
    number = ma.fields.String(
        required=True,
        metadata={"description": "YYYYMMDDNNNN (Asia/Shanghai day, per-day sequence)"},
    )
    status = ma.fields.Enum(ReportStatus, by_value=True, required=True)
    status_text = ma.fields.String(required=True, metadata={"description": "plain language"})
    source = ma.fields.Enum(ReportSource, by_value=True, required=True)
    category = ma.fields.Nested(CategoryNamesSchema, required=True)
    description = ma.fields.String(required=True)
    address = ma.fields.String(allow_none=True, required=True)
    location = ma.fields.Nested(ReportPlaceSchema, required=True)
    location_mismatch = ma.fields.Boolean(
        required=True,
        metadata={"description": "the given location and the photo's GPS are far apart"},
    )
    grid = ma.fields.Nested(ReceiptGridSchema, allow_none=True, required=True)
    filing_due_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    anonymous = ma.fields.Boolean(required=True)
    media = ma.fields.List(ma.fields.Nested(MediaSchema), required=True)
    suspected_duplicates = ma.fields.Integer(
        required=True, metadata={"description": "earlier open reports linked as possible originals"}
    )
    created_at = ma.fields.AwareDateTime(required=True)


class NearbyQuerySchema(ma.Schema):
    lat = _lat()
    lng = _lng()
    coord = _coord()
    category = ma.fields.String(
        validate=validate.Length(min=1, max=16),
        metadata={"description": "a category code: its reports come first"},
    )


class NearbyCategorySchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "in the caller's language"})


class NearbyReportSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    category = ma.fields.Nested(NearbyCategorySchema, required=True)
    status = ma.fields.Enum(ReportStatus, by_value=True, required=True)
    status_text = ma.fields.String(required=True)
    distance_m = ma.fields.Float(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    supporters_count = ma.fields.Integer(required=True)
    description = ma.fields.String(
        required=True, metadata={"description": "the first 80 characters"}
    )
    address = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "null for anonymous reports"}
    )
    thumbnail_url = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "the first photo; expires"}
    )


class NearbyListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NearbyReportSchema), required=True)


class SupportStateSchema(ma.Schema):
    report_id = ma.fields.UUID(required=True)
    supporters_count = ma.fields.Integer(required=True)
    supported = ma.fields.Boolean(required=True)
