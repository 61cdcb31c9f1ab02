"""Schema building blocks shared by the resources."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.messages import LOCALES


class FullMatch(validate.Regexp):
    """``Regexp`` that must match the whole value: with ``re.match``, ``$`` also matches before a
    trailing newline, so ``"name\n"`` would pass ``^[a-z]+$``. OpenAPI still shows the pattern."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


def encodable(value: str) -> str:
    """Lone surrogates parse from JSON (``"\\ud800"``) but cannot be encoded, hashed or stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ma.ValidationError("Not a valid string.") from None
    return value


# Control characters have no business in names and notes; they hide text in logs and UIs.
NO_CONTROL_CHARS = FullMatch(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


def text(min_len: int = 1, max_len: int = 200, **kwargs) -> ma.fields.String:
    """A bounded string without control characters."""
    return ma.fields.String(
        validate=[validate.Length(min=min_len, max=max_len), NO_CONTROL_CHARS, encodable], **kwargs
    )


# A name is one line of visible text: something besides spaces, no control characters at all
# (C0, DEL, C1: newlines and tabs included) and no bidirectional overrides or isolates, which make
# a name display as something it is not.
DISPLAY_NAME = FullMatch(
    r"^(?=.*\S)[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
)


def name_field(max_len: int = 50, **kwargs) -> ma.fields.String:
    """A person's or place's name as people will see it."""
    return ma.fields.String(
        validate=[validate.Length(min=1, max=max_len), DISPLAY_NAME, encodable], **kwargs
    )


def password_field(**kwargs) -> ma.fields.String:
    """A password as typed: any characters (the policy is checked in services), but bounded and
    encodable so it can be hashed."""
    return ma.fields.String(validate=[validate.Length(min=1, max=128), encodable], **kwargs)


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
