"""Bodies and replies of the grid assignment endpoints."""

import marshmallow as ma

from api.schemas import AreaRefSchema, PageArgsSchema, page_schema
from services.models.areas import GridDuty
from services.phones import mask_phone


class WorkerRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    username = ma.fields.String(allow_none=True)
    display_name = ma.fields.String(required=True)
    phone = ma.fields.Function(
        lambda u: mask_phone(u.phone),
        allow_none=True,
        metadata={"type": "string", "description": "masked, e.g. 138****5678"},
    )
    is_active = ma.fields.Boolean(required=True)


class PostingSchema(ma.Schema):
    id = ma.fields.UUID(required=True, attribute="assignment.id")
    user = ma.fields.Nested(WorkerRefSchema, required=True)
    area = ma.fields.Nested(AreaRefSchema, required=True, attribute="assignment.area")
    duty = ma.fields.Enum(GridDuty, by_value=True, required=True, attribute="assignment.duty")
    started_at = ma.fields.DateTime(required=True, attribute="assignment.started_at")
    ended_at = ma.fields.DateTime(allow_none=True, attribute="assignment.ended_at")


class AssignmentCreateSchema(ma.Schema):
    user_id = ma.fields.UUID(required=True, metadata={"description": "an active grid worker"})
    duty = ma.fields.Enum(
        GridDuty, by_value=True, load_default=GridDuty.FULL_TIME, metadata={"example": "leader"}
    )


class WorkerQuerySchema(PageArgsSchema):
    duty = ma.fields.Enum(GridDuty, by_value=True)


class GridRefSchema(AreaRefSchema):
    active = ma.fields.Boolean(required=True)
    centroid_lng = ma.fields.Float(allow_none=True, metadata={"description": "WGS-84"})
    centroid_lat = ma.fields.Float(allow_none=True, metadata={"description": "WGS-84"})


class MyGridSchema(ma.Schema):
    area = ma.fields.Nested(GridRefSchema, required=True)
    duty = ma.fields.Enum(GridDuty, by_value=True, required=True)
    started_at = ma.fields.DateTime(required=True)


PostingPageSchema = page_schema(PostingSchema, "GridWorkerPage")
