"""The work queues' query and answer."""

from __future__ import annotations

import marshmallow as ma

from api.schemas import PageArgsSchema
from services.queries.tasks import TaskQueue

QUEUE_HELP = (
    "Dispatchers and admins: to_file (reported), duplicates (suspected duplicates to confirm), "
    "returned (sent back by the department), extensions (pending extension requests), overdue "
    "(open and past the deadline), to_dispatch (filed). Department handlers: to_accept, "
    "in_progress, rework (in progress after a failed verification). Grid workers: to_verify "
    "(resolved, in a grid they are on duty in). Default: the first of mine with work in it."
)


class TaskQuerySchema(PageArgsSchema):
    queue = ma.fields.Enum(TaskQueue, by_value=True, metadata={"description": QUEUE_HELP})


class TaskCategorySchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class TaskItemSchema(ma.Schema):
    """A case waiting in a queue."""

    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    category = ma.fields.Nested(TaskCategorySchema, required=True)
    area_name = ma.fields.String(allow_none=True, required=True)
    deadline = ma.fields.AwareDateTime(
        allow_none=True,
        required=True,
        metadata={"description": "when the phase the case is in is due (filing or disposal)"},
    )
    overdue = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True, metadata={"description": "send it as If-Match"})
    created_at = ma.fields.AwareDateTime(required=True)


class TaskPageSchema(ma.Schema):
    queue = ma.fields.Enum(TaskQueue, by_value=True, required=True)
    counts = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "cases in each of my queues"},
    )
    items = ma.fields.List(ma.fields.Nested(TaskItemSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    page_size = ma.fields.Integer(required=True)
