"""Bodies and replies of the event catalogue endpoints."""

import marshmallow as ma
from marshmallow import validate

from api.i18n import current_locale
from api.schemas import AreaRefSchema, DepartmentRefSchema, FullMatch, name_field
from services.catalogue_rules import FALLBACK_CATEGORY_CODE, MAX_AMOUNT
from services.models.catalogue import CategoryKind, LimitUnit, Phase, Urgency

CATEGORY_CODE = FullMatch(r"^[0-9]{2}(?:[0-9]{2})?$")
DEPARTMENT_CODE = FullMatch(r"^[A-Za-z0-9_-]{1,32}$")

LIMIT_EXAMPLE = {
    "filing": {
        "normal": {"amount": 1, "unit": "working_days"},
        "urgent": {"amount": 4, "unit": "working_hours"},
        "critical": {"amount": 1, "unit": "natural_hours"},
    },
    "disposal": {
        "normal": {"amount": 5, "unit": "working_days"},
        "urgent": {"amount": 1, "unit": "working_days"},
        "critical": {"amount": 4, "unit": "natural_hours"},
    },
}


class LimitSchema(ma.Schema):
    amount = ma.fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=max(MAX_AMOUNT.values())),
        metadata={"description": "at most 90 working days, 720 working or 2160 natural hours"},
    )
    unit = ma.fields.String(required=True, validate=validate.OneOf([u.value for u in LimitUnit]))


def _per_urgency() -> type[ma.Schema]:
    fields = {
        u.value: ma.fields.Nested(LimitSchema, required=True, metadata={"description": u.value})
        for u in Urgency
    }
    return ma.Schema.from_dict(fields, name="UrgencyLimits")


UrgencyLimitsSchema = _per_urgency()


class TimeLimitsSchema(ma.Schema):
    """Every phase with every urgency; more urgent never has more time."""

    filing = ma.fields.Nested(UrgencyLimitsSchema, required=True, data_key=Phase.FILING.value)
    disposal = ma.fields.Nested(UrgencyLimitsSchema, required=True, data_key=Phase.DISPOSAL.value)


def _name(category) -> str:
    return category.name_en if current_locale() == "en" else category.name_zh


class CategorySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "0101"})
    parent_code = ma.fields.Function(
        lambda c: c.parent.code if c.parent else None,
        allow_none=True,
        metadata={"type": "string", "description": "the major class; null for a major class"},
    )
    level = ma.fields.Function(
        lambda c: "minor" if c.parent_id else "major",
        metadata={"type": "string", "enum": ["major", "minor"]},
    )
    kind = ma.fields.Enum(CategoryKind, by_value=True, required=True)
    name = ma.fields.Function(
        _name, metadata={"type": "string", "description": "name_zh or name_en by Accept-Language"}
    )
    name_zh = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    default_department = ma.fields.Nested(DepartmentRefSchema, allow_none=True)
    time_limits = ma.fields.Nested(
        TimeLimitsSchema,
        allow_none=True,
        metadata={"description": "phase → urgency → {amount, unit}; null for a major class"},
    )
    resident_selectable = ma.fields.Boolean(required=True)
    photo_required = ma.fields.Boolean(required=True)
    active = ma.fields.Boolean(required=True)
    sort_order = ma.fields.Integer(required=True)

    @ma.pre_dump
    def _view(self, category, **_kwargs):
        return _View(category)


class CategoryNodeSchema(CategorySchema):
    children = ma.fields.List(
        ma.fields.Nested(CategorySchema),
        required=True,
        metadata={"description": "a major class's minor classes"},
    )

    @ma.pre_dump
    def _view(self, node, **_kwargs):
        return _View(node.category, node.children)


class _View:
    """A category as shown: major classes have no time limits (null, not an empty object)."""

    def __init__(self, category, children=()):
        self._category, self.children = category, list(children)

    def __getattr__(self, name):
        return getattr(self._category, name)

    @property
    def time_limits(self):
        return self._category.time_limits or None


class CatalogueSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CategoryNodeSchema), required=True)
    fallback_code = ma.fields.Constant(
        FALLBACK_CATEGORY_CODE,
        metadata={
            "type": "string",
            "description": "the category to report under when unsure (其他问题)",
        },
    )


class CatalogueQuerySchema(ma.Schema):
    kind = ma.fields.Enum(CategoryKind, by_value=True)
    resident_selectable = ma.fields.Boolean()
    include_inactive = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "administrators only: needs a bearer token of an admin"},
    )


class _CategoryFields(ma.Schema):
    name_zh = name_field(50, metadata={"example": "井盖破损"})
    name_en = name_field(100, metadata={"example": "Damaged manhole cover"})
    default_department_code = ma.fields.String(
        allow_none=True, validate=DEPARTMENT_CODE, metadata={"example": "SCQ-CG"}
    )
    time_limits = ma.fields.Nested(TimeLimitsSchema, metadata={"example": LIMIT_EXAMPLE})
    resident_selectable = ma.fields.Boolean()
    photo_required = ma.fields.Boolean()
    sort_order = ma.fields.Integer(strict=True, validate=validate.Range(min=0, max=9999))


class CategoryCreateSchema(_CategoryFields):
    code = ma.fields.String(
        required=True,
        validate=CATEGORY_CODE,
        metadata={"description": "major: 2 digits; minor: parent + 2 digits", "example": "0198"},
    )
    parent_code = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=FullMatch(r"^[0-9]{2}$"),
        metadata={"example": "01"},
    )
    name_zh = name_field(50, required=True, metadata={"example": "井盖破损"})
    name_en = name_field(100, required=True, metadata={"example": "Damaged manhole cover"})


class CategoryUpdateSchema(_CategoryFields):
    active = ma.fields.Boolean()


class OverrideSetSchema(ma.Schema):
    department_code = ma.fields.String(
        required=True, validate=DEPARTMENT_CODE, metadata={"example": "SCQ-CG"}
    )


class OverrideSchema(ma.Schema):
    area = ma.fields.Nested(AreaRefSchema, required=True)
    department = ma.fields.Nested(DepartmentRefSchema, required=True)
