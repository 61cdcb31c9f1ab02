"""Filters of the staff list and map, and the views of a report (staff and resident)."""

import datetime as dt

import marshmallow as ma
from marshmallow import validate

from api.resources.media.schemas import MediaSchema
from api.schemas import FullMatch, PageArgsSchema, page_schema, text
from services.models.reports import ReportSource, ReportStatus
from services.queries.reports import DEFAULT_SORT, SORTS, ReportFilter

_NUMBER = r"-?\d{1,3}(\.\d{1,12})?"
BBOX = FullMatch(rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$")
AREA_REF = FullMatch(
    r"^([0-9]{6,15}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
CATEGORY_CODE = FullMatch(r"^[0-9]{2}([0-9]{2})?$")


def _utc_representable(value: dt.datetime) -> dt.datetime:
    """Instants near datetime's limits (0001-01-01+01:00) have no UTC form to compare with."""
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ma.ValidationError("Not a valid datetime.") from None
    return value


def _aware(description: str) -> ma.fields.AwareDateTime:
    return ma.fields.AwareDateTime(
        default_timezone=None, validate=_utc_representable, metadata={"description": description}
    )


class ReportFilterArgsSchema(ma.Schema):
    """The filters shared by the list and the map; loads into ``{"filters": ReportFilter}``."""

    statuses = ma.fields.List(
        ma.fields.Enum(ReportStatus, by_value=True),
        data_key="status",
        validate=validate.Length(max=len(ReportStatus)),
        metadata={"description": "one or more statuses (repeat the parameter)"},
    )
    category = ma.fields.String(
        validate=CATEGORY_CODE,
        metadata={"description": "category code; a major class includes its minor classes"},
    )
    area = ma.fields.String(
        validate=AREA_REF,
        metadata={"description": "area id or code: its subtree (within my own scope)"},
    )
    department_id = ma.fields.UUID(data_key="department")
    sources = ma.fields.List(
        ma.fields.Enum(ReportSource, by_value=True),
        data_key="source",
        validate=validate.Length(max=len(ReportSource)),
    )
    created_from = _aware("created at or after (ISO 8601 with offset)")
    created_to = _aware("created before (ISO 8601 with offset)")
    bbox = ma.fields.String(
        validate=BBOX,
        metadata={
            "description": "min_lng,min_lat,max_lng,max_lat in WGS-84",
            "example": "118.20,33.90,118.35,34.00",
        },
    )
    overdue = ma.fields.Boolean()
    q = text(1, 64, metadata={"description": "text in the description, number or address"})
    sort = ma.fields.String(load_default=DEFAULT_SORT, validate=validate.OneOf(SORTS))

    @ma.validates("bbox")
    def _bbox_in_range(self, value: str, **_) -> None:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in value.split(","))
        if not all(-180 <= lng <= 180 for lng in (min_lng, max_lng)) or not all(
            -90 <= lat <= 90 for lat in (min_lat, max_lat)
        ):
            raise ma.ValidationError("Longitudes lie in [-180, 180], latitudes in [-90, 90].")

    @ma.post_load
    def _to_filter(self, data: dict, **_) -> dict:
        paging = {key: data.pop(key) for key in ("page", "page_size") if key in data}
        for many in ("statuses", "sources"):
            data[many] = tuple(data.get(many, ()))
        if "bbox" in data:
            data["bbox"] = tuple(float(part) for part in data["bbox"].split(","))
        return {"filters": ReportFilter(**data), **paging}


class ReportQuerySchema(ReportFilterArgsSchema, PageArgsSchema):
    pass


# ---- what staff see ----


class ReportCategorySchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class ReportAreaRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class ReportDepartmentRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class ReporterSchema(ma.Schema):
    """Who reported: dispatchers and admins only; anonymous reports: admins only."""

    id = ma.fields.UUID(required=True)
    display_name = ma.fields.String(required=True)
    phone_masked = ma.fields.String(
        allow_none=True, metadata={"example": "138****1234", "description": "never the full number"}
    )


class ReportListItemSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True, metadata={"example": "202611220001"})
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in ReportStatus]})
    source = ma.fields.String(required=True, metadata={"enum": [s.value for s in ReportSource]})
    category = ma.fields.Nested(ReportCategorySchema, required=True)
    urgency = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    address = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(required=True, metadata={"description": "WGS-84"})
    lng = ma.fields.Float(required=True, metadata={"description": "WGS-84"})
    location_mismatch = ma.fields.Boolean(required=True)
    grid = ma.fields.Nested(ReportAreaRefSchema, allow_none=True)
    area = ma.fields.Nested(
        ReportAreaRefSchema, allow_none=True, metadata={"description": "smallest enclosing area"}
    )
    locate_status = ma.fields.String(required=True)
    department = ma.fields.Nested(ReportDepartmentRefSchema, allow_none=True)
    anonymous = ma.fields.Boolean(required=True)
    reporter = ma.fields.Nested(ReporterSchema, allow_none=True)
    supporters_count = ma.fields.Integer(required=True)
    overdue = ma.fields.Boolean(required=True)
    filing_due_at = ma.fields.AwareDateTime(allow_none=True)
    disposal_due_at = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    thumbnail_url = ma.fields.String(allow_none=True, metadata={"description": "signed; expires"})
    photo_count = ma.fields.Integer(required=True)


class TimelineActorSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    display_name = ma.fields.String(required=True)


class ReportTimelineEntrySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    at = ma.fields.AwareDateTime(required=True)
    action = ma.fields.String(required=True)
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String(allow_none=True)
    actor_role = ma.fields.String(allow_none=True)
    actor = ma.fields.Nested(TimelineActorSchema, allow_none=True)
    note = ma.fields.String(allow_none=True, metadata={"description": "internal: staff only"})
    public_note = ma.fields.String(allow_none=True)


class DuplicateReportRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class ReportDuplicateLinkSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    relation = ma.fields.String(required=True, metadata={"enum": ["duplicate_of", "duplicated_by"]})
    report = ma.fields.Nested(DuplicateReportRefSchema, required=True)
    reason = ma.fields.String(required=True, metadata={"enum": ["nearby", "similar_photo"]})
    distance_m = ma.fields.Float(allow_none=True)
    status = ma.fields.String(required=True)


class ReportDetailSchema(ReportListItemSchema):
    coord_input = ma.fields.String(required=True)
    accuracy_m = ma.fields.Float(allow_none=True)
    location_source = ma.fields.String(required=True)
    mismatch_m = ma.fields.Float(allow_none=True)
    version = ma.fields.Integer(required=True)
    photos = ma.fields.List(ma.fields.Nested(MediaSchema), required=True)
    timeline = ma.fields.List(ma.fields.Nested(ReportTimelineEntrySchema), required=True)
    duplicates = ma.fields.List(
        ma.fields.Nested(ReportDuplicateLinkSchema),
        allow_none=True,
        metadata={"description": "dispatchers and admins; null for other staff"},
    )


ReportPageSchema = page_schema(ReportListItemSchema, "ReportPage")


class ReportFeaturePropertiesSchema(ma.Schema):
    id = ma.fields.String(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    created_at = ma.fields.String(required=True)
    overdue = ma.fields.Boolean(required=True)


class ReportFeatureSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "Feature"})
    id = ma.fields.String(required=True)
    geometry = ma.fields.Dict(required=True)
    properties = ma.fields.Nested(ReportFeaturePropertiesSchema, required=True)


class ReportFeatureCollectionSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "FeatureCollection"})
    features = ma.fields.List(ma.fields.Nested(ReportFeatureSchema), required=True)


# ---- what residents see of their own reports ----


class MyReportSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in ReportStatus]})
    status_text = ma.fields.String(
        required=True, metadata={"description": "the status in plain words", "example": "正在处理"}
    )
    category = ma.fields.Nested(ReportCategorySchema, required=True)
    description = ma.fields.String(required=True)
    address = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(required=True)
    lng = ma.fields.Float(required=True)
    anonymous = ma.fields.Boolean(required=True)
    supporters_count = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    thumbnail_url = ma.fields.String(allow_none=True)


class MyTimelineEntrySchema(ma.Schema):
    at = ma.fields.AwareDateTime(required=True)
    action = ma.fields.String(required=True)
    status = ma.fields.String(allow_none=True)
    status_text = ma.fields.String(allow_none=True)
    text = ma.fields.String(allow_none=True, metadata={"description": "what staff told you"})
    by = ma.fields.String(required=True, metadata={"example": "工作人员"})


class MyReportDetailSchema(MyReportSchema):
    photos = ma.fields.List(ma.fields.Nested(MediaSchema), required=True)
    timeline = ma.fields.List(ma.fields.Nested(MyTimelineEntrySchema), required=True)


MyReportPageSchema = page_schema(MyReportSchema, "MyReportPage")
