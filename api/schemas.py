"""Schema building blocks shared by the resources."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.messages import LOCALES

# Control characters have no business in names and notes; they hide text in logs and UIs.
NO_CONTROL_CHARS = validate.Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


def text(min_len: int = 1, max_len: int = 200, **kwargs) -> ma.fields.String:
    """A bounded string without control characters."""
    return ma.fields.String(
        validate=[validate.Length(min=min_len, max=max_len), NO_CONTROL_CHARS], **kwargs
    )


def locale_field(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate.OneOf(LOCALES), **kwargs)


class PageArgsSchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A ``{items, total, page, page_size}`` envelope around ``item_schema``."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(required=True),
            "page": ma.fields.Integer(required=True),
            "page_size": ma.fields.Integer(required=True),
        },
        name=name,
    )


class AreaRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class DepartmentRefSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
