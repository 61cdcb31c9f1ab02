"""Standard replies: what admins write and what staff read and render."""

from __future__ import annotations

import marshmallow as ma

from api.resources.reports.read_schemas import CATEGORY_CODE
from api.schemas import text
from services.replies import PLACEHOLDERS
from services.workflow_rules import CaseAction

TEXT_HELP = "the reply with placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def _text(**kwargs) -> ma.fields.String:
    # Multi-line text: newlines and tabs are fine, other control characters are not.
    return text(1, 2000, metadata={"description": TEXT_HELP}, **kwargs)


class ReplyQuerySchema(ma.Schema):
    action = ma.fields.Enum(CaseAction, by_value=True)
    category = ma.fields.String(
        validate=CATEGORY_CODE,
        metadata={"description": "this category's replies first, then the general ones"},
    )
    include_inactive = ma.fields.Boolean(
        load_default=False, metadata={"description": "administrators only"}
    )


class ReplyCreateSchema(ma.Schema):
    action = ma.fields.Enum(CaseAction, by_value=True, required=True)
    category = ma.fields.String(
        validate=CATEGORY_CODE,
        allow_none=True,
        load_default=None,
        metadata={"description": "a category code; null: for every category"},
    )
    title = text(1, 100, required=True)
    text_zh = _text(required=True)
    text_en = _text(required=True)


class ReplyUpdateSchema(ma.Schema):
    action = ma.fields.Enum(CaseAction, by_value=True)
    category = ma.fields.String(validate=CATEGORY_CODE, allow_none=True)
    title = text(1, 100)
    text_zh = _text()
    text_en = _text()
    active = ma.fields.Boolean()

    @ma.validates_schema
    def _not_empty(self, data: dict, **_) -> None:
        if not data:
            raise ma.ValidationError("Give at least one field to change.", "_schema")


class ReplySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    action = ma.fields.String(required=True)
    category = ma.fields.String(required=True, allow_none=True)
    title = ma.fields.String(required=True)
    text_zh = ma.fields.String(required=True)
    text_en = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class ReplyRenderSchema(ma.Schema):
    report_id = ma.fields.UUID(required=True)


class RenderedReplySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    report_id = ma.fields.UUID(required=True)
    locale = ma.fields.String(required=True)
    text = ma.fields.String(
        required=True,
        metadata={"description": "filled in; values the case lacks stay as placeholders"},
    )
